import { describe, expect, it } from "vitest";
import type { AutoReply } from "../../bindings/AutoReply";
import type { AutoReplyRule } from "../../bindings/AutoReplyRule";
import { inPriorityOrder, isDirty, keywordsOf, mergedSpans, problems, ruleDraft, ruleOf } from "./autoReplyModel";

const base: AutoReplyRule = {
  id: 7,
  name: "Prices",
  numbers: ["1001"],
  keywords: ["price", "السعر", "ราคา"],
  mode: "contains",
  priority: -3,
  stop_on_match: true,
  cooldown_minutes: 45,
  reply: { type: "text", text: "Our prices" },
  enabled: false,
};

const replies: AutoReply[] = [
  { type: "text", text: "  spaced  " },
  { type: "media", kind: "video", source: { id: "media-1" }, caption: null },
  { type: "media", kind: "image", source: { link: "https://example.com/a.png" }, caption: "صورة" },
  { type: "document", source: { link: "https://example.com/p.pdf" }, filename: "p.pdf", caption: null },
  { type: "template", name: "hours", language: "th", parameters: ["ก", "b"] },
  { type: "hook", url: "https://x.example" } as unknown as AutoReply,
];

describe("rule drafts", () => {
  it.each(replies)("an untouched draft saves the rule it was made from (%o)", (reply) => {
    const rule = { ...base, reply };
    const draft = ruleDraft(rule);
    expect(ruleOf(draft, 99)).toEqual(rule);
    expect(isDirty(draft)).toBe(false);
  });

  it("keeps fields of the rule it does not know", () => {
    const newer = { ...base, schedule: "office hours" } as AutoReplyRule;
    expect(ruleOf(ruleDraft(newer), 1)).toHaveProperty("schedule", "office hours");
  });

  it("reads keywords one per line, keeping a regular expression's spaces", () => {
    expect(keywordsOf({ keywords: " price \n\n  \nسعر\r\n", mode: "contains" })).toEqual(["price", "سعر"]);
    expect(keywordsOf({ keywords: "^hi there $\n \n", mode: "regex" })).toEqual(["^hi there $"]);
  });

  it("names each obvious gap once", () => {
    const draft = { ...ruleDraft(null), priority: "1.5", cooldown: "-2" };
    expect(problems(draft).map((p) => p.field)).toEqual(["name", "keywords", "priority", "cooldown", "reply"]);
    expect(problems(ruleDraft(base))).toEqual([]);
  });
});

describe("the list", () => {
  it("is shown in the order the server tries it: priority down, then id up", () => {
    const rules = [
      { ...base, id: 3, priority: 0 },
      { ...base, id: 1, priority: 0 },
      { ...base, id: 2, priority: 5 },
    ];
    expect(inPriorityOrder(rules).map((r) => r.id)).toEqual([2, 1, 3]);
  });

  it("marks overlapping console hits once", () => {
    expect(
      mergedSpans([
        { start: 4, end: 8 },
        { start: 0, end: 2 },
        { start: 6, end: 10 },
        { start: 3, end: 3 },
      ]),
    ).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 10 },
    ]);
  });
});
