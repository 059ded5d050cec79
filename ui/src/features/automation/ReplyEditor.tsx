import type { MediaKind } from "../../bindings/MediaKind";
import { t } from "../../i18n";
import { emptyReply, MEDIA_KINDS, REPLY_TYPES, type EditableReplyType, type ReplyDraft } from "./autoReplyModel";

type Props = {
  reply: ReplyDraft;
  onChange: (reply: ReplyDraft) => void;
  /** The id of the problem text to point the fields at, when the reply has one. */
  problemId: string | null;
};

/**
 * What a rule sends: a text, an image or other media by link or media id with a caption, a
 * document with its file name, or an approved template with its parameters. A reply type this
 * desk does not know (set up with a newer server) is shown read-only and saved back unchanged.
 */
export function ReplyEditor({ reply, onChange, problemId }: Props) {
  const invalid = problemId !== null;
  const described = problemId ?? undefined;

  if (reply.type === "other") {
    return (
      <fieldset className="automation-reply" id="auto-reply-reply" data-reply-type={reply.typeName}>
        <legend>{t("automation.reply.title")}</legend>
        <p id="auto-reply-other" className="automation-reply-other" role="note">
          {t("automation.reply.other", { type: reply.typeName })}
        </p>
        <pre className="automation-reply-raw" dir="ltr">
          {JSON.stringify(reply.original, null, 2)}
        </pre>
      </fieldset>
    );
  }

  const source = (r: Extract<ReplyDraft, { type: "media" | "document" }>) => (
    <>
      <fieldset className="automation-inline-choice">
        <legend>{t("automation.reply.from")}</legend>
        {(["link", "id"] as const).map((from) => (
          <label key={from}>
            <input type="radio" name="auto-reply-from" value={from} checked={r.from === from} onChange={() => onChange({ ...r, from })} />
            {t(from === "link" ? "automation.reply.fromLink" : "automation.reply.fromId")}
          </label>
        ))}
      </fieldset>
      <label>
        {t(r.from === "link" ? "automation.reply.link" : "automation.reply.mediaId")}
        <input
          id="auto-reply-source"
          dir="ltr"
          type={r.from === "link" ? "url" : "text"}
          value={r.source}
          aria-invalid={invalid || undefined}
          aria-describedby={described}
          onChange={(e) => onChange({ ...r, source: e.target.value })}
        />
      </label>
    </>
  );

  const caption = (r: Extract<ReplyDraft, { type: "media" | "document" }>) => (
    <label className="admin-wide-field">
      {t("automation.reply.caption")}
      <input id="auto-reply-caption" dir="auto" value={r.caption} onChange={(e) => onChange({ ...r, caption: e.target.value })} />
    </label>
  );

  return (
    <fieldset className="automation-reply" id="auto-reply-reply" data-reply-type={reply.type}>
      <legend>{t("automation.reply.title")}</legend>
      <div className="admin-fields">
        <label>
          {t("automation.reply.type")}
          <select id="auto-reply-type" value={reply.type} onChange={(e) => onChange(emptyReply(e.target.value as EditableReplyType, reply))}>
            {REPLY_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`automation.reply.type.${type}`)}
              </option>
            ))}
          </select>
        </label>
        {reply.type === "media" && (
          <label>
            {t("automation.reply.kind")}
            <select id="auto-reply-kind" value={reply.kind} onChange={(e) => onChange({ ...reply, kind: e.target.value as MediaKind })}>
              {MEDIA_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`automation.reply.kind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {reply.type === "text" && (
        <label className="automation-block-field">
          {t("automation.reply.text")}
          <textarea
            id="auto-reply-text"
            dir="auto"
            rows={4}
            value={reply.text}
            aria-invalid={invalid || undefined}
            aria-describedby={described}
            onChange={(e) => onChange({ ...reply, text: e.target.value })}
          />
        </label>
      )}
      {reply.type === "media" && (
        <div className="admin-fields">
          {source(reply)}
          {caption(reply)}
        </div>
      )}
      {reply.type === "document" && (
        <div className="admin-fields">
          {source(reply)}
          <label>
            {t("automation.reply.filename")}
            <input id="auto-reply-filename" dir="auto" value={reply.filename} placeholder="prices.pdf" onChange={(e) => onChange({ ...reply, filename: e.target.value })} />
          </label>
          {caption(reply)}
        </div>
      )}
      {reply.type === "template" && (
        <div className="admin-fields">
          <label>
            {t("automation.reply.templateName")}
            <input
              id="auto-reply-template"
              dir="ltr"
              value={reply.name}
              aria-invalid={invalid || undefined}
              aria-describedby={described}
              onChange={(e) => onChange({ ...reply, name: e.target.value })}
            />
          </label>
          <label>
            {t("automation.reply.templateLanguage")}
            <input
              id="auto-reply-template-language"
              dir="ltr"
              value={reply.language}
              placeholder="en_US"
              aria-invalid={invalid || undefined}
              aria-describedby={described}
              onChange={(e) => onChange({ ...reply, language: e.target.value })}
            />
          </label>
          <div className="automation-field admin-wide-field">
            <label htmlFor="auto-reply-parameters">{t("automation.reply.parameters")}</label>
            <textarea
              id="auto-reply-parameters"
              dir="auto"
              rows={3}
              value={reply.parameters}
              aria-describedby="auto-reply-parameters-hint"
              onChange={(e) => onChange({ ...reply, parameters: e.target.value })}
            />
            <span id="auto-reply-parameters-hint" className="admin-note">
              {t("automation.reply.parametersHint")}
            </span>
          </div>
        </div>
      )}
    </fieldset>
  );
}
