import { useState, type FormEvent } from "react";
import { t } from "../../i18n";

type Props = { tags: string[]; onChange: (tags: string[]) => void; disabled?: boolean };

/** The conversation's tags as chips: × removes one, typing and Enter adds one. */
export function TagEditor({ tags, onChange, disabled }: Props) {
  const [draft, setDraft] = useState("");
  function add(e: FormEvent) {
    e.preventDefault();
    const tag = draft.trim();
    setDraft("");
    if (!tag || tags.includes(tag)) return;
    onChange([...tags, tag]);
  }
  return (
    <div className="tag-editor" aria-label={t("tags.label")}>
      {tags.map((tag) => (
        <span key={tag} className="tag tag-chip" data-tag={tag} dir="auto">
          {tag}
          <button
            type="button"
            className="tag-remove"
            aria-label={t("tags.remove", { tag })}
            disabled={disabled}
            onClick={() => onChange(tags.filter((x) => x !== tag))}
          >
            ×
          </button>
        </span>
      ))}
      <form className="tag-add" onSubmit={add}>
        <input
          id="tag-input"
          dir="auto"
          value={draft}
          maxLength={40}
          disabled={disabled}
          placeholder={t("tags.add")}
          aria-label={t("tags.add")}
          onChange={(e) => setDraft(e.target.value)}
        />
      </form>
    </div>
  );
}
