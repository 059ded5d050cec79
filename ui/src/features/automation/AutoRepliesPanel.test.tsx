import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AutoReply } from "../../bindings/AutoReply";
import type { AutoReplyRule } from "../../bindings/AutoReplyRule";
import type { AutoReplyTestReport } from "../../bindings/AutoReplyTestReport";
import type { KeywordHit } from "../../bindings/KeywordHit";
import type { TestAutoReplyRequest } from "../../bindings/TestAutoReplyRequest";
import { setLocale } from "../../i18n";
import { entry } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { AutoRepliesPanel } from "./AutoRepliesPanel";
import { forgetKeptDrafts } from "./keptDrafts";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

// Fields the report carries for bot hooks (captures, hook_calls) do not matter to this panel.
// Built as variables rather than literals, so the fixtures stay valid with and without them.
const hit = (keyword: string, start: number, end: number): KeywordHit => {
  const value = { keyword, keyword_index: 0, start, end, captures: {} };
  return value;
};
const report = (fields: Pick<AutoReplyTestReport, "rules" | "fires">): AutoReplyTestReport => {
  const value = { ...fields, hook_calls: [] };
  return value;
};

const rule = (id: number, overrides: Partial<AutoReplyRule> = {}): AutoReplyRule => ({
  id,
  name: `Rule ${id}`,
  numbers: [],
  keywords: ["hello"],
  mode: "contains",
  priority: 0,
  stop_on_match: false,
  cooldown_minutes: 0,
  reply: { type: "text", text: `Answer ${id}` },
  enabled: true,
  ...overrides,
});

const prices = rule(1, {
  name: "Prices",
  numbers: ["1001"],
  keywords: ["price", "cost", "السعر"],
  mode: "whole_word",
  priority: 5,
  stop_on_match: true,
  cooldown_minutes: 60,
  reply: { type: "document", source: { link: "https://example.com/prices.pdf" }, filename: "prices.pdf", caption: null },
});
const hours = rule(2, { name: "Opening hours", keywords: ["open"], priority: 10, reply: { type: "template", name: "hours", language: "en_US", parameters: [] } });
// A reply type a newer server knows and this desk does not.
const hook = { type: "hook", url: "https://orders.example.com/status", timeout_ms: 2000 } as unknown as AutoReply;
const orders = rule(3, { name: "Where is my order", keywords: ["order"], reply: hook, enabled: false });

type Setup = {
  rules?: AutoReplyRule[];
  save?: (rules: AutoReplyRule[]) => AutoReplyRule[];
  test?: (request: TestAutoReplyRequest) => AutoReplyTestReport;
};

function setup({ rules = [prices, hours, orders], save = (r) => r, test }: Setup = {}) {
  let saved = rules;
  mockCommands({
    auto_replies: () => ({ rules: saved }),
    save_auto_replies: ({ rules }) => {
      saved = save(rules);
      return { rules: saved };
    },
    // This admin may not list the server's numbers; the desk's conversations name one.
    business_numbers: () => {
      throw { code: "rejected", message: "You may not manage numbers." };
    },
    list_inbox: () => [entry(4, 1_000, { name: "Noor" })],
    test_auto_replies: test ?? (() => report({ rules: [], fires: [] })),
  });
  const user = userEvent.setup();
  const view = render(<AutoRepliesPanel />);
  return { user, view };
}

const rows = async () => within(await screen.findByRole("table")).getAllByRole("row").slice(1);

beforeEach(() => forgetKeptDrafts());
afterEach(() => setLocale("en"));

describe("AutoRepliesPanel", () => {
  it("lists the rules in the order the server tries them, with what each listens for and sends", async () => {
    setup();
    const [first, second, third] = await rows();
    expect(first!.getAttribute("data-rule-id")).toBe("2");
    expect(second!.getAttribute("data-rule-id")).toBe("1");
    expect(third!.getAttribute("data-rule-id")).toBe("3");

    const p = within(second!);
    expect(p.getByText("Prices")).toBeTruthy();
    expect(p.getByText("stops")).toBeTruthy();
    expect(p.getByText("3 keywords")).toBeTruthy();
    expect(p.getByText("Whole word")).toBeTruthy();
    expect(p.getByText("60 minutes")).toBeTruthy();
    expect(p.getByText("Document prices.pdf")).toBeTruthy();
    // The number's name comes from the desk's own conversations.
    expect(p.getByText("Acme Support")).toBeTruthy();
    expect(within(first!).getByText("All numbers")).toBeTruthy();
    expect(within(first!).getByText("Template hours (en_US)")).toBeTruthy();
    expect(within(third!).getByText("Edited elsewhere (hook)")).toBeTruthy();
    expect(within(third!).getByRole("checkbox", { name: "Rule Where is my order is on" })).toHaveProperty("checked", false);
  });

  it("switches a rule off in place by saving the whole list", async () => {
    const { user } = setup();
    await rows();
    await user.click(screen.getByRole("checkbox", { name: "Rule Prices is on" }));
    expect(await screen.findByText("Rule Prices is off.")).toBeTruthy();
    const sent = callsOf("save_auto_replies")[0]!.rules;
    expect(sent.map((r) => [r.id, r.enabled])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it("creates a rule from a pasted list of a hundred keywords", async () => {
    const { user } = setup();
    await rows();
    await user.click(screen.getByRole("button", { name: "New rule" }));
    await user.type(screen.getByLabelText("Name"), "Delivery");
    const keywords = Array.from({ length: 100 }, (_, i) => `delivery ${i}`);
    await user.click(screen.getByLabelText("Keywords"));
    await user.paste(`${keywords.join("\n")}\n\n  توصيل  \n`);
    expect(screen.getByText("101 keywords")).toBeTruthy();
    await user.click(screen.getByLabelText(/Acme Support/));
    await user.click(screen.getByLabelText("Exact"));
    await user.clear(screen.getByLabelText("Cooldown (minutes)"));
    await user.type(screen.getByLabelText("Cooldown (minutes)"), "15");
    await user.type(screen.getByLabelText("Text"), "We deliver in 2 days.");
    await user.click(screen.getByRole("button", { name: "Save rule" }));

    expect(await screen.findByText("Rule Delivery saved.")).toBeTruthy();
    const sent = callsOf("save_auto_replies")[0]!.rules;
    expect(sent).toHaveLength(4);
    expect(sent.slice(0, 3)).toEqual([prices, hours, orders]);
    expect(sent[3]).toEqual({
      id: 4,
      name: "Delivery",
      numbers: ["1001"],
      keywords: [...keywords, "توصيل"],
      mode: "exact",
      priority: 0,
      stop_on_match: false,
      cooldown_minutes: 15,
      reply: { type: "text", text: "We deliver in 2 days." },
      enabled: true,
    });
    expect(document.getElementById("auto-reply-form")).toBeNull();
  }, 20_000);

  it("names what is missing before saving, and saves nothing", async () => {
    const { user } = setup();
    await rows();
    await user.click(screen.getByRole("button", { name: "New rule" }));
    await user.type(screen.getByLabelText("Name"), "Empty");
    await user.click(screen.getByRole("button", { name: "Save rule" }));
    expect(screen.getByText("Add at least one keyword.")).toBeTruthy();
    expect(screen.getByText("Write the reply's text.")).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe("Fix the 2 problems marked above, then save again.");
    expect(screen.getByLabelText("Keywords").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(screen.getByLabelText("Keywords"));

    await user.selectOptions(screen.getByLabelText("Send"), "Template");
    await user.type(screen.getByLabelText("Keywords"), "hi");
    expect(screen.getByText("Give the template's name and language.")).toBeTruthy();
    expect(callsOf("save_auto_replies")).toEqual([]);
  });

  it("shows the server's refusal next to the form and keeps the edit", async () => {
    const { user } = setup({
      save: () => {
        throw { code: "rejected", message: 'Rule "Prices" (id 1) has the pattern “(”, which is not a usable regular expression.' };
      },
    });
    await rows();
    await user.click(screen.getByRole("button", { name: "Edit rule Prices" }));
    expect(screen.getByRole("heading", { name: "Change rule Prices" })).toBeTruthy();
    expect(screen.getByLabelText("Keywords")).toHaveProperty("value", "price\ncost\nالسعر");
    expect(screen.getByLabelText("Link")).toHaveProperty("value", "https://example.com/prices.pdf");
    await user.click(screen.getByLabelText("Regular expression"));
    await user.type(screen.getByLabelText("Keywords"), "\n(");
    await user.click(screen.getByRole("button", { name: "Save rule" }));
    const refusal = await screen.findByRole("alert");
    expect(refusal.id).toBe("auto-reply-error");
    expect(refusal.textContent).toContain('Rule "Prices" (id 1)');
    expect(screen.getByLabelText("Keywords")).toHaveProperty("value", "price\ncost\nالسعر\n(");
    expect(callsOf("save_auto_replies")[0]!.rules[0]!.keywords).toEqual(["price", "cost", "السعر", "("]);
  });

  it("keeps a reply type it cannot edit, read-only, when the rule is saved", async () => {
    const { user } = setup();
    await rows();
    await user.click(screen.getByRole("button", { name: "Edit rule Where is my order" }));
    expect(screen.getByRole("note").textContent).toContain("This reply (hook) was set up elsewhere and cannot be edited here.");
    expect(screen.queryByLabelText("Send")).toBeNull();
    await user.type(screen.getByLabelText("Keywords"), "\nشحنة");
    await user.click(screen.getByRole("button", { name: "Save rule" }));
    expect(await screen.findByText("Rule Where is my order saved.")).toBeTruthy();
    const saved = callsOf("save_auto_replies")[0]!.rules.find((r) => r.id === 3)!;
    expect(saved.reply).toEqual(hook);
    expect(saved.keywords).toEqual(["order", "شحنة"]);
  });

  it("duplicates a rule as a new one and asks before dropping unsaved changes", async () => {
    const { user } = setup();
    await rows();
    await user.click(screen.getByRole("button", { name: "Duplicate rule Prices" }));
    expect(screen.getByLabelText("Name")).toHaveProperty("value", "Prices (copy)");
    expect(screen.getByRole("heading", { name: "New rule" })).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Edit rule Opening hours" }));
    const ask = screen.getByRole("alertdialog");
    expect(ask.textContent).toContain("Discard the new rule you have not saved?");
    await user.click(within(ask).getByRole("button", { name: "Keep editing" }));
    expect(screen.getByLabelText("Name")).toHaveProperty("value", "Prices (copy)");

    await user.click(screen.getByRole("button", { name: "Save rule" }));
    expect(await screen.findByText("Rule Prices (copy) saved.")).toBeTruthy();
    const copy = callsOf("save_auto_replies")[0]!.rules[3]!;
    expect(copy).toEqual({ ...prices, id: 4, name: "Prices (copy)" });

    // Cancelling an edit asks too; discarding closes the form and saves nothing.
    await user.click(screen.getByRole("button", { name: "Edit rule Opening hours" }));
    await user.type(screen.getByLabelText("Name"), " (weekdays)");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    const again = screen.getByRole("alertdialog");
    expect(again.textContent).toContain("Discard your unsaved changes to rule Opening hours?");
    await user.click(within(again).getByRole("button", { name: "Discard changes" }));
    expect(document.getElementById("auto-reply-form")).toBeNull();
    expect(callsOf("save_auto_replies")).toHaveLength(1);
  });

  it("brings back unsaved changes after leaving the panel", async () => {
    const { user, view } = setup();
    await rows();
    await user.click(screen.getByRole("button", { name: "Edit rule Opening hours" }));
    await user.type(screen.getByLabelText("Name"), " (weekdays)");
    view.unmount();
    setup();
    await rows();
    expect(await screen.findByText("Your unsaved changes were kept while you were elsewhere.")).toBeTruthy();
    expect(screen.getByLabelText("Name")).toHaveProperty("value", "Opening hours (weekdays)");
  });

  it("deletes a rule after confirmation", async () => {
    const { user } = setup();
    await rows();
    await user.click(screen.getByRole("button", { name: "Delete rule Opening hours" }));
    expect(callsOf("save_auto_replies")).toEqual([]);
    await user.click(within(screen.getByRole("group", { name: "Delete rule Opening hours?" })).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("Rule Opening hours deleted.")).toBeTruthy();
    expect(callsOf("save_auto_replies")[0]!.rules.map((r) => r.id)).toEqual([1, 3]);
    expect(await rows()).toHaveLength(2);
  });

  it("explains the console's report rule by rule, in Arabic too", async () => {
    const text = "مرحبا، كم السعر؟";
    const at = text.indexOf("السعر");
    const explained = report({
      fires: [1],
      rules: [
        { rule_id: 2, rule_name: "Opening hours", priority: 10, verdict: { verdict: "no_keyword" } },
        {
          rule_id: 1,
          rule_name: "Prices",
          priority: 5,
          verdict: { verdict: "fires", matched: hit("السعر", at, at + 5) },
        },
        {
          rule_id: 4,
          rule_name: "Greeting",
          priority: 1,
          verdict: { verdict: "shadowed", by: 1, matched: hit("مرحبا", 0, 5) },
        },
        {
          rule_id: 5,
          rule_name: "Welcome back",
          priority: 0,
          verdict: {
            verdict: "cooldown",
            matched: hit("مرحبا", 0, 5),
            last_fired_at: Date.UTC(2026, 0, 5, 9, 0),
            until: Date.UTC(2026, 0, 5, 10, 0),
          },
        },
        { rule_id: 3, rule_name: "Where is my order", priority: 0, verdict: { verdict: "disabled", matched: null } },
        { rule_id: 6, rule_name: "Riyadh only", priority: 0, verdict: { verdict: "other_number", matched: hit("كم", 6, 8) } },
      ],
    });
    const { user, view } = setup({ test: () => explained });
    await rows();
    await user.selectOptions(screen.getByLabelText("Customer"), "Noor +44770090004");
    const box = screen.getByLabelText("Message");
    expect(box.getAttribute("dir")).toBe("auto");
    await user.type(box, text);
    await user.click(screen.getByRole("button", { name: "Test" }));

    expect(await screen.findByText("1 rule would answer: Prices")).toBeTruthy();
    expect(callsOf("test_auto_replies")).toEqual([{ phone_number_id: "1001", text, contact_id: 40 }]);
    const verdict = (id: number) => document.querySelector(`.automation-verdict[data-rule-id="${id}"] .automation-verdict-why`)!.textContent;
    expect(verdict(2)).toBe("None of its keywords is in the message.");
    expect(verdict(1)).toBe("Answers: the message contains “السعر”.");
    expect(verdict(4)).toBe("Matched “مرحبا”, but rule Prices answers first and stops the rules after it.");
    expect(verdict(5)).toMatch(/^Matched “مرحبا”, but it answered this customer on .+ and stays quiet until .+\.$/);
    expect(verdict(3)).toBe("Switched off.");
    expect(verdict(6)).toBe("Does not answer on this number; it would have matched “كم”.");
    expect(screen.getByText("reply 1 of 1")).toBeTruthy();
    expect(document.querySelector("mark.automation-hit")!.textContent).toBe("السعر");

    act(() => setLocale("ar"));
    view.rerender(<AutoRepliesPanel />);
    expect(screen.getByText("ستردّ قاعدة واحدة: Prices")).toBeTruthy();
    expect(verdict(1)).toBe("تردّ: الرسالة تحتوي على «السعر».");
  });

  it("shows the console's refusal", async () => {
    const { user } = setup({
      test: () => {
        throw { code: "rejected", message: "This server does not serve the number 1001." };
      },
    });
    await rows();
    await user.type(screen.getByLabelText("Message"), "price");
    await user.click(screen.getByRole("button", { name: "Test" }));
    expect((await screen.findByRole("alert")).textContent).toBe("This server does not serve the number 1001.");
  });
});
