import type { Message } from "../../bindings/Message";
import type { ConversationNote } from "../../bindings/ConversationNote";

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

/** A reaction as shown under the message it reacts to. */
export type ShownReaction = { emoji: string; direction: Message["direction"] };

/** One row of the conversation's timeline. */
export type TimelineItem =
  | { kind: "message"; message: Message; reactions: ShownReaction[] }
  | { kind: "note"; note: ConversationNote };

/**
 * Builds the timeline: reactions are folded onto the message they react to (the newest
 * reaction of each side wins, and a removed one — no emoji — takes it away), and internal
 * notes sit between messages by time. A reaction to a message that is not loaded is still
 * shown, as its own row, rather than dropped.
 */
export function buildTimeline(messages: readonly Message[], notes: readonly ConversationNote[]): TimelineItem[] {
  const wamids = new Set(messages.map((m) => m.wamid).filter((w): w is string => w !== null));
  const latest = new Map<string, Map<Message["direction"], string | null>>();
  for (const m of messages) {
    if (m.body.type !== "reaction" || !wamids.has(m.body.message_id)) continue;
    const bySide = latest.get(m.body.message_id) ?? new Map<Message["direction"], string | null>();
    bySide.set(m.direction, m.body.emoji);
    latest.set(m.body.message_id, bySide);
  }
  const items: { at: number; key: string; item: TimelineItem }[] = [];
  for (const message of messages) {
    if (message.body.type === "reaction" && wamids.has(message.body.message_id)) continue;
    const reactions: ShownReaction[] = [];
    for (const [direction, emoji] of (message.wamid && latest.get(message.wamid)) || []) {
      if (emoji) reactions.push({ emoji, direction });
    }
    items.push({ at: message.created_at, key: message.key, item: { kind: "message", message, reactions } });
  }
  for (const note of notes) items.push({ at: note.created_at, key: note.key, item: { kind: "note", note } });
  items.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return items.map((i) => i.item);
}

/** Applies a changed note by key. */
export function applyNote(notes: readonly ConversationNote[], note: ConversationNote): ConversationNote[] {
  return [...notes.filter((n) => n.key !== note.key), note].sort((a, b) => a.created_at - b.created_at);
}
