import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ContactProfile } from "../../bindings/ContactProfile";
import type { UpdateContactRequest } from "../../bindings/UpdateContactRequest";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { forgetKeptDrafts, keptDraft } from "../automation/keptDrafts";
import { CATALOGUE, contactOf } from "./contactFixtures";
import { ContactProfilePanel } from "./ContactProfilePanel";
import { profileDraftKey } from "./contactModel";
import type { TagCatalogue } from "./tagColours";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const catalogue: TagCatalogue = {
  tags: CATALOGUE,
  error: null,
  colourOf: (name) => CATALOGUE.find((t) => t.name === name)?.colour ?? null,
  reload: vi.fn(),
};

const noura = contactOf(7, {
  name: "Noura",
  language: "ar",
  attributes: { city: "Riyadh", tier: "gold" },
  notes: "Prefers mornings",
  tags: ["vip"],
});

function setup(update: (r: UpdateContactRequest) => ContactProfile, more: Parameters<typeof mockCommands>[0] = {}) {
  mockCommands({ contact: () => noura, update_contact: update, ...more });
  const onDirty = vi.fn();
  const onSaved = vi.fn();
  const user = userEvent.setup();
  render(<ContactProfilePanel contactId={7} catalogue={catalogue} onDirty={onDirty} onSaved={onSaved} onMerged={vi.fn()} onClose={vi.fn()} />);
  return { user, onDirty, onSaved };
}

beforeEach(() => forgetKeptDrafts());
afterEach(() => setLocale("en"));

describe("the contact profile", () => {
  it("sends only what changed, and shows the server's refusal as it came, keeping the edits", async () => {
    const refusal = { code: "rejected", message: "The custom field “tier” is longer than 500 characters; shorten it." };
    const { user, onDirty, onSaved } = setup(() => {
      throw refusal;
    });
    const name = await screen.findByLabelText("Name");
    expect(screen.getByRole("button", { name: "Save profile" })).toHaveProperty("disabled", true);
    await user.clear(name);
    await user.type(name, "Noura Al-Saud");
    await user.clear(screen.getByLabelText("Field 2 value"));
    await user.type(screen.getByLabelText("Field 2 value"), "platinum");
    expect(onDirty).toHaveBeenLastCalledWith(true);
    expect(screen.getByText("Changes not saved yet.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Save profile" }));
    expect((await screen.findByRole("alert")).textContent).toBe(refusal.message);
    expect(callsOf("update_contact")).toEqual([
      { contact_id: 7, patch: { name: "Noura Al-Saud", attributes: { city: "Riyadh", tier: "platinum" } } },
    ]);
    // Nothing was lost: the edits stay, still unsaved, and are kept if the admin looks elsewhere.
    expect(screen.getByLabelText<HTMLInputElement>("Name").value).toBe("Noura Al-Saud");
    expect(keptDraft(profileDraftKey(7))).not.toBeNull();
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("saves clearing a field as null, opting out, and a consent date, then shows it saved", async () => {
    const { user, onSaved, onDirty } = setup((r) => ({ ...noura, language: null, opted_out_at: 5, opt_out_source: "agent", consent_at: r.patch.consent_at ?? null }));
    await user.selectOptions(await screen.findByLabelText("Language"), "");
    await user.click(screen.getByLabelText(/Opted out of marketing/));
    await user.type(screen.getByLabelText("Date of consent"), "2026-03-31");
    await user.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByText("Profile saved.")).toBeTruthy();
    expect(callsOf("update_contact")[0]!.patch).toEqual({ language: null, consent_at: Date.UTC(2026, 2, 31), opted_out: true });
    expect(onSaved).toHaveBeenCalledTimes(1);
    expect(onDirty).toHaveBeenLastCalledWith(false);
    expect(keptDraft(profileDraftKey(7))).toBeNull();
  });

  it("refuses a field value without a name before sending anything", async () => {
    const { user } = setup(() => noura);
    await user.click(await screen.findByRole("button", { name: "Add a field" }));
    await user.type(screen.getByLabelText("Field 3 value"), "orphan");
    await user.click(screen.getByRole("button", { name: "Save profile" }));
    expect(screen.getByText("Give this field a name, or clear its value.")).toBeTruthy();
    expect(callsOf("update_contact")).toHaveLength(0);
  });

  it("tags and untags at once, and shows what a merge moved", async () => {
    const merged = { ...noura, tags: ["price list", "vip"], conversation_count: 3 };
    const { user } = setup(() => noura, {
      add_contact_tag: ({ tag }) => ({ ...noura, tags: [...noura.tags, tag].sort() }),
      remove_contact_tag: () => ({ ...noura, tags: [] }),
      contacts: () => ({ contacts: [noura, contactOf(9, { name: "Noura A." })], total: 2, next_cursor: null }),
      merge_contacts: () => ({ contact: merged, moved_conversations: [41], joined_conversations: [{ removed: 42, into: 12, messages: 5 }] }),
    });
    const tags = await screen.findByLabelText("Tags");
    await user.type(within(tags).getByLabelText("Add tag"), "price list{Enter}");
    expect(await within(tags).findByText("price list")).toBeTruthy();
    expect(callsOf("add_contact_tag")).toEqual([{ contact_id: 7, tag: "price list" }]);
    await user.click(within(tags).getByRole("button", { name: "Remove tag vip" }));
    expect(await within(tags).findByText("No tags yet.")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Merge a duplicate…" }));
    await user.type(screen.getByLabelText("Find the duplicate by name or number"), "noura");
    // The contact itself is never offered as its own duplicate.
    const candidate = await screen.findByRole("button", { name: /Noura A\./ });
    expect(screen.queryAllByRole("button", { name: /^Noura \+/ })).toHaveLength(0);
    await user.click(candidate);
    expect(screen.getByText(/Merge Noura A\. into Noura\?/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Merge" }));
    const result = await screen.findByText("Noura A. was merged into Noura.");
    expect(result.parentElement!.textContent).toContain("1 conversation moved");
    expect(result.parentElement!.textContent).toContain("5 messages of conversation 42 joined conversation 12");
    expect(callsOf("merge_contacts")).toEqual([{ contact_id: 7, duplicate: 9 }]);
  });
});
