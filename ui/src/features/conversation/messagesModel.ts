import type { Message } from "../../bindings/Message";

/** Chronological; `key` breaks ties so messages with equal timestamps keep a stable order. */
export function sortMessages(messages: readonly Message[]): Message[] {
  return [...messages].sort(
    (a, b) => a.created_at - b.created_at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/**
 * Applies a message_changed event (or a freshly sent message): replaces the
 * message with the same `key` — the key is stable from outbox to delivery,
 * unlike `id` which is null until the server accepts it — or inserts it.
 */
export function applyMessage(messages: readonly Message[], message: Message): Message[] {
  return sortMessages([...messages.filter((m) => m.key !== message.key), message]);
}

/** list_messages snapshot plus messages that changed while it was in flight (those win). */
export function mergeMessageSnapshot(snapshot: readonly Message[], live: Iterable<Message>): Message[] {
  let merged = sortMessages(snapshot);
  for (const message of live) merged = applyMessage(merged, message);
  return merged;
}
