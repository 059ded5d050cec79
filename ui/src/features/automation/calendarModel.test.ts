import { describe, expect, it } from "vitest";
import type { NumberCalendar } from "../../bindings/NumberCalendar";
import { calendarDraft, instantInZone, isDirty, isOvernight, localInZone, problems, settingsOf, unknownPlaceholder, week } from "./calendarModel";

const saved: NumberCalendar = {
  phone_number_id: "1001",
  hours: {
    time_zone: "Europe/Berlin",
    openings: [{ days: ["mon", "fri"], from: "22:00", until: "06:00" }],
    closed_on: ["2027-05-01"],
  },
  updated_at: 5,
};

describe("calendarModel", () => {
  it("gives back what it loaded, unchanged, until the admin edits", () => {
    const draft = calendarDraft("1001", saved);
    expect(isDirty(draft)).toBe(false);
    expect(settingsOf(draft)).toEqual({ hours: { ...saved.hours, holidays: [], closures: [] } });
    expect(isDirty({ ...draft, holidays: ["Eid"] })).toBe(true);
  });

  it("marks openings ending before they start as overnight, and an empty one as a problem", () => {
    expect(isOvernight({ from: "22:00", until: "06:00" })).toBe(true);
    expect(isOvernight({ from: "09:00", until: "17:00" })).toBe(false);
    const draft = calendarDraft("1001", saved);
    expect(week(draft.openings).find((d) => d.day === "fri")!.spans).toEqual([{ from: "22:00", until: "06:00", overnight: true }]);
    const empty = { ...draft, openings: [{ ...draft.openings[0]!, until: "22:00" }] };
    expect(problems(empty).map((p) => p.key)).toEqual(["calendar.problem.empty"]);
  });

  it("finds the placeholders the server would refuse", () => {
    expect(unknownPlaceholder("Back {next_opening}.")).toBeNull();
    expect(unknownPlaceholder("Back {next_opening} {name}")).toBe("{name}");
    expect(unknownPlaceholder("Back {next_opening")).toBe("{next_opening");
  });

  it("turns a wall time in the number's zone into the instant, across a DST change", () => {
    expect(instantInZone("2027-01-08T13:00", "Asia/Riyadh")).toBe(Date.UTC(2027, 0, 8, 10, 0));
    expect(instantInZone("2027-07-01T12:00", "Europe/Berlin")).toBe(Date.UTC(2027, 6, 1, 10, 0));
    expect(instantInZone("2027-01-01T12:00", "Europe/Berlin")).toBe(Date.UTC(2027, 0, 1, 11, 0));
    // Clocks go back on 31 October 2027: 02:30 happens twice; the earlier is taken.
    expect(instantInZone("2027-10-31T02:30", "Europe/Berlin")).toBe(Date.UTC(2027, 9, 31, 0, 30));
    // Clocks go forward on 28 March 2027: 02:30 does not exist; the instant is after the gap.
    const gap = instantInZone("2027-03-28T02:30", "Europe/Berlin")!;
    expect(localInZone(gap, "Europe/Berlin") >= "2027-03-28T03:00").toBe(true);
    expect(instantInZone("not a time", "Europe/Berlin")).toBeNull();
    expect(instantInZone("2027-01-01T12:00", "Mars/Olympus")).toBeNull();
  });

  it("round-trips every instant of a year through the zone's wall time", () => {
    for (let ms = Date.UTC(2027, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 29 * 3_600_000 + 13 * 60_000) {
      for (const zone of ["Europe/Berlin", "Asia/Bangkok", "America/New_York"]) {
        const local = localInZone(ms, zone);
        const back = instantInZone(local, zone)!;
        expect(localInZone(back, zone)).toBe(local);
      }
    }
  });
});
