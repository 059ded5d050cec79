import { describe, expect, it } from "vitest";
import { addDays, dayInZone, daysFor, daysProblem, presetDays } from "./periodModel";

// 2026-11-22 23:30 UTC: already Monday the 23rd in Bangkok (UTC+7), still Sunday in New York.
const LATE_SUNDAY_UTC = Date.UTC(2026, 10, 22, 23, 30);

describe("report periods", () => {
  it("count today in the reader's zone, not in UTC", () => {
    expect(presetDays("today", LATE_SUNDAY_UTC, "Asia/Bangkok")).toEqual({ fromDay: "2026-11-23", toDay: "2026-11-23" });
    expect(presetDays("today", LATE_SUNDAY_UTC, "America/New_York")).toEqual({ fromDay: "2026-11-22", toDay: "2026-11-22" });
    expect(presetDays("today", LATE_SUNDAY_UTC, "UTC")).toEqual({ fromDay: "2026-11-22", toDay: "2026-11-22" });
  });

  it("end the last 7 and 30 days with today and start this month on the 1st", () => {
    expect(presetDays("last_7_days", LATE_SUNDAY_UTC, "Asia/Bangkok")).toEqual({ fromDay: "2026-11-17", toDay: "2026-11-23" });
    expect(presetDays("last_30_days", LATE_SUNDAY_UTC, "Asia/Bangkok")).toEqual({ fromDay: "2026-10-25", toDay: "2026-11-23" });
    expect(presetDays("this_month", LATE_SUNDAY_UTC, "America/New_York")).toEqual({ fromDay: "2026-11-01", toDay: "2026-11-22" });
    // The first of the month in Riyadh (UTC+3) while UTC is still on the 31st.
    const riyadhFirst = Date.UTC(2026, 11, 31, 22, 0);
    expect(presetDays("this_month", riyadhFirst, "Asia/Riyadh")).toEqual({ fromDay: "2027-01-01", toDay: "2027-01-01" });
    expect(presetDays("this_month", riyadhFirst, "UTC")).toEqual({ fromDay: "2026-12-01", toDay: "2026-12-31" });
  });

  it("count calendar days across a clock change and across months and years", () => {
    // London leaves summer time on 2026-10-25: seven calendar days, whatever the hours.
    const afterChange = Date.UTC(2026, 9, 28, 12, 0);
    expect(presetDays("last_7_days", afterChange, "Europe/London")).toEqual({ fromDay: "2026-10-22", toDay: "2026-10-28" });
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-02-30", 1)).toBeNull();
    expect(dayInZone(LATE_SUNDAY_UTC, "Asia/Riyadh")).toBe("2026-11-23");
  });

  it("use the custom days as typed, and say what is wrong with them", () => {
    const custom = { fromDay: "2026-11-01", toDay: "2026-11-05" };
    expect(daysFor("custom", custom, LATE_SUNDAY_UTC, "UTC")).toEqual(custom);
    expect(daysProblem(custom)).toBeNull();
    expect(daysProblem({ fromDay: "2026-11-05", toDay: "2026-11-05" })).toBeNull();
    expect(daysProblem({ fromDay: "", toDay: "2026-11-05" })).toBe("reports.problem.days");
    expect(daysProblem({ fromDay: "2026-11-06", toDay: "2026-11-05" })).toBe("reports.problem.order");
    // 366 days, both ends included, is the most a report covers.
    expect(daysProblem({ fromDay: "2025-11-04", toDay: "2026-11-05" })).toBe("reports.problem.tooLong");
    expect(daysProblem({ fromDay: "2025-11-05", toDay: "2026-11-05" })).toBeNull();
  });
});
