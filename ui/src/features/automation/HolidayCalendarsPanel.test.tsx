import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HolidayCalendar } from "../../bindings/HolidayCalendar";
import type { SaveHolidayCalendarRequest } from "../../bindings/SaveHolidayCalendarRequest";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { HolidayCalendarsPanel, badDates, datesOf } from "./HolidayCalendarsPanel";
import { forgetKeptDrafts } from "./keptDrafts";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const saudi: HolidayCalendar = { name: "Saudi 2027", dates: ["2027-02-22", "2027-03-10"] };
const thai: HolidayCalendar = { name: "วันหยุดไทย 2027", dates: ["2027-04-13"] };

function setup({ save }: { save?: (r: SaveHolidayCalendarRequest) => HolidayCalendar } = {}) {
  mockCommands({
    holiday_calendars: () => ({ calendars: [saudi, thai] }),
    calendars: () => ({
      calendars: [
        { phone_number_id: "1001", hours: { time_zone: "Asia/Riyadh", openings: [], closed_on: [], holidays: ["Saudi 2027"] }, updated_at: 1 },
      ],
    }),
    save_holiday_calendar: save ?? ((r) => ({ name: r.name, dates: [...r.dates].sort() })),
    delete_holiday_calendar: ({ name }) => {
      if (name === "Saudi 2027") {
        throw { code: "conflict", message: 'The holiday calendar "Saudi 2027" is used by the calendars of 1001; remove it from them first.' };
      }
      return null;
    },
  });
  const user = userEvent.setup();
  render(<HolidayCalendarsPanel />);
  return { user };
}

beforeEach(() => forgetKeptDrafts());
afterEach(() => setLocale("en"));

describe("HolidayCalendarsPanel", () => {
  it("lists each holiday calendar with its dates and the numbers using it", async () => {
    setup();
    const row = await screen.findByRole("row", { name: /Saudi 2027/ });
    expect(row.textContent).toContain("2 dates");
    expect(row.textContent).toContain("1001");
    expect(screen.getByRole("row", { name: /วันหยุดไทย/ }).textContent).toContain("No number");
  });

  it("creates one from dates typed one per line", async () => {
    const { user } = setup();
    await user.click(await screen.findByRole("button", { name: "New holiday calendar" }));
    await user.type(screen.getByLabelText("Name"), " Eid 2027 ");
    await user.type(screen.getByLabelText("Dates"), "2027-03-11\n\n2027-03-10\n");
    await user.click(screen.getByRole("button", { name: "Save holiday calendar" }));
    expect(await screen.findByText("Holiday calendar Eid 2027 saved.")).toBeTruthy();
    expect(callsOf("save_holiday_calendar")).toEqual([{ name: "Eid 2027", dates: ["2027-03-11", "2027-03-10"] }]);
    expect(screen.getByRole("row", { name: /Eid 2027/ }).textContent).toContain("2 dates");
  });

  it("names dates that are not real before sending anything", async () => {
    const { user } = setup();
    await user.click(await screen.findByRole("button", { name: "Edit Saudi 2027" }));
    await user.type(screen.getByLabelText("Dates"), "\n2027-02-30\n22/02/2027");
    await user.click(screen.getByRole("button", { name: "Save holiday calendar" }));
    expect(screen.getByText("Not a date: 2027-02-30, 22/02/2027. Write each as YYYY-MM-DD.")).toBeTruthy();
    expect(callsOf("save_holiday_calendar")).toHaveLength(0);
  });

  it("shows the server's refusal to delete a calendar a number uses, naming the number", async () => {
    const { user } = setup();
    await user.click(await screen.findByRole("button", { name: "Delete Saudi 2027" }));
    expect((await screen.findByRole("alert")).textContent).toContain("is used by the calendars of 1001");
    expect(screen.getByRole("row", { name: /Saudi 2027/ })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Delete วันหยุดไทย 2027" }));
    expect(await screen.findByText("Holiday calendar วันหยุดไทย 2027 deleted.")).toBeTruthy();
    expect(within(screen.getByRole("table")).queryByText("วันหยุดไทย 2027")).toBeNull();
  });

  it("reads dates leniently and checks them strictly", () => {
    expect(datesOf(" 2027-01-01 \n\n2027-01-02, 2027-01-03")).toEqual(["2027-01-01", "2027-01-02", "2027-01-03"]);
    expect(badDates(["2028-02-29", "2027-02-29", "2027-13-01", "2027-1-1"])).toEqual(["2027-02-29", "2027-13-01", "2027-1-1"]);
  });
});
