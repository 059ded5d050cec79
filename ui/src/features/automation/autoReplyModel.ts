import type { AutoReply } from "../../bindings/AutoReply";
import type { AutoReplyMediaSource } from "../../bindings/AutoReplyMediaSource";
import type { AutoReplyRule } from "../../bindings/AutoReplyRule";
import type { InboxEntry } from "../../bindings/InboxEntry";
import type { KeywordMatchMode } from "../../bindings/KeywordMatchMode";
import type { MediaKind } from "../../bindings/MediaKind";
import type { NumberSummary } from "../../bindings/NumberSummary";
import type { StringKey } from "../../i18n";

export const MATCH_MODES: readonly KeywordMatchMode[] = ["contains", "whole_word", "exact", "regex"];
export const MEDIA_KINDS: readonly MediaKind[] = ["image", "video", "audio", "sticker"];

/** The reply types this editor can change; any other (added on the server later) is kept as is. */
export type EditableReplyType = "text" | "media" | "document" | "template";
export const REPLY_TYPES: readonly EditableReplyType[] = ["text", "media", "document", "template"];

/** A reply as its form fields hold it. `other` is a reply type this desk cannot edit. */
export type ReplyDraft =
  | { type: "text"; text: string }
  | { type: "media"; kind: MediaKind; from: "link" | "id"; source: string; caption: string }
  | { type: "document"; from: "link" | "id"; source: string; filename: string; caption: string }
  | { type: "template"; name: string; language: string; parameters: string }
  | { type: "other"; original: AutoReply; typeName: string };

/** A rule as its form holds it: numbers as text fields type them, keywords one per line. */
export type RuleDraft = {
  /** The rule it edits; its fields this form does not know are saved back unchanged. */
  original: AutoReplyRule | null;
  name: string;
  numbers: string[];
  keywords: string;
  mode: KeywordMatchMode;
  priority: string;
  stopOnMatch: boolean;
  cooldown: string;
  enabled: boolean;
  reply: ReplyDraft;
};

/** A reply draft of `type` with empty fields, keeping what the two have in common. */
export function emptyReply(type: EditableReplyType, from?: ReplyDraft): ReplyDraft {
  const caption = from && "caption" in from ? from.caption : "";
  const media = from && "source" in from ? { from: from.from, source: from.source } : { from: "link" as const, source: "" };
  switch (type) {
    case "text":
      return { type, text: from?.type === "text" ? from.text : "" };
    case "media":
      return { type, kind: "image", ...media, caption };
    case "document":
      return { type, ...media, filename: "", caption };
    case "template":
      return { type, name: "", language: "", parameters: "" };
  }
}

function sourceDraft(source: AutoReplyMediaSource): { from: "link" | "id"; source: string } {
  return "link" in source ? { from: "link", source: source.link } : { from: "id", source: source.id };
}

export function replyDraft(reply: AutoReply): ReplyDraft {
  switch (reply.type) {
    case "text":
      return { type: "text", text: reply.text };
    case "media":
      return { type: "media", kind: reply.kind, ...sourceDraft(reply.source), caption: reply.caption ?? "" };
    case "document":
      return { type: "document", ...sourceDraft(reply.source), filename: reply.filename ?? "", caption: reply.caption ?? "" };
    case "template":
      return { type: "template", name: reply.name, language: reply.language, parameters: reply.parameters.join("\n") };
    default: {
      // A type the server knows and this desk does not (yet): shown, never changed.
      const original = reply as AutoReply;
      const typeName: unknown = (original as { type?: unknown }).type;
      return { type: "other", original, typeName: typeof typeName === "string" ? typeName : "?" };
    }
  }
}

const orNull = (value: string) => (value.trim() ? value.trim() : null);
const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

export function replyOf(draft: ReplyDraft): AutoReply {
  const source = (d: { from: "link" | "id"; source: string }): AutoReplyMediaSource =>
    d.from === "link" ? { link: d.source.trim() } : { id: d.source.trim() };
  switch (draft.type) {
    case "text":
      return { type: "text", text: draft.text };
    case "media":
      return { type: "media", kind: draft.kind, source: source(draft), caption: orNull(draft.caption) };
    case "document":
      return { type: "document", source: source(draft), filename: orNull(draft.filename), caption: orNull(draft.caption) };
    case "template":
      return { type: "template", name: draft.name.trim(), language: draft.language.trim(), parameters: lines(draft.parameters) };
    case "other":
      return draft.original;
  }
}

export function ruleDraft(rule: AutoReplyRule | null): RuleDraft {
  return {
    original: rule,
    name: rule?.name ?? "",
    numbers: rule?.numbers ?? [],
    keywords: rule?.keywords.join("\n") ?? "",
    mode: rule?.mode ?? "contains",
    priority: String(rule?.priority ?? 0),
    stopOnMatch: rule?.stop_on_match ?? false,
    cooldown: String(rule?.cooldown_minutes ?? 0),
    enabled: rule?.enabled ?? true,
    reply: rule ? replyDraft(rule.reply) : emptyReply("text"),
  };
}

/** A copy of `rule` to save as a new one. */
export function duplicateDraft(rule: AutoReplyRule, name: string): RuleDraft {
  return { ...ruleDraft(rule), original: null, name };
}

/** The keywords a draft holds: one per line, blank lines dropped. Regular expressions keep their spaces. */
export function keywordsOf(draft: Pick<RuleDraft, "keywords" | "mode">): string[] {
  return draft.keywords
    .split("\n")
    .map((line) => (draft.mode === "regex" ? line.replace(/\r$/, "") : line.trim()))
    .filter((line) => line.trim().length > 0);
}

/** What the form checks before saving; the server checks again and says more. */
export type Problem = { field: "name" | "keywords" | "priority" | "cooldown" | "reply"; key: StringKey };

const WHOLE = /^-?\d+$/;

export function problems(draft: RuleDraft): Problem[] {
  const found: Problem[] = [];
  if (!draft.name.trim()) found.push({ field: "name", key: "automation.rule.problem.name" });
  if (keywordsOf(draft).length === 0) found.push({ field: "keywords", key: "automation.rule.problem.keywords" });
  if (!WHOLE.test(draft.priority.trim())) found.push({ field: "priority", key: "automation.rule.problem.priority" });
  const cooldown = draft.cooldown.trim();
  if (!WHOLE.test(cooldown) || Number(cooldown) < 0) found.push({ field: "cooldown", key: "automation.rule.problem.cooldown" });
  const reply = draft.reply;
  if (reply.type === "text" && !reply.text.trim()) found.push({ field: "reply", key: "automation.rule.problem.text" });
  if ((reply.type === "media" || reply.type === "document") && !reply.source.trim()) {
    found.push({ field: "reply", key: reply.from === "link" ? "automation.rule.problem.link" : "automation.rule.problem.mediaId" });
  }
  if (reply.type === "template" && (!reply.name.trim() || !reply.language.trim())) {
    found.push({ field: "reply", key: "automation.rule.problem.template" });
  }
  return found;
}

/** The rule a valid draft saves as, with `id` for a new one. */
export function ruleOf(draft: RuleDraft, id: number): AutoReplyRule {
  return {
    // Fields a newer server added and this form does not show travel back unchanged.
    ...draft.original,
    id: draft.original?.id ?? id,
    name: draft.name.trim(),
    numbers: draft.numbers,
    keywords: keywordsOf(draft),
    mode: draft.mode,
    priority: Number(draft.priority.trim()),
    stop_on_match: draft.stopOnMatch,
    cooldown_minutes: Number(draft.cooldown.trim()),
    enabled: draft.enabled,
    reply: replyOf(draft.reply),
  };
}

/** Whether the form holds anything its starting point did not. */
export function isDirty(draft: RuleDraft): boolean {
  return JSON.stringify({ ...draft, original: null }) !== JSON.stringify({ ...ruleDraft(draft.original), original: null });
}

/** An id no rule has. */
export function nextId(rules: readonly AutoReplyRule[]): number {
  return rules.reduce((max, rule) => Math.max(max, rule.id), 0) + 1;
}

/** The list with `rule` in place of the one with its id, or added at the end. */
export function withRule(rules: readonly AutoReplyRule[], rule: AutoReplyRule): AutoReplyRule[] {
  return rules.some((r) => r.id === rule.id) ? rules.map((r) => (r.id === rule.id ? rule : r)) : [...rules, rule];
}

/** The order the server tries rules in: higher priority first, ties by ascending id. */
export function inPriorityOrder(rules: readonly AutoReplyRule[]): AutoReplyRule[] {
  return [...rules].sort((a, b) => b.priority - a.priority || a.id - b.id);
}

/** A business number the desk can offer in pickers. */
export type KnownNumber = { id: string; name: string | null; display: string | null };

/**
 * The numbers the desk knows of: the server's list (admins who manage numbers), those of the
 * conversations it holds, and any a rule already names, each once, in that order.
 */
export function knownNumbers(
  servers: readonly NumberSummary[] | null,
  inbox: readonly InboxEntry[] | null,
  rules: readonly AutoReplyRule[] | null,
): KnownNumber[] {
  const known = new Map<string, KnownNumber>();
  for (const n of servers ?? []) known.set(n.phone_number_id, { id: n.phone_number_id, name: n.name, display: n.display_number });
  for (const { conversation: c } of inbox ?? []) {
    if (!known.has(c.phone_number_id)) known.set(c.phone_number_id, { id: c.phone_number_id, name: c.business_name || null, display: c.business_number || null });
  }
  for (const rule of rules ?? []) {
    for (const id of rule.numbers) if (!known.has(id)) known.set(id, { id, name: null, display: null });
  }
  return [...known.values()];
}

/** The customers of the desk's conversations on `number`, each once, to test cooldowns with. */
export function contactsOn(inbox: readonly InboxEntry[] | null, number: string): { id: number; label: string }[] {
  const seen = new Map<number, string>();
  for (const { conversation: c } of inbox ?? []) {
    if (c.phone_number_id !== number || seen.has(c.contact.id)) continue;
    const parts = [c.contact.name, c.contact.wa_id ? `+${c.contact.wa_id}` : null].filter(Boolean);
    seen.set(c.contact.id, parts.join(" ") || String(c.contact.id));
  }
  return [...seen].map(([id, label]) => ({ id, label }));
}

/** UTF-16 ranges of the message to mark, overlaps merged. */
export function mergedSpans(spans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}
