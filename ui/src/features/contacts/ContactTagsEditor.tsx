import { useState, type FormEvent } from "react";
import type { ContactProfile } from "../../bindings/ContactProfile";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import type { TagCatalogue } from "./tagColours";
import { TagChip } from "./TagChip";

type Props = {
  contact: ContactProfile;
  catalogue: TagCatalogue;
  onChanged: (contact: ContactProfile) => void;
  /** Distinguishes the ids when two editors share a screen. */
  idPrefix?: string;
};

/**
 * A contact's tags in their colours: × takes one off, typing (or picking a known tag) and
 * Enter puts one on. Each change is saved at once; the server's refusal shows below.
 */
export function ContactTagsEditor({ contact, catalogue, onChanged, idPrefix = "contact" }: Props) {
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function change(command: "add_contact_tag" | "remove_contact_tag", tag: string) {
    setBusy(true);
    setError(null);
    try {
      const updated = await call(command, { contact_id: contact.id, tag });
      onChanged(updated);
      // A tag new to the catalogue gets its palette colour there.
      if (command === "add_contact_tag" && catalogue.colourOf(tag) === null) catalogue.reload();
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setBusy(false);
    }
  }

  function add(e: FormEvent) {
    e.preventDefault();
    const tag = draft.trim();
    if (!tag) return;
    setDraft("");
    if (contact.tags.includes(tag)) return;
    void change("add_contact_tag", tag);
  }

  const listId = `${idPrefix}-tag-choices`;
  return (
    <div className="contact-tags" aria-label={t("contacts.tags")} aria-busy={busy}>
      <div className="tag-editor">
        {contact.tags.length === 0 && <span className="admin-note">{t("contacts.noTags")}</span>}
        {contact.tags.map((tag) => (
          <TagChip key={tag} name={tag} colour={catalogue.colourOf(tag)} disabled={busy} onRemove={() => void change("remove_contact_tag", tag)} />
        ))}
        <form className="tag-add" onSubmit={add}>
          <input
            id={`${idPrefix}-tag-input`}
            dir="auto"
            list={listId}
            value={draft}
            maxLength={40}
            disabled={busy}
            placeholder={t("contacts.addTag")}
            aria-label={t("contacts.addTag")}
            onChange={(e) => setDraft(e.target.value)}
          />
          <datalist id={listId}>
            {(catalogue.tags ?? [])
              .filter((info) => !contact.tags.includes(info.name))
              .map((info) => (
                <option key={info.name} value={info.name} />
              ))}
          </datalist>
        </form>
      </div>
      {error && (
        <p className="load-error contact-tags-error" role="alert" dir="auto">
          {error}
        </p>
      )}
    </div>
  );
}
