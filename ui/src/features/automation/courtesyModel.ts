import type { CsatSurvey } from "../../bindings/CsatSurvey";
import type { CustomerTexts } from "../../bindings/CustomerTexts";
import type { Greeting } from "../../bindings/Greeting";
import type { StringKey } from "../../i18n";
import { REPLY_LANGUAGES, rowKey, type ReplyLanguage } from "./calendarModel";

/** Which courtesy message an editor handles. */
export type CourtesyKind = "greetings" | "surveys";

export type TextField = { id: string; label: StringKey; hint: StringKey; max: number };

/** Each kind's texts, with WhatsApp's limits the server checks (characters). */
export const FIELDS: Record<CourtesyKind, TextField[]> = {
  greetings: [{ id: "text", label: "courtesy.field.text", hint: "courtesy.hint.text", max: 4096 }],
  surveys: [
    { id: "question", label: "courtesy.field.question", hint: "courtesy.hint.question", max: 1024 },
    { id: "button", label: "courtesy.field.button", hint: "courtesy.hint.button", max: 20 },
    { id: "thanks", label: "courtesy.field.thanks", hint: "courtesy.hint.thanks", max: 4096 },
  ],
};

type Texts = Record<ReplyLanguage, string>;
type Saved = Greeting | CsatSurvey;

/** One greeting or survey as the form edits it; `number` null is the default. */
export type EntryDraft = {
  key: number;
  number: string | null;
  enabled: boolean;
  texts: Record<string, Texts>;
  /** What the server last said, so fields the form does not know are saved back unchanged. */
  original: Saved | null;
};

function textsOf(value: CustomerTexts | undefined): Texts {
  return { en: value?.en ?? "", ar: value?.ar ?? "", th: value?.th ?? "" };
}

/** Only the languages written: the server refuses a language given blank. */
function customerTexts(texts: Texts): CustomerTexts {
  const out: CustomerTexts = {};
  for (const language of REPLY_LANGUAGES) if (texts[language].trim()) out[language] = texts[language];
  return out;
}

export function entryDraft(kind: CourtesyKind, saved: Saved | null, number: string | null = saved?.phone_number_id ?? null): EntryDraft {
  const record = (saved ?? {}) as Record<string, unknown>;
  return {
    key: rowKey(),
    number,
    enabled: saved?.enabled ?? true,
    texts: Object.fromEntries(FIELDS[kind].map((f) => [f.id, textsOf(record[f.id] as CustomerTexts | undefined)])),
    original: saved,
  };
}

/** The entries as the server takes them, the default first. */
export function entriesOf(kind: CourtesyKind, drafts: readonly EntryDraft[]): Saved[] {
  return [...drafts]
    .sort((a, b) => (a.number === null ? -1 : b.number === null ? 1 : a.number.localeCompare(b.number)))
    .map((d) => {
      const entry: Record<string, unknown> = { ...(d.original ?? {}), phone_number_id: d.number, enabled: d.enabled };
      for (const f of FIELDS[kind]) entry[f.id] = customerTexts(d.texts[f.id]!);
      return entry as Saved;
    });
}

export type Problem = { entry: number; field: string; key: StringKey; params?: Record<string, string | number> };

/** What the server would refuse in a switched-on entry: a text in no language, or too long. */
export function problems(kind: CourtesyKind, drafts: readonly EntryDraft[]): Problem[] {
  const found: Problem[] = [];
  for (const d of drafts) {
    if (!d.enabled) continue;
    for (const f of FIELDS[kind]) {
      const texts = d.texts[f.id]!;
      if (REPLY_LANGUAGES.every((l) => !texts[l].trim())) found.push({ entry: d.key, field: f.id, key: "courtesy.problem.noText" });
      for (const language of REPLY_LANGUAGES) {
        const count = [...texts[language]].length;
        if (count > f.max) found.push({ entry: d.key, field: `${f.id}:${language}`, key: "courtesy.problem.tooLong", params: { count, max: f.max } });
      }
    }
  }
  return found;
}

/** Whether the entries differ from those saved. */
export function isDirty(kind: CourtesyKind, drafts: readonly EntryDraft[], saved: readonly Saved[]): boolean {
  const start = saved.map((s) => entryDraft(kind, s));
  return JSON.stringify(entriesOf(kind, drafts)) !== JSON.stringify(entriesOf(kind, start));
}
