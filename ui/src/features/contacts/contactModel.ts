import type { ContactPatch } from "../../bindings/ContactPatch";
import type { ContactProfile } from "../../bindings/ContactProfile";
import type { ContactQuery } from "../../bindings/ContactQuery";
import { t } from "../../i18n";

/** The list's filters as the admin set them. */
export type ContactFilters = {
  search: string;
  tags: string[];
  country: string;
  /** "" any, "yes" only opted out, "no" only those who did not opt out. */
  optedOut: "" | "yes" | "no";
};

export const NO_FILTERS: ContactFilters = { search: "", tags: [], country: "", optedOut: "" };

/** How many contacts one page asks for: enough to fill a tall window twice. */
export const PAGE_SIZE = 200;

/** The query for the first page of the list under `filters` (only the filters set). */
export function contactQuery(filters: ContactFilters, cursor?: string): ContactQuery {
  const query: ContactQuery = { limit: PAGE_SIZE };
  const search = filters.search.trim();
  if (search) query.search = search;
  if (filters.tags.length > 0) query.tags = filters.tags.join(",");
  const country = filters.country.trim().toUpperCase();
  // One letter typed so far narrows nothing yet.
  if (/^[A-Z]{2}$/.test(country)) query.country = country;
  if (filters.optedOut) query.opted_out = filters.optedOut === "yes";
  if (cursor) query.cursor = cursor;
  return query;
}

/** The number as the server sent it: `+` and digits, or masked (`+66•••••78`) for roles that may not see it. */
export function contactNumber(contact: Pick<ContactProfile, "wa_id" | "user_id">): string | null {
  if (contact.wa_id) return contact.wa_id.startsWith("+") ? contact.wa_id : `+${contact.wa_id}`;
  return contact.user_id;
}

/** The contact's name, else their number, else a placeholder. */
export function contactName(contact: Pick<ContactProfile, "name" | "wa_id" | "user_id">): string {
  return contact.name?.trim() || contactNumber(contact) || t("contacts.unnamed");
}

/** A custom field as the form edits it; rows keep their order while typing. */
export type AttributeRow = { key: string; value: string };

/** Where a profile's unsaved edits are kept while the admin looks elsewhere. */
export function profileDraftKey(contactId: number): string {
  return `contact:${contactId}`;
}

/** The profile as the form edits it. */
export type ProfileDraft = {
  name: string;
  language: "" | "en" | "ar" | "th";
  attributes: AttributeRow[];
  notes: string;
  consentSource: string;
  /** `YYYY-MM-DD` (UTC day) or "". */
  consentDay: string;
  optedOut: boolean;
};

/** Midnight UTC of `YYYY-MM-DD`, or null when it is not a real day. */
export function dayToMillis(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === day.trim() ? ms : null;
}

export function millisToDay(ms: number | null): string {
  return ms === null ? "" : new Date(ms).toISOString().slice(0, 10);
}

export function draftOf(contact: ContactProfile): ProfileDraft {
  return {
    name: contact.name ?? "",
    language: contact.language ?? "",
    attributes: Object.entries(contact.attributes).map(([key, value]) => ({ key, value })),
    notes: contact.notes,
    consentSource: contact.consent_source ?? "",
    consentDay: millisToDay(contact.consent_at),
    optedOut: contact.opted_out_at !== null,
  };
}

/** What the form cannot send: a value without a field name, a name twice, a date that is not one. */
export type DraftProblem =
  | { kind: "attribute_key"; row: number }
  | { kind: "attribute_twice"; row: number; key: string }
  | { kind: "consent_day" };

export function draftProblems(draft: ProfileDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const seen = new Set<string>();
  draft.attributes.forEach((row, index) => {
    const key = row.key.trim();
    if (!key && row.value.trim()) problems.push({ kind: "attribute_key", row: index });
    else if (key && seen.has(key)) problems.push({ kind: "attribute_twice", row: index, key });
    if (key) seen.add(key);
  });
  if (draft.consentDay.trim() && dayToMillis(draft.consentDay) === null) problems.push({ kind: "consent_day" });
  return problems;
}

function attributesOf(rows: AttributeRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key) out[key] = row.value;
  }
  return out;
}

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

const blankToNull = (text: string) => (text.trim() ? text.trim() : null);

/**
 * Only what the admin changed, so a save never overwrites a field someone else edited
 * meanwhile; blanks clear a field (`null`). An empty patch means nothing to save.
 */
export function patchOf(contact: ContactProfile, draft: ProfileDraft): ContactPatch {
  const patch: ContactPatch = {};
  const name = blankToNull(draft.name);
  if (name !== (contact.name?.trim() || null)) patch.name = name;
  const language = draft.language || null;
  if (language !== contact.language) patch.language = language;
  const attributes = attributesOf(draft.attributes);
  if (!sameAttributes(attributes, contact.attributes)) patch.attributes = attributes;
  if (draft.notes !== contact.notes) patch.notes = draft.notes;
  const source = blankToNull(draft.consentSource);
  if (source !== (contact.consent_source?.trim() || null)) patch.consent_source = source;
  const consentAt = draft.consentDay.trim() ? dayToMillis(draft.consentDay) : null;
  if (millisToDay(consentAt) !== millisToDay(contact.consent_at)) patch.consent_at = consentAt;
  if (draft.optedOut !== (contact.opted_out_at !== null)) patch.opted_out = draft.optedOut;
  return patch;
}

export function isEmptyPatch(patch: ContactPatch): boolean {
  return Object.keys(patch).length === 0;
}
