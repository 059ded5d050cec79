import { useEffect, useState } from "react";
import type { ConversationNote } from "../../bindings/ConversationNote";
import { call } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";
import { applyNote } from "./messagesModel";

/** Internal notes of one conversation, kept current by note_changed events. */
export function useNotes(conversationId: number) {
  const [notes, setNotes] = useState<ConversationNote[]>([]);
  useEffect(() => {
    let current = true;
    call("list_notes", { conversation_id: conversationId }).then(
      (list) => {
        if (current) setNotes((live) => live.reduce(applyNote, list));
      },
      // Notes are an extra: without them the conversation still reads.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [conversationId]);
  useDesktopEvent((e) => {
    if (e.type === "note_changed" && e.note.conversation_id === conversationId) setNotes((n) => applyNote(n, e.note));
  });
  const add = (note: ConversationNote) => setNotes((n) => applyNote(n, note));
  return { notes, add };
}
