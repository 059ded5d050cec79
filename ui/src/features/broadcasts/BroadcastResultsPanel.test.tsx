import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BroadcastRecipient } from "../../bindings/BroadcastRecipient";
import type { BroadcastResults } from "../../bindings/BroadcastResults";
import type { BroadcastState } from "../../bindings/BroadcastState";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { BroadcastResultsPanel, RESULTS_POLL_MS } from "./BroadcastResultsPanel";
import { results } from "./testData";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

afterEach(() => vi.useRealTimers());

function recipient(contactId: number, state: BroadcastRecipient["state"], reason: string | null = null): BroadcastRecipient {
  return { contact_id: contactId, wa_id: "66•••••78", name: `Contact ${contactId}`, phone_number_id: "1001", state, reason, message_id: null, updated_at: Date.UTC(2026, 11, 1, 9, 0) };
}

function mount(state: BroadcastState, answer: () => BroadcastResults = () => results()) {
  const read = vi.fn();
  mockCommands({
    broadcast_results: answer,
    broadcast_recipients: ({ state: wanted, cursor }) => {
      if (wanted === "failed") return { recipients: [recipient(9, "failed", "Message undeliverable (131026)")], next_cursor: null };
      return cursor === null ? { recipients: [recipient(1, "read"), recipient(2, "delivered")], next_cursor: 2 } : { recipients: [recipient(3, "sent")], next_cursor: null };
    },
  });
  render(<BroadcastResultsPanel broadcastId={12} state={state} onRead={read} />);
  return { read };
}

describe("BroadcastResultsPanel", () => {
  it("shows each outcome with its rate of the messages sent, and a bar per outcome", async () => {
    mount("completed", () => results({ state: "completed" }));
    const delivered = (await screen.findByText("Delivered", { selector: "dt" })).parentElement!;
    expect(delivered.textContent).toBe("Delivered780 (79.6%)");
    expect(screen.getByText("Read", { selector: "dt" }).parentElement!.textContent).toBe("Read280 (28.6%)");
    expect(screen.getByText("Replied", { selector: "dt" }).parentElement!.textContent).toBe("Replied60 (6.1%)");
    expect(screen.getByText("Failed", { selector: "dt" }).parentElement!.textContent).toBe("Failed20");
    const bars = [...document.querySelectorAll(".broadcast-chart .kpi-bar")].map((b) => Number(b.getAttribute("data-value")));
    expect(bars).toEqual([980, 780, 280, 60, 20]);
    expect(screen.getByRole("img", { name: /980 sent; 79.6% delivered, 28.6% read, 6.1% replied/ })).toBeTruthy();
    expect(within(document.getElementById("broadcast-failures")!).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Message undeliverable (131026): 15",
      "Re-engagement message (131047): 5",
    ]);
    expect(document.getElementById("broadcast-spend-total")!.textContent).toBe("$10.14");
  });

  it("reads the results again every few seconds while sending, and stops once completed", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let state: BroadcastState = "sending";
    const { read } = mount("sending", () => results({ state }));
    await screen.findByText("Delivered", { selector: "dt" });
    expect(callsOf("broadcast_results")).toHaveLength(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(RESULTS_POLL_MS);
    });
    expect(callsOf("broadcast_results")).toHaveLength(2);
    expect(read).toHaveBeenCalledTimes(2);
    state = "completed";
    await act(async () => {
      await vi.advanceTimersByTimeAsync(RESULTS_POLL_MS);
    });
    expect(callsOf("broadcast_results")).toHaveLength(3);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(RESULTS_POLL_MS * 3);
    });
    expect(callsOf("broadcast_results")).toHaveLength(3);
  });

  it("pages through the recipients and filters them by state", async () => {
    const user = userEvent.setup();
    mount("completed", () => results({ state: "completed" }));
    const table = await screen.findByRole("table", { name: "Recipients" });
    expect(within(table).getAllByRole("row").slice(1).map((r) => r.getAttribute("data-state"))).toEqual(["read", "delivered"]);
    expect(within(table).getAllByText("+66•••••78")).toHaveLength(2);
    await user.click(screen.getByRole("button", { name: "Next page" }));
    expect(await screen.findByText("Contact 3")).toBeTruthy();
    expect(callsOf("broadcast_recipients").at(-1)).toEqual({ id: 12, state: null, cursor: 2, limit: 50 });
    await user.click(screen.getByRole("button", { name: "Previous page" }));
    expect(await screen.findByText("Contact 1")).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("Show"), "failed");
    expect(await screen.findByText("Message undeliverable (131026)", { selector: "td" })).toBeTruthy();
    expect(callsOf("broadcast_recipients").at(-1)).toEqual({ id: 12, state: "failed", cursor: null, limit: 50 });
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Next page" }).disabled).toBe(true);
  });
});
