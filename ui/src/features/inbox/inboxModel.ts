import type { ContactSummary } from "../../bindings/ContactSummary";
import type { InboxEntry } from "../../bindings/InboxEntry";
import { t } from "../../i18n";

/** Name as saved, else the WhatsApp number, else the BSUID-style user id. */
export function contactLabel(contact: ContactSummary): string {
  if (contact.name?.trim()) return contact.name;
  if (contact.wa_id) return contact.wa_id.startsWith("+") ? contact.wa_id : `+${contact.wa_id}`;
  if (contact.user_id) return contact.user_id;
  return t("inbox.unknownContact");
}

/** Newest activity first; id breaks ties so the order never flickers. */
export function sortInbox(entries: readonly InboxEntry[]): InboxEntry[] {
  return [...entries].sort(
    (a, b) =>
      b.conversation.last_message_at - a.conversation.last_message_at ||
      b.conversation.id - a.conversation.id,
  );
}

/** Applies an inbox_entry_changed event: replace the same conversation, or add it. */
export function applyInboxEntry(entries: readonly InboxEntry[], entry: InboxEntry): InboxEntry[] {
  const rest = entries.filter((e) => e.conversation.id !== entry.conversation.id);
  return sortInbox([...rest, entry]);
}

/**
 * Combines a list_inbox snapshot with events that arrived while it was in
 * flight. The events are applied last because they may describe changes the
 * snapshot predates.
 */
export function mergeInboxSnapshot(
  snapshot: readonly InboxEntry[],
  liveEntries: Iterable<InboxEntry>,
): InboxEntry[] {
  let merged = sortInbox(snapshot);
  for (const entry of liveEntries) merged = applyInboxEntry(merged, entry);
  return merged;
}
