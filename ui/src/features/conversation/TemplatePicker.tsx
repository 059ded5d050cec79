import { useEffect, useState, type FormEvent } from "react";
import type { Message } from "../../bindings/Message";
import type { TemplateSummary } from "../../bindings/TemplateSummary";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { renderTemplate } from "./windowModel";

type Props = { conversationId: number; onSent: (message: Message) => void };

const keyOf = (template: TemplateSummary) => `${template.name}:${template.language}`;

/**
 * Replaces the reply box once the 24-hour window has closed: WhatsApp then only delivers an
 * approved template. The agent picks one, fills its parameters and sees the message as the
 * customer will read it.
 */
export function TemplatePicker({ conversationId, onSent }: Props) {
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState("");
  const [parameters, setParameters] = useState<string[]>([]);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    let current = true;
    call("list_templates", { conversation_id: conversationId }).then(
      (list) => current && setTemplates(list),
      (err: unknown) => {
        if (!current) return;
        setTemplates([]);
        setError(toIpcError(err).message);
      },
    );
    return () => {
      current = false;
    };
  }, [conversationId]);

  const template = templates?.find((x) => keyOf(x) === chosen) ?? null;
  const preview = template ? renderTemplate(template.body, parameters) : "";
  const complete = template !== null && parameters.length === template.parameters && parameters.every((p) => p.trim());

  function choose(key: string) {
    setChosen(key);
    const next = templates?.find((x) => keyOf(x) === key);
    setParameters(next ? Array.from({ length: next.parameters }, () => "") : []);
    setError(null);
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!template || !complete) return;
    setSending(true);
    setError(null);
    try {
      const message = await call("send_template", {
        conversation_id: conversationId,
        name: template.name,
        language: template.language,
        parameters,
        preview,
      });
      onSent(message);
      choose("");
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setSending(false);
    }
  }

  return (
    <form id="template-picker" className="composer template-picker" onSubmit={(e) => void send(e)}>
      <p className="composer-notice notice-caution">{t("template.windowClosed")}</p>
      {error && (
        <p id="template-error" className="composer-notice notice-error" role="alert">
          {error}
        </p>
      )}
      {templates !== null && templates.length === 0 && !error && <p className="conversation-hint">{t("template.none")}</p>}
      <label className="template-field">
        {t("template.choose")}
        <select id="template-select" value={chosen} onChange={(e) => choose(e.target.value)} disabled={!templates?.length}>
          <option value="">{templates === null ? t("template.loading") : t("template.placeholder")}</option>
          {templates?.map((x) => (
            <option key={keyOf(x)} value={keyOf(x)}>
              {x.name} · {x.language} · {x.category}
            </option>
          ))}
        </select>
      </label>
      {template &&
        parameters.map((value, i) => (
          <label key={i} className="template-field">
            {t("template.parameter", { n: i + 1 })}
            <input
              className="template-parameter"
              dir="auto"
              value={value}
              onChange={(e) => setParameters(parameters.map((p, j) => (j === i ? e.target.value : p)))}
            />
          </label>
        ))}
      {template && (
        <div className="template-preview">
          <span className="message-kind">{t("template.preview")}</span>
          <p id="template-preview" className="message-text" dir="auto">
            {preview}
          </p>
        </div>
      )}
      <div className="composer-row">
        <Button id="template-send" type="submit" variant="primary" disabled={!complete || sending}>
          {sending ? t("composer.sending") : t("template.send")}
        </Button>
      </div>
    </form>
  );
}
