import { describe, expect, it } from "vitest";
import { formatDuration } from "./formatDuration";

describe("formatDuration", () => {
  it("says seconds under a minute", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(59.4)).toBe("59 s");
  });

  it("says minutes and seconds under an hour, leaving out zero seconds", () => {
    expect(formatDuration(80)).toBe("1 min 20 s");
    expect(formatDuration(59.6)).toBe("1 min");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(3599)).toBe("59 min 59 s");
  });

  it("says hours and minutes from an hour on", () => {
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(3600 + 5 * 60 + 30)).toBe("1 h 5 min");
    expect(formatDuration(26 * 3600)).toBe("26 h");
  });

  it("shows a dash when there is nothing to measure, and never a negative time", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(formatDuration(-3)).toBe("0 s");
  });
});
