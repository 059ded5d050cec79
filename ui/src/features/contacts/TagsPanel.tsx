import { useState } from "react";
import type { TagInfo } from "../../bindings/TagInfo";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { isHexColour, type TagCatalogue } from "./tagColours";
import { TagChip } from "./TagChip";

/** One tag's row: its chip, a colour picker with the hex code beside it, counts and delete. */
function TagRow({ tag, onSaved, onDelete }: { tag: TagInfo; onSaved: (colour: string) => Promise<void>; onDelete: () => void }) {
  const [colour, setColour] = useState(tag.colour);
  const valid = isHexColour(colour);
  const changed = valid && colour.toLowerCase() !== tag.colour.toLowerCase();
  const problemId = `tag-colour-problem-${tag.name}`;
  return (
    <tr className="tag-row" data-tag={tag.name}>
      <td>
        <TagChip name={tag.name} colour={valid ? colour : tag.colour} />
      </td>
      <td className="tag-colour-cell">
        <input
          type="color"
          value={valid ? colour.toLowerCase() : tag.colour}
          aria-label={t("contacts.tagColourPicker", { tag: tag.name })}
          onChange={(e) => setColour(e.target.value)}
        />
        <input
          className="tag-colour-hex"
          dir="ltr"
          size={8}
          maxLength={7}
          value={colour}
          aria-label={t("contacts.tagColourHex", { tag: tag.name })}
          aria-invalid={valid ? undefined : true}
          aria-describedby={valid ? undefined : problemId}
          onChange={(e) => setColour(e.target.value.trim())}
        />
        {!valid && (
          <span id={problemId} className="automation-problem">
            {t("contacts.problem.colour")}
          </span>
        )}
        {!tag.chosen && !changed && <span className="admin-note"> {t("contacts.tagDefaultColour")}</span>}
      </td>
      <td>{tag.contact_count}</td>
      <td>{tag.conversation_count}</td>
      <td>
        <Button variant="ghost" disabled={!changed} aria-label={t("contacts.tagSaveNamed", { tag: tag.name })} onClick={() => void onSaved(colour.toLowerCase())}>
          {t("contacts.tagSave")}
        </Button>
        <Button variant="ghost" aria-label={t("contacts.tagDeleteNamed", { tag: tag.name })} onClick={onDelete}>
          {t("contacts.tagDelete")}
        </Button>
      </td>
    </tr>
  );
}

/** The tag catalogue: colours admins choose for chips everywhere, how often each tag is used, and deleting one. */
export function TagsPanel({ catalogue }: { catalogue: TagCatalogue }) {
  const [deleting, setDeleting] = useState<TagInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function saveColour(tag: TagInfo, colour: string) {
    setError(null);
    setStatus(null);
    try {
      await call("set_tag_colour", { name: tag.name, colour });
      setStatus(t("contacts.tagColourSaved", { tag: tag.name }));
      catalogue.reload();
    } catch (err) {
      setError(toIpcError(err).message);
    }
  }

  async function remove(tag: TagInfo) {
    setDeleting(null);
    setError(null);
    setStatus(null);
    try {
      await call("delete_tag", { name: tag.name });
      setStatus(t("contacts.tagDeleted", { tag: tag.name }));
      catalogue.reload();
    } catch (err) {
      setError(toIpcError(err).message);
    }
  }

  const tags = catalogue.tags;
  return (
    <section id="tags-panel" className="board-section admin-panel" aria-labelledby="tags-title">
      <h2 id="tags-title" className="board-title">
        {t("contacts.tagsTitle")}
      </h2>
      <p className="admin-note">{t("contacts.tagsNote")}</p>
      {catalogue.error && (
        <p className="load-error" role="alert" dir="auto">
          {catalogue.error}
        </p>
      )}
      {tags && tags.length === 0 && <p className="admin-note">{t("contacts.tagsEmpty")}</p>}
      {tags && tags.length > 0 && (
        <table id="tag-catalogue" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("contacts.tag")}</th>
              <th scope="col">{t("contacts.tagColour")}</th>
              <th scope="col">{t("contacts.tagContacts")}</th>
              <th scope="col">{t("contacts.tagConversations")}</th>
              <th scope="col">{t("automation.rule.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {tags.map((tag) => (
              <TagRow key={`${tag.name}:${tag.colour}`} tag={tag} onSaved={(colour) => saveColour(tag, colour)} onDelete={() => setDeleting(tag)} />
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <div id="tag-delete-confirm" className="automation-discard" role="alertdialog" aria-labelledby="tag-delete-text">
          <p id="tag-delete-text" dir="auto">
            {t("contacts.tagDeleteConfirm", { tag: deleting.name, contacts: deleting.contact_count, conversations: deleting.conversation_count })}
          </p>
          <div className="admin-form-actions">
            <Button id="tag-delete-yes" variant="primary" onClick={() => void remove(deleting)} autoFocus>
              {t("contacts.tagDelete")}
            </Button>
            <Button variant="ghost" onClick={() => setDeleting(null)}>
              {t("contacts.cancel")}
            </Button>
          </div>
        </div>
      )}
      {error && (
        <p id="tags-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {status && (
        <p id="tags-status" className="admin-note" role="status" dir="auto">
          {status}
        </p>
      )}
    </section>
  );
}
