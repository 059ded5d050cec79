import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Broadcast } from "../../bindings/Broadcast";
import type { UserProfile } from "../../bindings/UserProfile";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { forgetKeptDrafts } from "../automation/keptDrafts";
import { BroadcastsSection } from "./BroadcastsSection";
import { broadcast, offerTemplate, preview, results } from "./testData";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const admin: UserProfile = { id: 1, username: "admin", display_name: "Admin", role: "admin", custom_role: null, permissions: [] };

function setup(list: Broadcast[], user: UserProfile = admin) {
  mockCommands({
    broadcasts: () => list,
    broadcast: ({ id }) => list.find((b) => b.id === id)!,
    business_numbers: () => [{ phone_number_id: "1001", display_number: "+66 2 000", name: "Bangkok desk", waba_id: "1", throughput_per_second: 80, shared_with_business_app: false }],
    list_inbox: () => [],
    list_users: () => [admin],
    counted_segments: () => [{ name: "VIP Thailand", expression: "tag:vip AND country:TH", description: "", updated_at: 1, updated_by: null, count: 1_250 }],
    count_segment: () => ({ expression: "tag:vip AND country:TH", count: 1_250, opted_out_excluded: 40, sample: [] }),
    broadcast_templates: () => [offerTemplate],
    create_broadcast: (draft) => broadcast({ ...draft, id: 31 }),
    preview_broadcast: () => preview(),
    broadcast_results: ({ id }) => results({ broadcast_id: id, state: list.find((b) => b.id === id)!.state }),
    broadcast_recipients: () => ({ recipients: [], next_cursor: null }),
  });
  render(<BroadcastsSection user={user} />);
  return userEvent.setup();
}

beforeEach(() => forgetKeptDrafts());
afterEach(() => setLocale("en"));

describe("BroadcastsSection", () => {
  it("lists broadcasts newest first with their state in words, progress and creator", async () => {
    setup([
      broadcast({ id: 1, name: "Autumn sale", state: "completed", recipients: 900, queued_messages: 900, created_at: 1_000 }),
      broadcast({ id: 2, name: "December offer", state: "sending", recipients: 1_180, queued_messages: 400, created_at: 2_000, scheduled_at: Date.UTC(2026, 11, 1, 9, 0) }),
    ]);
    const table = await screen.findByRole("table", { name: "Broadcasts, newest first" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.getAttribute("data-state"))).toEqual(["sending", "completed"]);
    expect(rows[0]!.textContent).toContain("Sending");
    expect(rows[0]!.textContent).toContain("400 of 1,180");
    expect(rows[0]!.textContent).toContain("Bangkok desk");
    expect(await within(rows[0]!).findByText("Admin")).toBeTruthy();
    expect(rows[1]!.textContent).toContain("Completed");
  });

  it("creates a draft from the composer and then previews it", async () => {
    const user = setup([]);
    await user.click(await screen.findByRole("button", { name: "New broadcast" }));
    await user.type(screen.getByLabelText("Name"), "December offer");
    await user.selectOptions(screen.getByLabelText("Segment"), "VIP Thailand");
    await user.selectOptions(screen.getByLabelText("Approved template"), "december_offer|en_US");
    await user.selectOptions(screen.getByLabelText("Parameter 2 takes its text from"), "fixed");
    await user.type(screen.getByLabelText("Text for parameter 2"), "20%");
    await user.click(screen.getByRole("checkbox", { name: /Bangkok desk/ }));
    await user.click(screen.getByRole("button", { name: "Save draft" }));
    expect(callsOf("create_broadcast")).toEqual([
      {
        name: "December offer",
        audience: "VIP Thailand",
        template: "december_offer",
        language: "en_US",
        parameters: [{ source: "attribute", name: "name" }, { source: "fixed", text: "20%" }],
        numbers: ["1001"],
      },
    ]);
    expect(await screen.findByRole("heading", { name: "Draft: December offer" })).toBeTruthy();
    expect(await screen.findByRole("button", { name: "Start now" })).toBeTruthy();
    expect(callsOf("preview_broadcast")).toEqual([{ id: 31 }]);
    await user.click(screen.getByRole("button", { name: "New broadcast" }));
    expect(screen.getByLabelText<HTMLInputElement>("Name").value).toBe("");
  });

  it("schedules a saved draft for a time without asking to save it again", async () => {
    const user = setup([broadcast({ id: 12, state: "draft" })]);
    await user.click(await screen.findByRole("button", { name: "December offer" }));
    await user.click(screen.getByRole("radio", { name: "At a date and time" }));
    expect(await screen.findByText("Give the date and time it should start.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Start at/), { target: { value: "2099-12-24T09:00" } });
    expect(screen.queryByText("Unsaved changes")).toBeNull();
    const schedule = await screen.findByRole<HTMLButtonElement>("button", { name: /^Schedule for/ });
    await waitFor(() => expect(schedule.disabled).toBe(false));
    expect(screen.queryByRole("button", { name: "Start now" })).toBeNull();
  });

  it("opens a sending broadcast on its results with pause and cancel", async () => {
    const user = setup([broadcast({ id: 2, state: "sending", recipients: 1_180, queued_messages: 400 })]);
    await user.click(await screen.findByRole("button", { name: "December offer" }));
    expect(await screen.findByRole("heading", { name: "Results" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Pause" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Resume" })).toBeNull();
    expect(screen.queryByRole("form")).toBeNull();
  });

  it("shows each part only to those whose permissions allow it", async () => {
    setup([], { ...admin, role: "agent", permissions: ["broadcast"] });
    await screen.findByRole("button", { name: "New broadcast" });
    expect(screen.getAllByRole("button", { name: "Broadcasts" })).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Rate card" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Costs" })).toBeNull();
  });
});
