import { afterEach, describe, expect, it } from "vitest";
import { ar } from "./ar";
import { en } from "./en";
import { placeholderNames, pluralSelectors } from "./format";
import { direction, setLocale, t } from "./index";
import { th } from "./th";

const locales = { ar, th } as Record<string, Record<string, string>>;
const english = en as Record<string, string>;
const englishKeys = Object.keys(english).sort();

describe.each(Object.entries(locales))("the %s strings", (name, table) => {
  it("have exactly the English keys", () => {
    const keys = Object.keys(table).sort();
    expect(englishKeys.filter((k) => !(k in table)), `keys ${name} is missing`).toEqual([]);
    expect(keys.filter((k) => !(k in english)), `keys ${name} has that English does not`).toEqual([]);
  });

  it("use the same placeholders as English in every string", () => {
    const differing = englishKeys.filter(
      (key) => table[key] !== undefined && placeholderNames(table[key]).join() !== placeholderNames(english[key]!).join(),
    );
    expect(differing.map((key) => `${key}: ${table[key]}`)).toEqual([]);
  });

  it("are all translated (only names, numbers and symbols may stay as in English)", () => {
    const untranslated = englishKeys.filter((key) => table[key] === english[key] && /[a-z]{3}/i.test(english[key]!.replace(/\{[^}]*\}/g, "")));
    const allowed = ["app.name", "login.serverUrlPlaceholder", "filter.versionShort"];
    expect(untranslated.filter((key) => !allowed.includes(key))).toEqual([]);
  });
});

describe("every string", () => {
  const all = [english, ar as Record<string, string>, th as Record<string, string>];
  it("parses, and every plural has an `other` form and only real plural categories", () => {
    for (const table of all) {
      for (const template of Object.values(table)) {
        for (const selectors of pluralSelectors(template)) {
          expect(selectors).toContain("other");
        }
      }
    }
  });
});

describe("t", () => {
  afterEach(() => setLocale("en"));

  it("picks English plural forms", () => {
    expect(t("session.view.unseenAlerts", { count: 1 })).toBe("1 new alert");
    expect(t("session.view.unseenAlerts", { count: 4 })).toBe("4 new alerts");
    expect(t("filter.page", { page: 1, pages: 2, count: 1 })).toBe("Page 1 of 2 (1 entry)");
  });

  it("picks Arabic's six plural forms", () => {
    setLocale("ar");
    const unread = (count: number) => t("inbox.unread", { count });
    expect(unread(0)).toBe("لا رسائل غير مقروءة");
    expect(unread(1)).toBe("رسالة واحدة غير مقروءة");
    expect(unread(2)).toBe("رسالتان غير مقروءتين");
    expect(unread(5)).toBe("5 رسائل غير مقروءة");
    expect(unread(11)).toBe("11 رسالة غير مقروءة");
    expect(unread(100)).toBe("100 رسالة غير مقروءة");
  });

  it("fills placeholders in Thai and keeps unknown ones visible", () => {
    setLocale("th");
    expect(t("inbox.countFiltered", { count: 3, total: 10 })).toBe("3 จาก 10 บทสนทนา");
    expect(t("conversation.assignedTo")).toBe("มอบหมายให้ {name}");
  });

  it("mirrors the document for Arabic only", () => {
    setLocale("ar");
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("ar");
    setLocale("th");
    expect(document.documentElement.dir).toBe("ltr");
    expect(direction("ar")).toBe("rtl");
    expect(localStorage.getItem("switchboard.locale")).toBe("th");
  });
});
