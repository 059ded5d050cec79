import { describe, expect, it } from "vitest";
import { barLayout, lineSegments, niceMax } from "./chartModel";

const size = { width: 100, height: 50 };

describe("chart geometry", () => {
  it("tops the axis at a round number at or above the largest value", () => {
    expect(niceMax([])).toBe(1);
    expect(niceMax([0, 0.5])).toBe(1);
    expect(niceMax([3, 7])).toBe(10);
    expect(niceMax([12])).toBe(20);
    expect(niceMax([45, null])).toBe(50);
    expect(niceMax([100])).toBe(100);
    expect(niceMax([101])).toBe(200);
  });

  it("scales bars with the data and keeps them on the baseline", () => {
    const bars = barLayout([0, 5, 10], 10, size, false);
    expect(bars.map((b) => b.height)).toEqual([0, 25, 50]);
    expect(bars.map((b) => b.y + b.height)).toEqual([50, 50, 50]);
    expect(bars[0]!.x).toBeLessThan(bars[2]!.x);
  });

  it("runs time from the right in a right-to-left page", () => {
    const ltr = barLayout([1, 2, 3, 4], 4, size, false);
    const rtl = barLayout([1, 2, 3, 4], 4, size, true);
    expect(rtl[0]!.x).toBeGreaterThan(rtl[3]!.x);
    ltr.forEach((bar, i) => expect(rtl[i]!.x).toBeCloseTo(size.width - bar.x - bar.width));
    expect(rtl.map((b) => b.height)).toEqual(ltr.map((b) => b.height));
  });

  it("breaks a line where an hour has nothing to measure", () => {
    const segments = lineSegments([10, 20, null, 40], 40, size, false);
    expect(segments).toHaveLength(2);
    expect(segments[0]).toEqual([
      { x: 12.5, y: 37.5 },
      { x: 37.5, y: 25 },
    ]);
    expect(segments[1]).toEqual([{ x: 87.5, y: 0 }]);
    expect(lineSegments([10, null], 10, size, true)[0]![0]!.x).toBe(75);
  });
});
