// What the Broadcasts screen decides without the server: which actions a state allows, the
// composer's form and what it must have before saving, and money, rates and instants as the
// admin reads them. Pure, so each rule is tested on its own.
import type { Broadcast } from "../../bindings/Broadcast";
import type { BroadcastDraft } from "../../bindings/BroadcastDraft";
import type { BroadcastState } from "../../bindings/BroadcastState";
import type { ParameterSource } from "../../bindings/ParameterSource";
import type { TemplateSummary } from "../../bindings/TemplateSummary";
import { intlLocale, type StringKey } from "../../i18n";
import { instantInZone, localInZone } from "../automation/calendarModel";

export const BROADCAST_STATES: readonly BroadcastState[] = ["draft", "scheduled", "sending", "paused", "completed", "cancelled"];

/** Each state's name on screen; its colour comes from `data-state` in broadcasts.css. */
export const STATE_LABELS: Record<BroadcastState, StringKey> = {
  draft: "broadcasts.state.draft",
  scheduled: "broadcasts.state.scheduled",
  sending: "broadcasts.state.sending",
  paused: "broadcasts.state.paused",
  completed: "broadcasts.state.completed",
  cancelled: "broadcasts.state.cancelled",
};

export type BroadcastAction = "schedule" | "start" | "pause" | "resume" | "cancel";

/**
 * What an admin may do with a broadcast in `state`, as the server allows it: a draft is
 * scheduled or started, a scheduled one started at once or cancelled, a sending one paused
 * or cancelled, a paused one resumed or cancelled; a finished one takes nothing.
 */
export function actionsFor(state: BroadcastState): BroadcastAction[] {
  switch (state) {
    case "draft":
      return ["schedule", "start"];
    case "scheduled":
      return ["start", "cancel"];
    case "sending":
      return ["pause", "cancel"];
    case "paused":
      return ["resume", "cancel"];
    case "completed":
    case "cancelled":
      return [];
  }
}

/** Whether results are still moving, so the screen reads them again every few seconds. */
export function isLive(state: BroadcastState): boolean {
  return state === "sending" || state === "scheduled";
}

/** Contact fields a parameter can take its text from; anything else is a custom attribute. */
export const CONTACT_FIELDS = ["name", "wa_id", "country", "language"] as const;

export type ParameterForm = {
  kind: "attribute" | "fixed";
  /** A contact field or a custom attribute's key. */
  attribute: string;
  /** The fixed text, for `fixed`. */
  text: string;
  /** For `attribute`: what to write when the contact lacks it; blank excludes that contact. */
  fallback: string;
};

export type BroadcastForm = {
  name: string;
  audienceKind: "segment" | "expression";
  segment: string;
  expression: string;
  /** `name|language` of the chosen template, or "". */
  template: string;
  parameters: ParameterForm[];
  numbers: string[];
  when: "now" | "later";
  /** `YYYY-MM-DDTHH:MM` in the admin's zone, for `later`. */
  at: string;
};

export const templateKey = (t: Pick<TemplateSummary, "name" | "language">) => `${t.name}|${t.language}`;

export function emptyParameter(): ParameterForm {
  return { kind: "attribute", attribute: "name", text: "", fallback: "" };
}

export function emptyForm(): BroadcastForm {
  return { name: "", audienceKind: "segment", segment: "", expression: "", template: "", parameters: [], numbers: [], when: "now", at: "" };
}

/** The form for a saved draft: a saved segment's name picks it, any other audience is an expression. */
export function formOf(draft: BroadcastDraft, segments: readonly string[], scheduledAt: number | null = null, zone = localZone()): BroadcastForm {
  const isSegment = segments.includes(draft.audience);
  return {
    name: draft.name,
    audienceKind: isSegment ? "segment" : "expression",
    segment: isSegment ? draft.audience : "",
    expression: isSegment ? "" : draft.audience,
    template: draft.template ? templateKey({ name: draft.template, language: draft.language }) : "",
    parameters: draft.parameters.map((p) =>
      p.source === "fixed"
        ? { kind: "fixed", attribute: "name", text: p.text, fallback: "" }
        : { kind: "attribute", attribute: p.name, text: "", fallback: p.fallback ?? "" },
    ),
    numbers: [...draft.numbers],
    when: scheduledAt === null ? "now" : "later",
    at: scheduledAt === null ? "" : localInZone(scheduledAt, zone),
  };
}

/** One source per template parameter: extra ones dropped, missing ones added. */
export function fitParameters(parameters: readonly ParameterForm[], count: number): ParameterForm[] {
  const fitted = parameters.slice(0, count);
  while (fitted.length < count) fitted.push(emptyParameter());
  return fitted;
}

/** What the server is sent for a form: trimmed, a blank fallback left out. */
export function draftOf(form: BroadcastForm): BroadcastDraft {
  const [template = "", language = ""] = form.template.split("|");
  return {
    name: form.name.trim(),
    audience: (form.audienceKind === "segment" ? form.segment : form.expression).trim(),
    template,
    language,
    parameters: form.parameters.map((p): ParameterSource => {
      if (p.kind === "fixed") return { source: "fixed", text: p.text };
      const fallback = p.fallback.trim();
      return fallback ? { source: "attribute", name: p.attribute.trim(), fallback } : { source: "attribute", name: p.attribute.trim() };
    }),
    numbers: [...form.numbers],
  };
}

export type FormField = "name" | "audience" | "template" | "numbers" | "at" | `parameter-${number}`;
export type Problem = { field: FormField; key: StringKey; params?: Record<string, string | number> };

/**
 * What the form lacks before it can be saved, each naming its field. The server checks again
 * (the expression's grammar, the template's approval, the numbers); this only catches blanks
 * and a start in the past early.
 */
export function problems(form: BroadcastForm, templates: readonly TemplateSummary[] | null, now: number, zone = localZone()): Problem[] {
  const found: Problem[] = [];
  if (!form.name.trim()) found.push({ field: "name", key: "broadcasts.problem.name" });
  if (form.audienceKind === "segment" && !form.segment) found.push({ field: "audience", key: "broadcasts.problem.segment" });
  if (form.audienceKind === "expression" && !form.expression.trim()) found.push({ field: "audience", key: "broadcasts.problem.expression" });
  const template = templates?.find((t) => templateKey(t) === form.template) ?? null;
  if (!form.template) found.push({ field: "template", key: "broadcasts.problem.template" });
  else if (templates && !template) found.push({ field: "template", key: "broadcasts.problem.templateGone" });
  if (template && form.parameters.length !== template.parameters) {
    found.push({ field: "template", key: "broadcasts.problem.parameterCount", params: { count: template.parameters } });
  }
  form.parameters.forEach((p, index) => {
    const field = `parameter-${index + 1}` as const;
    if (p.kind === "fixed" && !p.text.trim()) found.push({ field, key: "broadcasts.problem.fixedText", params: { n: index + 1 } });
    if (p.kind === "attribute" && !p.attribute.trim()) found.push({ field, key: "broadcasts.problem.attribute", params: { n: index + 1 } });
  });
  if (form.numbers.length === 0) found.push({ field: "numbers", key: "broadcasts.problem.numbers" });
  if (form.when === "later") {
    const at = instantInZone(form.at, zone);
    if (at === null) found.push({ field: "at", key: "broadcasts.problem.at" });
    else if (at <= now) found.push({ field: "at", key: "broadcasts.problem.atPast" });
  }
  return found;
}

/** When a `later` form starts, in milliseconds; null for `now` or an unreadable time. */
export function startOf(form: BroadcastForm, zone = localZone()): number | null {
  return form.when === "later" ? instantInZone(form.at, zone) : null;
}

/**
 * Whether the form would save something other than `from` does. When it should start is not
 * part of the saved draft (it is given when scheduling), so choosing a time never asks to save.
 */
export function isDirty(form: BroadcastForm, from: BroadcastForm): boolean {
  return JSON.stringify(draftOf(form)) !== JSON.stringify(draftOf(from));
}

/** Why a draft set to start later cannot be scheduled yet: no readable time, or one already past. */
export function scheduleProblem(form: BroadcastForm, now: number, zone = localZone()): StringKey | null {
  if (form.when !== "later") return null;
  const at = instantInZone(form.at, zone);
  if (at === null) return "broadcasts.problem.at";
  return at <= now ? "broadcasts.problem.atPast" : null;
}

/** The admin's own time zone: schedules are typed and shown in it. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** An amount in millionths of `currency`, as the reader writes money; small prices keep their decimals. */
export function formatMoney(micros: number, currency: string): string {
  const amount = micros / 1_000_000;
  try {
    return new Intl.NumberFormat(intlLocale(), { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(amount);
  } catch {
    // Not an ISO 4217 code Intl knows: the number with the code beside it.
    return `${new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 4 }).format(amount)} ${currency}`;
  }
}

/** A whole number in the reader's digits and grouping. */
export function formatCount(n: number): string {
  return new Intl.NumberFormat(intlLocale()).format(n);
}

/** A fraction (0 to 1) as a percentage with one decimal. */
export function formatRate(fraction: number): string {
  if (!Number.isFinite(fraction)) return "–";
  return new Intl.NumberFormat(intlLocale(), { style: "percent", maximumFractionDigits: 1 }).format(fraction);
}

/** A date and time in the admin's zone, written their way. */
export function formatInstant(ms: number, zone = localZone()): string {
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(new Date(ms));
}

/** How far a broadcast got: messages queued of recipients taken in. */
export function progressOf(b: Pick<Broadcast, "queued_messages" | "recipients">): { done: number; total: number } {
  return { done: Math.min(b.queued_messages, b.recipients), total: b.recipients };
}
