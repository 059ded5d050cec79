import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { RoleDefinition } from "../../bindings/RoleDefinition";
import type { RoleSummary } from "../../bindings/RoleSummary";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { RolesPanel } from "./RolesPanel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const builtIn = (base: "agent" | "supervisor" | "admin", users: number): RoleSummary => ({
  definition: { name: base, base, description: "", permissions: ["read_assigned", "reply", "transfer"], numbers: [], teams: [] },
  built_in: true,
  users,
});

const northLead: RoleSummary = {
  definition: {
    name: "North lead",
    base: "supervisor",
    description: "Leads the north desk",
    permissions: ["read_all", "reply", "view_reports"],
    numbers: ["1001"],
    teams: [],
  },
  built_in: false,
  users: 2,
};

function setup(create: (role: RoleDefinition) => RoleDefinition) {
  const roles = [builtIn("agent", 4), builtIn("supervisor", 1), builtIn("admin", 1), northLead];
  mockCommands({
    list_roles: () => roles,
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
    create_role: (role) => {
      const created = create(role);
      roles.push({ definition: created, built_in: false, users: 0 });
      return created;
    },
    delete_role: () => null,
  });
  const user = userEvent.setup();
  render(<RolesPanel />);
  return user;
}

describe("RolesPanel", () => {
  it("lists built-in roles read-only and custom roles with their scope and holders", async () => {
    setup((role) => role);
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(4);
    const agent = rows[0]!;
    expect(within(agent).getByText("built-in")).toBeTruthy();
    expect(within(agent).getByText("Cannot be changed")).toBeTruthy();
    expect(within(agent).queryByRole("button")).toBeNull();

    const custom = rows[3]!;
    expect(within(custom).getByText("North lead")).toBeTruthy();
    expect(within(custom).getByText("Leads the north desk")).toBeTruthy();
    expect(within(custom).getByText("3 permissions")).toBeTruthy();
    expect(within(custom).getByText("View reports")).toBeTruthy();
    expect(await within(custom).findByText("Numbers: Acme Support · all teams")).toBeTruthy();
    // Held by two users: it cannot be deleted, and the hint says why.
    const remove = within(custom).getByRole("button", { name: "Delete role North lead" });
    expect(remove).toHaveProperty("disabled", true);
    expect(within(custom).getByText("2 users hold it: give them another role first.")).toBeTruthy();
  });

  it("creates a role, sending the permissions in the server's order and the scope chosen", async () => {
    const user = setup((role) => role);
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("Name"), "Billing export");
    await user.selectOptions(screen.getByLabelText("Based on"), "Supervisor");
    await user.type(screen.getByLabelText("Description"), "Exports for billing");
    // The supervisor's permissions came in with the base; keep reading and exporting only.
    for (const label of ["Reply", "Transfer", "Steer routing", "View reports", "View the filter", "Read assigned conversations"]) {
      await user.click(screen.getByLabelText(label));
    }
    await user.click(screen.getByLabelText(/Acme Support/));
    await user.click(screen.getByLabelText("Billing"));
    await user.click(screen.getByRole("button", { name: "Create role" }));

    expect(await screen.findByText("Role Billing export saved.")).toBeTruthy();
    expect(callsOf("create_role")).toEqual([
      {
        name: "Billing export",
        base: "supervisor",
        description: "Exports for billing",
        permissions: ["read_all", "export"],
        numbers: ["1001"],
        teams: [2],
      },
    ]);
    expect(await screen.findByText("Billing export")).toBeTruthy();
    // The form is empty again for the next role.
    expect(screen.getByLabelText("Name")).toHaveProperty("value", "");
    // Many clicks in a large form: slow under jsdom on a busy machine.
  }, 20_000);

  it("shows the server's refusal next to the form and keeps what was typed", async () => {
    const user = setup(() => {
      throw { code: "rejected", message: "A role needs at least one permission." };
    });
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("Name"), "Empty");
    for (const label of ["Read assigned conversations", "Reply", "Transfer"]) {
      await user.click(screen.getByLabelText(label));
    }
    await user.click(screen.getByRole("button", { name: "Create role" }));
    expect((await screen.findByRole("alert")).textContent).toBe("A role needs at least one permission.");
    expect(callsOf("create_role")[0]!.permissions).toEqual([]);
    expect(screen.getByLabelText("Name")).toHaveProperty("value", "Empty");
  });

  it("deletes a role nobody holds after confirmation", async () => {
    const user = setup((role) => role);
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("Name"), "Temp");
    await user.click(screen.getByRole("button", { name: "Create role" }));
    await user.click(await screen.findByRole("button", { name: "Delete role Temp" }));
    expect(callsOf("delete_role")).toEqual([]);
    await user.click(within(screen.getByRole("group", { name: "Delete role Temp?" })).getByRole("button", { name: "Delete" }));
    expect(callsOf("delete_role")).toEqual([{ name: "Temp" }]);
  });
});
