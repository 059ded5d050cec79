import { describe, expect, it } from "vitest";
import { contrast, isHexColour, textOn } from "./tagColours";

const hex = (n: number) => n.toString(16).padStart(2, "0");

describe("tag chip colours", () => {
  it("keep chip text readable (WCAG AA, 4.5:1) on any colour an admin picks", () => {
    const worst: { colour: string; ratio: number }[] = [];
    for (let r = 0; r <= 255; r += 15) {
      for (let g = 0; g <= 255; g += 15) {
        for (let b = 0; b <= 255; b += 15) {
          const colour = `#${hex(r)}${hex(g)}${hex(b)}`;
          const ratio = contrast(colour, textOn(colour));
          if (ratio < 4.5) worst.push({ colour, ratio });
        }
      }
    }
    expect(worst).toEqual([]);
  });

  it("pick white on dark colours and black on light ones", () => {
    expect(textOn("#0b3d91")).toBe("#ffffff");
    expect(textOn("#000000")).toBe("#ffffff");
    expect(textOn("#fdd835")).toBe("#000000");
    expect(textOn("#FFFFFF")).toBe("#000000");
  });

  it("accept only #rrggbb", () => {
    expect(["#1e88e5", "#ABCDEF", " #000000 "].every(isHexColour)).toBe(true);
    expect(["1e88e5", "#fff", "#1e88e5ff", "#gggggg", ""].some(isHexColour)).toBe(false);
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 5);
  });
});
