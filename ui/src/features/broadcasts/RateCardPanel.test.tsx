import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { RateCardEntry } from "../../bindings/RateCardEntry";
import type { RateCardImportRequest } from "../../bindings/RateCardImportRequest";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { CostReportPanel, periodOf } from "./CostReportPanel";
import { RateCardPanel } from "./RateCardPanel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const thailand: RateCardEntry = { market: "TH", category: "marketing", amount_micros: 13_000, currency: "USD", effective_from: 0 };
const brazil: RateCardEntry = { market: "BR", category: "utility", amount_micros: 6_800, currency: "USD", effective_from: 0 };

function mountRateCard(answer: (r: RateCardImportRequest) => { errors: { line: number; message: string }[]; entries: RateCardEntry[] }) {
  mockCommands({
    rate_card: () => ({ entries: [] }),
    import_rate_card: (r) => {
      const { errors, entries } = answer(r);
      const saved = !r.dry_run && errors.length === 0;
      return { entries, errors, ignored_columns: ["Volume tier"], saved, repriced: saved ? 12 : 0 };
    },
  });
  render(<RateCardPanel />);
  return userEvent.setup();
}

const file = (text: string) => new File([text], "meta-prices.csv", { type: "text/csv" });

describe("RateCardPanel", () => {
  it("reads the file as a dry run, shows the prices, then saves it as the card", async () => {
    const user = mountRateCard(() => ({ errors: [], entries: [thailand, brazil] }));
    expect(await screen.findByText("No rate card is loaded yet.")).toBeTruthy();
    await user.type(screen.getByLabelText("Currency, if the file names none"), "usd");
    await user.upload(screen.getByLabelText("Price list (CSV)"), file("Market,Marketing\nTH,0.013\n"));
    expect(await screen.findByText("The file holds 2 prices. Problems: 0.")).toBeTruthy();
    expect(callsOf("import_rate_card")).toEqual([{ csv: "Market,Marketing\nTH,0.013\n", dry_run: true, currency: "USD" }]);
    const read = screen.getByRole("table", { name: "Prices read from the file" });
    expect(within(read).getByRole("row", { name: /TH/ }).textContent).toContain("$0.013");
    expect(screen.getByText("Columns not used: Volume tier")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Save as the rate card" }));
    expect(callsOf("import_rate_card")[1]!.dry_run).toBe(false);
    expect(await screen.findByText(/Saved: the card now holds 2 prices\. 12 recorded messages were priced again\./)).toBeTruthy();
    expect(within(screen.getByRole("table", { name: "The rate card in use" })).getAllByRole("row")).toHaveLength(3);
  });

  it("lists each problem with its line and will not save a file that has any", async () => {
    const user = mountRateCard(() => ({ errors: [{ line: 4, message: "“0,0x” in the column “Marketing” is not a price" }], entries: [thailand] }));
    await user.upload(screen.getByLabelText("Price list (CSV)"), file("x"));
    expect(await screen.findByText("Line 4: “0,0x” in the column “Marketing” is not a price")).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Save as the rate card" }).disabled).toBe(true);
    expect(callsOf("import_rate_card").every((r) => r.dry_run)).toBe(true);
  });
});

describe("CostReportPanel", () => {
  it("asks for the chosen period and grouping and shows each group's cost", async () => {
    mockCommands({
      cost_report: (q) => ({
        from: q.from ?? 0,
        until: q.until ?? 0,
        group_by: q.group_by,
        lines: [{ key: "TH", currency: "USD", messages: 900, billable: 800, unpriced: 0, amount_micros: 10_400_000 }],
        totals: [{ currency: "USD", amount_micros: 10_400_000 }],
        messages: 900,
        billable: 800,
        unpriced: 0,
        undelivered: 3,
        rate_card: true,
      }),
    });
    render(<CostReportPanel />);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("Group by"), "country");
    const row = await screen.findByRole("row", { name: /Thailand \(TH\)/ });
    expect(row.textContent).toContain("$10.40");
    expect(callsOf("cost_report").at(-1)!.group_by).toBe("country");
    expect(document.getElementById("cost-report-total")!.textContent).toBe("$10.40");
    expect(screen.getByText("3 priced messages were not delivered and are not counted.")).toBeTruthy();
  });

  it("covers whole days in the admin's zone, the last day included", () => {
    expect(periodOf("2026-12-01", "2026-12-31", "Asia/Bangkok")).toEqual({ from: Date.UTC(2026, 10, 30, 17, 0), until: Date.UTC(2026, 11, 31, 17, 0) });
    // Clocks go forward on 29 March 2026 in Berlin: that day has 23 hours.
    expect(periodOf("2026-03-29", "2026-03-29", "Europe/Berlin")).toEqual({ from: Date.UTC(2026, 2, 28, 23, 0), until: Date.UTC(2026, 2, 29, 22, 0) });
    expect(periodOf("2026-12-31", "2026-12-01", "UTC")).toBeNull();
    expect(periodOf("", "2026-12-01", "UTC")).toBeNull();
  });
});
