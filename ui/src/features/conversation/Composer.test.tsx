import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { FilterReport } from "../../bindings/FilterReport";
import { message } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { Composer } from "./Composer";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const PHRASE = "guaranteed refund";

/** A filter that blocks one phrase, reporting UTF-16 offsets like the core. */
function checkText({ text }: { text: string }): FilterReport {
  const start = text.indexOf(PHRASE);
  if (start < 0) return { policy_version: 3, blocked: false, matches: [] };
  return {
    policy_version: 3,
    blocked: true,
    matches: [{ phrase: PHRASE, action: "block", start, end: start + PHRASE.length }],
  };
}

const composer = () => document.getElementById("composer") as HTMLTextAreaElement;
const sendButton = () => document.getElementById("send") as HTMLButtonElement;

function setup() {
  const onSent = vi.fn();
  const user = userEvent.setup();
  render(<Composer conversationId={42} onSent={onSent} />);
  return { user, onSent };
}

describe("Composer", () => {
  it("disables send and names the phrase when the report is blocked", async () => {
    mockCommands({ check_text: checkText });
    const { user } = setup();

    await user.type(composer(), `👋 You get a ${PHRASE}`);

    const warning = await screen.findByRole("alert");
    expect(warning.id).toBe("filter-warning");
    expect(warning.textContent).toBe(
      `This message contains a blocked phrase: “${PHRASE}”. Edit it before sending.`,
    );
    expect(sendButton().disabled).toBe(true);
    const hit = document.querySelector("mark.filter-hit");
    expect(hit?.textContent).toBe(PHRASE);
    expect(hit?.getAttribute("title")).toBe(`Blocked by rule: ${PHRASE}`);
  });

  it("enables send for a clean report and sends with Ctrl+Enter", async () => {
    const sent = message("local-1", 1_000, { conversation_id: 42, direction: "outbound", status: "pending" });
    mockCommands({ check_text: checkText, send_reply: () => sent });
    const { user, onSent } = setup();

    await user.type(composer(), "Hello{Enter}there");
    expect(sendButton().disabled).toBe(false);
    expect(screen.queryByRole("alert")).toBeNull();

    await user.keyboard("{Control>}{Enter}{/Control}");

    await vi.waitFor(() => expect(onSent).toHaveBeenCalledWith(sent));
    expect(callsOf("send_reply")).toEqual([{ conversation_id: 42, text: "Hello\nthere" }]);
    expect(composer().value).toBe("");
  });

  it("sends via the button", async () => {
    mockCommands({ check_text: checkText, send_reply: () => message("m", 1, { direction: "outbound" }) });
    const { user } = setup();
    await user.type(composer(), "Thanks!");
    await user.click(sendButton());
    expect(callsOf("send_reply")).toEqual([{ conversation_id: 42, text: "Thanks!" }]);
  });

  it("ignores a check answer that arrives after a newer one", async () => {
    const pending = new Map<string, (r: FilterReport) => void>();
    mockCommands({ check_text: ({ text }) => new Promise((resolve) => pending.set(text, resolve)) });
    const { user } = setup();

    await user.type(composer(), "a");
    await user.type(composer(), "b");
    act(() => pending.get("ab")?.(checkText({ text: "ab" })));
    // The older draft's answer says "blocked"; it must not win.
    act(() => pending.get("a")?.({ policy_version: 1, blocked: true, matches: [] }));

    expect(document.getElementById("filter-warning")).toBeNull();
    expect(sendButton().disabled).toBe(false);
  });

  it("shows the core's blocked_by_filter message and other failures separately", async () => {
    let failure = { code: "blocked_by_filter", message: "Blocked by policy v4: “wire me”." };
    mockCommands({ check_text: checkText, send_reply: () => Promise.reject(failure) });
    const { user } = setup();

    await user.type(composer(), "please wire me");
    await user.click(sendButton());
    expect((await screen.findByRole("alert")).id).toBe("filter-warning");
    expect(document.getElementById("filter-warning")?.textContent).toBe(failure.message);
    expect(sendButton().disabled).toBe(true);

    failure = { code: "not_signed_in", message: "Your session expired." };
    await user.type(composer(), "!"); // editing clears the core's verdict
    await user.click(sendButton());
    expect((await screen.findByRole("alert")).id).toBe("send-error");
    expect(document.getElementById("send-error")?.textContent).toBe("Your session expired.");
    expect(composer().value).toBe("please wire me!");
  });
});
