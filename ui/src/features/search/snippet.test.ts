import { describe, expect, it } from "vitest";
import { snippetParts } from "./snippet";

describe("snippetParts", () => {
  it("marks UTF-16 spans, also after emoji and in Arabic", () => {
    const text = "😀 مرحبا، متى يصل طلبي؟";
    const start = text.indexOf("طلبي");
    expect(snippetParts(text, [{ start, end: start + 4 }])).toEqual([
      { text: text.slice(0, start), hit: false },
      { text: "طلبي", hit: true },
      { text: "؟", hit: false },
    ]);
  });

  it("merges overlaps and clamps spans outside the text", () => {
    expect(snippetParts("order ready", [{ start: 0, end: 3 }, { start: 2, end: 5 }, { start: 9, end: 40 }])).toEqual([
      { text: "order", hit: true },
      { text: " rea", hit: false },
      { text: "dy", hit: true },
    ]);
  });

  it("joins words found side by side into one highlighted run", () => {
    const text = "مرحبا، متى يصل طلبي؟";
    const at = (word: string, length = word.length) => ({ start: text.indexOf(word), end: text.indexOf(word) + length });
    expect(snippetParts(text, [at("تى"), at("يصل"), at("طلبي", 2)])).toEqual([
      { text: "مرحبا، م", hit: false },
      { text: "تى يصل طل", hit: true },
      { text: "بي؟", hit: false },
    ]);
  });
});
