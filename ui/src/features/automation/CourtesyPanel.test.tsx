import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CsatSettings } from "../../bindings/CsatSettings";
import type { GreetingSettings } from "../../bindings/GreetingSettings";
import { setLocale } from "../../i18n";
import { entry } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { CourtesyPanel } from "./CourtesyPanel";
import { forgetKeptDrafts } from "./keptDrafts";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const greetings: GreetingSettings = {
  greetings: [
    { phone_number_id: null, enabled: true, text: { en: "Hello! We answer within the hour.", ar: "مرحبًا! نرد خلال ساعة." } },
    { phone_number_id: "1001", enabled: false, text: {} },
  ],
};
const surveys: CsatSettings = {
  surveys: [{ phone_number_id: null, enabled: true, question: { en: "How did we do?" }, button: { en: "Rate us" }, thanks: { en: "Thank you!" } }],
};

function setup({ saveGreetings, saveSurveys }: { saveGreetings?: (s: GreetingSettings) => GreetingSettings; saveSurveys?: (s: CsatSettings) => CsatSettings } = {}) {
  mockCommands({
    greetings: () => greetings,
    csat_settings: () => surveys,
    save_greetings: saveGreetings ?? ((s) => s),
    save_csat_settings: saveSurveys ?? ((s) => s),
    business_numbers: () => {
      throw { code: "rejected", message: "You may not manage numbers." };
    },
    list_inbox: () => {
      const bangkok = entry(5, 1_000, { name: "Somchai" });
      return [entry(4, 1_000, { name: "Noor" }), { ...bangkok, conversation: { ...bangkok.conversation, phone_number_id: "2002", business_name: "Bangkok" } }];
    },
  });
  return userEvent.setup();
}

beforeEach(() => forgetKeptDrafts());
afterEach(() => setLocale("en"));

describe("CourtesyPanel (greetings)", () => {
  it("loads the default and a number's own greeting, Arabic written right to left", async () => {
    setup();
    render(<CourtesyPanel kind="greetings" />);
    const arabic = await screen.findByLabelText<HTMLTextAreaElement>("Greeting in العربية (Default (every number without its own))");
    expect(arabic.value).toBe("مرحبًا! نرد خلال ساعة.");
    expect(arabic.getAttribute("dir")).toBe("rtl");
    expect(screen.getByRole("checkbox", { name: /On for Acme Support/ })).toHaveProperty("checked", false);
    expect(screen.getByText("Switched off, this number sends nothing, not even the default.")).toBeTruthy();
  });

  it("adds a number's greeting and saves the whole list, leaving out languages not written", async () => {
    const user = setup();
    render(<CourtesyPanel kind="greetings" />);
    await screen.findAllByRole("group");
    const save = screen.getByRole("button", { name: "Save all" });
    expect(save).toHaveProperty("disabled", true);
    const picker = screen.getAllByLabelText("For a number")[0]!;
    await user.selectOptions(picker, "2002");
    await user.click(screen.getByRole("button", { name: "Add for this number" }));
    const th = screen.getByLabelText(/Greeting in ไทย \(.*2002\)/);
    await user.type(th, "สวัสดีค่ะ");
    await user.click(save);
    expect(await screen.findByText("Greetings saved; they apply to the next new customer.")).toBeTruthy();
    expect(callsOf("save_greetings")[0]).toEqual({
      greetings: [
        { phone_number_id: null, enabled: true, text: { en: "Hello! We answer within the hour.", ar: "مرحبًا! نرد خلال ساعة." } },
        { phone_number_id: "1001", enabled: false, text: {} },
        { phone_number_id: "2002", enabled: true, text: { th: "สวัสดีค่ะ" } },
      ],
    });
  });

  it("names a switched-on entry without text before saving, and shows the server's refusal", async () => {
    const user = setup({
      saveGreetings: () => {
        throw { code: "rejected", message: "There are two entries for the default; keep one." };
      },
    });
    render(<CourtesyPanel kind="greetings" />);
    await user.click(await screen.findByRole("checkbox", { name: /On for Acme Support/ }));
    await user.click(screen.getByRole("button", { name: "Save all" }));
    expect(screen.getByText("Write it in at least one language, or switch this entry off.")).toBeTruthy();
    expect(callsOf("save_greetings")).toHaveLength(0);
    await user.type(screen.getByLabelText(/Greeting in English \(Acme Support/), "Hi");
    await user.click(screen.getByRole("button", { name: "Save all" }));
    expect((await screen.findByRole("alert")).textContent).toBe("There are two entries for the default; keep one.");
  });
});

describe("CourtesyPanel (surveys)", () => {
  it("checks WhatsApp's 20-character button limit and saves question, button and thanks", async () => {
    const user = setup();
    render(<CourtesyPanel kind="surveys" />);
    const button = await screen.findByLabelText("Button in English (Default (every number without its own))");
    await user.type(button, " now, it takes a second");
    await user.click(screen.getByRole("button", { name: "Save all" }));
    expect(screen.getByText("30 characters; WhatsApp allows at most 20.")).toBeTruthy();
    expect(document.activeElement).toBe(button);
    expect(callsOf("save_csat_settings")).toHaveLength(0);
    await user.clear(button);
    await user.type(button, "قيّمنا");
    await user.click(screen.getByRole("button", { name: "Save all" }));
    expect(await screen.findByText("Surveys saved; they apply to the next resolved conversation.")).toBeTruthy();
    expect(callsOf("save_csat_settings")[0]).toEqual({
      surveys: [{ phone_number_id: null, enabled: true, question: { en: "How did we do?" }, button: { en: "قيّمنا" }, thanks: { en: "Thank you!" } }],
    });
  });

  it("keeps unsaved changes when the panel is left and opened again", async () => {
    const user = setup();
    const view = render(<CourtesyPanel kind="surveys" />);
    await user.type(await screen.findByLabelText("Thank-you in ไทย (Default (every number without its own))"), "ขอบคุณค่ะ");
    view.unmount();
    render(<CourtesyPanel kind="surveys" />);
    const group = (await screen.findAllByRole("group"))[0]!;
    expect(within(group).getByLabelText<HTMLTextAreaElement>("Thank-you in ไทย (Default (every number without its own))").value).toBe("ขอบคุณค่ะ");
  });
});
