import type { Conversation } from "../../bindings/Conversation";
import type { InboxEntry } from "../../bindings/InboxEntry";
import { readPreference, writePreference } from "../../components/preferences";
import { sortInbox } from "./inboxModel";

export type Assignment = "all" | "mine" | "unassigned";
export type StatusFilter = "all" | "open" | "resolved";
export type InboxSort = "newest" | "waiting";

/** What the inbox shows and in which order; `null` means any. Remembered per user. */
export type InboxView = {
  assignment: Assignment;
  /** A team name: the conversation's own team, or the team serving its number. */
  team: string | null;
  /** A business number's phone_number_id. */
  number: string | null;
  tag: string | null;
  status: StatusFilter;
  sort: InboxSort;
};

export const DEFAULT_VIEW: InboxView = {
  assignment: "all",
  team: null,
  number: null,
  tag: null,
  status: "all",
  sort: "newest",
};

export function isFiltered(view: InboxView): boolean {
  return (
    view.assignment !== "all" || view.team !== null || view.number !== null || view.tag !== null || view.status !== "all"
  );
}

export function matchesView(conversation: Conversation, view: InboxView, userId: number | null): boolean {
  if (view.assignment === "mine" && (userId === null || conversation.assigned_user_id !== userId)) return false;
  if (view.assignment === "unassigned" && conversation.assigned_user_id !== null) return false;
  if (view.team !== null && conversation.team_name !== view.team) return false;
  if (view.number !== null && conversation.phone_number_id !== view.number) return false;
  if (view.tag !== null && !conversation.tags.includes(view.tag)) return false;
  if (view.status !== "all" && conversation.status !== view.status) return false;
  return true;
}

/**
 * Since when the customer has been waiting for an answer, or null when nobody owes them one.
 * Unassigned conversations wait from when they were queued (a queue notice the server sent
 * does not count as an answer); otherwise the customer waits when theirs is the latest
 * message. The inbox knows only the customer's latest message, so several unanswered
 * messages count from the last one.
 */
export function waitingSince(conversation: Conversation): number | null {
  if (conversation.status !== "open") return null;
  const inbound = conversation.last_inbound_at;
  if (conversation.queued_at !== null) return Math.min(conversation.queued_at, inbound ?? conversation.queued_at);
  if (inbound !== null && inbound >= conversation.last_message_at) return inbound;
  return null;
}

/**
 * "waiting": customers waiting for an answer first, longest wait first, then everything
 * else newest first. "newest": latest activity first.
 */
export function sortForView(entries: readonly InboxEntry[], sort: InboxSort): InboxEntry[] {
  if (sort === "newest") return sortInbox(entries);
  const keyed = entries.map((entry) => ({ entry, since: waitingSince(entry.conversation) }));
  keyed.sort((a, b) => {
    if (a.since !== null && b.since !== null) {
      return a.since - b.since || a.entry.conversation.id - b.entry.conversation.id;
    }
    if (a.since !== null) return -1;
    if (b.since !== null) return 1;
    return (
      b.entry.conversation.last_message_at - a.entry.conversation.last_message_at ||
      b.entry.conversation.id - a.entry.conversation.id
    );
  });
  return keyed.map((k) => k.entry);
}

export function applyView(entries: readonly InboxEntry[], view: InboxView, userId: number | null): InboxEntry[] {
  return sortForView(
    entries.filter((e) => matchesView(e.conversation, view, userId)),
    view.sort,
  );
}

export type Facets = {
  teams: string[];
  numbers: { id: string; name: string }[];
  tags: string[];
};

/** The teams, numbers and tags present in the inbox, to offer as filters. */
export function inboxFacets(entries: readonly InboxEntry[]): Facets {
  const teams = new Set<string>();
  const numbers = new Map<string, string>();
  const tags = new Set<string>();
  for (const { conversation } of entries) {
    if (conversation.team_name) teams.add(conversation.team_name);
    numbers.set(conversation.phone_number_id, conversation.business_name || conversation.business_number);
    for (const tag of conversation.tags) tags.add(tag);
  }
  const byName = (a: string, b: string) => a.localeCompare(b);
  return {
    teams: [...teams].sort(byName),
    numbers: [...numbers].map(([id, name]) => ({ id, name })).sort((a, b) => byName(a.name, b.name)),
    tags: [...tags].sort(byName),
  };
}

const storageKey = (userId: number | null) => `switchboard.inbox.${userId ?? "anyone"}`;

/** The view this user left the inbox in; unknown or damaged values fall back to the default. */
export function loadView(userId: number | null): InboxView {
  const raw = readPreference(storageKey(userId));
  if (!raw) return DEFAULT_VIEW;
  try {
    const saved = JSON.parse(raw) as Partial<Record<keyof InboxView, unknown>>;
    const text = (value: unknown) => (typeof value === "string" ? value : null);
    const oneOf = <T extends string>(value: unknown, options: readonly T[], fallback: T): T =>
      options.includes(value as T) ? (value as T) : fallback;
    return {
      assignment: oneOf(saved.assignment, ["all", "mine", "unassigned"], DEFAULT_VIEW.assignment),
      team: text(saved.team),
      number: text(saved.number),
      tag: text(saved.tag),
      status: oneOf(saved.status, ["all", "open", "resolved"], DEFAULT_VIEW.status),
      sort: oneOf(saved.sort, ["newest", "waiting"], DEFAULT_VIEW.sort),
    };
  } catch {
    return DEFAULT_VIEW;
  }
}

export function saveView(userId: number | null, view: InboxView): void {
  writePreference(storageKey(userId), JSON.stringify(view));
}
