import { describe, expect, it } from "vitest";
import { board, queueDepth } from "../../test/fixtures";
import { newerBoard, waitedSeconds } from "./boardModel";

describe("newerBoard", () => {
  it("keeps whichever board was computed last", () => {
    const older = board({ at: 1_000 });
    const newer = board({ at: 2_000 });
    expect(newerBoard(null, older)).toBe(older);
    expect(newerBoard(older, newer)).toBe(newer);
    expect(newerBoard(newer, older)).toBe(newer);
  });
});

describe("waitedSeconds", () => {
  it("ages the longest wait from when the board was computed", () => {
    const queue = queueDepth({ waiting: 1, longest_wait_seconds: 100 });
    expect(waitedSeconds(queue, 10_000, 10_000)).toBe(100);
    expect(waitedSeconds(queue, 10_000, 40_500)).toBe(130);
  });

  it("never shrinks when the desk clock is behind, and stays empty without a wait", () => {
    expect(waitedSeconds(queueDepth({ waiting: 1, longest_wait_seconds: 100 }), 10_000, 4_000)).toBe(100);
    expect(waitedSeconds(queueDepth({ waiting: 0, longest_wait_seconds: null }), 10_000, 40_000)).toBeNull();
  });
});
