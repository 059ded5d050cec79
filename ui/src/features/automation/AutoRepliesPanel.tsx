import { useEffect, useState } from "react";
import type { AutoReplyRule } from "../../bindings/AutoReplyRule";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useLoad } from "../admin/useAdminData";
import { AutoReplyConsole } from "./AutoReplyConsole";
import { AutoReplyForm } from "./AutoReplyForm";
import {
  duplicateDraft,
  inPriorityOrder,
  isDirty,
  knownNumbers,
  nextId,
  ruleDraft,
  ruleOf,
  withRule,
  type KnownNumber,
  type RuleDraft,
} from "./autoReplyModel";
import { RuleRow } from "./RuleRow";
import { keepDraft, keptDraft, useUnsavedWarning } from "./keptDrafts";
const KEPT = "auto_replies";


// The open form outlives the panel: switching to another admin section or view and back
// brings unsaved changes back instead of losing them.

/**
 * Keyword auto-replies: every rule in the order the server tries them, switched on and off
 * in place; a form to write, change or copy one (the whole list is saved, and the server
 * refuses a list with a rule that cannot work, naming it); and the test console.
 */
export function AutoRepliesPanel() {
  const loaded = useLoad("auto_replies");
  // Only admins who manage numbers may list them; the numbers of the desk's conversations
  // and of the rules themselves are offered either way.
  const servers = useLoad("business_numbers");
  const inbox = useLoad("list_inbox");
  const [rules, setRules] = useState<AutoReplyRule[] | null>(null);
  const [draft, setDraft] = useState<RuleDraft | null>(() => keptDraft<RuleDraft>(KEPT));
  const [restored] = useState(() => {
    const kept = keptDraft<RuleDraft>(KEPT);
    return kept !== null && isDirty(kept);
  });
  const [discarding, setDiscarding] = useState<(() => void) | null>(null);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // A new key starts the form afresh (its checks not yet shown).
  const [formKey, setFormKey] = useState(0);

  const list = rules ?? loaded.data?.rules ?? null;
  const numbers: KnownNumber[] = knownNumbers(servers.data, inbox.data, list);
  const dirty = draft !== null && isDirty(draft);

  useEffect(() => {
    keepDraft(KEPT, draft);
  }, [draft]);

  useUnsavedWarning(dirty);

  /** Runs `action` now, or after the admin agrees to drop unsaved changes. */
  function whenClean(action: () => void) {
    if (dirty) setDiscarding(() => action);
    else action();
  }

  function open(next: RuleDraft | null) {
    setDraft(next);
    setDiscarding(null);
    setFormError(null);
    setStatus(null);
    setFormKey((k) => k + 1);
  }

  async function saveList(next: AutoReplyRule[]): Promise<AutoReplyRule[]> {
    const answer = await call("save_auto_replies", { rules: next });
    setRules(answer.rules);
    return answer.rules;
  }

  async function saveDraft() {
    if (!draft || !list) return;
    const rule = ruleOf(draft, nextId(list));
    setSaving(true);
    setFormError(null);
    try {
      await saveList(withRule(list, rule));
      open(null);
      setStatus(t("automation.rule.saved", { name: rule.name }));
    } catch (err) {
      setFormError(toIpcError(err).message);
    } finally {
      setSaving(false);
    }
  }

  /** Saves a change made in the list itself (switched on or off, deleted). */
  async function change(next: AutoReplyRule[], done: string) {
    setListError(null);
    setStatus(null);
    try {
      await saveList(next);
      setStatus(done);
    } catch (err) {
      setListError(toIpcError(err).message);
    }
  }

  return (
    <section className="board-section admin-panel automation-panel" aria-labelledby="auto-replies-title">
      <h2 id="auto-replies-title" className="board-title">
        {t("automation.autoReplies.title")}
      </h2>
      <p className="admin-note">{t("automation.autoReplies.note")}</p>
      {loaded.error && (
        <p className="load-error" role="alert">
          {loaded.error}
        </p>
      )}
      {list && (
        <>
          <div className="admin-form-actions">
            <Button id="auto-reply-new" variant="primary" onClick={() => whenClean(() => open(ruleDraft(null)))}>
              {t("automation.rule.new")}
            </Button>
          </div>
          {list.length === 0 ? (
            <p id="auto-replies-empty" className="admin-note">
              {t("automation.autoReplies.empty")}
            </p>
          ) : (
            <table id="auto-replies" className="board-table automation-rules">
              <thead>
                <tr>
                  <th scope="col">{t("automation.rule.enabled")}</th>
                  <th scope="col">{t("automation.rule.name")}</th>
                  <th scope="col" className="numeric">
                    {t("automation.rule.priority")}
                  </th>
                  <th scope="col">{t("automation.rule.numbers")}</th>
                  <th scope="col">{t("automation.rule.mode")}</th>
                  <th scope="col">{t("automation.rule.keywords")}</th>
                  <th scope="col">{t("automation.rule.cooldown")}</th>
                  <th scope="col">{t("automation.reply.title")}</th>
                  <th scope="col">{t("automation.rule.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {inPriorityOrder(list).map((rule) => (
                  <RuleRow
                    key={rule.id}
                    rule={rule}
                    numbers={numbers}
                    editing={draft?.original?.id === rule.id}
                    onToggle={(enabled) =>
                      void change(
                        list.map((r) => (r.id === rule.id ? { ...r, enabled } : r)),
                        t(enabled ? "automation.rule.switchedOn" : "automation.rule.switchedOff", { name: rule.name }),
                      )
                    }
                    onEdit={() => whenClean(() => open(ruleDraft(rule)))}
                    onDuplicate={() => whenClean(() => open(duplicateDraft(rule, t("automation.rule.copyName", { name: rule.name }))))}
                    onDelete={() => {
                      if (draft?.original?.id === rule.id) open(null);
                      void change(
                        list.filter((r) => r.id !== rule.id),
                        t("automation.rule.deleted", { name: rule.name }),
                      );
                    }}
                  />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {listError && (
        <p id="auto-replies-error" className="load-error" role="alert" dir="auto">
          {listError}
        </p>
      )}
      {status && (
        <p id="auto-replies-status" className="admin-note" role="status" dir="auto">
          {status}
        </p>
      )}
      {discarding && draft && (
        <div id="auto-reply-discard" className="automation-discard" role="alertdialog" aria-labelledby="auto-reply-discard-text">
          <p id="auto-reply-discard-text" dir="auto">
            {draft.original ? t("automation.rule.discardNamed", { name: draft.original.name }) : t("automation.rule.discardNew")}
          </p>
          <div className="admin-form-actions">
            <Button id="auto-reply-discard-confirm" variant="primary" onClick={discarding} autoFocus>
              {t("automation.rule.discard")}
            </Button>
            <Button id="auto-reply-discard-keep" variant="ghost" onClick={() => setDiscarding(null)}>
              {t("automation.rule.keepEditing")}
            </Button>
          </div>
        </div>
      )}
      {draft && list && (
        <AutoReplyForm
          key={formKey}
          draft={draft}
          onChange={setDraft}
          numbers={numbers}
          onSave={() => void saveDraft()}
          onCancel={() => whenClean(() => open(null))}
          saving={saving}
          error={formError}
          restored={restored && formKey === 0}
        />
      )}
      {list && <AutoReplyConsole numbers={numbers} inbox={inbox.data} unsaved={dirty} />}
    </section>
  );
}
