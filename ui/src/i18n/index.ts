import { useSyncExternalStore } from "react";
import { ar } from "./ar";
import { en, type StringKey } from "./en";
import { formatMessage, type MessageParams } from "./format";
import { th } from "./th";
import { readPreference, writePreference } from "../components/preferences";

export type { StringKey };

export type Locale = "en" | "ar" | "th";

export const LOCALES: readonly Locale[] = ["en", "ar", "th"];

/** Each language named in itself, so whoever cannot read the current one still finds theirs. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", ar: "العربية", th: "ไทย" };

const tables: Record<Locale, Record<StringKey, string>> = { en, ar, th };

// The tags Intl formats dates and plurals with. Both name the Gregorian calendar: Thai
// otherwise defaults to the Buddhist era (2568 for 2025) and some Arabic locales to the Hijri
// calendar, and a team that mixes languages should read the same date for the same message.
// Arabic keeps Western digits (nu-latn), as order numbers, phone numbers and customers' own
// messages use them, so every number on a screen reads the same way.
const INTL_TAGS: Record<Locale, string> = {
  en: "en",
  ar: "ar-u-ca-gregory-nu-latn",
  th: "th-TH-u-ca-gregory",
};

const STORAGE_KEY = "switchboard.locale";

function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The saved choice, else the first of the system's languages the app speaks, else English. */
export function detectLocale(): Locale {
  const saved = readPreference(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  const preferred = typeof navigator === "undefined" ? [] : [...(navigator.languages ?? []), navigator.language];
  for (const tag of preferred) {
    const base = tag?.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}

let current: Locale = detectLocale();
let plurals = new Intl.PluralRules(INTL_TAGS[current]);
const listeners = new Set<() => void>();

export function getLocale(): Locale {
  return current;
}

/** The BCP 47 tag for Intl formatters of the current language. */
export function intlLocale(): string {
  // English follows the system's own region (en-GB writes 14 Jun, en-US Jun 14).
  if (current === "en" && typeof navigator !== "undefined" && navigator.language?.toLowerCase().startsWith("en")) {
    return navigator.language;
  }
  return INTL_TAGS[current];
}

export function direction(locale: Locale = current): "ltr" | "rtl" {
  return locale === "ar" ? "rtl" : "ltr";
}

/** Switches the UI language, remembers it, and mirrors the page for right-to-left languages. */
export function setLocale(locale: Locale, { remember = true } = {}): void {
  if (remember) writePreference(STORAGE_KEY, locale);
  if (locale === current) return;
  current = locale;
  plurals = new Intl.PluralRules(INTL_TAGS[locale]);
  applyLocaleToDocument();
  for (const listener of [...listeners]) listener();
}

/** Puts lang and dir on <html>, so the whole layout (logical CSS) flips with the language. */
export function applyLocaleToDocument(): void {
  if (typeof document === "undefined") return;
  document.documentElement.lang = current;
  document.documentElement.dir = direction();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current language; a component using it re-renders (with its subtree) when it changes. */
export function useLocale(): Locale {
  return useSyncExternalStore(subscribe, getLocale, getLocale);
}

/** Looks up a UI string in the current language and fills `{placeholders}` and plurals. */
export function t(key: StringKey, params?: MessageParams): string {
  const template = tables[current][key] ?? en[key];
  return formatMessage(template, params, (n) => plurals.select(n));
}
