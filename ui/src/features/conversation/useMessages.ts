import { useCallback, useEffect, useRef, useState } from "react";
import type { Message } from "../../bindings/Message";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";
import { applyMessage, mergeMessageSnapshot } from "./messagesModel";

type MessagesState = { messages: Message[]; loaded: boolean; error: string | null };

function markRead(conversationId: number) {
  // Best effort: a failed read receipt must not disturb the agent, and the
  // core retries receipts itself when the connection returns.
  call("mark_read", { conversation_id: conversationId }).catch(() => undefined);
}

/**
 * Messages of one conversation (the view is keyed by conversation, so this
 * hook never switches conversations). Marks the conversation read on open and
 * whenever a new inbound message arrives while it is shown.
 */
export function useMessages(conversationId: number) {
  const [state, setState] = useState<MessagesState>({ messages: [], loaded: false, error: null });
  const liveDuringLoad = useRef(new Map<string, Message>());
  const knownKeys = useRef(new Set<string>());

  useEffect(() => {
    let current = true;
    liveDuringLoad.current = new Map();
    call("list_messages", { conversation_id: conversationId }).then(
      (snapshot) => {
        if (!current) return;
        const messages = mergeMessageSnapshot(snapshot, liveDuringLoad.current.values());
        knownKeys.current = new Set(messages.map((m) => m.key));
        setState({ messages, loaded: true, error: null });
      },
      (err: unknown) => {
        if (current) setState((s) => ({ ...s, loaded: true, error: toIpcError(err).message }));
      },
    );
    markRead(conversationId);
    return () => {
      current = false;
    };
  }, [conversationId]);

  const apply = useCallback((message: Message) => {
    knownKeys.current.add(message.key);
    liveDuringLoad.current.set(message.key, message);
    setState((s) => ({ ...s, messages: applyMessage(s.messages, message) }));
  }, []);

  useDesktopEvent((e) => {
    if (e.type !== "message_changed" || e.message.conversation_id !== conversationId) return;
    const isNew = !knownKeys.current.has(e.message.key);
    apply(e.message);
    if (isNew && e.message.direction === "inbound") markRead(conversationId);
  });

  return { ...state, apply };
}
