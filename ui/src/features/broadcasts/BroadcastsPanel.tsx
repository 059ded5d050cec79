import { useCallback, useEffect, useMemo, useState } from "react";
import type { Broadcast } from "../../bindings/Broadcast";
import type { TemplateSummary } from "../../bindings/TemplateSummary";
import { Button } from "../../components/Button";
import { t, useLocale } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useLoad } from "../admin/useAdminData";
import { useNow } from "../supervisor/useNow";
import { knownNumbers } from "../automation/autoReplyModel";
import { numberLabel } from "../automation/CalendarsPanel";
import { keepDraft, keptDraft } from "../automation/keptDrafts";
import { BroadcastActions } from "./BroadcastActions";
import { BroadcastComposer, type AudienceCount, type SegmentChoice } from "./BroadcastComposer";
import { BroadcastList, StateBadge } from "./BroadcastList";
import { draftOf, emptyForm, formatCount, formatInstant, formOf, isDirty, progressOf, scheduleProblem, startOf, type BroadcastForm } from "./broadcastModel";
import { BroadcastPreviewPanel } from "./BroadcastPreviewPanel";
import { BroadcastResultsPanel } from "./BroadcastResultsPanel";

type Selection = number | "new" | null;

const keptKeyOf = (selection: Selection) => `broadcast:${selection}`;

type Props = {
  /** Results need `view_reports` besides `broadcast`. */
  canSeeResults: boolean;
};

/**
 * Broadcasts: the list, and the chosen one below it. A draft opens in the composer with its
 * preview and the button that schedules or starts it; a broadcast under way or done shows its
 * actions (pause, resume, cancel) and results.
 */
export function BroadcastsPanel({ canSeeResults }: Props) {
  useLocale();
  // Re-read now and then, so a start time that passes while the form is open is noticed.
  const now = useNow(15_000);
  const loaded = useLoad("broadcasts");
  const servers = useLoad("business_numbers");
  const inbox = useLoad("list_inbox");
  const users = useLoad("list_users");
  const segmentsLoaded = useLoad("counted_segments");
  const [list, setList] = useState<Broadcast[] | null>(null);
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [form, setForm] = useState<BroadcastForm>(emptyForm);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState<(() => void) | null>(null);
  const [deleting, setDeleting] = useState(false);

  const broadcasts = list ?? loaded.data ?? null;
  const selected = typeof selection === "number" ? (broadcasts?.find((b) => b.id === selection) ?? null) : null;
  const segments: SegmentChoice[] | null = segmentsLoaded.data
    ? segmentsLoaded.data.map((s) => ({ name: s.name, description: s.description || null, count: s.count ?? null }))
    : null;
  const segmentNames = useMemo(() => (segments ?? []).map((s) => s.name), [segments]);
  const numbers = knownNumbers(servers.data, inbox.data, null);
  for (const b of broadcasts ?? []) for (const id of b.numbers) if (!numbers.some((n) => n.id === id)) numbers.push({ id, name: null, display: null });

  const saved = selection === "new" ? emptyForm() : selected && selected.state === "draft" ? formOf(selected, segmentNames) : emptyForm();
  const editing = selection === "new" || selected?.state === "draft";
  const timeKey = scheduleProblem(form, now);
  const timeProblem = timeKey ? t(timeKey) : null;
  const dirty = editing && isDirty(form, saved);

  // Templates of the first number chosen (a template may be limited to some numbers).
  const firstNumber = form.numbers[0] ?? null;
  useEffect(() => {
    let current = true;
    call("broadcast_templates", { number: firstNumber }).then(
      (answer) => current && setTemplates(answer),
      (err: unknown) => current && setError(toIpcError(err).message),
    );
    return () => {
      current = false;
    };
  }, [firstNumber]);

  const countAudience = useCallback(async (kind: "segment" | "expression", audience: string): Promise<AudienceCount> => {
    try {
      const answer = await call("count_segment", kind === "segment" ? { name: audience, expression: null } : { name: null, expression: audience });
      return { count: answer.count, optedOut: answer.opted_out_excluded };
    } catch (err) {
      return { error: toIpcError(err).message };
    }
  }, []);

  function whenClean(action: () => void) {
    if (dirty) setDiscarding(() => action);
    else action();
  }

  function open(next: Selection, from: Broadcast[] | null = broadcasts) {
    const b = typeof next === "number" ? (from?.find((x) => x.id === next) ?? null) : null;
    const kept = next === null ? null : keptDraft<BroadcastForm>(keptKeyOf(next));
    setSelection(next);
    setForm(kept ?? (b && b.state === "draft" ? formOf(b, segmentNames) : emptyForm()));
    setError(null);
    setDiscarding(null);
    setDeleting(false);
  }

  function replace(b: Broadcast) {
    setList((current) => {
      const base = current ?? loaded.data ?? [];
      return base.some((x) => x.id === b.id) ? base.map((x) => (x.id === b.id ? b : x)) : [b, ...base];
    });
  }

  async function save() {
    setSaving(true);
    setError(null);
    try {
      const draft = draftOf(form);
      const answer = selection === "new" || selection === null ? await call("create_broadcast", draft) : await call("update_broadcast", { id: selection, draft });
      // What was kept for the new or edited draft is saved now; the next "New broadcast" starts empty.
      keepDraft(keptKeyOf(selection), null);
      replace(answer);
      setSelection(answer.id);
      setForm({ ...formOf(answer, segmentNames), when: form.when, at: form.at });
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    if (!selected) return;
    try {
      await call("delete_broadcast", { id: selected.id });
      keepDraft(keptKeyOf(selected.id), null);
      setList((broadcasts ?? []).filter((b) => b.id !== selected.id));
      open(null);
    } catch (err) {
      setDeleting(false);
      setError(toIpcError(err).message);
    }
  }

  const reread = (id: number) =>
    void call("broadcast", { id }).then(replace, (err: unknown) => setError(toIpcError(err).message));

  return (
    <section className="board-section admin-panel broadcasts-panel" aria-labelledby="broadcasts-title">
      <div className="broadcast-heading">
        <h2 id="broadcasts-title" className="board-title">
          {t("broadcasts.title")}
        </h2>
        <Button id="broadcast-new" variant="primary" onClick={() => whenClean(() => open("new"))}>
          {t("broadcasts.new")}
        </Button>
      </div>
      <p className="admin-note">{t("broadcasts.note")}</p>
      {loaded.error && (
        <p className="load-error" role="alert" dir="auto">
          {loaded.error}
        </p>
      )}
      {broadcasts && (
        <BroadcastList
          broadcasts={broadcasts}
          selected={typeof selection === "number" ? selection : null}
          onSelect={(id) => whenClean(() => open(id))}
          userName={(id) => users.data?.find((u) => u.id === id)?.display_name ?? null}
          numberLabel={(id) => {
            const n = numbers.find((x) => x.id === id);
            return n ? numberLabel(n) : id;
          }}
        />
      )}
      {discarding && (
        <div id="broadcast-discard" className="automation-discard" role="alertdialog" aria-labelledby="broadcast-discard-text">
          <p id="broadcast-discard-text" dir="auto">
            {t("broadcasts.discard", { name: form.name || saved.name || t("broadcasts.newTitle") })}
          </p>
          <div className="admin-form-actions">
            <Button id="broadcast-discard-confirm" variant="primary" onClick={discarding} autoFocus>
              {t("automation.rule.discard")}
            </Button>
            <Button id="broadcast-discard-keep" variant="ghost" onClick={() => setDiscarding(null)}>
              {t("automation.rule.keepEditing")}
            </Button>
          </div>
        </div>
      )}
      {editing && (
        <BroadcastComposer
          key={String(selection)}
          keptKey={keptKeyOf(selection)}
          saved={saved}
          form={form}
          onChange={setForm}
          templates={templates}
          segments={segments}
          numbers={numbers}
          countAudience={countAudience}
          onSave={() => void save()}
          onDelete={selected ? () => setDeleting(true) : null}
          saving={saving}
          error={error}
          now={now}
        />
      )}
      {deleting && selected && (
        <div id="broadcast-delete-confirm" className="automation-discard" role="alertdialog" aria-labelledby="broadcast-delete-text">
          <p id="broadcast-delete-text" dir="auto">
            {t("broadcasts.deleteConfirm", { name: selected.name })}
          </p>
          <div className="admin-form-actions">
            <Button id="broadcast-delete-yes" variant="primary" onClick={() => void remove()} autoFocus>
              {t("broadcasts.delete")}
            </Button>
            <Button id="broadcast-delete-no" variant="ghost" onClick={() => setDeleting(false)}>
              {t("broadcasts.confirm.back")}
            </Button>
          </div>
        </div>
      )}
      {selected && selected.state === "draft" && (
        <BroadcastPreviewPanel broadcast={selected} startAt={startOf(form)} unsaved={dirty} timeProblem={timeProblem} onChanged={replace} />
      )}
      {selected && selected.state !== "draft" && (
        <div id="broadcast-detail" className="broadcast-detail" data-state={selected.state}>
          <div className="broadcast-heading">
            <h3 className="admin-subtitle" dir="auto">
              {selected.name}
            </h3>
            <StateBadge state={selected.state} />
          </div>
          <dl className="admin-facts">
            <div>
              <dt>{t("broadcasts.column.audience")}</dt>
              <dd dir="auto">{selected.audience}</dd>
            </div>
            <div>
              <dt>{t("broadcasts.column.template")}</dt>
              <dd dir="auto">{`${selected.template} (${selected.language})`}</dd>
            </div>
            <div>
              <dt>{t("broadcasts.column.scheduled")}</dt>
              <dd>{selected.scheduled_at === null ? "–" : formatInstant(selected.scheduled_at)}</dd>
            </div>
            <div>
              <dt>{t("broadcasts.column.progress")}</dt>
              <dd>{t("broadcasts.progress", { done: formatCount(progressOf(selected).done), total: formatCount(progressOf(selected).total) })}</dd>
            </div>
          </dl>
          <BroadcastActions broadcast={selected} startAt={null} estimate={null} holdBack={null} onChanged={replace} />
          {canSeeResults ? (
            <BroadcastResultsPanel key={selected.id} broadcastId={selected.id} state={selected.state} onRead={() => reread(selected.id)} />
          ) : (
            <p className="admin-note">{t("broadcasts.results.needsReports")}</p>
          )}
        </div>
      )}
    </section>
  );
}
