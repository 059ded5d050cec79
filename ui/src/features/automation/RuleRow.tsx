import { useState } from "react";
import type { AutoReply } from "../../bindings/AutoReply";
import type { AutoReplyRule } from "../../bindings/AutoReplyRule";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import type { KnownNumber } from "./autoReplyModel";

type Props = {
  rule: AutoReplyRule;
  numbers: KnownNumber[];
  /** The form below edits this rule. */
  editing: boolean;
  onToggle: (enabled: boolean) => void;
  onEdit: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
};

const SUMMARY_LENGTH = 60;

/** A reply in a few words: its type and what tells it apart. */
export function replySummary(reply: AutoReply): string {
  const shorten = (text: string) => (text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH - 1)}…` : text);
  const source = (s: { link: string } | { id: string }) => ("link" in s ? s.link : s.id);
  switch (reply.type) {
    case "text":
      return shorten(reply.text);
    case "media":
      return t("automation.summary.media", { kind: t(`automation.reply.kind.${reply.kind}`), source: shorten(source(reply.source)) });
    case "document":
      return t("automation.summary.document", { name: reply.filename ?? shorten(source(reply.source)) });
    case "template":
      return t("automation.summary.template", { name: reply.name, language: reply.language });
    default:
      return t("automation.summary.other", { type: String((reply as { type?: unknown }).type) });
  }
}

/** One rule in the list: on/off in place, what it listens for and answers, and its actions. */
export function RuleRow({ rule, numbers, editing, onToggle, onEdit, onDuplicate, onDelete }: Props) {
  const [confirming, setConfirming] = useState(false);
  const name = rule.name;
  const numberName = (id: string) => numbers.find((n) => n.id === id)?.name ?? id;
  return (
    <tr className="automation-rule" data-rule-id={rule.id} data-enabled={rule.enabled} aria-current={editing || undefined}>
      <td>
        <input
          type="checkbox"
          className="auto-reply-toggle"
          checked={rule.enabled}
          aria-label={t("automation.rule.enabledNamed", { name })}
          onChange={(e) => onToggle(e.target.checked)}
        />
      </td>
      <th scope="row">
        <span dir="auto">{name}</span>
        {rule.stop_on_match && <span className="admin-tag">{t("automation.rule.stops")}</span>}
      </th>
      <td className="numeric">{rule.priority}</td>
      <td dir="auto">{rule.numbers.length === 0 ? t("automation.rule.allNumbers") : rule.numbers.map(numberName).join(", ")}</td>
      <td>{t(`automation.mode.${rule.mode}`)}</td>
      <td>
        <details className="automation-keywords">
          <summary>{t("automation.rule.keywordCount", { count: rule.keywords.length })}</summary>
          <p dir="auto">{rule.keywords.join(" · ")}</p>
        </details>
      </td>
      <td>{rule.cooldown_minutes === 0 ? t("automation.rule.noCooldown") : t("automation.rule.minutes", { count: rule.cooldown_minutes })}</td>
      <td className="automation-reply-summary" dir="auto" data-reply-type={rule.reply.type}>
        {replySummary(rule.reply)}
      </td>
      <td>
        {confirming ? (
          <div className="admin-account-actions" role="group" aria-label={t("automation.rule.confirmDelete", { name })}>
            <span dir="auto">{t("automation.rule.confirmDelete", { name })}</span>
            <Button
              className="auto-reply-delete-confirm"
              variant="primary"
              onClick={() => {
                setConfirming(false);
                onDelete();
              }}
              autoFocus
            >
              {t("automation.rule.delete")}
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              {t("automation.rule.cancel")}
            </Button>
          </div>
        ) : (
          <div className="admin-account-actions">
            <Button className="auto-reply-edit" variant="ghost" onClick={onEdit} aria-label={t("automation.rule.editNamed", { name })}>
              {t("automation.rule.edit")}
            </Button>
            <Button className="auto-reply-duplicate" variant="ghost" onClick={onDuplicate} aria-label={t("automation.rule.duplicateNamed", { name })}>
              {t("automation.rule.duplicate")}
            </Button>
            <Button className="auto-reply-delete" variant="ghost" onClick={() => setConfirming(true)} aria-label={t("automation.rule.deleteNamed", { name })}>
              {t("automation.rule.delete")}
            </Button>
          </div>
        )}
      </td>
    </tr>
  );
}
