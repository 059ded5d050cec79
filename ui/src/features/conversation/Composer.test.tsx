import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { FilterReport } from "../../bindings/FilterReport";
import { message } from "../../test/fixtures";
import { call, callsOf, mockCommands } from "../../test/ipcMock";
import { Composer } from "./Composer";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const PHRASE = "guaranteed refund";

/** A filter that blocks one phrase, reporting UTF-16 offsets like the core. */
function checkText({ text }: { text: string }): FilterReport {
  const start = text.indexOf(PHRASE);
  if (start < 0) return { policy_version: 3, blocked: false, needs_confirmation: false, matches: [], masked: null };
  return {
    policy_version: 3,
    blocked: true,
    needs_confirmation: false,
    matches: [{ phrase: PHRASE, action: "block", rule: 0, start, end: start + PHRASE.length }],
    masked: null,
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
    act(() => pending.get("a")?.({ policy_version: 1, blocked: true, needs_confirmation: false, matches: [], masked: null }));

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

  it("checks the draft in its conversation", async () => {
    mockCommands({ check_text: checkText });
    const { user } = setup();
    await user.type(composer(), "hi");
    expect(callsOf("check_text").at(-1)).toEqual({ text: "hi", conversation_id: 42 });
  });

  it("asks before sending a warned phrase and resends confirmed", async () => {
    const WARNED = "full refund";
    const warnReport = ({ text }: { text: string }): FilterReport => {
      const start = text.indexOf(WARNED);
      return {
        policy_version: 5,
        blocked: false,
        needs_confirmation: start >= 0,
        matches: start >= 0 ? [{ phrase: WARNED, action: "warn", rule: 2, start, end: start + WARNED.length }] : [],
        masked: null,
      };
    };
    const sent = message("local-2", 1_000, { conversation_id: 42, direction: "outbound", status: "pending" });
    const question = `This message contains “${WARNED}”, which the policy warns about. Send anyway?`;
    mockCommands({
      check_text: warnReport,
      send_reply: () => Promise.reject({ code: "filter_warning", message: question }),
      send_reply_confirmed: () => sent,
    });
    const { user, onSent } = setup();

    await user.type(composer(), `You get a ${WARNED}`);
    const caution = await screen.findByRole("status");
    expect(caution.id).toBe("filter-caution");
    expect(caution.textContent).toContain(`“${WARNED}”`);
    const hit = document.querySelector("mark.filter-hit");
    expect(hit?.getAttribute("data-action")).toBe("warn");
    const rule = document.querySelector("#filter-matches .filter-rule");
    expect(rule?.getAttribute("data-action")).toBe("warn");
    expect(rule?.textContent).toContain(`rule “${WARNED}” · warn`);

    await user.click(sendButton());
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog.id).toBe("filter-confirm");
    expect(dialog.textContent).toContain(question);
    expect(onSent).not.toHaveBeenCalled();
    expect(sendButton().disabled).toBe(true);

    await user.click(document.getElementById("confirm-send") as HTMLButtonElement);
    await vi.waitFor(() => expect(onSent).toHaveBeenCalledWith(sent));
    expect(callsOf("send_reply_confirmed")).toEqual([{ conversation_id: 42, text: `You get a ${WARNED}` }]);
    expect(composer().value).toBe("");
    expect(document.getElementById("filter-confirm")).toBeNull();
  });

  it("editing instead of confirming sends nothing", async () => {
    mockCommands({
      check_text: checkText,
      send_reply: () => Promise.reject({ code: "filter_warning", message: "Send anyway?" }),
      send_reply_confirmed: () => message("x", 1, { direction: "outbound" }),
    });
    const { user } = setup();
    await user.type(composer(), "maybe");
    await user.click(sendButton());
    await user.click(await screen.findByText("Edit message"));
    expect(document.getElementById("filter-confirm")).toBeNull();
    expect(callsOf("send_reply_confirmed")).toEqual([]);
    expect(composer().value).toBe("maybe");
  });

  it("previews masked text and colours each action", async () => {
    // Thai, with a masked phone number after it: offsets are UTF-16 code units.
    const text = "โทร 0812345678 นะครับ";
    const start = text.indexOf("0812345678");
    mockCommands({
      check_text: () => ({
        policy_version: 2,
        blocked: false,
        needs_confirmation: false,
        matches: [{ phrase: "0812345678", action: "mask", rule: 1, start, end: start + 10 }],
        masked: "โทร ********** นะครับ",
      }),
    });
    const { user } = setup();
    await user.type(composer(), text);
    const preview = await screen.findByText("โทร ********** นะครับ");
    expect(preview.closest("#masked-preview")?.textContent).toBe("Will be sent as: โทร ********** นะครับ");
    const hit = document.querySelector("mark.filter-hit");
    expect(hit?.textContent).toBe("0812345678");
    expect(hit?.getAttribute("data-action")).toBe("mask");
    expect(hit?.getAttribute("title")).toBe("Masked by rule: 0812345678");
    expect(sendButton().disabled).toBe(false);
  });

  it("checks the draft again when the policy changes", async () => {
    mockCommands({ check_text: checkText });
    const onSent = vi.fn();
    const user = userEvent.setup();
    const { rerender } = render(<Composer conversationId={42} onSent={onSent} policyVersion={1} />);
    await user.type(composer(), "abc");
    const before = call.mock.calls.length;
    rerender(<Composer conversationId={42} onSent={onSent} policyVersion={2} />);
    await vi.waitFor(() => expect(call.mock.calls.length).toBe(before + 1));
    expect(callsOf("check_text").at(-1)).toEqual({ text: "abc", conversation_id: 42 });
  });
});
