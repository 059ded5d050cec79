import { describe, expect, it } from "vitest";
import { formatMessage, placeholderNames } from "./format";

const english = (n: number) => new Intl.PluralRules("en").select(n);

describe("formatMessage", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(formatMessage("Hi {name}, #{id}", { name: "Noor", id: 4 }, english)).toBe("Hi Noor, #4");
    expect(formatMessage("Hi {name}", {}, english)).toBe("Hi {name}");
  });

  it("picks exact matches, then plural categories, then other", () => {
    const template = "{n, plural, =0 {none} one {# item} other {# items for {who}}}";
    expect(formatMessage(template, { n: 0, who: "x" }, english)).toBe("none");
    expect(formatMessage(template, { n: 1 }, english)).toBe("1 item");
    expect(formatMessage(template, { n: 7, who: "Sara" }, english)).toBe("7 items for Sara");
  });

  it("lists the parameters a string uses, inside plurals too", () => {
    expect(placeholderNames("{a} {n, plural, one {#} other {# {b}}}")).toEqual(["a", "b", "n"]);
  });

  it("refuses a plural without an other form, so a broken translation fails the tests", () => {
    expect(() => formatMessage("{n, plural, one {#}}", { n: 1 }, english)).toThrow(/other/);
  });
});
