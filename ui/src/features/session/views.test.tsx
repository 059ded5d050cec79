import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { Permission } from "../../bindings/Permission";
import type { Role } from "../../bindings/Role";
import { session } from "../../test/fixtures";
import { mockCommands } from "../../test/ipcMock";
import { availableViews } from "./permissions";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

function signInWith(role: Role, permissions: Permission[], customRole: string | null = "Custom") {
  mockCommands({
    session_status: () =>
      session({ user: { id: 5, username: "noor", display_name: "Noor", role, custom_role: customRole, permissions } }),
    list_inbox: () => [],
    list_users: () => [],
    list_roles: () => [],
    routing_overview: () => ({
      default_capacity: 7,
      max_capacity: 30,
      grace_seconds: 120,
      heartbeat_timeout_seconds: 60,
      queues: [],
      priority_tags: {},
      agents: [],
    }),
    business_numbers: () => [],
    list_teams: () => [],
    audit_log: () => [],
    filter_policy: () => ({ policy: { version: 1, entries: [], allowlist: [] } }),
    filter_versions: () => [],
    filter_blocks: () => [],
    auto_replies: () => ({ rules: [] }),
  });
  const user = userEvent.setup();
  render(<App />);
  return user;
}

const tabs = () => Array.from(document.querySelectorAll(".view-switcher .view-tab")).map((b) => b.id);
const adminTabs = () => Array.from(document.querySelectorAll(".admin-sections .admin-tab")).map((b) => b.id);

describe("views follow permissions, not role names", () => {
  it("gives the built-in roles their usual screens, also from a profile cached without permissions", () => {
    const user = (role: Role) => ({ role, permissions: [] });
    expect(availableViews(user("agent"))).toEqual(["inbox"]);
    expect(availableViews(user("supervisor"))).toEqual(["inbox", "supervisor", "reports", "filter", "review"]);
    expect(availableViews(user("admin"))).toEqual(["inbox", "supervisor", "reports", "filter", "review", "admin"]);
  });

  it("shows an agent-based custom role with reports the supervisor board but no admin screens", async () => {
    signInWith("agent", ["read_assigned", "reply", "view_reports"]);
    await screen.findByRole("button", { name: "Supervisor" });
    expect(tabs()).toEqual(["view-inbox", "view-supervisor", "view-reports"]);
  });

  it("opens the admin view with only the panels the permissions allow", async () => {
    const user = signInWith("supervisor", ["read_all", "view_audit"]);
    await user.click(await screen.findByRole("button", { name: "Admin" }));
    expect(adminTabs()).toEqual(["admin-audit"]);
    expect(document.getElementById("admin-users-title")).toBeNull();
  });

  it("lets an agent-based role with manage_users reach users, roles and API tokens only", async () => {
    const user = signInWith("agent", ["read_assigned", "manage_users"]);
    await user.click(await screen.findByRole("button", { name: "Admin" }));
    expect(adminTabs()).toEqual(["admin-users", "admin-roles", "admin-tokens"]);
    await user.click(screen.getByRole("button", { name: "Roles" }));
    expect(await screen.findByRole("heading", { name: "Roles" })).toBeTruthy();
  });

  it("lets a role with manage_rules alone reach the automatic replies", async () => {
    const user = signInWith("agent", ["read_assigned", "manage_rules"]);
    await user.click(await screen.findByRole("button", { name: "Admin" }));
    expect(adminTabs()).toEqual(["admin-automation"]);
    expect(await screen.findByRole("heading", { name: "Automatic replies" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "New rule" })).toBeTruthy();
  });

  it("shows the filter read-only without manage_filter", async () => {
    const user = signInWith("admin", ["read_all", "view_filter"]);
    await user.click(await screen.findByRole("button", { name: "Filter" }));
    await screen.findByText("Version 1");
    expect(tabs()).not.toContain("view-admin");
    expect(screen.queryByRole("button", { name: "Save as new version" })).toBeNull();
  });
});
