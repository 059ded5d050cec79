import { describe, expect, it } from "vitest";
import { contrastRatio } from "./contrast";
import { CONTRAST_PAIRS, themes, TOKEN_NAMES, type ThemeName } from "./tokens";

describe("contrastRatio", () => {
  it("matches WCAG's reference values", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
  });
});

describe.each(Object.keys(themes) as ThemeName[])("the %s theme", (name) => {
  const tokens = themes[name];

  it("defines every token", () => {
    expect(Object.keys(tokens).sort()).toEqual([...TOKEN_NAMES].sort());
  });

  it.each(CONTRAST_PAIRS.map(([fg, bg, min]) => [fg, bg, min] as const))(
    "%s on %s reaches %s:1",
    (fg, bg, min) => {
      const ratio = contrastRatio(tokens[fg], tokens[bg]);
      expect(ratio, `${fg} ${tokens[fg]} on ${bg} ${tokens[bg]}`).toBeGreaterThanOrEqual(min);
    },
  );
});
