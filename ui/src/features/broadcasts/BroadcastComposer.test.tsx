import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BroadcastDraft } from "../../bindings/BroadcastDraft";
import { setLocale } from "../../i18n";
import { forgetKeptDrafts, keptDraft } from "../automation/keptDrafts";
import { BroadcastComposer, type AudienceCount } from "./BroadcastComposer";
import { draftOf, emptyForm, type BroadcastForm } from "./broadcastModel";
import { offerTemplate } from "./testData";

const NOW = Date.UTC(2026, 11, 1, 9, 0);
const numbers = [
  { id: "1001", name: "Bangkok desk", display: "+66 2 000" },
  { id: "2002", name: "Riyadh desk", display: "+966 11 000" },
];
const segments = [
  { name: "VIP Thailand", description: "VIPs with a Thai number", count: 1_250 },
  { name: "Lapsed", description: null, count: null },
];

function Harness({ onSave, count }: { onSave: (draft: BroadcastDraft) => void; count: (kind: string, audience: string) => Promise<AudienceCount> }) {
  const [form, setForm] = useState<BroadcastForm>(emptyForm);
  return (
    <BroadcastComposer
      keptKey="broadcast:new"
      saved={emptyForm()}
      form={form}
      onChange={setForm}
      templates={[offerTemplate, { name: "receipt", language: "th", category: "utility", body: "ใบเสร็จ", parameters: 0 }]}
      segments={segments}
      numbers={numbers}
      countAudience={count}
      onSave={() => onSave(draftOf(form))}
      onDelete={null}
      saving={false}
      error={null}
      now={NOW}
    />
  );
}

function setup(count: (kind: string, audience: string) => Promise<AudienceCount> = () => Promise.resolve({ count: 1_250, optedOut: 40 })) {
  const saved = vi.fn<(draft: BroadcastDraft) => void>();
  const counter = vi.fn(count);
  render(<Harness onSave={saved} count={counter} />);
  return { saved, counter, user: userEvent.setup() };
}

beforeEach(() => forgetKeptDrafts());
afterEach(() => {
  vi.useRealTimers();
  setLocale("en");
});

describe("BroadcastComposer", () => {
  it("gives each template parameter a source: a field, a custom attribute with a fallback, or fixed text", async () => {
    const { saved, user } = setup();
    await user.type(screen.getByLabelText("Name"), "December offer");
    await user.selectOptions(screen.getByLabelText("Segment"), "VIP Thailand");
    await user.selectOptions(screen.getByLabelText("Approved template"), "december_offer|en_US");
    expect(screen.getByText("Hi {{1}}, {{2}} off until Sunday")).toBeTruthy();
    const first = screen.getByRole("group", { name: "Parameter 1" });
    const second = screen.getByRole("group", { name: "Parameter 2" });
    await user.selectOptions(within(first).getByLabelText("Parameter 1 takes its text from"), "custom");
    await user.type(within(first).getByLabelText("Attribute for parameter 1"), "city");
    await user.type(within(first).getByLabelText("Fallback for parameter 1"), "your city");
    await user.selectOptions(within(second).getByLabelText("Parameter 2 takes its text from"), "fixed");
    await user.type(within(second).getByLabelText("Text for parameter 2"), "20%");
    await user.click(screen.getByRole("checkbox", { name: /Riyadh desk/ }));
    await user.click(screen.getByRole("button", { name: "Save draft" }));
    expect(saved).toHaveBeenCalledWith({
      name: "December offer",
      audience: "VIP Thailand",
      template: "december_offer",
      language: "en_US",
      parameters: [
        { source: "attribute", name: "city", fallback: "your city" },
        { source: "fixed", text: "20%" },
      ],
      numbers: ["2002"],
    });
  });

  it("names what is missing, focuses the first, and saves nothing", async () => {
    const { saved, user } = setup();
    await user.selectOptions(screen.getByLabelText("Approved template"), "december_offer|en_US");
    await user.selectOptions(screen.getByLabelText("Parameter 2 takes its text from"), "fixed");
    await user.click(screen.getByRole("radio", { name: "At a date and time" }));
    fireEvent.change(screen.getByLabelText(/^Start at/), { target: { value: "2026-11-30T09:00" } });
    await user.click(screen.getByRole("button", { name: "Save draft" }));
    expect(saved).not.toHaveBeenCalled();
    expect(screen.getByText("Give the broadcast a name.")).toBeTruthy();
    expect(screen.getByText("Choose a segment, or write an expression instead.")).toBeTruthy();
    expect(screen.getByText("Write the text for parameter 2.")).toBeTruthy();
    expect(screen.getByText("Choose at least one number to send from.")).toBeTruthy();
    expect(screen.getByText(/That time has passed/)).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Name"));
  });

  it("counts the audience live, and shows the server's refusal of an expression", async () => {
    const { counter, user } = setup((_kind, audience) =>
      Promise.resolve<AudienceCount>(audience.includes("(") ? { error: "Line 1, column 9: a “)” is missing." } : { count: 1_250, optedOut: 40 }),
    );
    await user.selectOptions(screen.getByLabelText("Segment"), "VIP Thailand");
    expect(screen.getByRole("option", { name: "VIP Thailand — VIPs with a Thai number — 1,250 contacts" })).toBeTruthy();
    expect(await screen.findByText("1,250 contacts right now; opted out among them: 40.")).toBeTruthy();
    expect(counter).toHaveBeenLastCalledWith("segment", "VIP Thailand");
    await user.click(screen.getByRole("radio", { name: "An expression" }));
    await user.type(screen.getByLabelText("Segment expression"), "(tag:vip");
    expect(await screen.findByText("Line 1, column 9: a “)” is missing.")).toBeTruthy();
    expect(counter).toHaveBeenLastCalledWith("expression", "(tag:vip");
  });

  it("waits for typing to pause before counting an expression", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { counter } = setup();
    fireEvent.click(screen.getByRole("radio", { name: "An expression" }));
    for (const text of ["t", "ta", "tag", "tag:vip"]) fireEvent.change(screen.getByLabelText("Segment expression"), { target: { value: text } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_000);
    });
    expect(counter.mock.calls).toEqual([["expression", "tag:vip"]]);
  });

  it("keeps unsaved edits for the next visit", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("Name"), "Ramadan");
    expect(keptDraft<BroadcastForm>("broadcast:new")?.name).toBe("Ramadan");
    expect(screen.getByText("Unsaved changes")).toBeTruthy();
  });

  it("reads in Arabic, the expression kept left to right", async () => {
    setLocale("ar");
    const { user } = setup();
    await user.click(screen.getByRole("radio", { name: "تعبير" }));
    expect(screen.getByLabelText("تعبير الشريحة").getAttribute("dir")).toBe("ltr");
    await user.click(screen.getByRole("button", { name: "حفظ المسودة" }));
    expect(screen.getByText("أعطِ البث اسمًا.")).toBeTruthy();
  });
});
