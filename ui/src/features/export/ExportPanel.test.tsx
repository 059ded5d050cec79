import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExportSummary } from "../../bindings/ExportSummary";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { ExportPanel } from "./ExportPanel";
import { dayStart, exportRequest, EMPTY_FORM, fraction, formProblem } from "./exportModel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const targets = {
  agents: [
    { id: 7, display_name: "Amira Haddad", available: true },
    { id: 8, display_name: "Niran Chai", available: false },
  ],
  teams: [],
};

function mount() {
  // The panel hears the desk's events through the hub, as under App.
  const hub = new DesktopEventHub();
  const user = userEvent.setup();
  render(
    <DesktopEventsProvider hub={hub}>
      <ExportPanel />
    </DesktopEventsProvider>,
  );
  return { user, hub };
}

describe("Export panel", () => {
  afterEach(() => setLocale("en"));

  it("sends the chosen filters, shows progress as it arrives, and says where the file is", async () => {
    let finish: (summary: ExportSummary) => void = () => {};
    mockCommands({
      transfer_targets: () => targets,
      business_numbers: () => [
        { phone_number_id: "1001", display_number: "+15550001111", name: "Support", waba_id: "w", throughput_per_second: 80, shared_with_business_app: false },
      ],
      export_records: () => new Promise<ExportSummary>((resolve) => (finish = resolve)),
    });
    const { user, hub } = mount();
    await screen.findByRole("option", { name: "Niran Chai" });
    await user.selectOptions(screen.getByLabelText("Format"), "jsonl");
    await user.type(screen.getByLabelText("Business number"), "+15550001111");
    await user.type(screen.getByLabelText("From"), "2026-01-10");
    await user.type(screen.getByLabelText("To (included)"), "2026-01-12");
    await user.selectOptions(screen.getByLabelText("Agent"), "Niran Chai");
    await user.click(screen.getByRole("button", { name: "Export" }));

    const [request] = callsOf("export_records");
    expect(request).toEqual({
      records: "messages",
      format: "jsonl",
      filter: {
        number: "+15550001111",
        from: new Date(2026, 0, 10).getTime(),
        until: new Date(2026, 0, 13).getTime(),
        agent: 8,
        contact: null,
        contact_id: null,
      },
    });
    expect(screen.getByRole("button", { name: "Exporting…" })).toHaveProperty("disabled", true);
    expect(screen.getByText("Starting the export…")).toBeTruthy();

    act(() => hub.emit({ type: "export_progress", file: "x.jsonl", rows: 1500, total: 6000, done: false }));
    expect(screen.getByText("1,500 of 6,000 records")).toBeTruthy();
    expect((document.getElementById("export-progress") as HTMLProgressElement).value).toBeCloseTo(0.25);

    act(() => finish({ path: "/home/sara/Downloads/switchboard-messages.jsonl", rows: 6000, expected: 6000, bytes: 123 }));
    const result = await screen.findByText(/^6000 records saved to/);
    expect(result.textContent).toContain("/home/sara/Downloads/switchboard-messages.jsonl");
    expect(screen.getByRole("button", { name: "Export" })).toHaveProperty("disabled", false);
    // Progress of an export that is no longer running changes nothing.
    act(() => hub.emit({ type: "export_progress", file: "x.jsonl", rows: 1, total: 2, done: false }));
    expect(screen.queryByText("1 of 2 records")).toBeNull();
  });

  it("says why an export failed, and works without the agent and number lists", async () => {
    mockCommands({
      export_records: () => Promise.reject({ code: "rejected", message: "Only supervisors and admins may export messages." }),
    });
    const { user } = mount();
    await user.click(screen.getByRole("button", { name: "Export" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The export failed: Only supervisors and admins may export messages.");
    expect(callsOf("export_records")[0]!.filter).toEqual({ number: null, from: null, until: null, agent: null, contact: null, contact_id: null });
  });

  it("refuses a range whose first day is after its last", async () => {
    mockCommands({ transfer_targets: () => targets });
    const { user } = mount();
    await user.type(screen.getByLabelText("From"), "2026-02-02");
    await user.type(screen.getByLabelText("To (included)"), "2026-02-01");
    expect(screen.getByRole("alert").textContent).toBe("The first day must not be after the last day.");
    expect(screen.getByRole("button", { name: "Export" })).toHaveProperty("disabled", true);
  });

  it("speaks Arabic", () => {
    setLocale("ar");
    mockCommands({});
    mount();
    expect(screen.getByRole("heading", { name: "تصدير الرسائل والمحادثات" })).toBeTruthy();
  });
});

describe("the export form", () => {
  it("includes the last day whole and leaves empty filters out", () => {
    const request = exportRequest({ ...EMPTY_FORM, fromDay: "2026-03-01", toDay: "2026-03-01", number: "  " });
    expect(request.filter.from).toBe(new Date(2026, 2, 1).getTime());
    expect(request.filter.until).toBe(new Date(2026, 2, 2).getTime());
    expect(request.filter.number).toBeNull();
    expect(dayStart("")).toBeNull();
    expect(formProblem({ ...EMPTY_FORM, fromDay: "2026-03-02", toDay: "2026-03-01" })).toBe("export.problem.dates");
    expect(formProblem({ ...EMPTY_FORM, fromDay: "2026-03-01", toDay: "2026-03-01" })).toBeNull();
    expect(fraction(5, null)).toBeNull();
    expect(fraction(0, 0)).toBe(1);
    expect(fraction(3, 4)).toBe(0.75);
  });
});
