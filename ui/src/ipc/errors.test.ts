import { describe, expect, it } from "vitest";
import { isIpcError, toIpcError } from "./errors";

describe("IPC errors", () => {
  it("recognises the contract's error shape", () => {
    expect(isIpcError({ code: "unreachable", message: "Server down" })).toBe(true);
    expect(isIpcError({ code: "unreachable" })).toBe(false);
    expect(isIpcError("boom")).toBe(false);
    expect(isIpcError(null)).toBe(false);
  });

  it("wraps anything else as an internal error", () => {
    expect(toIpcError({ code: "rejected", message: "Window closed", extra: 1 })).toEqual({
      code: "rejected",
      message: "Window closed",
    });
    expect(toIpcError("command sign_in not found")).toEqual({
      code: "internal",
      message: "command sign_in not found",
    });
    expect(toIpcError(new Error("x"))).toEqual({ code: "internal", message: "Error: x" });
  });
});
