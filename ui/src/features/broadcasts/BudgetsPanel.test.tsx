import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Broadcast } from "../../bindings/Broadcast";
import type { BudgetList } from "../../bindings/BudgetList";
import type { BudgetOverview } from "../../bindings/BudgetOverview";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { BroadcastPreviewPanel } from "./BroadcastPreviewPanel";
import { BudgetsPanel } from "./BudgetsPanel";
import { BudgetWarningBanner } from "./BudgetWarningBanner";
import { CostReportPanel } from "./CostReportPanel";
import { broadcast, preview } from "./testData";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

afterEach(() => setLocale("en"));

const usd = (amount_micros: number) => ({ currency: "USD", amount_micros });

const overview: BudgetOverview = {
  month: "2026-12",
  currency: "USD",
  budgets: [
    {
      budget: { scope: "account", target: "", cap: usd(500_000_000), thresholds: [80, 100] },
      label: "",
      spent_micros: 450_000_000,
      remaining_micros: 50_000_000,
      percent: 90,
      projected_micros: 620_000_000,
      warned: [80],
    },
    {
      budget: { scope: "team", target: "4", cap: usd(100_000_000), thresholds: [] },
      label: "Sales",
      spent_micros: 20_000_000,
      remaining_micros: 80_000_000,
      percent: 20,
      projected_micros: 40_000_000,
      warned: [],
    },
  ],
};

function mountBudgets(canEdit: boolean) {
  const saved: BudgetList[] = [];
  mockCommands({
    budgets: () => overview,
    list_teams: () => [{ id: 4, name: "Sales", numbers: [], members: [] }],
    business_numbers: () => [],
    save_budgets: (list) => {
      saved.push(list);
      return { ...overview, budgets: overview.budgets.slice(0, 1) };
    },
  });
  render(<BudgetsPanel canEdit={canEdit} />);
  return { saved, user: userEvent.setup() };
}

describe("BudgetsPanel", () => {
  it("shows each budget's bar with spend, cap, projection and warnings", async () => {
    mountBudgets(false);
    const account = await screen.findByRole("progressbar", { name: "Whole account" });
    expect(account.getAttribute("aria-valuenow")).toBe("90");
    const item = account.closest("li")!;
    expect(item.getAttribute("data-level")).toBe("warned");
    expect(item.textContent).toContain("$450.00 of $500.00 (90 %)");
    expect(item.textContent).toContain("At this pace: $620.00 by the end of the month.");
    expect(item.textContent).toContain("Warned at 80 %.");
    expect(screen.getByRole("progressbar", { name: "Team Sales" }).closest("li")!.getAttribute("data-level")).toBe("ok");
    expect(screen.queryByRole("button", { name: "Edit budgets" })).toBeNull();
  });

  it("lets a number manager change a cap and remove a budget, and saves the whole list", async () => {
    const { saved, user } = mountBudgets(true);
    await user.click(await screen.findByRole("button", { name: "Edit budgets" }));
    const cap = screen.getByLabelText("Monthly cap (USD)", { selector: "#budget-amount-0" });
    await user.clear(cap);
    await user.type(cap, "600.5");
    await user.click(screen.getByRole("button", { name: "Remove budget 2" }));
    await user.click(screen.getByRole("button", { name: "Save budgets" }));
    expect(saved).toEqual([{ budgets: [{ scope: "account", target: "", cap: usd(600_500_000), thresholds: [80, 100] }] }]);
    expect(await screen.findByText("Budgets saved.")).toBeTruthy();
  });

  it("names the budget and field to fix instead of saving", async () => {
    const { saved, user } = mountBudgets(true);
    await user.click(await screen.findByRole("button", { name: "Edit budgets" }));
    await user.click(screen.getByRole("button", { name: "Add a budget" }));
    await user.selectOptions(screen.getByLabelText("Applies to", { selector: "#budget-scope-2" }), "team");
    await user.click(screen.getByRole("button", { name: "Save budgets" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Budget 3: choose what it applies to.");
    await user.selectOptions(screen.getByLabelText("Team", { selector: "#budget-target-2" }), "Sales");
    await user.type(screen.getByLabelText("Monthly cap (USD)", { selector: "#budget-amount-2" }), "-5");
    await user.click(screen.getByRole("button", { name: "Save budgets" }));
    expect(screen.getByRole("alert").textContent).toContain("Budget 3: the cap must be an amount above zero");
    expect(saved).toEqual([]);
  });
});

describe("BudgetWarningBanner", () => {
  it("shows each warning the desk is told about until it is dismissed", async () => {
    const hub = new DesktopEventHub();
    render(
      <DesktopEventsProvider hub={hub}>
        <BudgetWarningBanner />
      </DesktopEventsProvider>,
    );
    expect(screen.queryByRole("alert")).toBeNull();
    act(() =>
      hub.emit({
        type: "budget_warning",
        warning: { scope: "number", target: "1001", label: "1001", month: "2026-12", threshold: 80, spent: usd(41_000_000), cap: usd(50_000_000) },
      }),
    );
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Number 1001 has spent $41.00 of its $50.00 monthly budget: past 80 %.");
    await userEvent.setup().click(within(alert).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("the broadcast estimate and budgets", () => {
  function showOverBudget() {
    const p = preview({
      budgets: [{ scope: "account", target: "", label: "", remaining: usd(5_000_000), cap: usd(500_000_000), exceeded: true }],
    });
    mockCommands({
      preview_broadcast: () => p,
      start_broadcast: ({ id }) => broadcast({ id, state: "sending", recipients: p.recipients }),
    });
    const changed = vi.fn<(b: Broadcast) => void>();
    render(<BroadcastPreviewPanel broadcast={broadcast()} startAt={null} unsaved={false} timeProblem={null} onChanged={changed} />);
    return { changed, user: userEvent.setup() };
  }

  it("shows what the budget has left next to the estimate and starts over budget only when confirmed", async () => {
    const { changed, user } = showOverBudget();
    const left = await screen.findByText("$5.00");
    expect(left.id).toBe("broadcast-preview-budget");
    expect(left.getAttribute("data-exceeded")).toBe("true");
    expect(screen.getByText("The estimate is more than the $5.00 left in Whole account budget this month.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Start now" }));
    const yes = document.getElementById("broadcast-confirm-yes") as HTMLButtonElement;
    expect(yes.disabled).toBe(true);
    await user.click(screen.getByLabelText("Send it anyway, over the budget"));
    await user.click(yes);
    expect(callsOf("start_broadcast")).toEqual([{ id: broadcast().id, over_budget: true }]);
    expect(changed).toHaveBeenCalled();
  });
});

describe("CostReportPanel by team and broadcast", () => {
  it("names teams and broadcasts, and messages of neither", async () => {
    mockCommands({
      cost_report: (q) => ({
        from: 0,
        until: 1,
        group_by: q.group_by,
        lines:
          q.group_by === "campaign"
            ? [
                { key: "7", label: "December offer", currency: "USD", messages: 3, billable: 3, unpriced: 0, amount_micros: 150_000 },
                { key: "conversations", currency: "USD", messages: 2, billable: 2, unpriced: 0, amount_micros: 61_300 },
              ]
            : [{ key: "none", currency: "USD", messages: 1, billable: 1, unpriced: 0, amount_micros: 50_000 }],
        totals: [usd(211_300)],
        messages: 5,
        billable: 5,
        unpriced: 0,
        undelivered: 0,
        rate_card: true,
      }),
    });
    render(<CostReportPanel />);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("Group by"), "team");
    expect(await screen.findByRole("row", { name: /No team/ })).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("Group by"), "campaign");
    expect((await screen.findByRole("row", { name: /December offer/ })).textContent).toContain("$0.15");
    expect(screen.getByRole("row", { name: /Conversations \(no broadcast\)/ })).toBeTruthy();
  });
});
