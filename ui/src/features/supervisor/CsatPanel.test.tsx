import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CsatReport } from "../../bindings/CsatReport";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { CsatPanel, figure } from "./CsatPanel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const report: CsatReport = {
  from: 0,
  to: 30 * 86_400_000,
  overall: { count: 5, mean: 3.8, std_dev: 1.16619, distribution: [0, 1, 1, 1, 2] },
  sent: 7,
  skipped_window_closed: 1,
  agents: [
    { user_id: 2, name: "Ann", figures: { count: 4, mean: 4.25, std_dev: 0.8292, distribution: [0, 0, 1, 1, 2] } },
    { user_id: 3, name: "نور", figures: { count: 1, mean: 2, std_dev: 0, distribution: [0, 1, 0, 0, 0] } },
  ],
  teams: [{ team_id: null, name: "No team", figures: { count: 0, mean: null, std_dev: null, distribution: [0, 0, 0, 0, 0] } }],
  answers: [],
};

afterEach(() => setLocale("en"));

describe("CsatPanel", () => {
  it("shows the overall figures and each agent's and team's count, mean, deviation and scores", async () => {
    mockCommands({ csat_report: () => report });
    render(<CsatPanel />);
    const ann = await screen.findByRole("row", { name: /Ann/ });
    const cells = within(ann).getAllByRole("cell");
    expect(cells.map((c) => c.textContent).slice(0, 3)).toEqual(["4", "4.3", "0.8"]);
    const bars = within(ann).getByRole("img");
    expect(bars.getAttribute("aria-label")).toBe("1★: 0, 2★: 0, 3★: 1, 4★: 1, 5★: 2");
    const heights = [...bars.querySelectorAll<HTMLElement>(".csat-bar")].map((b) => b.style.blockSize);
    expect(heights).toEqual(["0%", "0%", "50%", "50%", "100%"]);
    expect(within(screen.getByRole("row", { name: /No team/ })).getAllByRole("cell")[1]!.textContent).toBe("–");
    expect(document.querySelector('[data-csat="mean"] dd')!.textContent).toBe("3.8");
    expect(document.querySelector('[data-csat="skipped"] dd')!.textContent).toBe("1");
    expect(callsOf("csat_report")[0]).toEqual({ from: null, to: null, number: null });
  });

  it("asks for another period and shows the server's refusal", async () => {
    mockCommands({
      csat_report: ({ from }) => {
        if (from !== null) throw { code: "rejected", message: "from is not before to." };
        return report;
      },
    });
    const user = userEvent.setup();
    render(<CsatPanel />);
    await screen.findByRole("row", { name: /Ann/ });
    await user.selectOptions(screen.getByLabelText("Period"), "7");
    expect(await screen.findByText("from is not before to.")).toBeTruthy();
    const [, week] = callsOf("csat_report");
    expect(typeof week!.from).toBe("number");
  });

  it("writes figures with one decimal in the reader's language, a dash without answers", () => {
    expect(figure(4.25)).toBe("4.3");
    expect(figure(null)).toBe("–");
    setLocale("ar");
    expect(figure(3.75)).toBe("3.8");
  });
});
