import { en, type StringKey } from "./en";

export type { StringKey };

// Only English exists today; the table is keyed so another locale can be added
// as a second object of the same shape without touching call sites.
const table: Record<StringKey, string> = en;

/** Looks up a UI string and fills `{placeholders}` from `params`. */
export function t(key: StringKey, params?: Record<string, string | number>): string {
  const template = table[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
