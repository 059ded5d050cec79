import { act, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { entry, message } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { ConversationView } from "./ConversationView";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const keys = () => [...document.querySelectorAll<HTMLElement>(".message")].map((m) => m.dataset.key);

async function renderConversation() {
  mockCommands({
    list_messages: () => [
      message("b", 2_000, { direction: "outbound", status: "delivered", sender_name: "Amira" }),
      message("a", 1_000, { text: "مرحبا، أحتاج مساعدة" }),
    ],
    mark_read: () => null,
  });
  const hub = new DesktopEventHub();
  render(
    <DesktopEventsProvider hub={hub}>
      <ConversationView conversationId={1} conversation={entry(1, 2_000).conversation} />
    </DesktopEventsProvider>,
  );
  await screen.findByText("Amira");
  return hub;
}

describe("ConversationView", () => {
  it("lists messages oldest first with direction, status and ticks", async () => {
    await renderConversation();
    expect(keys()).toEqual(["a", "b"]);
    const [inbound, outbound] = document.querySelectorAll<HTMLElement>(".message");
    expect(inbound?.dataset.direction).toBe("inbound");
    expect(inbound?.querySelector(".ticks")).toBeNull();
    expect(inbound?.querySelector(".message-text")?.getAttribute("dir")).toBe("auto");
    expect(outbound?.dataset.status).toBe("delivered");
    expect(outbound?.querySelector(".ticks")?.getAttribute("aria-label")).toBe("Delivered");
    expect(callsOf("mark_read")).toEqual([{ conversation_id: 1 }]);
  });

  it("applies message_changed events and marks new inbound messages read", async () => {
    const hub = await renderConversation();

    act(() =>
      hub.emit({
        type: "message_changed",
        message: message("b", 2_000, { direction: "outbound", status: "failed", error: "Outside the 24 h window" }),
      }),
    );
    expect(keys()).toEqual(["a", "b"]);
    expect(document.querySelector('.message[data-key="b"] .message-error')?.textContent).toBe(
      "Outside the 24 h window",
    );
    expect(callsOf("mark_read")).toHaveLength(1); // an outbound update is not a reason

    act(() => hub.emit({ type: "message_changed", message: message("c", 3_000) }));
    expect(keys()).toEqual(["a", "b", "c"]);
    expect(callsOf("mark_read")).toHaveLength(2);

    // Other conversations' messages are not shown here.
    act(() => hub.emit({ type: "message_changed", message: message("z", 4_000, { conversation_id: 2 }) }));
    expect(keys()).toEqual(["a", "b", "c"]);
  });
});
