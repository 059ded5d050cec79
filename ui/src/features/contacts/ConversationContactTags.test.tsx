import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { CATALOGUE, contactOf } from "./contactFixtures";
import { ConversationContactTags } from "./ConversationContactTags";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

describe("the customer's tags beside a conversation", () => {
  it("shows them in their colours and lets the agent add and remove one, showing a refusal", async () => {
    let tags = ["vip"];
    mockCommands({
      contact: () => contactOf(5, { tags }),
      tag_catalogue: () => CATALOGUE,
      add_contact_tag: ({ tag }) => {
        if (tags.length >= 2) throw { code: "rejected", message: "This contact has 2 tags already, the most allowed here; remove one first." };
        tags = [...tags, tag].sort();
        return contactOf(5, { tags });
      },
      remove_contact_tag: ({ tag }) => {
        tags = tags.filter((t) => t !== tag);
        return contactOf(5, { tags });
      },
    });
    const user = userEvent.setup();
    render(<ConversationContactTags contactId={5} />);
    const box = await screen.findByText("Customer tags:");
    const row = box.parentElement!;
    await vi.waitFor(() => expect(row.querySelector<HTMLElement>('[data-tag="vip"]')!.dataset.colour).toBe("#1e88e5"));
    await user.type(within(row).getByLabelText("Add tag"), "price list{Enter}");
    expect(await within(row).findByText("price list")).toBeTruthy();
    expect(row.querySelector<HTMLElement>('[data-tag="price list"]')!.dataset.colour).toBe("#fdd835");
    await user.type(within(row).getByLabelText("Add tag"), "gold{Enter}");
    expect((await within(row).findByRole("alert")).textContent).toContain("remove one first");
    expect(callsOf("add_contact_tag")).toEqual([
      { contact_id: 5, tag: "price list" },
      { contact_id: 5, tag: "gold" },
    ]);
    await user.click(within(row).getByRole("button", { name: "Remove tag vip" }));
    await vi.waitFor(() => expect(row.querySelector('[data-tag="vip"]')).toBeNull());
    expect(callsOf("remove_contact_tag")).toEqual([{ contact_id: 5, tag: "vip" }]);
  });

  it("stays away when the contact cannot be read (offline, or no access)", async () => {
    mockCommands({ tag_catalogue: () => CATALOGUE });
    render(<ConversationContactTags contactId={5} />);
    await vi.waitFor(() => expect(callsOf("contact")).toHaveLength(1));
    expect(screen.queryByText("Customer tags:")).toBeNull();
  });
});
