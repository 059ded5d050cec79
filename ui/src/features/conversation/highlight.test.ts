import { describe, expect, it } from "vitest";
import type { FilterMatch } from "../../bindings/FilterMatch";
import { highlightSegments } from "./highlight";

const block = (phrase: string, start: number, end: number): FilterMatch => ({ phrase, action: "block", rule: 0, start, end });

/** Compact view: hits in [brackets]. */
function render(text: string, matches: FilterMatch[]): string {
  return highlightSegments(text, matches)
    .map((s) => (s.kind === "hit" ? `[${s.text}]` : s.text))
    .join("");
}

describe("highlightSegments", () => {
  it("returns the whole text as one plain segment without matches", () => {
    expect(highlightSegments("hello", [])).toEqual([{ kind: "plain", text: "hello" }]);
    expect(highlightSegments("", [])).toEqual([]);
  });

  it("wraps a single match", () => {
    const m = block("refund", 4, 10);
    expect(highlightSegments("Get refund now", [m])).toEqual([
      { kind: "plain", text: "Get " },
      { kind: "hit", text: "refund", matches: [m] },
      { kind: "plain", text: " now" },
    ]);
  });

  it("uses UTF-16 offsets, so an emoji before the match counts as two units", () => {
    const text = "👋 free money";
    // "👋" is a surrogate pair: 2 code units, then a space at 2, "free" at 3..7.
    const segments = highlightSegments(text, [block("free", 3, 7)]);
    expect(segments[1]).toMatchObject({ kind: "hit", text: "free" });
    expect(render(text, [block("free", 3, 7)])).toBe("👋 [free] money");
  });

  it("merges overlapping matches into one hit that lists both rules", () => {
    const a = block("free money", 0, 10);
    const b = block("money back", 5, 15);
    const segments = highlightSegments("free money back!", [b, a]);
    expect(segments).toEqual([
      { kind: "hit", text: "free money back", matches: [a, b] },
      { kind: "plain", text: "!" },
    ]);
  });

  it("keeps a match contained in another inside the same hit", () => {
    expect(render("abcdefgh", [block("bcdefg", 1, 7), block("cd", 2, 4)])).toBe("a[bcdefg]h");
  });

  it("keeps adjacent matches as separate hits", () => {
    const segments = highlightSegments("foobar", [block("foo", 0, 3), block("bar", 3, 6)]);
    expect(segments.map((s) => [s.kind, s.text])).toEqual([
      ["hit", "foo"],
      ["hit", "bar"],
    ]);
  });

  it("clamps out-of-range offsets and drops empty ranges", () => {
    expect(render("short", [block("x", 3, 99), block("y", 2, 2), block("z", -4, 1)])).toBe("[s]ho[rt]");
  });
});
