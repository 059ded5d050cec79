import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { KpiBucket } from "../../bindings/KpiBucket";
import type { KpiReport } from "../../bindings/KpiReport";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { board } from "../../test/fixtures";
import { KpiPanel } from "./KpiPanel";
import { KPI_REFRESH_MS } from "./useKpis";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const HOUR = 3_600_000;

function bucket(index: number, overrides: Partial<KpiBucket> = {}): KpiBucket {
  return {
    start: 1_750_000_000_000 - (1_750_000_000_000 % HOUR) + index * HOUR,
    inbound: 0,
    opened: 0,
    resolved: 0,
    answered: 0,
    first_response_median_seconds: null,
    first_response_p90_seconds: null,
    sla_breaches: 0,
    reopened: 0,
    ...overrides,
  };
}

function report(buckets: KpiBucket[]): KpiReport {
  return {
    at: Date.now(),
    hours: buckets.length,
    buckets,
    total: { ...bucket(0), inbound: buckets.reduce((n, b) => n + b.inbound, 0), first_response_median_seconds: 90 },
    waiting_now: 3,
    agents: [{ user_id: 7, display_name: "Amira Haddad", replies: 12, answered: 4, first_response_median_seconds: 75, resolved: 2, reopened: 1, sla_breaches: 3 }],
  };
}

let hub = new DesktopEventHub();

function mount() {
  hub = new DesktopEventHub();
  render(
    <DesktopEventsProvider hub={hub}>
      <KpiPanel />
    </DesktopEventsProvider>,
  );
}

const inboundBars = () => [...document.querySelectorAll<SVGRectElement>(".kpi-chart-inbound .kpi-bar")];

describe("Key figures", () => {
  afterEach(() => {
    setLocale("en");
    vi.useRealTimers();
  });

  it("draws bars that scale with the data, each saying its value, and the same figures as a table", async () => {
    mockCommands({
      kpis: () => report([bucket(0, { inbound: 2 }), bucket(1, { inbound: 10, resolved: 1 }), bucket(2, { inbound: 5, first_response_median_seconds: 80, reopened: 2 })]),
    });
    mount();
    await screen.findByText("Customer messages per hour");
    const bars = inboundBars();
    expect(bars.map((b) => b.getAttribute("data-value"))).toEqual(["2", "10", "5"]);
    const heights = bars.map((b) => Number(b.getAttribute("height")));
    expect(heights[1]).toBeGreaterThan(heights[2]!);
    expect(heights[2]).toBeGreaterThan(heights[0]!);
    expect(heights[1]! / heights[0]!).toBeCloseTo(5);
    expect(bars[1]!.querySelector("title")?.textContent).toMatch(/: 10$/);
    expect(screen.getByRole("img", { name: /Customer messages per hour 17 customer messages in this period/ })).toBeTruthy();

    const table = document.getElementById("kpi-table")!;
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect([...rows[2]!.querySelectorAll("td")].map((c) => c.textContent)).toEqual(["5", "0", "0", "1 min 20 s", "—", "0", "2"]);
    expect(document.querySelector('.kpi-tile[data-kpi="waiting"] dd')?.textContent).toBe("3");
    expect(document.querySelector('.kpi-agent[data-user-id="7"]')?.textContent).toContain("Amira Haddad");
    const agentCells = [...document.querySelectorAll('.kpi-agent[data-user-id="7"] td')].map((c) => c.textContent);
    expect(agentCells).toEqual(["12", "4", "1 min 15 s", "2", "1", "3"]);
    expect(callsOf("kpis")).toEqual([{ hours: 24 }]);
  });

  it("runs time from the right in Arabic", async () => {
    setLocale("ar");
    mockCommands({ kpis: () => report([bucket(0, { inbound: 1 }), bucket(1, { inbound: 1 })]) });
    mount();
    await screen.findByText("رسائل العملاء في الساعة");
    const [oldest, newest] = inboundBars().map((b) => Number(b.getAttribute("x")));
    expect(oldest).toBeGreaterThan(newest!);
  });

  it("asks again every 30 seconds, soon after the board changes, and for a week when chosen", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    mockCommands({ kpis: () => report([bucket(0)]) });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime.bind(vi) });
    mount();
    await screen.findByText("Customer messages per hour");
    expect(callsOf("kpis")).toHaveLength(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(KPI_REFRESH_MS);
    });
    expect(callsOf("kpis")).toHaveLength(2);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(6_000);
      hub.emit({ type: "board_changed", board: board() });
    });
    expect(callsOf("kpis")).toHaveLength(3);
    await user.selectOptions(screen.getByLabelText("Period"), "168");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1);
    });
    expect(callsOf("kpis").at(-1)).toEqual({ hours: 168 });
  });

  it("keeps the last figures and says why they are not current when a refresh fails", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let fail = false;
    mockCommands({
      kpis: () => {
        if (fail) throw { code: "unreachable", message: "Could not reach the server" };
        return report([bucket(0, { inbound: 4 })]);
      },
    });
    mount();
    await screen.findByText("Customer messages per hour");
    fail = true;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(KPI_REFRESH_MS);
    });
    expect((await screen.findByText(/could not be updated: Could not reach the server/)).id).toBe("kpi-error");
    expect(inboundBars()).toHaveLength(1);
  });
});
