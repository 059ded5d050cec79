import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExportSummary } from "../../bindings/ExportSummary";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { localZone } from "../broadcasts/broadcastModel";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { presetDays } from "./periodModel";
import { ReportsView } from "./ReportsView";
import { figures, heatmapOf, report } from "./testData";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

let hub = new DesktopEventHub();

function mount() {
  hub = new DesktopEventHub();
  render(
    <DesktopEventsProvider hub={hub}>
      <ReportsView />
    </DesktopEventsProvider>,
  );
}

const lists = {
  business_numbers: () => [],
  transfer_targets: () => ({ agents: [{ id: 7, display_name: "Amira Haddad", available: true }], teams: [{ id: 3, name: "Riyadh desk", numbers: [], members: [] }] }),
};

const tile = (id: string) => document.querySelector(`.report-tile[data-figure="${id}"] .report-tile-value`)?.textContent;
const cell = (key: string, figure: string) => document.querySelector(`.report-row[data-key="${key}"] td[data-figure="${figure}"]`)?.textContent;

describe("the Reports screen", () => {
  afterEach(() => setLocale("en"));

  it("shows the server's figures as cards, a table per group, a chart per figure and the heatmap", async () => {
    mockCommands({ ...lists, report: () => report() });
    mount();
    await screen.findByRole("table", { name: "Figures per Business number" });

    const week = presetDays("last_7_days", Date.now(), localZone());
    expect(callsOf("report")).toEqual([{ from: week.fromDay, to: week.toDay, tz: localZone(), group_by: "number" }]);

    expect(tile("conversations")).toBe("40");
    expect(tile("first_response_median")).toBe("1 min 35 s");
    expect(tile("first_response_p90")).toBe("1 h");
    expect(tile("resolution_median")).toBe("1 h 40 min");
    expect(tile("deflection")).toBe("20.8%");
    expect(tile("csat")).toBe("4.2 ± 0.6");
    expect(tile("broadcasts")).toBe("38");
    expect(tile("online")).toBe("8 h");
    expect(document.querySelector('.report-tile[data-figure="csat"] .report-tile-detail')?.textContent).toBe("Answers: 9");

    const rows = within(document.getElementById("report-rows")!).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.querySelector("th")?.textContent)).toEqual(["Acme Sales", "Acme Support"]);
    expect(cell("1001", "first_response_p90")).toBe("1 h 5 min");
    expect(cell("1001", "csat")).toBe("4.2 ± 0.6 (9)");
    expect(cell("1002", "csat")).toBe("–");
    expect(cell("1002", "resolution_median")).toBe("2 h");

    // One bar per group, scaled to the values; a figure no group has is left out.
    const bars = [...document.querySelectorAll<SVGRectElement>(".report-chart-conversations .kpi-bar")];
    expect(bars.map((b) => b.getAttribute("data-value"))).toEqual(["10", "30"]);
    expect(Number(bars[1]!.getAttribute("height"))).toBeCloseTo(3 * Number(bars[0]!.getAttribute("height")));
    expect(bars[1]!.querySelector("title")?.textContent).toBe("Acme Support: 30");
    expect(document.querySelector(".report-chart-first_response_median .kpi-bar title")?.textContent).toBe("Acme Sales: 5 min");

    const busiest = document.querySelector<HTMLElement>('#report-heatmap tr[data-weekday="1"] td[data-hour="9"]')!;
    expect(busiest.getAttribute("aria-label")).toMatch(/^Monday, 9(:00)?\s?AM: 12 customer messages$|^Monday, 09:00: 12 customer messages$/);
    expect(busiest.dataset.level).toBe("4");
    expect(document.querySelector('#report-heatmap tr[data-weekday="6"] td[data-hour="20"]')?.getAttribute("data-level")).toBe("1");
    expect(document.querySelectorAll("#report-heatmap td.heat-cell")).toHaveLength(7 * 24);
  });

  it("asks again for other rows, filters and a custom range, and refuses days in the wrong order", async () => {
    mockCommands({ ...lists, report: () => report() });
    mount();
    await screen.findByRole("table", { name: "Figures per Business number" });
    await screen.findByRole("option", { name: "Amira Haddad" });
    fireEvent.change(screen.getByLabelText("Rows by"), { target: { value: "team" } });
    fireEvent.change(screen.getByLabelText("Agent"), { target: { value: "7" } });
    expect(callsOf("report").at(-1)).toMatchObject({ group_by: "team", agent: 7 });

    fireEvent.change(screen.getByLabelText("Period"), { target: { value: "custom" } });
    const from = screen.getByLabelText("From");
    expect((from as HTMLInputElement).disabled).toBe(false);
    fireEvent.change(from, { target: { value: "2026-11-01" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-11-05" } });
    expect(callsOf("report").at(-1)).toMatchObject({ from: "2026-11-01", to: "2026-11-05", group_by: "team", agent: 7 });
    const asked = callsOf("report").length;
    fireEvent.change(from, { target: { value: "2026-11-09" } });
    expect((await screen.findByRole("alert")).textContent).toBe("The first day must not be after the last day.");
    expect(callsOf("report")).toHaveLength(asked);
    // Each change draws the whole report again: generous on a busy machine.
  }, 15_000);

  it("says why a report failed and tries again on request", async () => {
    let fail = true;
    mockCommands({
      ...lists,
      report: () => {
        if (fail) throw { code: "forbidden", message: "Reports need the view_reports permission." };
        return report();
      },
    });
    const user = userEvent.setup();
    mount();
    const error = await screen.findByText("The report could not be loaded: Reports need the view_reports permission.");
    expect(error.closest("#report-error")).toBeTruthy();
    expect(document.getElementById("report-totals")).toBeNull();
    fail = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByRole("table", { name: "Figures per Business number" });
    expect(document.getElementById("report-error")).toBeNull();
  });

  it("says when the period had no conversations", async () => {
    mockCommands({ ...lists, report: () => report({ totals: figures(), rows: [], heatmap: heatmapOf([]) }) });
    mount();
    expect((await screen.findByText("No conversations in this period.")).id).toBe("report-empty");
    expect(document.getElementById("report-heatmap")).toBeNull();
    expect(tile("conversations")).toBe("0");
  });

  it("saves the same report as CSV and says where, with progress meanwhile", async () => {
    let finish: (summary: ExportSummary) => void = () => {};
    mockCommands({ ...lists, report: () => report(), save_report_csv: () => new Promise((resolve) => (finish = resolve)) });
    const user = userEvent.setup();
    mount();
    await screen.findByRole("table", { name: "Figures per Business number" });
    await user.click(screen.getByRole("button", { name: "Save as CSV" }));
    expect(callsOf("save_report_csv")).toEqual([callsOf("report").at(-1)]);
    act(() => hub.emit({ type: "export_progress", file: "report.csv", rows: 2, total: null, done: false }));
    expect(document.getElementById("report-save-progress")?.textContent).toContain("2 rows so far");
    act(() => finish({ path: "/home/amira/Downloads/switchboard-report.csv", rows: 3, expected: null, bytes: 400 }));
    expect((await screen.findByText(/^Saved 3 rows to/)).textContent).toBe("Saved 3 rows to /home/amira/Downloads/switchboard-report.csv");
    expect(document.getElementById("report-save-progress")).toBeNull();
  });

  it("reads right to left in Arabic: the week starts on Saturday and the arrow keys follow the mirrored grid", async () => {
    setLocale("ar");
    mockCommands({ ...lists, report: () => report() });
    mount();
    expect(await screen.findByRole("heading", { name: "التقارير" })).toBeTruthy();
    expect(document.documentElement.dir).toBe("rtl");
    const days = [...document.querySelectorAll<HTMLElement>("#report-heatmap tbody tr")].map((r) => r.dataset.weekday);
    expect(days).toEqual(["6", "7", "1", "2", "3", "4", "5"]);
    expect(document.querySelector('#report-heatmap tr[data-weekday="1"] td[data-hour="9"]')?.getAttribute("aria-label")).toContain("الاثنين");
    expect(tile("csat")).toBe("4.2 ± 0.6");
    expect(document.getElementById("report-rows")?.querySelector("caption")?.textContent).toBe("الأرقام حسب رقم العمل");

    const first = document.querySelector<HTMLElement>('#report-heatmap td[data-row="0"][data-hour="0"]')!;
    first.focus();
    fireEvent.keyDown(first, { key: "ArrowLeft" });
    expect(document.activeElement?.getAttribute("data-hour")).toBe("1");
    fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect(document.activeElement?.getAttribute("data-row")).toBe("1");
    // Bars run from the right too.
    const [sales, support] = [...document.querySelectorAll(".report-chart-conversations .kpi-bar")].map((b) => Number(b.getAttribute("x")));
    expect(sales).toBeGreaterThan(support!);
  });
});
