import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Policy } from "../../bindings/Policy";
import type { Role } from "../../bindings/Role";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { FilterView } from "./FilterView";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

function bigPolicy(count: number): Policy {
  return {
    version: 7,
    entries: Array.from({ length: count }, (_, i) => ({
      phrase: i === 1234 ? "crypto bonus" : `phrase ${i}`,
      action: i % 3 === 0 ? "block" : i % 3 === 1 ? "warn" : "mask",
      match_mode: "substring",
    })),
    allowlist: ["Free Town"],
  };
}

function baseCommands(policy: Policy) {
  return {
    filter_policy: () => ({ policy }),
    filter_versions: () => [{ version: 7, created_at: 1_700_000_000_000, created_by: "root", entries: policy.entries.length, allowlist: 1 }],
    filter_blocks: () => [
      {
        id: 1,
        at: 1_700_000_000_000,
        source: "agent" as const,
        user: "amal",
        conversation_id: 3,
        text: "free money here",
        phrase: "free money",
        action: "block" as const,
        policy_version: 7,
      },
    ],
  };
}

function setup(role: Role) {
  const user = userEvent.setup();
  render(
    <DesktopEventsProvider hub={new DesktopEventHub()}>
      <FilterView editable={role === "admin"} />
    </DesktopEventsProvider>,
  );
  return user;
}

const rows = () => document.querySelectorAll("#filter-entries tbody tr.filter-entry");

describe("FilterView", () => {
  it("pages 10,000 entries and finds one by search", async () => {
    mockCommands(baseCommands(bigPolicy(10_000)));
    const user = setup("admin");
    await screen.findByText("Version 7");
    expect(rows()).toHaveLength(50);
    expect(document.getElementById("filter-page")?.textContent).toBe("Page 1 of 200 (10000 entries)");

    await user.type(document.getElementById("filter-search") as HTMLInputElement, "crypto");
    expect(rows()).toHaveLength(1);
    expect(rows()[0]?.getAttribute("data-index")).toBe("1234");
    expect(await screen.findByText(/amal/)).toBeTruthy(); // the recent refusals list
    expect(document.querySelector(".filter-version")?.getAttribute("data-version")).toBe("7");
  });

  it("saves an edit based on the loaded version and shows a conflict", async () => {
    const policy: Policy = { version: 3, entries: [{ phrase: "free money", action: "block", match_mode: "substring" }], allowlist: [] };
    mockCommands({
      ...baseCommands(policy),
      save_filter_policy: () =>
        Promise.reject({ code: "conflict", message: "Version 4 was saved meanwhile by root; reload before saving." }),
    });
    const user = setup("admin");
    await screen.findByText("Version 3");
    const save = document.getElementById("filter-save") as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    await user.click(document.getElementById("filter-add") as HTMLButtonElement);
    const phrase = rows()[0]?.querySelector(".entry-phrase") as HTMLInputElement;
    await user.type(phrase, "crypto bonus");
    await user.selectOptions(rows()[0]?.querySelector(".entry-action") as HTMLSelectElement, "warn");
    await user.type(rows()[0]?.querySelector(".entry-teams") as HTMLInputElement, "Billing; VIP");
    await user.click(save);

    expect(callsOf("save_filter_policy")).toEqual([
      {
        entries: [
          { phrase: "crypto bonus", action: "warn", match_mode: "substring", languages: [], numbers: [], teams: ["Billing", "VIP"] },
          { phrase: "free money", action: "block", match_mode: "substring" },
        ],
        allowlist: [],
        based_on: 3,
      },
    ]);
    const error = await screen.findByRole("alert");
    expect(error.id).toBe("filter-save-error");
    expect(error.getAttribute("data-conflict")).toBe("true");
    expect(error.textContent).toContain("Version 4 was saved meanwhile");
  });

  it("tests a text and highlights each match by action with a masked preview", async () => {
    const text = "مرحبا free money 0812345678";
    mockCommands({
      ...baseCommands(bigPolicy(3)),
      test_filter_text: () => ({
        policy_version: 7,
        blocked: true,
        needs_confirmation: false,
        matches: [
          { phrase: "free money", action: "block", rule: 0, start: 6, end: 16 },
          { phrase: "0812345678", action: "mask", rule: 2, start: 17, end: 27 },
        ],
        masked: "مرحبا free money **********",
      }),
    });
    const user = setup("supervisor");
    await screen.findByText("Version 7");
    await user.type(document.getElementById("filter-test-text") as HTMLTextAreaElement, text);
    await user.type(document.getElementById("filter-test-team") as HTMLInputElement, "Billing");
    await user.click(document.getElementById("filter-test-run") as HTMLButtonElement);

    const result = await screen.findByText("Blocked: this message would not be sent.");
    expect(result).toBeTruthy();
    expect(callsOf("test_filter_text")).toEqual([{ text, scope: { number: null, team: "Billing", language: null }, draft: null }]);
    const marks = [...document.querySelectorAll("#filter-test-result mark.filter-hit")];
    expect(marks.map((m) => [m.textContent, m.getAttribute("data-action")])).toEqual([
      ["free money", "block"],
      ["0812345678", "mask"],
    ]);
    expect(document.getElementById("filter-test-masked")?.textContent).toBe("Will be sent as: مرحبا free money **********");
    const rules = within(document.getElementById("filter-test-matches") as HTMLElement).getAllByRole("listitem");
    expect(rules.map((r) => r.getAttribute("data-rule"))).toEqual(["0", "2"]);
  });

  it("is read-only for supervisors", async () => {
    mockCommands(baseCommands(bigPolicy(3)));
    setup("supervisor");
    await screen.findByText("Version 7");
    expect(document.getElementById("filter-save")).toBeNull();
    expect(document.getElementById("filter-add")).toBeNull();
    expect(document.getElementById("filter-import-file")).toBeNull();
    expect(document.querySelector("#filter-entries input")).toBeNull();
    expect((document.getElementById("filter-allowlist") as HTMLTextAreaElement).readOnly).toBe(true);
  });

  it("previews a CSV import with its line errors before anything is saved", async () => {
    mockCommands({
      ...baseCommands(bigPolicy(3)),
      import_filter_csv: ({ dry_run }) => ({
        entries: [{ phrase: "crypto bonus", action: "block", match_mode: "substring" }],
        allowlist: [],
        errors: dry_run ? [{ line: 3, message: "unknown action “ban”; use block, warn, mask or allow" }] : [],
        saved_version: null,
      }),
    });
    const user = setup("admin");
    await screen.findByText("Version 7");
    const file = new File(["phrase,action\ncrypto bonus,block\nx,ban\n"], "list.csv", { type: "text/csv" });
    await user.upload(document.getElementById("filter-import-file") as HTMLInputElement, file);

    const line = await screen.findByText(/Line 3: unknown action/);
    expect(line.getAttribute("data-line")).toBe("3");
    expect(callsOf("import_filter_csv")).toEqual([{ csv: "phrase,action\ncrypto bonus,block\nx,ban\n", dry_run: true, based_on: 7 }]);
    expect((document.getElementById("filter-import-save") as HTMLButtonElement).disabled).toBe(true);
  });
});
