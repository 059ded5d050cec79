import { useState } from "react";
import { Button } from "../../components/Button";
import { t } from "../../i18n";

/** What an admin panel last did: shown under its title until the next action. */
export type Notice = { kind: "done"; text: string } | { kind: "failed"; text: string } | null;

/**
 * A secret the server shows only once (an API token, a webhook signing secret): the text to
 * copy, a copy button, and a button that removes it for good.
 */
export function OnceSecret({
  id,
  message,
  secret,
  doneLabel,
  onDone,
}: {
  id: string;
  message: string;
  secret: string;
  doneLabel: string;
  onDone: () => void;
}) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  function copySecret() {
    const clipboard = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
    if (!clipboard) {
      setCopy("failed");
      return;
    }
    clipboard.writeText(secret).then(
      () => setCopy("copied"),
      () => setCopy("failed"),
    );
  }

  return (
    <div id={id} className="admin-secret" role="status">
      <p>{message}</p>
      <code dir="ltr">{secret}</code>
      <Button onClick={copySecret}>{copy === "copied" ? t("admin.secret.copied") : t("admin.secret.copy")}</Button>
      <Button variant="ghost" onClick={onDone}>
        {doneLabel}
      </Button>
      {copy === "failed" && (
        <p className="load-error" role="alert">
          {t("admin.secret.copyFailed")}
        </p>
      )}
    </div>
  );
}

/** The panel's last notice (ids `<idPrefix>-notice` / `<idPrefix>-error`) and its load error. */
export function PanelNotices({
  idPrefix,
  notice,
  loadError,
}: {
  idPrefix: string;
  notice: Notice;
  loadError: string | null;
}) {
  return (
    <>
      {notice?.kind === "done" && (
        <p id={`${idPrefix}-notice`} className="admin-note" role="status">
          {notice.text}
        </p>
      )}
      {notice?.kind === "failed" && (
        <p id={`${idPrefix}-error`} className="load-error" role="alert">
          {notice.text}
        </p>
      )}
      {loadError && (
        <p className="load-error" role="alert">
          {loadError}
        </p>
      )}
    </>
  );
}
