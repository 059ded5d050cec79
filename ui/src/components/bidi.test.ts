import { describe, expect, it } from "vitest";
import { userTextDir } from "./bidi";

describe("userTextDir", () => {
  it("keeps phone numbers, masked or not, left to right", () => {
    expect(userTextDir("+966501234567")).toBe("ltr");
    expect(userTextDir("+966•••••567")).toBe("ltr");
    expect(userTextDir("+44 (20) 7946-0000")).toBe("ltr");
  });

  it("lets names and messages take their own direction", () => {
    expect(userTextDir("سارة العتيبي")).toBe("auto");
    expect(userTextDir("Order 4521")).toBe("auto");
    expect(userTextDir("US.123")).toBe("auto");
  });
});
