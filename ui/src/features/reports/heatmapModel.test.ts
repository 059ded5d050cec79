import { describe, expect, it } from "vitest";
import { HEAT_LEVELS, firstDayOfWeek, heatLevel, heatmap, weekOrder, weekdayName } from "./heatmapModel";

/** A week of zeros with the given `[day, hour, count]`s, day 0 Monday as the server sends it. */
function week(cells: [number, number, number][]): number[][] {
  const days = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const [day, hour, count] of cells) days[day]![hour] = count;
  return days;
}

describe("the hour-of-week heatmap", () => {
  it("starts the week on the reader's first day", () => {
    expect(firstDayOfWeek("en-GB")).toBe(1);
    expect(firstDayOfWeek("en-US")).toBe(7);
    expect(firstDayOfWeek("ar-u-ca-gregory-nu-latn")).toBe(6);
    expect(firstDayOfWeek("th-TH-u-ca-gregory")).toBe(7);
    expect(weekOrder(6)).toEqual([6, 7, 1, 2, 3, 4, 5]);
    expect(weekOrder(1)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("puts each count under its own weekday and hour whatever the week's first day", () => {
    const days = week([
      [0, 9, 4], // Monday 09:00
      [5, 23, 2], // Saturday 23:00
      [6, 0, 8], // Sunday 00:00
    ]);
    const saturdayFirst = heatmap(days, 6);
    expect(saturdayFirst.rows.map((r) => r.weekday)).toEqual([6, 7, 1, 2, 3, 4, 5]);
    expect(saturdayFirst.rows[0]!.cells[23]!.count).toBe(2);
    expect(saturdayFirst.rows[1]!.cells[0]!.count).toBe(8);
    expect(saturdayFirst.rows[2]!.cells[9]!.count).toBe(4);
    expect(saturdayFirst.total).toBe(14);
    expect(saturdayFirst.max).toBe(8);
    const mondayFirst = heatmap(days, 1);
    expect(mondayFirst.rows[0]!.cells[9]!.count).toBe(4);
    expect(mondayFirst.rows[6]!.cells[0]!.count).toBe(8);
    // Every row has 24 hours in order, and nothing is counted twice or lost.
    for (const grid of [saturdayFirst, mondayFirst]) {
      expect(grid.rows.every((r) => r.cells.map((c) => c.hour).join() === Array.from({ length: 24 }, (_, h) => h).join())).toBe(true);
      expect(grid.rows.flatMap((r) => r.cells).reduce((n, c) => n + c.count, 0)).toBe(14);
    }
  });

  it("shades none blank, any message visible and the busiest hour darkest", () => {
    expect(heatLevel(0, 10)).toBe(0);
    expect(heatLevel(1, 1000)).toBe(1);
    expect(heatLevel(1000, 1000)).toBe(HEAT_LEVELS - 1);
    expect(heatLevel(500, 1000)).toBe(2);
    expect(heatLevel(3, 0)).toBe(0);
    const levels = Array.from({ length: 101 }, (_, c) => heatLevel(c, 100));
    // Never darker for fewer messages.
    expect(levels.every((level, i) => i === 0 || level >= levels[i - 1]!)).toBe(true);
  });

  it("counts a short or odd answer as no messages rather than failing", () => {
    const grid = heatmap([[1, -2, Number.NaN], []], 1);
    expect(grid.rows).toHaveLength(7);
    expect(grid.total).toBe(1);
    expect(grid.rows[0]!.cells[0]!.level).toBe(HEAT_LEVELS - 1);
    expect(grid.rows[6]!.cells[23]!.count).toBe(0);
  });

  it("names weekdays in the reader's language", () => {
    expect(weekdayName(1, "en")).toBe("Monday");
    expect(weekdayName(6, "ar-u-ca-gregory-nu-latn")).toBe("السبت");
    expect(weekdayName(7, "th-TH-u-ca-gregory")).toBe("วันอาทิตย์");
  });
});
