import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ContactImportReport } from "../../bindings/ContactImportReport";
import type { ContactImportRequest } from "../../bindings/ContactImportRequest";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { CATALOGUE } from "./contactFixtures";
import { countRecords } from "./importModel";
import { ImportPanel } from "./ImportPanel";
import type { TagCatalogue } from "./tagColours";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const catalogue: TagCatalogue = { tags: CATALOGUE, error: null, colourOf: () => null, reload: vi.fn() };

const CSV = 'phone,name,tags\n+966500000001,Noura,vip\n0812345678,"Somchai\nJaidee",\nnot a number,Omar,\n+971500000003,Aisha,"vip,gold"\n';

const report: ContactImportReport = {
  dry_run: false,
  rows: 4,
  created: 2,
  updated: 0,
  unchanged: 1,
  duplicates_in_file: 0,
  opt_outs_kept: 0,
  problems_total: 1,
  problems: [
    {
      line: 5,
      column: "phone",
      code: "phone_unreadable",
      value: "not a number",
      message: "“not a number” is not a phone number: write it with + and the country code, for example +966 50 123 4567.",
    },
  ],
};

function setup(run: (r: ContactImportRequest) => Promise<ContactImportReport>) {
  const hub = new DesktopEventHub();
  mockCommands({ import_contacts: run });
  const user = userEvent.setup();
  render(
    <DesktopEventsProvider hub={hub}>
      <ImportPanel catalogue={catalogue} />
    </DesktopEventsProvider>,
  );
  return { user, hub };
}

async function choose(user: ReturnType<typeof userEvent.setup>) {
  await user.upload(screen.getByLabelText("CSV file"), new File([CSV], "old-crm.csv", { type: "text/csv" }));
  expect(await screen.findByText("old-crm.csv: 4 rows")).toBeTruthy();
}

afterEach(() => setLocale("en"));

describe("the contact import", () => {
  it("shows progress while the server works, then the counts and the problems by line and column", async () => {
    let finish: (r: ContactImportReport) => void = () => {};
    const { user, hub } = setup(() => new Promise((resolve) => (finish = resolve)));
    await choose(user);
    await user.type(screen.getByLabelText("Default country"), "th");
    await user.type(screen.getByLabelText(/Tag every imported contact/), " Spring fair ");
    await user.click(screen.getByRole("button", { name: "Import" }));
    expect(callsOf("import_contacts")).toEqual([{ csv: CSV, dry_run: false, default_country: "TH", tag: "Spring fair" }]);
    expect(screen.getByRole("button", { name: "Import" })).toHaveProperty("disabled", true);

    act(() => hub.emit({ type: "contact_import_progress", dry_run: false, progress: { rows: 2, created: 1, updated: 0, unchanged: 1, problems: 0 } }));
    const bar = document.querySelector<HTMLProgressElement>("#contact-import-progress")!;
    expect(bar.value).toBe(0.5);
    expect(screen.getByText(/Importing: 2 of 4 rows read, 0 skipped/)).toBeTruthy();
    act(() => hub.emit({ type: "contact_import_progress", dry_run: false, progress: { rows: 3, created: 1, updated: 0, unchanged: 1, problems: 1 } }));
    expect(bar.value).toBe(0.75);
    expect(screen.getByText(/3 of 4 rows read, 1 skipped/)).toBeTruthy();

    await act(async () => {
      finish(report);
      await Promise.resolve();
    });
    expect(document.querySelector("#contact-import-progress")).toBeNull();
    const figures = screen.getByText("Import finished.").parentElement!;
    expect(within(figures).getByText("New contacts").nextSibling!.textContent).toBe("2");
    expect(within(figures).getByText("Unchanged").nextSibling!.textContent).toBe("1");
    const problems = within(screen.getByRole("table"));
    const row = problems.getAllByRole("row")[1]!;
    expect(row.dataset.line).toBe("5");
    expect(within(row).getAllByRole("cell").map((c) => c.textContent)).toEqual(["5", "phone", "not a number", report.problems[0]!.message]);
    expect(catalogue.reload).toHaveBeenCalled();
  });

  it("previews with a dry run and says nothing was saved; a server failure shows as it came", async () => {
    let calls = 0;
    const { user } = setup((r) => {
      calls++;
      if (calls === 2) return Promise.reject({ code: "unreachable", message: "The import stopped part way: disk full. Contacts imported until then are kept; import the same file again to finish." });
      return Promise.resolve({ ...report, dry_run: r.dry_run });
    });
    await choose(user);
    await user.click(screen.getByRole("button", { name: "Preview (dry run)" }));
    expect(await screen.findByText("Preview: nothing was saved. This is what importing the file would do.")).toBeTruthy();
    expect(callsOf("import_contacts")[0]).toEqual({ csv: CSV, dry_run: true });
    await user.click(screen.getByRole("button", { name: "Import" }));
    expect((await screen.findByRole("alert")).textContent).toContain("import the same file again to finish");
  });

  it("will not start with a default country that is not two letters", async () => {
    const { user } = setup(() => Promise.resolve(report));
    await choose(user);
    await user.type(screen.getByLabelText("Default country"), "S");
    expect(screen.getByText("Write two letters, for example SA, AE or TH.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Import" })).toHaveProperty("disabled", true);
  });

  it("counts records for the progress bar as CSV does: quoted line breaks stay in their row", () => {
    expect(countRecords(CSV)).toBe(4);
    expect(countRecords("\uFEFFphone\r\n+1\r\n\r\n+2")).toBe(2);
    expect(countRecords("phone\n")).toBe(0);
    expect(countRecords("")).toBe(0);
  });
});
