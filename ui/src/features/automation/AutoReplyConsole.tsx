import { useState, type FormEvent, type ReactNode } from "react";
import type { AutoReplyTestReport } from "../../bindings/AutoReplyTestReport";
import type { InboxEntry } from "../../bindings/InboxEntry";
import type { KeywordHit } from "../../bindings/KeywordHit";
import type { RuleExplanation } from "../../bindings/RuleExplanation";
import { Button } from "../../components/Button";
import { formatFullTimestamp } from "../../components/formatTimestamp";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { contactsOn, mergedSpans, type KnownNumber } from "./autoReplyModel";

type Props = {
  numbers: KnownNumber[];
  inbox: InboxEntry[] | null;
  /** The form holds changes the console cannot see until they are saved. */
  unsaved: boolean;
};

/**
 * The admin test console: a message as a customer would write it (any script) on one number,
 * optionally from a known customer so cooldowns count, and the server's answer: the rules
 * that would reply, in the order their replies go out, and why each other rule would not.
 */
export function AutoReplyConsole({ numbers, inbox, unsaved }: Props) {
  const [number, setNumber] = useState("");
  const [contact, setContact] = useState("");
  const [text, setText] = useState("");
  const [tested, setTested] = useState<{ text: string; report: AutoReplyTestReport } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Until the admin picks one, the first number the desk knows.
  const chosen = number || numbers[0]?.id || "";
  const contacts = contactsOn(inbox, chosen);

  async function run(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const report = await call("test_auto_replies", {
        phone_number_id: chosen.trim(),
        text,
        contact_id: contact ? Number(contact) : null,
      });
      setTested({ text, report });
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="automation-console" aria-labelledby="auto-reply-test-title">
      <h3 id="auto-reply-test-title" className="admin-subtitle">
        {t("automation.console.title")}
      </h3>
      <p className="admin-note">{unsaved ? t("automation.console.unsaved") : t("automation.console.note")}</p>
      <form id="auto-reply-test" className="automation-console-form" onSubmit={(e) => void run(e)}>
        <div className="admin-fields">
          <label>
            {t("automation.console.number")}
            {numbers.length > 0 ? (
              <select
                id="auto-reply-test-number"
                value={chosen}
                onChange={(e) => {
                  setNumber(e.target.value);
                  setContact("");
                }}
              >
                {numbers.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name ? `${n.name}${n.display ? ` (${n.display})` : ""}` : n.id}
                  </option>
                ))}
              </select>
            ) : (
              <input id="auto-reply-test-number" dir="ltr" required value={number} onChange={(e) => setNumber(e.target.value)} />
            )}
          </label>
          <label>
            {t("automation.console.contact")}
            <select id="auto-reply-test-contact" value={contact} onChange={(e) => setContact(e.target.value)}>
              <option value="">{t("automation.console.noContact")}</option>
              {contacts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="automation-block-field">
          {t("automation.console.text")}
          <textarea id="auto-reply-test-text" dir="auto" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <div className="admin-form-actions">
          <Button id="auto-reply-test-run" type="submit" variant="primary" disabled={busy || !text.trim() || !chosen.trim()}>
            {busy ? t("automation.console.running") : t("automation.console.run")}
          </Button>
        </div>
      </form>
      {error && (
        <p id="auto-reply-test-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {tested && <TestReport text={tested.text} report={tested.report} />}
    </section>
  );
}

function TestReport({ text, report }: { text: string; report: AutoReplyTestReport }) {
  const names = new Map(report.rules.map((r) => [r.rule_id, r.rule_name]));
  const firing = report.rules.flatMap((r) => (r.verdict.verdict === "fires" ? [r.verdict.matched] : []));
  return (
    <div id="auto-reply-test-result" aria-live="polite" data-fires={report.fires.join(",")}>
      <p id="auto-reply-test-summary" className="automation-summary">
        {report.fires.length === 0
          ? t("automation.console.noneFires")
          : t("automation.console.fires", {
              count: report.fires.length,
              rules: report.fires.map((id) => names.get(id) ?? String(id)).join(", "),
            })}
      </p>
      <p className="automation-tested-text" dir="auto">
        <Marked text={text} hits={firing} />
      </p>
      {report.rules.length === 0 ? (
        <p className="admin-note">{t("automation.console.noRules")}</p>
      ) : (
        <ol className="automation-verdicts">
          {report.rules.map((rule) => (
            <li key={rule.rule_id} className="automation-verdict" data-rule-id={rule.rule_id} data-verdict={rule.verdict.verdict}>
              <span className="automation-verdict-head">
                <strong dir="auto">{rule.rule_name}</strong>
                <span className="admin-tag">{t("automation.console.priority", { priority: rule.priority })}</span>
                {rule.verdict.verdict === "fires" && (
                  <span className="admin-tag automation-fires">
                    {t("automation.console.replyOrder", { position: report.fires.indexOf(rule.rule_id) + 1, count: report.fires.length })}
                  </span>
                )}
              </span>
              <span className="automation-verdict-why" dir="auto">
                {why(rule, names)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The server's verdict in words. */
function why(rule: RuleExplanation, names: Map<number, string>): string {
  const v = rule.verdict;
  const keyword = (hit: KeywordHit) => hit.keyword;
  switch (v.verdict) {
    case "fires":
      return t("automation.verdict.fires", { keyword: keyword(v.matched) });
    case "no_keyword":
      return t("automation.verdict.noKeyword");
    case "disabled":
      return v.matched ? t("automation.verdict.disabledMatched", { keyword: keyword(v.matched) }) : t("automation.verdict.disabled");
    case "other_number":
      return v.matched ? t("automation.verdict.otherNumberMatched", { keyword: keyword(v.matched) }) : t("automation.verdict.otherNumber");
    case "shadowed":
      return t("automation.verdict.shadowed", { keyword: keyword(v.matched), rule: names.get(v.by) ?? String(v.by) });
    case "cooldown":
      return t("automation.verdict.cooldown", {
        keyword: keyword(v.matched),
        last: formatFullTimestamp(v.last_fired_at),
        until: formatFullTimestamp(v.until),
      });
    default:
      // A verdict a newer server gives: say so rather than nothing.
      return t("automation.verdict.unknown", { verdict: String((v as { verdict?: unknown }).verdict) });
  }
}

/** The message with what the firing rules matched marked. */
function Marked({ text, hits }: { text: string; hits: KeywordHit[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const span of mergedSpans(hits)) {
    if (span.start > at) parts.push(<span key={`t${at}`}>{text.slice(at, span.start)}</span>);
    parts.push(
      <mark key={`m${span.start}`} className="automation-hit">
        {text.slice(span.start, span.end)}
      </mark>,
    );
    at = span.end;
  }
  if (at < text.length) parts.push(<span key={`t${at}`}>{text.slice(at)}</span>);
  return <>{parts}</>;
}
