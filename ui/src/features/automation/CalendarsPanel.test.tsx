import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CalendarPreview } from "../../bindings/CalendarPreview";
import type { NumberCalendar } from "../../bindings/NumberCalendar";
import type { PreviewCalendarRequest } from "../../bindings/PreviewCalendarRequest";
import type { SaveCalendarRequest } from "../../bindings/SaveCalendarRequest";
import { setLocale } from "../../i18n";
import { entry } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { CalendarsPanel } from "./CalendarsPanel";
import { forgetKeptDrafts } from "./keptDrafts";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const riyadh: NumberCalendar = {
  phone_number_id: "1001",
  hours: {
    time_zone: "Asia/Riyadh",
    openings: [
      { days: ["sun", "mon", "tue", "wed", "thu"], from: "09:00", until: "17:00" },
      { days: ["thu"], from: "20:00", until: "02:00" },
    ],
    closed_on: ["2027-03-01"],
    holidays: ["Saudi 2027"],
    closures: [{ from: "2027-01-03T13:00", until: "2027-01-04T10:00", reason: "Stocktaking" }],
  },
  off_hours_reply: { en: "We open {next_opening}.", ar: "نفتح {next_opening}.", agent_active_minutes: 20 },
  updated_at: 1,
};

const closedPreview: CalendarPreview = {
  phone_number_id: "1001",
  at: Date.UTC(2027, 0, 8, 10, 0),
  time_zone: "Asia/Riyadh",
  open: false,
  next_opening: Date.UTC(2027, 0, 10, 6, 0),
  next_opening_local: "2027-01-10T09:00",
  closure_key: "2027-01-10T06:00:00Z",
  replies: { en: "We open Sunday at 9:00.", ar: "نفتح يوم الأحد الساعة 9:00.", th: null },
};

type Setup = {
  calendars?: NumberCalendar[];
  save?: (request: SaveCalendarRequest) => NumberCalendar;
  preview?: (request: PreviewCalendarRequest) => CalendarPreview;
};

function setup({ calendars = [riyadh], save, preview }: Setup = {}) {
  mockCommands({
    calendars: () => ({ calendars }),
    holiday_calendars: () => ({ calendars: [{ name: "Saudi 2027", dates: ["2027-02-22"] }, { name: "Eid 2027", dates: ["2027-03-10"] }] }),
    business_numbers: () => [
      { phone_number_id: "1001", display_number: "+966 11 000", name: "Riyadh desk", verified_name: null, quality_rating: null } as never,
      { phone_number_id: "2002", display_number: "+66 2 000", name: "Bangkok desk", verified_name: null, quality_rating: null } as never,
    ],
    list_inbox: () => [entry(4, 1_000, { name: "Noor" })],
    save_calendar: save ?? ((r) => ({ phone_number_id: r.phone_number_id, ...r.settings, updated_at: 2 })),
    delete_calendar: () => null,
    preview_calendar: preview ?? (() => closedPreview),
  });
  const user = userEvent.setup();
  render(<CalendarsPanel />);
  return { user };
}

async function pick(user: ReturnType<typeof userEvent.setup>, number: string) {
  const select = await screen.findByLabelText("Number");
  await user.selectOptions(select, number);
}

beforeEach(() => forgetKeptDrafts());
afterEach(() => setLocale("en"));

describe("CalendarsPanel", () => {
  it("loads a number's calendar into the form, overnight openings spelled out", async () => {
    const { user } = setup();
    await pick(user, "1001");
    expect(screen.getByLabelText<HTMLInputElement>("Time zone").value).toBe("Asia/Riyadh");
    expect(screen.getByText("until 02:00 the next day")).toBeTruthy();
    const thursday = within(screen.getByRole("table", { name: "The week at a glance" })).getByRole("row", { name: /Thursday/ });
    expect(thursday.textContent).toContain("09:00–17:00, 20:00 until 02:00 the next day");
    const friday = within(screen.getByRole("table", { name: "The week at a glance" })).getByRole("row", { name: /Friday/ });
    expect(friday.textContent).toContain("Closed");
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Saudi 2027" }).checked).toBe(true);
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Eid 2027" }).checked).toBe(false);
    expect(screen.getByLabelText<HTMLInputElement>("Reason (optional)").value).toBe("Stocktaking");
    const arabic = screen.getByLabelText<HTMLTextAreaElement>("Reply in العربية");
    expect(arabic.value).toBe("نفتح {next_opening}.");
    expect(arabic.getAttribute("dir")).toBe("rtl");
    expect(screen.getByLabelText<HTMLInputElement>("Quiet after an agent's message (minutes)").value).toBe("20");
  });

  it("saves the edited calendar whole, keeping the fields the form does not show", async () => {
    const { user } = setup();
    await pick(user, "1001");
    await user.click(screen.getByRole("checkbox", { name: "Eid 2027" }));
    await user.click(screen.getByRole("button", { name: "Add an opening" }));
    const third = screen.getByRole("group", { name: "Opening 3" });
    await user.click(within(third).getByRole("checkbox", { name: /Sat/ }));
    const th = screen.getByLabelText("Reply in ไทย");
    await user.type(th, "เปิด {{next_opening}");
    await user.click(screen.getByRole("button", { name: "Save calendar" }));
    expect(await screen.findByText("The calendar of 1001 is saved and in use.")).toBeTruthy();
    const sent = callsOf("save_calendar")[0]!;
    expect(sent.phone_number_id).toBe("1001");
    expect(sent.settings.hours.closed_on).toEqual(["2027-03-01"]);
    expect(sent.settings.hours.holidays).toEqual(["Saudi 2027", "Eid 2027"]);
    expect(sent.settings.hours.openings[2]).toEqual({ days: ["sat"], from: "09:00", until: "17:00" });
    expect(sent.settings.off_hours_reply).toEqual({
      en: "We open {next_opening}.",
      ar: "نفتح {next_opening}.",
      th: "เปิด {next_opening}",
      agent_active_minutes: 20,
    });
    expect(sent.settings.hours.closures).toEqual([{ from: "2027-01-03T13:00", until: "2027-01-04T10:00", reason: "Stocktaking" }]);
  });

  it("names what to fix before saving and sends nothing", async () => {
    const { user } = setup();
    await pick(user, "1001");
    const zone = screen.getByLabelText("Time zone");
    await user.clear(zone);
    await user.type(zone, "Mars/Olympus");
    const en = screen.getByLabelText("Reply in English");
    await user.clear(en);
    await user.type(en, "Back {{next_openning}");
    await user.click(screen.getByRole("button", { name: "Add a closure" }));
    await user.click(screen.getByRole("button", { name: "Save calendar" }));
    expect(screen.getByText("Choose a time zone from the list, for example Asia/Riyadh.")).toBeTruthy();
    expect(screen.getByText("{next_openning} is not a placeholder; the only one is {next_opening}.")).toBeTruthy();
    expect(screen.getByText("Give the date and time the closure starts and ends.")).toBeTruthy();
    expect(document.activeElement).toBe(zone);
    expect(callsOf("save_calendar")).toHaveLength(0);
  });

  it("shows the server's refusal next to the form and keeps the draft", async () => {
    const { user } = setup({
      save: () => {
        throw { code: "rejected", message: 'hours.holidays: there is no holiday calendar named "Eid 2027".' };
      },
    });
    await pick(user, "1001");
    await user.click(screen.getByRole("checkbox", { name: "Eid 2027" }));
    await user.click(screen.getByRole("button", { name: "Save calendar" }));
    expect((await screen.findByRole("alert")).textContent).toContain('no holiday calendar named "Eid 2027"');
    expect(screen.getByRole<HTMLInputElement>("checkbox", { name: "Eid 2027" }).checked).toBe(true);
  });

  it("starts a number without a calendar from a working week and asks before dropping changes", async () => {
    const { user } = setup();
    await pick(user, "2002");
    expect(screen.getByRole("heading", { name: "New calendar for 2002" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Remove calendar" })).toBeNull();
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "08:00" } });
    await pick(user, "1001");
    expect(screen.getByRole("alertdialog").textContent).toContain("Drop your unsaved changes to the calendar of 2002?");
    await user.click(screen.getByRole("button", { name: "Keep editing" }));
    expect(screen.getByLabelText<HTMLInputElement>("From").value).toBe("08:00");
  });

  it("previews the saved calendar at an instant in the number's zone, with each language's reply", async () => {
    const { user } = setup();
    await pick(user, "1001");
    fireEvent.change(screen.getByLabelText("Instant, in Asia/Riyadh"), { target: { value: "2027-01-08T13:00" } });
    await user.click(screen.getByRole("button", { name: "Preview" }));
    await screen.findByText(/Closed on/);
    const box = document.getElementById("calendar-preview-result")!;
    expect(box.getAttribute("data-open")).toBe("false");
    // 13:00 in Riyadh (UTC+3) is 10:00 UTC.
    expect(callsOf("preview_calendar")[0]).toEqual({ phone_number_id: "1001", at: Date.UTC(2027, 0, 8, 10, 0) });
    expect(box.textContent).toContain("Closed on");
    expect(box.textContent).toContain("Next opening:");
    const arabic = within(box).getByText("نفتح يوم الأحد الساعة 9:00.");
    expect(arabic.getAttribute("dir")).toBe("rtl");
    expect(within(box).getByText("We open Sunday at 9:00.")).toBeTruthy();
    expect(within(box).getByText("No reply.")).toBeTruthy();
  });

  it("removes a calendar after asking, leaving the number always open", async () => {
    const { user } = setup();
    await pick(user, "1001");
    await user.click(screen.getByRole("button", { name: "Remove calendar" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Remove calendar" }));
    expect(await screen.findByText(/1001 has no calendar now/)).toBeTruthy();
    expect(callsOf("delete_calendar")).toEqual([{ phone_number_id: "1001" }]);
    expect(screen.getByRole("heading", { name: "New calendar for 1001" })).toBeTruthy();
  });
});
