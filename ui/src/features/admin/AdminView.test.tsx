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

const admin = supervisorSession({ user: { id: 1, username: "admin", display_name: "Admin", role: "admin" } });

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
    { id: 1, username: "admin", display_name: "Admin", role: "admin" },
    { id: 7, username: "amira", display_name: "Amira Haddad", role: "agent" },
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
      { username: "omar", display_name: "", password: "short", role: "agent", numbers: ["1001"] },
    ]);
    // What was typed stays, so the admin only fixes the password.
    expect(screen.getByLabelText("Username")).toHaveProperty("value", "omar");
  });

  it("create a user, set an agent's limit and skills, and show routing and numbers read-only", async () => {
    const user = signInAsAdmin((request) => ({ id: 9, username: request.username, display_name: request.username, role: request.role }));
    await user.click(await screen.findByRole("button", { name: "Admin" }));
    await user.type(await screen.findByLabelText("Username"), "somchai");
    await user.type(screen.getByLabelText("Password"), "a long enough password");
    await user.selectOptions(screen.getByLabelText("Role"), "supervisor");
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
