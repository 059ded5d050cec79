import { describe, expect, it } from "vitest";
import { can, canAny } from "./permissions";

describe("can", () => {
  it("follows the server's permissions when the profile has them", () => {
    const lead = { role: "agent" as const, permissions: ["read_all" as const, "view_reports" as const] };
    expect(can(lead, "view_reports")).toBe(true);
    expect(can(lead, "reply")).toBe(false);
    expect(can({ role: "admin", permissions: ["read_assigned"] }, "manage_users")).toBe(false);
  });

  it("falls back to the built-in role for a profile cached without permissions", () => {
    expect(can({ role: "agent", permissions: [] }, "reply")).toBe(true);
    expect(can({ role: "agent" }, "view_reports")).toBe(false);
    expect(can({ role: "supervisor", permissions: [] }, "view_reports")).toBe(true);
    expect(can({ role: "supervisor", permissions: [] }, "manage_filter")).toBe(false);
    expect(can({ role: "admin", permissions: [] }, "manage_users")).toBe(true);
    expect(can({ role: "admin", permissions: [] }, "see_unmasked_numbers")).toBe(false);
  });

  it("refuses everything without a user", () => {
    expect(can(null, "read_assigned")).toBe(false);
    expect(canAny(undefined, ["read_assigned", "reply"])).toBe(false);
    expect(canAny({ role: "supervisor", permissions: [] }, ["manage_users", "view_filter"])).toBe(true);
  });
});
