import { useEffect, useState, type FormEvent } from "react";
import type { ContactProfile } from "../../bindings/ContactProfile";
import type { MergeContactsResult } from "../../bindings/MergeContactsResult";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { keepDraft, keptDraft } from "../automation/keptDrafts";
import { AttributeRows } from "./AttributeRows";
import { ContactTagsEditor } from "./ContactTagsEditor";
import {
  contactName,
  contactNumber,
  draftOf,
  draftProblems,
  isEmptyPatch,
  patchOf,
  profileDraftKey,
  type ProfileDraft,
} from "./contactModel";
import { MergeDialog } from "./MergeDialog";
import type { TagCatalogue } from "./tagColours";

type Props = {
  contactId: number;
  catalogue: TagCatalogue;
  /** Whether the form holds edits not saved yet. */
  onDirty: (dirty: boolean) => void;
  onSaved: (contact: ContactProfile) => void;
  onMerged: (kept: ContactProfile, duplicate: number) => void;
  onClose: () => void;
};

/**
 * One contact's profile: name, language, custom fields, notes, consent and opt-out, saved
 * together; tags change at once; a duplicate can be merged in. Server refusals show as they
 * come, already in the admin's language.
 */
export function ContactProfilePanel({ contactId, catalogue, onDirty, onSaved, onMerged, onClose }: Props) {
  const key = profileDraftKey(contactId);
  const [contact, setContact] = useState<ContactProfile | null>(null);
  const [draft, setDraft] = useState<ProfileDraft | null>(() => keptDraft<ProfileDraft>(key));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [tried, setTried] = useState(false);
  const [merging, setMerging] = useState(false);

  useEffect(() => {
    let live = true;
    call("contact", { contact_id: contactId }).then(
      (loaded) => {
        if (!live) return;
        setContact(loaded);
        setDraft((kept) => kept ?? draftOf(loaded));
      },
      (err: unknown) => live && setLoadError(toIpcError(err).message),
    );
    return () => {
      live = false;
    };
  }, [contactId]);

  const patch = contact && draft ? patchOf(contact, draft) : {};
  const problems = draft ? draftProblems(draft) : [];
  // A row the patch cannot carry yet (a value without a name) is an unsaved edit too.
  const dirty = !isEmptyPatch(patch) || problems.length > 0;
  useEffect(() => {
    onDirty(dirty);
    keepDraft(key, dirty ? draft : null);
  }, [dirty, draft, key, onDirty]);

  const shownProblems = tried ? problems : [];

  async function save(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!contact || !draft || problems.length > 0 || !dirty) return;
    setSaving(true);
    setSaveError(null);
    setStatus(null);
    try {
      const saved = await call("update_contact", { contact_id: contact.id, patch });
      setContact(saved);
      setDraft(draftOf(saved));
      setTried(false);
      setStatus(t("contacts.saved"));
      onSaved(saved);
    } catch (err) {
      setSaveError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }

  function tagsChanged(updated: ContactProfile) {
    // Tags save at once; the form's other edits stay as they are.
    setContact(updated);
    onSaved(updated);
  }

  function merged(result: MergeContactsResult, duplicate: number) {
    setContact(result.contact);
    setDraft((current) => (current && contact && isEmptyPatch(patchOf(contact, current)) ? draftOf(result.contact) : current));
    onMerged(result.contact, duplicate);
  }

  const change = (next: Partial<ProfileDraft>) => setDraft((d) => (d ? { ...d, ...next } : d));
  const title = contact ? contactName(contact) : "";
  const number = contact ? contactNumber(contact) : null;
  return (
    <section id="contact-profile" className="board-section admin-panel contact-profile" aria-labelledby="contact-profile-title">
      <div className="contact-profile-head">
        <h2 id="contact-profile-title" className="board-title" dir="auto">
          {contact ? title : t("contacts.loading")}
        </h2>
        <Button id="contact-close" variant="ghost" onClick={onClose} aria-label={t("contacts.close")}>
          ×
        </Button>
      </div>
      {loadError && (
        <p className="load-error" role="alert" dir="auto">
          {loadError}
        </p>
      )}
      {contact && draft && (
        <>
          <dl className="contact-facts">
            <dt>{t("contacts.number")}</dt>
            <dd dir="ltr">{number ?? "—"}</dd>
            <dt>{t("contacts.country")}</dt>
            <dd>{contact.country ?? "—"}</dd>
            <dt>{t("contacts.conversations")}</dt>
            <dd>{contact.conversation_count}</dd>
            <dt>{t("contacts.created")}</dt>
            <dd>
              <Timestamp ms={contact.created_at} />
            </dd>
            {contact.opted_out_at !== null && (
              <>
                <dt>{t("contacts.optedOutAt")}</dt>
                <dd>
                  <Timestamp ms={contact.opted_out_at} /> {contact.opt_out_source && <span dir="auto">({contact.opt_out_source})</span>}
                </dd>
              </>
            )}
          </dl>
          <ContactTagsEditor contact={contact} catalogue={catalogue} onChanged={tagsChanged} />
          <form id="contact-form" className="admin-form contact-form" onSubmit={(e) => void save(e)} noValidate aria-label={t("contacts.profile")}>
            <div className="automation-field">
              <label htmlFor="contact-name">{t("contacts.name")}</label>
              <input id="contact-name" dir="auto" autoComplete="off" value={draft.name} onChange={(e) => change({ name: e.target.value })} />
            </div>
            <div className="automation-field">
              <label htmlFor="contact-language">{t("contacts.language")}</label>
              <select id="contact-language" value={draft.language} onChange={(e) => change({ language: e.target.value as ProfileDraft["language"] })}>
                <option value="">{t("contacts.languageUnknown")}</option>
                <option value="en">English</option>
                <option value="ar">العربية</option>
                <option value="th">ไทย</option>
              </select>
            </div>
            <AttributeRows rows={draft.attributes} problems={shownProblems} onChange={(attributes) => change({ attributes })} />
            <div className="automation-block-field">
              <label htmlFor="contact-notes">{t("contacts.notes")}</label>
              <textarea id="contact-notes" dir="auto" rows={3} value={draft.notes} onChange={(e) => change({ notes: e.target.value })} />
            </div>
            <fieldset className="contact-consent">
              <legend>{t("contacts.consent")}</legend>
              <label>
                {t("contacts.consentSource")}
                <input id="contact-consent-source" dir="auto" value={draft.consentSource} placeholder={t("contacts.consentSourcePlaceholder")} onChange={(e) => change({ consentSource: e.target.value })} />
              </label>
              <label>
                {t("contacts.consentDate")}
                <input
                  id="contact-consent-date"
                  type="date"
                  value={draft.consentDay}
                  onChange={(e) => change({ consentDay: e.target.value })}
                  aria-invalid={shownProblems.some((p) => p.kind === "consent_day") ? true : undefined}
                />
              </label>
              <label className="automation-check">
                <input id="contact-opted-out" type="checkbox" checked={draft.optedOut} onChange={(e) => change({ optedOut: e.target.checked })} />
                {t("contacts.optedOutCheck")}
              </label>
            </fieldset>
            {shownProblems.some((p) => p.kind === "consent_day") && <span className="automation-problem">{t("contacts.problem.consentDay")}</span>}
            <div className="admin-form-actions">
              <Button id="contact-save" type="submit" variant="primary" disabled={saving || !dirty}>
                {saving ? t("contacts.saving") : t("contacts.save")}
              </Button>
              <Button id="contact-revert" variant="ghost" disabled={!dirty} onClick={() => setDraft(draftOf(contact))}>
                {t("contacts.revert")}
              </Button>
              <Button id="contact-merge" onClick={() => setMerging(true)}>
                {t("contacts.merge")}
              </Button>
            </div>
            {dirty && <p className="admin-note">{t("contacts.unsaved")}</p>}
            {saveError && (
              <p id="contact-save-error" className="load-error" role="alert" dir="auto">
                {saveError}
              </p>
            )}
            {status && (
              <p id="contact-status" className="admin-note" role="status">
                {status}
              </p>
            )}
          </form>
          {merging && <MergeDialog kept={contact} onMerged={merged} onClose={() => setMerging(false)} />}
        </>
      )}
    </section>
  );
}
