import { useEffect, useState } from "react";
import type { ContactProfile } from "../../bindings/ContactProfile";
import type { MergeContactsResult } from "../../bindings/MergeContactsResult";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { contactName, contactNumber } from "./contactModel";

type Props = {
  kept: ContactProfile;
  onMerged: (result: MergeContactsResult, duplicate: number) => void;
  onClose: () => void;
};

/** Candidates shown for a search. */
const CANDIDATES = 8;

/**
 * Merging a duplicate into this contact: find the other one, confirm, then see what moved
 * (conversations, and those joined into one on the same business number).
 */
export function MergeDialog({ kept, onMerged, onClose }: Props) {
  const [search, setSearch] = useState("");
  const [candidates, setCandidates] = useState<ContactProfile[]>([]);
  const [chosen, setChosen] = useState<ContactProfile | null>(null);
  const [result, setResult] = useState<MergeContactsResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const text = search.trim();
    if (!text) return;
    let live = true;
    const timer = setTimeout(() => {
      call("contacts", { search: text, limit: CANDIDATES + 1 }).then(
        (page) => live && setCandidates(page.contacts.filter((c) => c.id !== kept.id).slice(0, CANDIDATES)),
        (err: unknown) => live && setError(toIpcError(err).message),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [search, kept.id]);

  async function merge() {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await call("merge_contacts", { contact_id: kept.id, duplicate: chosen.id });
      setResult(answer);
      onMerged(answer, chosen.id);
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setBusy(false);
    }
  }

  const keptName = contactName(kept);
  return (
    <div id="contact-merge-dialog" className="contact-merge" role="dialog" aria-labelledby="contact-merge-title">
      <h3 id="contact-merge-title" className="admin-subtitle" dir="auto">
        {t("contacts.mergeTitle", { name: keptName })}
      </h3>
      {result ? (
        <div id="contact-merge-result" role="status">
          <p>{t("contacts.merged", { name: chosen ? contactName(chosen) : "", kept: keptName })}</p>
          <ul>
            <li>{t("contacts.mergedMoved", { count: result.moved_conversations.length })}</li>
            {result.joined_conversations.map((joined) => (
              <li key={joined.removed}>{t("contacts.mergedJoined", { count: joined.messages, removed: joined.removed, into: joined.into })}</li>
            ))}
          </ul>
          <Button id="contact-merge-done" variant="primary" onClick={onClose} autoFocus>
            {t("contacts.done")}
          </Button>
        </div>
      ) : chosen ? (
        <div className="contact-merge-confirm">
          <p dir="auto">{t("contacts.mergeConfirm", { duplicate: contactName(chosen), kept: keptName })}</p>
          <div className="admin-form-actions">
            <Button id="contact-merge-confirm" variant="primary" disabled={busy} onClick={() => void merge()} autoFocus>
              {t("contacts.mergeDo")}
            </Button>
            <Button variant="ghost" onClick={() => setChosen(null)}>
              {t("contacts.mergeBack")}
            </Button>
          </div>
        </div>
      ) : (
        <>
          <label className="automation-field">
            {t("contacts.mergeSearch")}
            <input id="contact-merge-search" type="search" dir="auto" value={search} autoFocus onChange={(e) => setSearch(e.target.value)} />
          </label>
          <ul className="contact-merge-candidates">
            {(search.trim() ? candidates : []).map((c) => (
              <li key={c.id}>
                <Button variant="ghost" className="contact-merge-candidate" data-contact-id={c.id} onClick={() => setChosen(c)}>
                  <span dir="auto">{contactName(c)}</span> <span dir="ltr">{contactNumber(c) ?? ""}</span>
                </Button>
              </li>
            ))}
          </ul>
          <Button variant="ghost" onClick={onClose}>
            {t("contacts.cancel")}
          </Button>
        </>
      )}
      {error && (
        <p id="contact-merge-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
    </div>
  );
}
