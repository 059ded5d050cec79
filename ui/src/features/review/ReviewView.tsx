import { useState } from "react";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { ReviewConversation } from "./ReviewConversation";
import { useReviewSearch } from "./useReview";
import "./review.css";

type Props = {
  /** The conversation to show first (opened from the board or an alert). */
  conversationId: number | null;
  onSelect: (conversationId: number) => void;
};

/**
 * Supervisors and admins read any conversation their role allows: found by customer name,
 * number or business number, shown read-only.
 */
export function ReviewView({ conversationId, onSelect }: Props) {
  const [query, setQuery] = useState("");
  const { results, error } = useReviewSearch(query);
  return (
    <main id="review-view" className="review-view" aria-label={t("review.title")}>
      <aside className="review-list" aria-label={t("review.results")}>
        <label className="review-search">
          <span className="visually-hidden">{t("review.search")}</span>
          <input
            id="review-search"
            type="search"
            value={query}
            placeholder={t("review.searchPlaceholder")}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        {error && (
          <p className="load-error" role="alert">
            {error}
          </p>
        )}
        {results?.from_cache && <p className="review-note">{t("review.searchFromCache")}</p>}
        {results && results.conversations.length === 0 && <p className="review-note">{t("review.none")}</p>}
        <ul className="review-results">
          {results?.conversations.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="review-result"
                data-conversation-id={c.id}
                aria-current={c.id === conversationId ? "true" : undefined}
                onClick={() => onSelect(c.id)}
              >
                <span className="review-result-name" dir="auto">
                  {c.contact.name ?? c.contact.wa_id ?? `#${c.id}`}
                </span>
                <span className="review-result-meta">
                  <span dir="auto">{c.business_name}</span> · {c.assigned_user_name ?? t("review.unassigned")} ·{" "}
                  <Timestamp ms={c.last_message_at} />
                </span>
              </button>
            </li>
          ))}
        </ul>
        {results?.truncated && <p className="review-note">{t("review.truncated")}</p>}
      </aside>
      <div className="review-body">
        {conversationId === null ? (
          <p className="conversation-hint">{t("review.pick")}</p>
        ) : (
          <ReviewConversation key={conversationId} conversationId={conversationId} />
        )}
      </div>
    </main>
  );
}
