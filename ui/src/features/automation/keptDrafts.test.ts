import { describe, expect, it } from "vitest";
import { forgetKeptDrafts, keepDraft, keptDraft } from "./keptDrafts";

describe("kept drafts", () => {
  it("keeps each editor's draft apart and forgets them all at once", () => {
    keepDraft("calendar", { name: "Riyadh" });
    keepDraft("auto_replies", { name: "Prices" });
    expect(keptDraft("calendar")).toEqual({ name: "Riyadh" });
    keepDraft("calendar", null);
    expect(keptDraft("calendar")).toBeNull();
    expect(keptDraft("auto_replies")).toEqual({ name: "Prices" });
    forgetKeptDrafts();
    expect(keptDraft("auto_replies")).toBeNull();
  });
});
