import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { CreateUserRequest } from "../../bindings/CreateUserRequest";
import type { RoutingOverview } from "../../bindings/RoutingOverview";
import type { UserProfile } from "../../bindings/UserProfile";
import { entry, supervisorSession } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { parseCapacity, parseSkills } from "./adminModel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const admin = supervisorSession({ user: { id: 1, username: "admin", display_name: "Admin", role: "admin", custom_role: null, permissions: [] } });

const overview: RoutingOverview = {
  default_capacity: 7,
  max_capacity: 30,
  grace_seconds: 120,
  heartbeat_timeout_seconds: 60,
  queues: [
    {
      phone_number_id: "1001",
      team_id: null,
      name: "Acme Support",
      strategy: "least_load",
      sticky_days: 7,
      sla_minutes: 10,
      sla_action: "escalate",
      waiting_message: null,
      business_hours_time_zone: "Asia/Riyadh",
    },
  ],
  priority_tags: { vip: 10 },
  agents: [{ user_id: 7, max_open: null, open: 2, skills: [{ skill: "arabic", level: 4 }], numbers: ["1001"] }],
};

function signInAsAdmin(create: (request: CreateUserRequest) => UserProfile) {
  const users: UserProfile[] = [
    { id: 1, username: "admin", display_name: "Admin", role: "admin", custom_role: null, permissions: [] },
    { id: 7, username: "amira", display_name: "Amira Haddad", role: "agent", custom_role: null, permissions: [] },
  ];
  mockCommands({
    session_status: () => admin,
    list_inbox: () => [entry(41, 1_000)],
    list_messages: () => [],
    mark_read: () => null,
    list_users: () => users,
    routing_overview: () => overview,
    business_numbers: () => [
      {
        phone_number_id: "1001",
        display_number: "+15550100",
        name: "Acme Support",
        waba_id: "2001",
        throughput_per_second: 80,
        shared_with_business_app: false,
      },
    ],
    list_teams: () => [{ id: 2, name: "Billing", numbers: ["1001"], members: [7] }],
    create_user: (request) => {
      const user = create(request);
      users.push(user);
      return user;
    },
    set_agent_capacity: () => null,
    set_agent_skills: () => null,
  });
  const user = userEvent.setup();
  render(<App />);
  return user;
}

describe("Admin screens", () => {
  it("are offered to admins only", async () => {
    mockCommands({ session_status: () => supervisorSession(), list_inbox: () => [], list_messages: () => [], mark_read: () => null });
    render(<App />);
    await screen.findByRole("button", { name: "Review" });
    expect(screen.queryByRole("button", { name: "Admin" })).toBeNull();
  });

  it("list users and show the server's reason when a new user is refused", async () => {
    const user = signInAsAdmin(() => {
      throw { code: "rejected", message: "the password must have at least 8 characters" };
    });
    await user.click(await screen.findByRole("button", { name: "Admin" }));
    const table = await screen.findByRole("table");
    expect(within(table).getByText("amira")).toBeTruthy();
    expect(within(table).getByText("Acme Support")).toBeTruthy();
    expect(within(table).getByLabelText("Skills of Amira Haddad")).toHaveProperty("value", "arabic:4");

    await user.type(screen.getByLabelText("Username"), "omar");
    await user.type(screen.getByLabelText("Password"), "short");
    await user.click(screen.getByRole("checkbox", { name: /Acme Support/ }));
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect((await screen.findByRole("alert")).textContent).toBe("the password must have at least 8 characters");
    expect(callsOf("create_user")).toEqual([
      { username: "omar", display_name: "", password: "short", role: "agent", custom_role: null, numbers: ["1001"] },
    ]);
    // What was typed stays, so the admin only fixes the password.
    expect(screen.getByLabelText("Username")).toHaveProperty("value", "omar");
  });

  it("create a user, set an agent's limit and skills, and show routing and numbers read-only", async () => {
    const user = signInAsAdmin((request) => ({ id: 9, username: request.username, display_name: request.username, role: request.role, custom_role: request.custom_role, permissions: [] }));
    await user.click(await screen.findByRole("button", { name: "Admin" }));
    await user.type(await screen.findByLabelText("Username"), "somchai");
    await user.type(screen.getByLabelText("Password"), "a long enough password");
    await user.selectOptions(screen.getByLabelText("Role"), "Supervisor");
    await user.click(screen.getByRole("button", { name: "Create user" }));
    expect(await screen.findByText("somchai can sign in now.")).toBeTruthy();
    expect(await screen.findByText("somchai", { selector: "th" })).toBeTruthy();

    await user.type(screen.getByLabelText("Open conversations Amira Haddad may hold"), "3");
    await user.clear(screen.getByLabelText("Skills of Amira Haddad"));
    await user.type(screen.getByLabelText("Skills of Amira Haddad"), "arabic:5, billing");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await vi.waitFor(() => expect(callsOf("set_agent_skills")).toHaveLength(1));
    expect(callsOf("set_agent_capacity")).toEqual([{ user_id: 7, max_open: 3 }]);
    expect(callsOf("set_agent_skills")[0]!.skills).toEqual([
      { skill: "arabic", level: 5 },
      { skill: "billing", level: 1 },
    ]);

    await user.click(screen.getByRole("button", { name: "Teams and routing" }));
    expect((await screen.findByText(/Routing is set in the server's settings file/)).id).toBe("admin-routing-note");
    const teams = document.getElementById("admin-teams")!;
    expect(within(teams).getByText("Amira Haddad")).toBeTruthy();
    expect(within(document.getElementById("admin-queues")!).getByText("10 min, then escalate")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Numbers" }));
    const numbers = await screen.findByRole("table");
    expect(within(numbers).getByText("+15550100")).toBeTruthy();
    expect(within(numbers).getByText("80 messages a second")).toBeTruthy();
  });
});

describe("Audit log and account actions", () => {
  it("search the audit log, page it, and say where it was tampered with", async () => {
    const user = signInAsAdmin(() => {
      throw new Error("not used");
    });
    const entries = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        id: from - i,
        at: 1_760_000_000_000 - i * 60_000,
        actor_id: 1,
        actor_name: "admin",
        action: i % 2 === 0 ? "user.created" : "brand.new_action",
        target: `user:u${from - i}`,
        details: { role: "agent", numbers: ["1001"] },
      }));
    mockCommands({
      ...{},
      session_status: () => admin,
      list_inbox: () => [],
      list_messages: () => [],
      mark_read: () => null,
      list_users: () => [],
      routing_overview: () => overview,
      business_numbers: () => [],
      audit_log: (q) => (q.before === null ? entries(200, 50) : entries(q.before - 1, 3)),
      verify_audit_log: () => ({
        entries: 41,
        head_hash: null,
        first_broken_id: 42,
        problem: "Entry 42 is broken: its contents no longer match its hash: it was changed after it was written.",
      }),
    });
    await user.click(await screen.findByRole("button", { name: "Admin" }));
    await user.click(await screen.findByRole("button", { name: "Audit log" }));
    const table = await screen.findByRole("table");
    expect(within(table).getAllByText("User created")).toHaveLength(25);
    // An action this version does not know keeps its name.
    expect(within(table).getAllByText("brand.new_action")).toHaveLength(25);
    expect(within(table).getAllByText(/role: agent, numbers: \["1001"\]/).length).toBe(50);
    expect(callsOf("audit_log")[0]).toEqual({ text: null, action: null, actor: null, from: null, until: null, before: null, limit: 50 });

    await user.click(screen.getByRole("button", { name: "Older entries" }));
    await vi.waitFor(() => expect(document.querySelectorAll(".audit-entry")).toHaveLength(53));
    expect(callsOf("audit_log").at(-1)!.before).toBe(151);

    await user.type(screen.getByPlaceholderText("Search who, what or details"), "amira");
    await user.selectOptions(screen.getByLabelText("Show"), "session");
    await vi.waitFor(() => expect(callsOf("audit_log").at(-1)).toMatchObject({ text: "amira", action: "session", before: null }));

    await user.click(screen.getByRole("button", { name: "Check the log is intact" }));
    expect((await screen.findByText(/The log was changed outside Switchboard/)).textContent).toContain("Entry 42 is broken");
  });

  it("unlock an account and sign a user out everywhere, saying what happened", async () => {
    const user = signInAsAdmin(() => {
      throw new Error("not used");
    });
    mockCommands({
      session_status: () => admin,
      list_inbox: () => [],
      list_messages: () => [],
      mark_read: () => null,
      list_users: () => [{ id: 7, username: "amira", display_name: "Amira Haddad", role: "agent", custom_role: null, permissions: [] }],
      routing_overview: () => overview,
      business_numbers: () => [],
      unlock_user: () => null,
      sign_out_user_everywhere: () => ({ sessions: 2 }),
    });
    await user.click(await screen.findByRole("button", { name: "Admin" }));
    await user.click(await screen.findByRole("button", { name: "Unlock" }));
    expect(await screen.findByText("Amira Haddad can sign in again.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    expect(await screen.findByText("Amira Haddad was signed out of 2 sessions.")).toBeTruthy();
    expect(callsOf("unlock_user")).toEqual([{ user_id: 7 }]);
    expect(callsOf("sign_out_user_everywhere")).toEqual([{ user_id: 7 }]);
  });
});

describe("admin fields", () => {
  it("read skills and limits as typed", () => {
    expect(parseSkills("arabic:4, billing ، vip:x")).toEqual([
      { skill: "arabic", level: 4 },
      { skill: "billing", level: 1 },
      { skill: "vip", level: 0 },
    ]);
    expect(parseCapacity("")).toBeNull();
    expect(parseCapacity(" 5 ")).toBe(5);
    expect(parseCapacity("2.5")).toBe("invalid");
  });
});
