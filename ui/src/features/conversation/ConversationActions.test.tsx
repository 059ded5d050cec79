import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Conversation } from "../../bindings/Conversation";
import { entry, message } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { ConversationView } from "./ConversationView";
import { renderTemplate, splitRemaining, tomorrowAtNine, windowRemaining } from "./windowModel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const HOUR = 3_600_000;

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return { ...entry(1, Date.now()).conversation, ...overrides };
}

function renderView(c: Conversation, commands: Parameters<typeof mockCommands>[0] = {}) {
  mockCommands({
    list_messages: () => [message("a", 1_000)],
    mark_read: () => null,
    list_notes: () => [],
    quick_replies: () => [{ shortcut: "hello", text: "Hello! How can I help?" }],
    ...commands,
  });
  const hub = new DesktopEventHub();
  const view = render(
    <DesktopEventsProvider hub={hub}>
      <ConversationView conversationId={c.id} conversation={c} />
    </DesktopEventsProvider>,
  );
  return { hub, view };
}

describe("the 24-hour window", () => {
  it("counts down in hours and minutes", () => {
    expect(windowRemaining(0, 24 * HOUR + 1)).toBe(0);
    expect(windowRemaining(null, 5)).toBe(0);
    expect(splitRemaining(3 * HOUR + 12 * 60_000)).toEqual({ hours: 3, minutes: 12 });
    expect(splitRemaining(30_000)).toEqual({ hours: 0, minutes: 1 });
  });

  it("shows the countdown in the header while open", async () => {
    renderView(conversation({ last_inbound_at: Date.now() - 20 * HOUR - 47 * 60_000 }));
    expect((await screen.findByText(/^Window closes in 3 h 1[23] min$/)).dataset.open).toBe("true");
    expect(document.getElementById("composer")).not.toBeNull();
  });

  it("replaces the reply box with the template picker when closed, with a live preview", async () => {
    renderView(conversation({ last_inbound_at: Date.now() - 30 * HOUR }), {
      list_templates: () => [
        { name: "order_update", language: "en_US", category: "utility", body: "Hi {{1}}, your order {{2}} has shipped.", parameters: 2 },
        { name: "follow_up", language: "en_US", category: "marketing", body: "Hi {{1}}, anything else?", parameters: 1 },
      ],
      send_template: (r) => message("t", 5_000, { direction: "outbound", status: "pending", kind: "template", text: r.preview, body: { type: "template", name: r.name, language: r.language, parameters: r.parameters } }),
    });
    expect(screen.getByText("24-hour window closed")).toBeTruthy();
    expect(document.getElementById("composer")).toBeNull();
    const select = await screen.findByLabelText("Template");
    await waitFor(() => expect(select.querySelectorAll("option")).toHaveLength(3));
    await userEvent.selectOptions(select, "order_update:en_US");
    const send = screen.getByText("Send template");
    expect(send.closest("button")?.disabled).toBe(true);
    const [first, second] = document.querySelectorAll<HTMLInputElement>(".template-parameter");
    await userEvent.type(first!, "Sheena");
    expect(document.getElementById("template-preview")?.textContent).toBe("Hi Sheena, your order {{2}} has shipped.");
    await userEvent.type(second!, "#4521");
    expect(document.getElementById("template-preview")?.textContent).toBe("Hi Sheena, your order #4521 has shipped.");
    await userEvent.click(send);
    expect(callsOf("send_template")).toEqual([
      { conversation_id: 1, name: "order_update", language: "en_US", parameters: ["Sheena", "#4521"], preview: "Hi Sheena, your order #4521 has shipped." },
    ]);
    expect(await screen.findByText("Template order_update (en_US)")).toBeTruthy();
  });

  it("renders template bodies and finds tomorrow 9:00", () => {
    expect(renderTemplate("Hi {{1}} and {{2}}", ["A"])).toBe("Hi A and {{2}}");
    const nine = new Date(tomorrowAtNine(new Date(2026, 0, 31, 22, 15).getTime()));
    expect([nine.getMonth(), nine.getDate(), nine.getHours(), nine.getMinutes()]).toEqual([1, 1, 9, 0]);
  });
});

describe("conversation actions", () => {
  it("resolves, and shows the conversation the core answers with", async () => {
    const c = conversation();
    const { hub } = renderView(c, { resolve_conversation: () => ({ ...c, status: "resolved" }) });
    await userEvent.click(screen.getByText("Resolve"));
    expect(callsOf("resolve_conversation")).toEqual([{ conversation_id: 1 }]);
    act(() => hub.emit({ type: "inbox_entry_changed", entry: { conversation: { ...c, status: "resolved" }, unread_count: 0 } }));
  });

  it("snoozes for an hour or until tomorrow 9:00", async () => {
    renderView(conversation(), { snooze_conversation: (r) => conversation({ snoozed_until: r.until }) });
    await userEvent.click(screen.getByText("Snooze"));
    await userEvent.click(screen.getByText("Tomorrow 9:00"));
    const [request] = callsOf("snooze_conversation");
    expect(new Date(request!.until).getHours()).toBe(9);
    expect(request!.until).toBeGreaterThan(Date.now());
  });

  it("transfers to an agent with a note, and explains a refusal at their limit", async () => {
    renderView(conversation(), {
      transfer_targets: () => ({
        agents: [{ id: 8, display_name: "Niran", available: true }],
        teams: [{ id: 2, name: "Arabic desk", numbers: [], members: [] }],
      }),
      transfer_conversation: () => {
        throw { code: "conflict", message: "The transfer was refused: Niran already holds 7 open conversations, their limit." };
      },
    });
    await userEvent.click(screen.getByText("Transfer", { selector: "#transfer" }));
    const target = screen.getByLabelText("Transfer to");
    await waitFor(() => expect(target.querySelectorAll("option")).toHaveLength(3));
    await userEvent.selectOptions(target, "agent:8");
    await userEvent.type(screen.getByLabelText("Note for them (optional)"), "Wants a call back");
    await userEvent.click(document.getElementById("transfer-confirm")!);
    expect(callsOf("transfer_conversation")).toEqual([{ conversation_id: 1, to_user_id: 8, to_team_id: null, note: "Wants a call back" }]);
    expect((await screen.findByRole("alert")).textContent).toContain("Niran already holds 7 open conversations");
  });

  it("adds and removes tags as chips", async () => {
    renderView(conversation({ tags: ["vip"] }), { set_tags: (r) => conversation({ tags: r.tags }) });
    await userEvent.type(screen.getByLabelText("Add tag"), "refund{Enter}");
    await userEvent.click(screen.getByLabelText("Remove tag vip"));
    expect(callsOf("set_tags")).toEqual([
      { conversation_id: 1, tags: ["vip", "refund"] },
      { conversation_id: 1, tags: [] },
    ]);
  });

  it("shows an offline tag change the server refused", async () => {
    const { hub } = renderView(conversation());
    act(() => hub.emit({ type: "action_failed", conversation_id: 1, message: "The tags could not be saved: This conversation now belongs to Niran." }));
    expect((await screen.findByRole("alert")).textContent).toContain("This conversation now belongs to Niran.");
  });

  it("writes internal notes into the timeline, apart from replies", async () => {
    const { hub } = renderView(conversation(), {
      add_note: (r) => ({ key: "n1", id: null, conversation_id: 1, author_name: "Amira Haddad", text: r.text, status: "pending", error: null, created_at: Date.now() }),
    });
    await userEvent.click(screen.getByText("Internal note"));
    await userEvent.type(document.getElementById("note-text")!, "Refund approved by Sara");
    await userEvent.click(screen.getByText("Add note"));
    expect(callsOf("add_note")).toEqual([{ conversation_id: 1, text: "Refund approved by Sara" }]);
    expect(callsOf("send_reply")).toEqual([]);
    const note = await waitFor(() => document.querySelector<HTMLElement>('.note[data-key="n1"]')!);
    expect(note.dataset.status).toBe("pending");
    act(() => hub.emit({ type: "note_changed", note: { key: "n1", id: 3, conversation_id: 1, author_name: "Amira Haddad", text: "Refund approved by Sara", status: "saved", error: null, created_at: Date.now() } }));
    expect(document.querySelector<HTMLElement>('.note[data-key="n1"]')?.dataset.status).toBe("saved");
  });
});

describe("quick replies", () => {
  it("inserts a canned reply with / and Enter", async () => {
    renderView(conversation());
    const box = document.getElementById("composer") as HTMLTextAreaElement;
    await waitFor(() => expect(callsOf("quick_replies")).toHaveLength(1));
    await userEvent.type(box, "/he");
    expect(document.getElementById("quick-reply-menu")?.textContent).toContain("/hello");
    await userEvent.keyboard("{Enter}");
    expect(box.value).toBe("Hello! How can I help?");
    expect(document.getElementById("quick-reply-menu")).toBeNull();
  });

  it("edits the list", async () => {
    renderView(conversation(), { save_quick_replies: (list) => list.filter((r) => r.shortcut) });
    await userEvent.click(await screen.findByText("Edit quick replies"));
    const shortcuts = screen.getAllByLabelText("Shortcut");
    await userEvent.type(shortcuts[1]!, "bye");
    await userEvent.type(screen.getAllByLabelText("Text")[1]!, "Goodbye!");
    await userEvent.click(screen.getByText("Save"));
    expect(callsOf("save_quick_replies")).toEqual([
      [
        { shortcut: "hello", text: "Hello! How can I help?" },
        { shortcut: "bye", text: "Goodbye!" },
      ],
    ]);
  });
});
