import { useRef, useState, type KeyboardEvent } from "react";
import type { SearchHit } from "../../bindings/SearchHit";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { snippetParts } from "./snippet";
import { useSearch } from "./useSearch";
import "./search.css";

type Props = {
  /** Opens the hit's conversation (and, where the view supports it, the message). */
  onOpen: (hit: SearchHit) => void;
  /** The conversation on screen, which a search can be limited to. */
  current?: { id: number; label: string } | null;
};

/**
 * The workstation's search box: finds cached messages (offline too) as the
 * agent types. Arrow down moves from the box into the results, Enter or a
 * click opens one, Escape clears.
 */
export function SearchBox({ onOpen, current = null }: Props) {
  const [query, setQuery] = useState("");
  const [onlyCurrent, setOnlyCurrent] = useState(false);
  const scope = onlyCurrent && current ? current.id : null;
  const search = useSearch(query, scope);
  const list = useRef<HTMLUListElement>(null);
  const trimmed = query.trim();
  const open = trimmed !== "";

  function choose(hit: SearchHit) {
    onOpen(hit);
    setQuery("");
  }

  function focusHit(index: number) {
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>(".search-hit");
    if (!buttons || buttons.length === 0) return;
    buttons[Math.max(0, Math.min(index, buttons.length - 1))]?.focus();
  }

  function onInputKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "Escape") setQuery("");
    else if (e.key === "ArrowDown") {
      e.preventDefault();
      focusHit(0);
    } else if (e.key === "Enter" && search.hits[0] && search.searched === trimmed) {
      e.preventDefault();
      choose(search.hits[0]);
    }
  }

  function onHitKey(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      focusHit(index + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Escape") setQuery("");
  }

  return (
    <div className="search" role="search">
      <input
        id="search"
        type="search"
        dir="auto"
        value={query}
        placeholder={t("search.placeholder")}
        aria-label={t("search.label")}
        aria-controls="search-results"
        autoComplete="off"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onInputKey}
      />
      {open && (
        <div className="search-panel">
          {current && (
            <label className="search-scope">
              <input
                id="search-in-conversation"
                type="checkbox"
                checked={onlyCurrent}
                onChange={(e) => setOnlyCurrent(e.target.checked)}
              />
              <span dir="auto">{t("search.onlyConversation", { name: current.label })}</span>
            </label>
          )}
          {search.error && (
            <p className="search-error" role="alert">
              {t("search.failed", { message: search.error })}
            </p>
          )}
          {[...trimmed].length < 3 && <p className="search-note">{t("search.shortHint")}</p>}
          <ul id="search-results" ref={list} aria-busy={search.searching}>
            {search.hits.map((hit, index) => (
              <li key={hit.message_key}>
                <button
                  type="button"
                  className="search-hit"
                  data-conversation-id={hit.conversation_id}
                  data-message-key={hit.message_key}
                  onClick={() => choose(hit)}
                  onKeyDown={(e) => onHitKey(e, index)}
                >
                  <span className="search-hit-head">
                    <span className="search-hit-contact" dir="auto">
                      {hit.contact_label}
                    </span>
                    <Timestamp ms={hit.created_at} className="search-hit-time" />
                  </span>
                  <span className="search-hit-snippet" dir="auto">
                    {snippetParts(hit.snippet, hit.spans).map((part, i) =>
                      part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
                    )}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {search.searching && <p className="search-note">{t("search.searching")}</p>}
          {!search.searching && !search.error && search.searched === trimmed && search.hits.length === 0 && (
            <p className="search-note search-empty">
              {scope === null
                ? t("search.none", { query: trimmed })
                : t("search.noneInConversation", { query: trimmed })}
            </p>
          )}
          {search.next && !search.searching && (
            <Button variant="ghost" onClick={search.more}>
              {t("search.more")}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
