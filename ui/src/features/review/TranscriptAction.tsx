import { useState } from "react";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { localTimeZone } from "../export/exportModel";

type State = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; path: string } | { kind: "failed"; message: string };

/**
 * Saves the conversation's transcript (an HTML page laid out for printing) into the downloads
 * folder, with or without internal notes, and says where; printing it makes the PDF.
 */
export function TranscriptAction({ conversationId }: { conversationId: number }) {
  const [notes, setNotes] = useState(true);
  const [state, setState] = useState<State>({ kind: "idle" });

  function save() {
    setState({ kind: "saving" });
    call("save_transcript", { conversation_id: conversationId, include_notes: notes, time_zone: localTimeZone() }).then(
      (path) => setState({ kind: "saved", path }),
      (err: unknown) => setState({ kind: "failed", message: toIpcError(err).message }),
    );
  }

  return (
    <div className="review-transcript">
      <label className="review-note">
        <input id="review-transcript-notes" type="checkbox" checked={notes} onChange={(e) => setNotes(e.target.checked)} />{" "}
        {t("review.transcriptNotes")}
      </label>
      <Button id="review-transcript" onClick={save} disabled={state.kind === "saving"}>
        {state.kind === "saving" ? t("review.transcriptSaving") : t("review.transcript")}
      </Button>
      {state.kind === "saved" && (
        <p id="review-transcript-saved" className="review-note" role="status">
          {t("review.transcriptSaved")} <bdi dir="ltr">{state.path}</bdi>. {t("review.transcriptPrint")}
        </p>
      )}
      {state.kind === "failed" && (
        <p className="load-error" role="alert">
          {t("review.transcriptFailed", { message: state.message })}
        </p>
      )}
    </div>
  );
}
