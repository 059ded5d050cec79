import { useEffect, useRef, useState } from "react";
import type { InboxEntry } from "../../bindings/InboxEntry";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";
import { applyInboxEntry, mergeInboxSnapshot } from "./inboxModel";

export type InboxState = {
  entries: InboxEntry[];
  loaded: boolean;
  error: string | null;
};

/**
 * The agent's inbox: a list_inbox snapshot kept current by inbox_entry_changed
 * events. `online` is a dependency so the list is re-read when the connection
 * returns, in case the core missed changes while offline.
 */
export function useInbox(online: boolean): InboxState {
  const [state, setState] = useState<InboxState>({ entries: [], loaded: false, error: null });
  // Events seen since the current list_inbox request started, by conversation id.
  const liveSinceRequest = useRef(new Map<number, InboxEntry>());

  useEffect(() => {
    let current = true;
    liveSinceRequest.current = new Map();
    call("list_inbox", null).then(
      (snapshot) => {
        if (!current) return;
        const live = liveSinceRequest.current.values();
        setState({ entries: mergeInboxSnapshot(snapshot, live), loaded: true, error: null });
      },
      (err: unknown) => {
        if (current) setState((s) => ({ ...s, loaded: true, error: toIpcError(err).message }));
      },
    );
    return () => {
      current = false;
    };
  }, [online]);

  useDesktopEvent((e) => {
    if (e.type !== "inbox_entry_changed") return;
    liveSinceRequest.current.set(e.entry.conversation.id, e.entry);
    setState((s) => ({ ...s, entries: applyInboxEntry(s.entries, e.entry) }));
  });

  return state;
}
