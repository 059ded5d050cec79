import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SegmentCheck } from "../../bindings/SegmentCheck";
import type { SegmentCountRequest } from "../../bindings/SegmentCountRequest";
import type { SegmentSummary } from "../../bindings/SegmentSummary";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { forgetKeptDrafts } from "../automation/keptDrafts";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { markColumn, offsetOfColumn } from "./segmentModel";
import { SegmentsPanel } from "./SegmentsPanel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const vipGulf: SegmentSummary = {
  name: "VIP Gulf",
  expression: "tag:vip AND region:gcc",
  description: "Our best customers in the Gulf",
  updated_at: 1,
  updated_by: "root",
  count: 1234,
};

/** A stand-in for the server's parser: `tag:` and `country:` terms joined by AND. */
function check({ expression }: SegmentCountRequest): SegmentCheck {
  const at = expression.search(/cuntry/);
  if (at >= 0) {
    const column = Array.from(expression.slice(0, at)).length + 1;
    return {
      count: null,
      problem: { code: "unknown_term", column, message: `Column ${column}: “cuntry” is not a term; did you mean country?` },
    };
  }
  return {
    count: {
      expression,
      count: expression.includes("country:TH") ? 2 : 40,
      opted_out_excluded: 1,
      sample: [
        { id: 1, name: "Somchai", wa_id: "66•••••78", country: "TH", opted_out: false },
        { id: 2, name: null, wa_id: "66•••••12", country: "TH", opted_out: true },
      ],
    },
    problem: null,
  };
}

function setup() {
  mockCommands({
    counted_segments: () => [vipGulf],
    check_segment: check,
    save_segment: (r) => ({ name: r.name, expression: r.expression, description: r.description, updated_at: 2, updated_by: "root" }),
    delete_segment: () => null,
    export_contacts: () => ({ path: "/home/root/Downloads/switchboard-contacts.csv", rows: 1234, expected: 1234, bytes: 99 }),
  });
  const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
  render(
    <DesktopEventsProvider hub={new DesktopEventHub()}>
      <SegmentsPanel />
    </DesktopEventsProvider>,
  );
  return { user };
}

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  forgetKeptDrafts();
});
afterEach(() => {
  vi.useRealTimers();
  setLocale("en");
});

describe("the segments panel", () => {
  it("lists segments with their counts and exports one as CSV, saying where the file is", async () => {
    const { user } = setup();
    const row = await screen.findByRole("row", { name: /VIP Gulf/ });
    expect(within(row).getByText("1,234")).toBeTruthy();
    await user.click(within(row).getByRole("button", { name: "Export VIP Gulf as CSV" }));
    expect(callsOf("export_contacts")).toEqual([{ segment: "VIP Gulf" }]);
    expect((await screen.findByText(/1,234 contacts saved to/)).textContent).toContain("/home/root/Downloads/switchboard-contacts.csv");
  });

  it("counts live once typing pauses and shows a few members", async () => {
    const { user } = setup();
    await user.click(await screen.findByRole("button", { name: "New segment" }));
    await user.type(screen.getByLabelText("Expression"), "tag:vip AND country:TH");
    // Nothing is asked while the admin types.
    expect(callsOf("check_segment")).toHaveLength(0);
    expect(screen.getByText("Counting…")).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(callsOf("check_segment")).toEqual([{ expression: "tag:vip AND country:TH" }]);
    const count = await screen.findByText(/2 contacts now/);
    expect(count.textContent).toContain("1 of them opted out");
    const sample = screen.getByRole("list", { name: "Some of its contacts" });
    expect(within(sample).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Somchai +66•••••78 TH",
      "+66•••••12  TH Opted out",
    ]);
  });

  it("marks the server's problem at its column and moves the caret there", async () => {
    const { user } = setup();
    await user.click(await screen.findByRole("button", { name: "New segment" }));
    const box = screen.getByLabelText<HTMLTextAreaElement>("Expression");
    await user.type(box, "tag:ลูกค้า🎉 AND cuntry:SA");
    await act(() => vi.advanceTimersByTimeAsync(500));
    const problem = await screen.findByRole("alert");
    expect(problem.dataset.column).toBe("17");
    expect(problem.textContent).toContain("“cuntry” is not a term");
    // The mark sits on the "c" of cuntry: columns count characters, and 🎉 is one (two UTF-16 units).
    expect(problem.querySelector("mark")!.textContent).toBe("c");
    expect(problem.querySelector(".segment-marked")!.textContent).toBe("tag:ลูกค้า🎉 AND cuntry:SA");
    expect(box.getAttribute("aria-invalid")).toBe("true");
    await user.click(within(problem).getByRole("button", { name: "Go to column 17" }));
    expect(document.activeElement).toBe(box);
    expect(box.selectionStart).toBe("tag:ลูกค้า🎉 AND ".length);
    expect(box.value.slice(box.selectionStart, box.selectionEnd)).toBe("c");
    expect(screen.queryByText(/contacts now/)).toBeNull();
  });

  it("saves a new segment and keeps a name that is taken from being sent", async () => {
    const { user } = setup();
    await user.click(await screen.findByRole("button", { name: "New segment" }));
    await user.type(screen.getByLabelText("Name"), "VIP Gulf");
    await user.type(screen.getByLabelText("Expression"), "tag:vip");
    await user.click(screen.getByRole("button", { name: "Save segment" }));
    expect(screen.getByText(/A segment called VIP Gulf exists already/)).toBeTruthy();
    expect(callsOf("save_segment")).toHaveLength(0);
    await user.clear(screen.getByLabelText("Name"));
    await user.type(screen.getByLabelText("Name"), " Thai VIPs ");
    await user.click(screen.getByRole("button", { name: "Save segment" }));
    expect(await screen.findByText("Segment Thai VIPs saved.")).toBeTruthy();
    expect(callsOf("save_segment")).toEqual([{ name: "Thai VIPs", expression: "tag:vip", description: "" }]);
  });

  it("splits at a column counted in characters", () => {
    expect(markColumn("ab", 5)).toEqual({ before: "ab", at: "", after: "" });
    expect(markColumn("a😀b", 3)).toEqual({ before: "a😀", at: "b", after: "" });
    expect(offsetOfColumn("a😀b", 3)).toBe(3);
    expect(markColumn("x", 0)).toEqual({ before: "", at: "x", after: "" });
  });
});
