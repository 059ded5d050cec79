import { act, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { Conversation } from "../../bindings/Conversation";
import type { InboxEntry } from "../../bindings/InboxEntry";
import { entry, session } from "../../test/fixtures";
import { callsOf, emitDesktopEvent, mockCommands } from "../../test/ipcMock";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const items = () => [...document.querySelectorAll<HTMLButtonElement>(".inbox-item")];
const itemIds = () => items().map((b) => b.dataset.conversationId);

async function renderInbox(
  entries = [entry(1, 1_000), entry(2, 3_000, { unread: 2 }), entry(3, 2_000)],
  firstShown = "Contact 2",
) {
  mockCommands({
    session_status: () => session(),
    list_inbox: () => entries,
    list_messages: () => [],
    mark_read: () => null,
  });
  const rendered = render(<App />);
  await screen.findByText(firstShown);
  return rendered;
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

  it("renders only a window of rows for 10,000 conversations and keeps the keys working", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => entry(i + 1, (i + 1) * 1_000));
    await renderInbox(many, "Contact 10000");
    const scroller = document.querySelector<HTMLElement>(".inbox-scroll")!;
    expect(items().length).toBeGreaterThan(5);
    expect(items().length).toBeLessThan(40);
    expect(itemIds()[0]).toBe("10000");
    // Screen readers still learn how long the list is.
    expect(document.querySelector(".inbox-list li")?.getAttribute("aria-setsize")).toBe("10000");
    expect(document.getElementById("inbox-count")?.textContent).toBe("10000 conversations");

    // Scrolling halfway renders the rows there, and only those.
    scroller.scrollTop = 5_000 * 80;
    fireEvent.scroll(scroller);
    expect(itemIds()).toContain("5000");
    expect(itemIds()).not.toContain("10000");
    expect(items().length).toBeLessThan(40);

    const user = userEvent.setup();
    await user.click(items()[10]!);
    await user.keyboard("{End}");
    expect(document.activeElement?.getAttribute("data-conversation-id")).toBe("1");
    expect(document.activeElement?.getAttribute("aria-current")).toBe("true");
    await user.keyboard("{Home}");
    expect(document.activeElement?.getAttribute("data-conversation-id")).toBe("10000");
    await user.keyboard("jj");
    expect(document.activeElement?.getAttribute("data-conversation-id")).toBe("9998");
    await user.keyboard("k");
    expect(document.activeElement?.getAttribute("data-conversation-id")).toBe("9999");
  });

  it("filters by assignment and remembers the filter for the next session", async () => {
    const mineAndOthers = [
      withConversation(entry(1, 1_000), { assigned_user_id: 7 }),
      withConversation(entry(2, 2_000), { assigned_user_id: null, queued_at: 1_500 }),
      withConversation(entry(3, 3_000), { assigned_user_id: 12 }),
    ];
    const first = await renderInbox(mineAndOthers, "Contact 3");
    const user = userEvent.setup();

    await user.click(screen.getByRole("button", { name: "Unassigned" }));
    expect(itemIds()).toEqual(["2"]);
    expect(document.getElementById("inbox-count")?.textContent).toBe("1 of 3 conversations");
    await user.click(screen.getByRole("button", { name: "Mine" }));
    expect(itemIds()).toEqual(["1"]);

    // A new session (the app restarted) opens the inbox as it was left.
    first.unmount();
    await renderInbox(mineAndOthers, "Contact 1");
    expect(itemIds()).toEqual(["1"]);
    expect(screen.getByRole("button", { name: "Mine" }).getAttribute("aria-pressed")).toBe("true");

    await user.click(screen.getByRole("button", { name: "Show all" }));
    expect(itemIds()).toEqual(["3", "2", "1"]);
  });

  it("filters by team, number, tag and status, and sorts by waiting time", async () => {
    const list = [
      withConversation(entry(1, 1_000, { unread: 1 }), { team_name: "Riyadh", tags: ["vip"], last_inbound_at: 1_000 }),
      withConversation(entry(2, 5_000), { phone_number_id: "2002", business_name: "Thai line", last_inbound_at: 4_000 }),
      withConversation(entry(3, 3_000, { unread: 2 }), { team_name: "Riyadh", status: "resolved" }),
    ];
    await renderInbox(list, "Contact 3");
    const user = userEvent.setup();
    expect(document.getElementById("inbox-count")?.textContent).toBe("3 conversations · 3 unread");

    await user.selectOptions(screen.getByLabelText("Team"), "Riyadh");
    expect(itemIds()).toEqual(["3", "1"]);
    await user.selectOptions(screen.getByLabelText("Status"), "open");
    expect(itemIds()).toEqual(["1"]);
    await user.selectOptions(screen.getByLabelText("Team"), "");
    await user.selectOptions(screen.getByLabelText("Tag"), "vip");
    expect(itemIds()).toEqual(["1"]);
    await user.selectOptions(screen.getByLabelText("Tag"), "");
    await user.selectOptions(screen.getByLabelText("Number"), "2002");
    expect(itemIds()).toEqual(["2"]);
    await user.selectOptions(screen.getByLabelText("Number"), "");

    // Conversation 1's customer wrote last and has waited longest; 2 was answered.
    await user.selectOptions(screen.getByLabelText("Sort"), "waiting");
    expect(itemIds()).toEqual(["1", "2"]);
    expect(JSON.parse(localStorage.getItem("switchboard.inbox.7") ?? "{}")).toMatchObject({ sort: "waiting", status: "open" });
  });
});

function withConversation(base: InboxEntry, changes: Partial<Conversation>): InboxEntry {
  return { ...base, conversation: { ...base.conversation, ...changes } };
}
