import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import { entry, session } from "../../test/fixtures";
import { callsOf, emitDesktopEvent, mockCommands } from "../../test/ipcMock";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const items = () => [...document.querySelectorAll<HTMLButtonElement>(".inbox-item")];
const itemIds = () => items().map((b) => b.dataset.conversationId);

async function renderInbox(entries = [entry(1, 1_000), entry(2, 3_000, { unread: 2 }), entry(3, 2_000)]) {
  mockCommands({
    session_status: () => session(),
    list_inbox: () => entries,
    list_messages: () => [],
    mark_read: () => null,
  });
  render(<App />);
  await screen.findByText("Contact 2");
}

describe("Inbox", () => {
  it("sorts by last message time, newest first, with unread badges", async () => {
    await renderInbox();
    expect(itemIds()).toEqual(["2", "3", "1"]);
    const badges = document.querySelectorAll(".unread-badge");
    expect(badges).toHaveLength(1);
    expect(badges[0]?.textContent).toBe("2");
    expect(items()[0]?.contains(badges[0] ?? null)).toBe(true);
    expect(document.querySelector(".preview")?.getAttribute("dir")).toBe("auto");
  });

  it("applies inbox_entry_changed events by replacing or inserting", async () => {
    await renderInbox();
    act(() => emitDesktopEvent({ type: "inbox_entry_changed", entry: entry(1, 5_000, { unread: 1 }) }));
    expect(itemIds()).toEqual(["1", "2", "3"]);
    expect(items()[0]?.querySelector(".unread-badge")?.textContent).toBe("1");

    act(() => emitDesktopEvent({ type: "inbox_entry_changed", entry: entry(4, 4_000, { name: null }) }));
    expect(itemIds()).toEqual(["1", "4", "2", "3"]);
    expect(items()[1]?.querySelector(".contact-name")?.textContent).toBe("+4477009000" + "4");
  });

  it("shows the empty state", async () => {
    mockCommands({ session_status: () => session(), list_inbox: () => [] });
    render(<App />);
    expect(
      await screen.findByText("No conversations yet. New conversations assigned to you appear here."),
    ).toBeTruthy();
  });

  it("selects with click and moves with the arrow keys", async () => {
    await renderInbox();
    const user = userEvent.setup();
    await user.click(items()[0]!);
    expect(items()[0]?.getAttribute("aria-current")).toBe("true");
    expect(callsOf("mark_read")).toEqual([{ conversation_id: 2 }]);

    await user.keyboard("{ArrowDown}");
    expect(items()[1]?.getAttribute("aria-current")).toBe("true");
    expect(items()[0]?.hasAttribute("aria-current")).toBe(false);
    expect(document.activeElement).toBe(items()[1]);

    await user.keyboard("{ArrowDown}{ArrowDown}"); // stops at the last item
    expect(items()[2]?.getAttribute("aria-current")).toBe("true");
    await user.keyboard("{ArrowUp}");
    expect(items()[1]?.getAttribute("aria-current")).toBe("true");
  });

  it("opens the conversation a notification asks for", async () => {
    await renderInbox();
    act(() => emitDesktopEvent({ type: "open_conversation", conversation_id: 3 }));
    expect(items().find((b) => b.dataset.conversationId === "3")?.getAttribute("aria-current")).toBe("true");
    expect(await screen.findByRole("heading", { name: "Contact 3" })).toBeTruthy();
  });
});
