import { useState } from "react";
import type { SessionInfo } from "../../bindings/SessionInfo";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";

type Props = { onSignedOut: (session: SessionInfo) => void };

type Stage =
  | { kind: "idle" }
  | { kind: "confirm" }
  | { kind: "working" }
  | { kind: "unsent"; message: string }
  | { kind: "failed"; message: string };

/**
 * Ends the user's sessions on every computer (a lost laptop, a desk left signed in), this one
 * included. Asks first; replies still waiting here are only deleted when the user says so.
 */
export function SignOutEverywhere({ onSignedOut }: Props) {
  const [stage, setStage] = useState<Stage>({ kind: "idle" });

  function run(discardUnsent: boolean) {
    setStage({ kind: "working" });
    call("sign_out_everywhere", { discard_unsent: discardUnsent }).then(onSignedOut, (err: unknown) => {
      const error = toIpcError(err);
      setStage(error.code === "unsent_replies" ? { kind: "unsent", message: error.message } : { kind: "failed", message: error.message });
    });
  }

  return (
    <div className="settings-row settings-everywhere">
      <p className="settings-hint">{t("settings.everywhere.hint")}</p>
      {stage.kind === "idle" || stage.kind === "failed" ? (
        <Button id="sign-out-everywhere" variant="secondary" onClick={() => setStage({ kind: "confirm" })}>
          {t("settings.everywhere.button")}
        </Button>
      ) : null}
      {stage.kind === "confirm" && (
        <div role="alertdialog" aria-labelledby="everywhere-question" className="settings-confirm">
          <p id="everywhere-question">{t("settings.everywhere.confirm")}</p>
          <Button id="confirm-sign-out-everywhere" variant="primary" onClick={() => run(false)}>
            {t("settings.everywhere.button")}
          </Button>
          <Button variant="ghost" onClick={() => setStage({ kind: "idle" })}>
            {t("settings.everywhere.cancel")}
          </Button>
        </div>
      )}
      {stage.kind === "working" && <p role="status">{t("settings.everywhere.working")}</p>}
      {stage.kind === "unsent" && (
        <div role="alertdialog" aria-labelledby="everywhere-unsent" className="settings-confirm">
          <p id="everywhere-unsent">{stage.message}</p>
          <Button id="sign-out-everywhere-anyway" variant="primary" onClick={() => run(true)}>
            {t("settings.everywhere.anyway")}
          </Button>
          <Button variant="ghost" onClick={() => setStage({ kind: "idle" })}>
            {t("settings.everywhere.cancel")}
          </Button>
        </div>
      )}
      {stage.kind === "failed" && (
        <p className="settings-error" role="alert">
          {stage.message}
        </p>
      )}
    </div>
  );
}
