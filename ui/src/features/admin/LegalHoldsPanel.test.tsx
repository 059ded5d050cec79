import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { LegalHold } from "../../bindings/LegalHold";
import type { UserProfile } from "../../bindings/UserProfile";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { AdminView } from "./AdminView";
import { LegalHoldsPanel } from "./LegalHoldsPanel";
import { holdRequest } from "./legalHoldsModel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

function hold(overrides: Partial<LegalHold>): LegalHold {
  return {
    id: 1,
    conversation_id: null,
    contact_id: 5,
    contact_wa_id: "966501234567",
    contact_name: "سارة",
    reason: "case 17",
    placed_by: "root",
    placed_at: 1_760_000_000_000,
    released_by: null,
    released_at: null,
    ...overrides,
  };
}

/** A server with `holds` that places and releases them as the real one does. */
function server(holds: LegalHold[]) {
  mockCommands({
    legal_holds: () => holds.map((h) => ({ ...h })),
    place_legal_hold: (request) => {
      if (request.target.kind === "contact" && request.target.wa_id === "+1 555 0000") {
        throw { code: "not_found", message: "No customer with the WhatsApp number +15550000 has written to this server; check the number and its country code." };
      }
      const placed = hold({
        id: holds.length + 1,
        reason: request.reason,
        ...(request.target.kind === "conversation"
          ? { conversation_id: request.target.conversation_id, contact_id: null, contact_wa_id: "16505551234", contact_name: null }
          : {}),
      });
      holds.unshift(placed);
      return placed;
    },
    release_legal_hold: ({ hold_id }) => {
      const found = holds.find((h) => h.id === hold_id)!;
      found.released_by = "root";
      found.released_at = 1_760_000_100_000;
      return found;
    },
  });
}

describe("Legal holds", () => {
  it("list the holds in force, naming what, who, when and why; released ones on request", async () => {
    server([
      hold({ id: 3, conversation_id: 12, contact_id: null, contact_wa_id: "16505551234", contact_name: null, reason: "counsel request" }),
      hold({ id: 2 }),
      hold({ id: 1, reason: "old case", released_by: "root", released_at: 1_760_000_050_000 }),
    ]);
    const user = userEvent.setup();
    render(<LegalHoldsPanel />);
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain("Conversation 12 +16505551234");
    expect(rows[0]!.textContent).toContain("counsel request");
    expect(rows[1]!.textContent).toContain("Customer +966501234567 (سارة)");
    expect(rows[1]!.textContent).toContain("root");
    expect(rows[1]!.querySelector("time")).not.toBeNull();
    // A phone number reads left to right, also in the Arabic layout.
    expect(within(rows[1]!).getByText("+966501234567").getAttribute("dir")).toBe("ltr");
    expect(screen.queryByText("old case")).toBeNull();

    await user.click(screen.getByLabelText("Show released holds"));
    expect(await screen.findByText("old case")).toBeTruthy();
    expect(screen.getByText(/Released by root/)).toBeTruthy();
  });

  it("place a hold on a customer by number, and show the server's reason when it cannot", async () => {
    server([]);
    const user = userEvent.setup();
    render(<LegalHoldsPanel />);
    expect(await screen.findByText("No legal hold is in force.")).toBeTruthy();
    const place = screen.getByRole("button", { name: "Place hold" });
    expect(place).toHaveProperty("disabled", true);

    await user.type(screen.getByLabelText("Customer's WhatsApp number"), "+1 555 0000");
    await user.type(screen.getByLabelText("Reason"), "case 17");
    await user.click(place);
    expect((await screen.findByRole("alert")).textContent).toContain("No customer with the WhatsApp number +15550000");
    // What was typed stays, so only the number needs fixing.
    expect(screen.getByLabelText("Reason")).toHaveProperty("value", "case 17");

    await user.clear(screen.getByLabelText("Customer's WhatsApp number"));
    await user.type(screen.getByLabelText("Customer's WhatsApp number"), "+966501234567");
    await user.click(place);
    expect(await screen.findByText("The hold is in force.")).toBeTruthy();
    expect(callsOf("place_legal_hold").at(-1)).toEqual({ target: { kind: "contact", wa_id: "+966501234567" }, reason: "case 17" });
    const table = await screen.findByRole("table");
    expect(within(table).getByText("case 17")).toBeTruthy();
    expect(screen.getByLabelText("Reason")).toHaveProperty("value", "");
  });

  it("place a hold on one conversation by its number", async () => {
    server([]);
    const user = userEvent.setup();
    render(<LegalHoldsPanel />);
    await user.selectOptions(await screen.findByLabelText("Hold"), "conversation");
    await user.type(screen.getByLabelText("Conversation number"), "12a");
    await user.type(screen.getByLabelText("Reason"), "counsel request");
    expect(screen.getByRole("alert").textContent).toBe("Enter the conversation's number, digits only.");
    expect(screen.getByRole("button", { name: "Place hold" })).toHaveProperty("disabled", true);
    await user.type(screen.getByLabelText("Conversation number"), "{Backspace}");
    await user.click(screen.getByRole("button", { name: "Place hold" }));
    await vi.waitFor(() => expect(callsOf("place_legal_hold")).toHaveLength(1));
    expect(callsOf("place_legal_hold")[0]).toEqual({ target: { kind: "conversation", conversation_id: 12 }, reason: "counsel request" });
    expect(await screen.findByText(/Conversation 12/)).toBeTruthy();
  });

  it("release a hold only after confirming", async () => {
    server([hold({ id: 2 })]);
    const user = userEvent.setup();
    render(<LegalHoldsPanel />);
    await user.click(await screen.findByRole("button", { name: "Release" }));
    const question = screen.getByRole("alertdialog");
    expect(question.textContent).toContain("Release this hold?");
    await user.click(within(question).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(callsOf("release_legal_hold")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Release" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Release hold" }));
    expect(await screen.findByText("The hold was released.")).toBeTruthy();
    expect(callsOf("release_legal_hold")).toEqual([{ hold_id: 2 }]);
    expect(await screen.findByText("No legal hold is in force.")).toBeTruthy();
  });
});

describe("The legal holds tab", () => {
  const auditor: UserProfile = {
    id: 4,
    username: "lina",
    display_name: "Lina",
    role: "supervisor",
    custom_role: "auditor",
    permissions: ["view_audit"],
  };

  it("is there for whoever may place holds, and not for others", async () => {
    server([hold({ id: 2 })]);
    const user = userEvent.setup();
    const { unmount } = render(<AdminView user={{ ...auditor, permissions: ["view_audit", "manage_retention"] }} />);
    await user.click(screen.getByRole("button", { name: "Legal holds" }));
    expect((await screen.findByRole("table")).textContent).toContain("Customer +966501234567 (سارة)");
    unmount();
    render(<AdminView user={auditor} />);
    expect(screen.queryByRole("button", { name: "Legal holds" })).toBeNull();
  });
});

describe("hold requests", () => {
  it("need a target and a reason, and a conversation by its digits", () => {
    expect(holdRequest("contact", " +966 50 ", " case ")).toEqual({ target: { kind: "contact", wa_id: "+966 50" }, reason: "case" });
    expect(holdRequest("contact", "966", "  ")).toBe("incomplete");
    expect(holdRequest("conversation", "", "case")).toBe("incomplete");
    expect(holdRequest("conversation", "4.5", "case")).toBe("invalid");
    expect(holdRequest("conversation", " 45 ", "case")).toEqual({ target: { kind: "conversation", conversation_id: 45 }, reason: "case" });
  });
});
