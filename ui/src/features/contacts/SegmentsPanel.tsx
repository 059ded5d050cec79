import { useEffect, useState } from "react";
import type { SegmentSummary } from "../../bindings/SegmentSummary";
import { Button } from "../../components/Button";
import { intlLocale, t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useLoad } from "../admin/useAdminData";
import { keepDraft, keptDraft, useUnsavedWarning } from "../automation/keptDrafts";
import { ExportStatus } from "./ExportStatus";
import { SegmentEditor, type SegmentDraft } from "./SegmentEditor";
import { useContactExport } from "./useContactExport";

const KEPT = "segment";

function draftOf(segment: SegmentSummary | null): SegmentDraft {
  return { original: segment, name: segment?.name ?? "", expression: segment?.expression ?? "", description: segment?.description ?? "" };
}

function dirtyDraft(draft: SegmentDraft | null): boolean {
  if (!draft) return false;
  const start = draftOf(draft.original);
  return draft.name.trim() !== start.name || draft.expression.trim() !== start.expression.trim() || draft.description.trim() !== start.description.trim();
}

/**
 * Saved segments: each with how many contacts it holds now, edited with a live count, and
 * exported as CSV. Broadcasts pick their recipients from these.
 */
export function SegmentsPanel() {
  const loaded = useLoad("counted_segments");
  const [saved, setSaved] = useState<SegmentSummary[] | null>(null);
  const [draft, setDraft] = useState<SegmentDraft | null>(() => keptDraft<SegmentDraft>(KEPT));
  const [discarding, setDiscarding] = useState<(() => void) | null>(null);
  const [deleting, setDeleting] = useState<SegmentSummary | null>(null);
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const exporting = useContactExport();

  const list = saved ?? loaded.data ?? null;
  const dirty = dirtyDraft(draft);
  useEffect(() => {
    keepDraft(KEPT, draft);
  }, [draft]);
  useUnsavedWarning(dirty);

  function whenClean(action: () => void) {
    if (dirty) setDiscarding(() => action);
    else action();
  }

  function open(next: SegmentDraft | null) {
    setDraft(next);
    setDiscarding(null);
    setTried(false);
    setFormError(null);
  }

  const name = draft?.name.trim() ?? "";
  const taken = tried && draft?.original === null && (list ?? []).some((s) => s.name === name);

  async function save() {
    setTried(true);
    if (!draft || !list) return;
    if (!name || [...name].length > 80 || (draft.original === null && list.some((s) => s.name === name))) return;
    setSaving(true);
    setFormError(null);
    setStatus(null);
    try {
      const answer = await call("save_segment", { name, expression: draft.expression.trim(), description: draft.description.trim() });
      open(null);
      setStatus(t("contacts.segmentSaved", { name: answer.name }));
      // The answer has no member count: the list is read again, counts and all.
      setSaved(null);
      loaded.reload();
    } catch (err) {
      setFormError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }

  async function remove(segment: SegmentSummary) {
    if (!list) return;
    setDeleting(null);
    setListError(null);
    setStatus(null);
    try {
      await call("delete_segment", { name: segment.name });
      setSaved(list.filter((s) => s.name !== segment.name));
      if (draft?.original?.name === segment.name) open(null);
      setStatus(t("contacts.segmentDeleted", { name: segment.name }));
    } catch (err) {
      setListError(toIpcError(err).message);
    }
  }

  const count = new Intl.NumberFormat(intlLocale());
  return (
    <section id="segments-panel" className="board-section admin-panel" aria-labelledby="segments-title">
      <h2 id="segments-title" className="board-title">
        {t("contacts.segmentsTitle")}
      </h2>
      <p className="admin-note">{t("contacts.segmentsNote")}</p>
      {loaded.error && (
        <p className="load-error" role="alert" dir="auto">
          {loaded.error}
        </p>
      )}
      {list && (
        <>
          <div className="admin-form-actions">
            <Button id="segment-new" variant="primary" onClick={() => whenClean(() => open(draftOf(null)))}>
              {t("contacts.segmentNew")}
            </Button>
          </div>
          {list.length === 0 ? (
            <p className="admin-note">{t("contacts.segmentsEmpty")}</p>
          ) : (
            <table id="segments" className="board-table">
              <thead>
                <tr>
                  <th scope="col">{t("contacts.segmentName")}</th>
                  <th scope="col">{t("contacts.segmentExpression")}</th>
                  <th scope="col">{t("contacts.segmentMembers")}</th>
                  <th scope="col">{t("automation.rule.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.name} className="segment-row" data-name={s.name} aria-current={draft?.original?.name === s.name ? "true" : undefined}>
                    <td dir="auto">
                      {s.name}
                      {s.description && <div className="admin-note">{s.description}</div>}
                    </td>
                    <td dir="ltr">
                      <code>{s.expression}</code>
                    </td>
                    <td>{s.count === undefined ? "—" : count.format(s.count)}</td>
                    <td>
                      <Button variant="ghost" aria-label={t("contacts.segmentEditNamed", { name: s.name })} onClick={() => whenClean(() => open(draftOf(s)))}>
                        {t("contacts.segmentEdit")}
                      </Button>
                      <Button
                        variant="ghost"
                        aria-label={t("contacts.segmentExportNamed", { name: s.name })}
                        disabled={exporting.state.kind === "running"}
                        onClick={() => exporting.start({ segment: s.name })}
                      >
                        {t("contacts.exportStart")}
                      </Button>
                      <Button variant="ghost" aria-label={t("contacts.segmentDeleteNamed", { name: s.name })} onClick={() => setDeleting(s)}>
                        {t("contacts.tagDelete")}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <ExportStatus state={exporting.state} id="segment-export" />
      {deleting && (
        <div id="segment-delete-confirm" className="automation-discard" role="alertdialog" aria-labelledby="segment-delete-text">
          <p id="segment-delete-text" dir="auto">
            {t("contacts.segmentDeleteConfirm", { name: deleting.name })}
          </p>
          <div className="admin-form-actions">
            <Button id="segment-delete-yes" variant="primary" onClick={() => void remove(deleting)} autoFocus>
              {t("contacts.tagDelete")}
            </Button>
            <Button variant="ghost" onClick={() => setDeleting(null)}>
              {t("contacts.cancel")}
            </Button>
          </div>
        </div>
      )}
      {listError && (
        <p id="segments-error" className="load-error" role="alert" dir="auto">
          {listError}
        </p>
      )}
      {status && (
        <p id="segments-status" className="admin-note" role="status" dir="auto">
          {status}
        </p>
      )}
      {discarding && (
        <div id="segment-discard" className="automation-discard" role="alertdialog" aria-labelledby="segment-discard-text">
          <p id="segment-discard-text">{t("contacts.segmentDiscard")}</p>
          <div className="admin-form-actions">
            <Button id="segment-discard-confirm" variant="primary" onClick={discarding} autoFocus>
              {t("automation.rule.discard")}
            </Button>
            <Button variant="ghost" onClick={() => setDiscarding(null)}>
              {t("automation.rule.keepEditing")}
            </Button>
          </div>
        </div>
      )}
      {draft && list && (
        <SegmentEditor
          draft={draft}
          onChange={setDraft}
          onSave={() => void save()}
          onCancel={() => whenClean(() => open(null))}
          saving={saving}
          taken={taken}
          tried={tried}
          error={formError}
        />
      )}
    </section>
  );
}
