import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiToken } from "../../bindings/ApiToken";
import type { NumberSummary } from "../../bindings/NumberSummary";
import type { TeamSummary } from "../../bindings/TeamSummary";
import type { UserProfile } from "../../bindings/UserProfile";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { AdminView } from "./AdminView";
import { ApiTokensPanel } from "./ApiTokensPanel";
import { EMPTY_TOKEN_DRAFT, endOfDay, isExpired, scopeNames, togglePermission, tokenRequest } from "./apiTokensModel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

afterEach(() => setLocale("en"));

const number = (phone_number_id: string, name: string, display_number: string): NumberSummary => ({
  phone_number_id,
  display_number,
  name,
  waba_id: "2001",
  throughput_per_second: 80,
  shared_with_business_app: false,
});

/** The business numbers and teams the admin screens load. */
const NUMBERS = [number("1001", "Acme Support", "+15550100"), number("1002", "North Sales", "+15550200")];
const TEAMS: TeamSummary[] = [
  { id: 2, name: "Billing", numbers: ["1001"], members: [7] },
  { id: 3, name: "Returns", numbers: ["1002"], members: [8] },
];

/** An admin of a custom role who holds these four permissions and no others. */
const creator = {
  id: 1,
  username: "nadia",
  display_name: "Nadia",
  role: "admin",
  custom_role: "integrations",
  permissions: ["read_all", "reply", "manage_users", "export"],
} as unknown as UserProfile;

function token(overrides: Partial<ApiToken>): ApiToken {
  return {
    id: 1,
    name: "CRM sync",
    prefix: "sbk_AbCd",
    permissions: ["read_all"],
    numbers: [],
    teams: [],
    created_by: "nadia",
    created_at: 1_760_000_000_000,
    last_used_at: null,
    expires_at: null,
    rate_per_second: null,
    ...overrides,
  };
}

/**
 * A server holding `tokens` that behaves as the real one does; `offeredTeams` is what the
 * desk loaded, which may name a team the server no longer has.
 */
function server(tokens: ApiToken[], offeredTeams: TeamSummary[] = TEAMS) {
  mockCommands({
    api_tokens: () => tokens.map((t) => ({ ...t })),
    business_numbers: () => NUMBERS,
    list_teams: () => offeredTeams,
    create_api_token: (request) => {
      if (request.name === "taken") {
        throw { code: "conflict", message: "A token named `taken` exists already: choose another `name`." };
      }
      const unknown = request.teams.find((id) => !TEAMS.some((team) => team.id === id));
      if (unknown !== undefined) throw { code: "rejected", message: `There is no team with id ${unknown}.` };
      const created = token({
        id: tokens.length + 1,
        name: request.name,
        permissions: request.permissions,
        numbers: request.numbers,
        teams: request.teams,
        expires_at: request.expires_at,
        rate_per_second: request.rate_per_second,
      });
      tokens.push(created);
      return { token: created, secret: "sbk_AbCdEfGh0123456789abcdefghijklmnopqrstuvw" };
    },
    revoke_api_token: ({ id }) => {
      tokens.splice(
        tokens.findIndex((t) => t.id === id),
        1,
      );
      return null;
    },
  });
}

describe("API tokens", () => {
  it("creates a token from the creator's own permissions and shows its secret once", async () => {
    server([]);
    const user = userEvent.setup();
    render(<ApiTokensPanel user={creator} />);
    expect(await screen.findByText("No API token has been created yet.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "New token" }));
    // Only what the creator holds is offered.
    const offered = within(screen.getByRole("group", { name: "Permissions" }))
      .getAllByRole("checkbox")
      .map((box) => box.id.replace("api-token-permission-", ""));
    expect(offered).toEqual(["read_all", "reply", "export", "manage_users"]);
    const create = screen.getByRole<HTMLButtonElement>("button", { name: "Create token" });
    await user.type(screen.getByLabelText("Name"), "  CRM sync ");
    expect(create.disabled).toBe(true);
    expect(screen.getByRole("alert").textContent).toContain("at least one permission");
    await user.click(screen.getByLabelText("Reply"));
    await user.click(screen.getByLabelText("Read all conversations"));
    fireEvent.change(screen.getByLabelText("Expires"), { target: { value: "2099-01-31" } });
    await user.type(screen.getByLabelText("Requests per second"), "5");
    expect(create.disabled).toBe(false);
    await user.click(create);

    const secret = await screen.findByText("sbk_AbCdEfGh0123456789abcdefghijklmnopqrstuvw");
    expect(secret.getAttribute("dir")).toBe("ltr");
    expect(screen.getByRole("status").textContent).toContain("It will not be shown again");
    const request = callsOf("create_api_token")[0]!;
    expect(request.name).toBe("CRM sync");
    expect(request.permissions).toEqual(["read_all", "reply"]);
    expect(request.expires_at).toBe(endOfDay("2099-01-31"));
    expect(request.rate_per_second).toBe(5);
    // Left at its default, the scope is everything the creator sees: no limit is sent.
    expect(request.numbers).toEqual([]);
    expect(request.teams).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe("sbk_AbCdEfGh0123456789abcdefghijklmnopqrstuvw");
    expect(screen.getByRole("button", { name: "Copied" })).toBeTruthy();

    const row = await screen.findByRole("row", { name: /CRM sync/ });
    expect(row.textContent).toContain("sbk_AbCd");
    expect(row.textContent).toContain("5 requests per second");
    expect(row.textContent).toContain("Everything its creator sees");
    // The list never carries the secret; once dismissed it is gone for good.
    expect(row.textContent).not.toContain("0123456789");
    await user.click(screen.getByRole("button", { name: "I have stored it" }));
    expect(screen.queryByText("sbk_AbCdEfGh0123456789abcdefghijklmnopqrstuvw")).toBeNull();
    expect(document.body.textContent).not.toContain("0123456789abcdef");
  });

  it("shows the server's refusal and keeps the form", async () => {
    server([]);
    const user = userEvent.setup();
    render(<ApiTokensPanel user={creator} />);
    await user.click(await screen.findByRole("button", { name: "New token" }));
    await user.type(screen.getByLabelText("Name"), "taken");
    await user.click(screen.getByLabelText("Export"));
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect((await screen.findByRole("alert")).textContent).toContain("choose another `name`");
    expect(screen.getByLabelText<HTMLInputElement>("Name").value).toBe("taken");
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("limits a token to exactly the numbers and teams chosen, and lists its scope", async () => {
    server([]);
    const user = userEvent.setup();
    render(<ApiTokensPanel user={creator} />);
    await user.click(await screen.findByRole("button", { name: "New token" }));
    await user.type(screen.getByLabelText("Name"), "North orders");
    await user.click(screen.getByLabelText("Read all conversations"));
    const everything = screen.getByLabelText<HTMLInputElement>("All the numbers and teams I can see");
    expect(everything.checked).toBe(true);
    // Nothing to tick until the admin asks to choose.
    expect(screen.queryByLabelText(/North Sales/)).toBeNull();
    await user.click(await screen.findByLabelText("Only the numbers and teams I choose"));
    const create = screen.getByRole<HTMLButtonElement>("button", { name: "Create token" });
    // Choosing nothing would send empty lists, which the server reads as "everything".
    expect(create.disabled).toBe(true);
    expect(screen.getByRole("alert").textContent).toContain("Choose at least one number or team");
    const numbers = within(screen.getByRole("group", { name: "Limited to numbers" }));
    // Numbers are told apart as on the roles screen: name, then the number customers see.
    expect(numbers.getAllByRole("checkbox").map((box) => box.closest("label")!.textContent)).toEqual([
      "Acme Support +15550100",
      "North Sales +15550200",
    ]);
    await user.click(numbers.getByLabelText("North Sales +15550200"));
    const teams = within(screen.getByRole("group", { name: "Limited to teams" }));
    await user.click(teams.getByLabelText("Billing"));
    await user.click(teams.getByLabelText("Returns"));
    await user.click(teams.getByLabelText("Billing"));
    expect(create.disabled).toBe(false);
    await user.click(create);

    await screen.findByRole("status");
    expect(callsOf("create_api_token")).toHaveLength(1);
    const request = callsOf("create_api_token")[0]!;
    expect(request.numbers).toEqual(["1002"]);
    expect(request.teams).toEqual([3]);
    const row = await screen.findByRole("row", { name: /North orders/ });
    const scope = row.querySelector("details.api-token-scope")!;
    const summary = scope.querySelector("summary")!;
    expect(summary.textContent).toBe("1 number, 1 team");
    // Named on hover and, opened, to keyboard and screen-reader users.
    expect(summary.getAttribute("title")).toContain("North Sales +15550200");
    expect(summary.getAttribute("title")).toContain("Returns");
    await user.click(summary);
    expect(scope.hasAttribute("open")).toBe(true);
    expect(within(scope as HTMLElement).getByText("North Sales +15550200").tagName).toBe("BDI");
    expect(scope.textContent).toContain("Teams: Returns");
    expect(scope.textContent).not.toContain("Acme Support");
    expect(scope.textContent).not.toContain("Billing");
  });

  it("sends no limit when the admin goes back to everything after ticking some", async () => {
    server([]);
    const user = userEvent.setup();
    render(<ApiTokensPanel user={creator} />);
    await user.click(await screen.findByRole("button", { name: "New token" }));
    await user.type(screen.getByLabelText("Name"), "Reports");
    await user.click(screen.getByLabelText("Export"));
    await user.click(await screen.findByLabelText("Only the numbers and teams I choose"));
    await user.click(screen.getByLabelText("Acme Support +15550100"));
    await user.click(screen.getByLabelText("All the numbers and teams I can see"));
    await user.click(screen.getByRole("button", { name: "Create token" }));
    await screen.findByRole("status");
    expect(callsOf("create_api_token")).toMatchObject([{ name: "Reports", numbers: [], teams: [] }]);
  });

  it("shows the server's refusal of a scope beside the form and keeps the choice", async () => {
    // A team deleted since the desk loaded the list: the server refuses it.
    server([], [...TEAMS, { id: 9, name: "Gone", numbers: [], members: [] }]);
    const user = userEvent.setup();
    render(<ApiTokensPanel user={creator} />);
    await user.click(await screen.findByRole("button", { name: "New token" }));
    await user.type(screen.getByLabelText("Name"), "Old team");
    await user.click(screen.getByLabelText("Reply"));
    await user.click(await screen.findByLabelText("Only the numbers and teams I choose"));
    await user.click(screen.getByLabelText("Gone"));
    await user.click(screen.getByRole("button", { name: "Create token" }));
    const refusal = await screen.findByRole("alert");
    expect(refusal.textContent).toBe("There is no team with id 9.");
    expect(refusal.dataset.code).toBe("rejected");
    expect(refusal.closest("form")?.id).toBe("api-token-form");
    expect(screen.getByLabelText<HTMLInputElement>("Gone").checked).toBe(true);
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("offers teams only when the numbers cannot be loaded", async () => {
    mockCommands({ api_tokens: () => [], list_teams: () => TEAMS });
    const user = userEvent.setup();
    render(<ApiTokensPanel user={creator} />);
    await user.click(await screen.findByRole("button", { name: "New token" }));
    await user.click(await screen.findByLabelText("Only the numbers and teams I choose"));
    expect(screen.getByRole("group", { name: "Limited to teams" })).toBeTruthy();
    expect(screen.queryByRole("group", { name: "Limited to numbers" })).toBeNull();
  });

  it("mirrors the scope in Arabic, keeping phone numbers left to right", async () => {
    server([token({ id: 4, name: "Sales sync", numbers: ["1001", "1002"], teams: [2] })]);
    act(() => setLocale("ar"));
    const user = userEvent.setup();
    render(<ApiTokensPanel user={creator} />);
    expect(document.documentElement.dir).toBe("rtl");
    const row = await screen.findByRole("row", { name: /Sales sync/ });
    const summary = await within(row).findByText((_, el) => el?.tagName === "SUMMARY" && /رقمان/.test(el.textContent ?? ""));
    expect(summary.textContent).toContain("فريق واحد");
    await user.click(screen.getByRole("button", { name: "رمز جديد" }));
    await user.click(await screen.findByLabelText("الأرقام والفرق التي أختارها فقط"));
    const offered = within(screen.getByRole("group", { name: "مقصور على الأرقام" })).getAllByRole("checkbox");
    expect(offered).toHaveLength(2);
    const display = offered[0]!.closest("label")!.querySelector("bdi")!;
    expect(display.textContent).toBe("+15550100");
    expect(display.getAttribute("dir")).toBe("ltr");
  });

  it("says when the list cannot be loaded", async () => {
    mockCommands({
      api_tokens: () => {
        throw { code: "forbidden", message: "You need the manage users permission." };
      },
    });
    render(<ApiTokensPanel user={creator} />);
    expect((await screen.findByRole("alert")).textContent).toBe(
      "API tokens could not be loaded: You need the manage users permission.",
    );
  });

  it("marks expired tokens and shows when each was used", async () => {
    const now = Date.now();
    server([
      token({ id: 1, name: "Old export", expires_at: now - 86_400_000, last_used_at: now - 2 * 86_400_000 }),
      token({ id: 2, name: "CRM sync", expires_at: now + 30 * 86_400_000, permissions: ["read_all", "reply"] }),
      token({ id: 3, name: "Billing", created_by: "omar" }),
    ]);
    render(<ApiTokensPanel user={creator} />);
    const old = await screen.findByRole("row", { name: /Old export/ });
    expect(within(old).getByText("Expired")).toBeTruthy();
    expect(old.querySelectorAll("time")).toHaveLength(3);
    const crm = screen.getByRole("row", { name: /CRM sync/ });
    expect(within(crm).queryByText("Expired")).toBeNull();
    expect(crm.textContent).toContain("Read all conversations, Reply");
    expect(crm.textContent).toContain("Never");
    const billing = screen.getByRole("row", { name: /Billing/ });
    expect(billing.textContent).toContain("omar");
    expect(within(billing).queryByText("Expired")).toBeNull();
  });

  it("revokes only after confirming", async () => {
    const tokens = [token({ id: 7, name: "CRM sync" })];
    server(tokens);
    const user = userEvent.setup();
    render(<ApiTokensPanel user={creator} />);
    const row = await screen.findByRole("row", { name: /CRM sync/ });
    await user.click(within(row).getByRole("button", { name: "Revoke" }));
    expect(callsOf("revoke_api_token")).toHaveLength(0);
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain("Revoke “CRM sync”?");
    // Cancelling leaves the token alone.
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(callsOf("revoke_api_token")).toHaveLength(0);
    await user.click(within(row).getByRole("button", { name: "Revoke" }));
    await user.click(screen.getByRole("button", { name: "Revoke token" }));
    expect(await screen.findByText("No API token has been created yet.")).toBeTruthy();
    expect(callsOf("revoke_api_token")).toEqual([{ id: 7 }]);
    expect(screen.getByRole("status").textContent).toBe("The token was revoked.");
  });

  it("opens from the admin view for manage_users only", () => {
    server([]);
    const { unmount } = render(<AdminView user={creator} />);
    expect(screen.getByRole("button", { name: "API tokens" })).toBeTruthy();
    unmount();
    const webhooksOnly = { ...creator, role: "agent", permissions: ["manage_webhooks"] } as unknown as UserProfile;
    render(<AdminView user={webhooksOnly} />);
    expect(screen.queryByRole("button", { name: "API tokens" })).toBeNull();
  });
});

describe("tokenRequest", () => {
  const now = new Date(2026, 10, 22, 12, 0).getTime();

  it("names the first thing to fix", () => {
    expect(tokenRequest(EMPTY_TOKEN_DRAFT, now)).toBe("name");
    expect(tokenRequest({ ...EMPTY_TOKEN_DRAFT, name: "  " }, now)).toBe("name");
    const named = { ...EMPTY_TOKEN_DRAFT, name: "CRM" };
    expect(tokenRequest(named, now)).toBe("permissions");
    const allowed = togglePermission(named, "reply");
    expect(tokenRequest({ ...allowed, expires: "2026-02-31" }, now)).toBe("expires");
    expect(tokenRequest({ ...allowed, expires: "2026-11-21" }, now)).toBe("expires");
    expect(tokenRequest({ ...allowed, expires: "soon" }, now)).toBe("expires");
    for (const rate of ["0", "-2", "1.5", "lots"]) expect(tokenRequest({ ...allowed, rate }, now)).toBe("rate");
  });

  it("sends the permissions in the server's order, expiry at the end of the day", () => {
    let draft = { ...EMPTY_TOKEN_DRAFT, name: " CRM ", expires: "2026-11-22", rate: " 12 " };
    draft = togglePermission(draft, "export");
    draft = togglePermission(draft, "read_all");
    draft = togglePermission(draft, "reply");
    draft = togglePermission(draft, "reply");
    expect(tokenRequest(draft, now)).toEqual({
      name: "CRM",
      permissions: ["read_all", "export"],
      numbers: [],
      teams: [],
      expires_at: new Date(2026, 10, 22, 23, 59, 59, 999).getTime(),
      rate_per_second: 12,
    });
    expect(tokenRequest({ ...draft, expires: "", rate: "" }, now)).toMatchObject({ expires_at: null, rate_per_second: null });
  });

  it("sends the chosen numbers and teams only when the scope is chosen, and refuses an empty choice", () => {
    const allowed = togglePermission({ ...EMPTY_TOKEN_DRAFT, name: "CRM" }, "read_all");
    const ticked = { ...allowed, numbers: ["1002", "1001"], teams: [3] };
    expect(tokenRequest(ticked, now)).toMatchObject({ numbers: [], teams: [] });
    expect(tokenRequest({ ...ticked, scope: "chosen" }, now)).toMatchObject({ numbers: ["1002", "1001"], teams: [3] });
    expect(tokenRequest({ ...ticked, scope: "chosen", numbers: [] }, now)).toMatchObject({ numbers: [], teams: [3] });
    expect(tokenRequest({ ...allowed, scope: "chosen" }, now)).toBe("scope");
  });

  it("names a token's scope, falling back to ids it cannot name", () => {
    expect(scopeNames(token({}), NUMBERS, TEAMS)).toBeNull();
    expect(scopeNames(token({ numbers: ["1002", "9999"], teams: [2, 77] }), NUMBERS, TEAMS)).toEqual({
      numbers: ["North Sales +15550200", "9999"],
      teams: ["Billing", "77"],
    });
  });

  it("counts a token as expired from its expiry on", () => {
    expect(isExpired({ expires_at: null }, now)).toBe(false);
    expect(isExpired({ expires_at: now }, now)).toBe(true);
    expect(isExpired({ expires_at: now + 1 }, now)).toBe(false);
  });
});
