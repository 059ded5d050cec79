import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { ConversationReview } from "../../bindings/ConversationReview";
import { board, entry, message, queueDepth, supervisorSession } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

/** Conversation 99 belongs to a colleague: this desk's inbox does not hold it. */
const colleagues = { ...entry(99, 5_000, { name: "Omar Farouk" }).conversation, assigned_user_id: 8, assigned_user_name: "Niran" };

function review(overrides: Partial<ConversationReview> = {}): ConversationReview {
  return {
    conversation: colleagues,
    messages: [
      message("a", 1_000, { conversation_id: 99, text: "Where is my refund?", body: { type: "text", body: "Where is my refund?" } }),
      message("b", 2_000, {
        conversation_id: 99,
        direction: "outbound",
        status: "read",
        text: "It was sent yesterday.",
        body: { type: "text", body: "It was sent yesterday." },
      }),
    ],
    from_cache: false,
    ...overrides,
  };
}

function signIn(reviewAnswer: () => ConversationReview) {
  mockCommands({
    session_status: () => supervisorSession(),
    list_inbox: () => [entry(41, 1_000)],
    list_messages: () => [],
    mark_read: () => null,
    supervisor_board: () =>
      board({ queues: [queueDepth({ name: "Billing", waiting: 1, longest_wait_seconds: 5, oldest_conversation_id: 99 })] }),
    kpis: () => new Promise(() => {}),
    review_conversations: ({ query }) => ({
      conversations: query === "" || "omar".includes(query.toLowerCase()) ? [colleagues] : [],
      truncated: false,
      from_cache: false,
    }),
    review_conversation: reviewAnswer,
  });
  const user = userEvent.setup();
  render(<App />);
  return user;
}

describe("Review", () => {
  it("finds a colleague's conversation and shows it read-only, without a reply box", async () => {
    const user = signIn(() => review());
    await user.click(await screen.findByRole("button", { name: "Review" }));
    await user.type(screen.getByLabelText("Find a conversation"), "omar");
    const result = await screen.findByRole("button", { name: /Omar Farouk/ });
    await user.click(result);
    expect(await screen.findByText("Where is my refund?")).toBeTruthy();
    expect(screen.getByText("It was sent yesterday.")).toBeTruthy();
    expect(document.getElementById("review-readonly")?.textContent).toBe("Review — read only");
    expect(screen.getByText(/Held by Niran/)).toBeTruthy();
    for (const id of ["composer", "send", "note-composer", "resolve", "reopen", "template-picker"]) {
      expect(document.getElementById(id), id).toBeNull();
    }
    expect(screen.queryByRole("textbox", { name: /reply/i })).toBeNull();
    expect(callsOf("review_conversation")).toEqual([{ conversation_id: 99 }]);
  });

  it("opens a waiting conversation this desk does not hold from the board, and says when it is the cached copy", async () => {
    const user = signIn(() => review({ from_cache: true }));
    await user.click(await screen.findByRole("button", { name: "Supervisor" }));
    await user.click(await screen.findByRole("button", { name: "Open" }));
    expect(await screen.findByText("Where is my refund?")).toBeTruthy();
    expect(document.getElementById("review-view")).not.toBeNull();
    expect(document.getElementById("review-from-cache")?.textContent).toMatch(/may be out of date/);
    expect(screen.getByRole("button", { name: "Review" }).getAttribute("aria-current")).toBe("page");
  });

  it("says when nothing matches and shows a refusal", async () => {
    const user = signIn(() => {
      throw { code: "rejected", message: "Conversation 99 does not exist or is not assigned to you." };
    });
    await user.click(await screen.findByRole("button", { name: "Review" }));
    await user.type(screen.getByLabelText("Find a conversation"), "nobody");
    expect(await screen.findByText("No conversation matches.")).toBeTruthy();
    await user.clear(screen.getByLabelText("Find a conversation"));
    await user.click(await screen.findByRole("button", { name: /Omar Farouk/ }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/does not exist/);
  });
});
