import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CrmLookup } from "../../bindings/CrmLookup";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { CrmPanel } from "./CrmPanel";
import { crmView, orderTotal, safeLink } from "./crmModel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const FETCHED_AT = new Date(2026, 10, 22, 10, 42).getTime();

// The panel shows a time for an answer from today and a date for an older one: the clock is
// fixed to later that same day, so the test does not depend on the day it runs.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date(2026, 10, 22, 11, 5) });
});
afterEach(() => {
  vi.useRealTimers();
});

function lookup(state: CrmLookup["state"], extra: Partial<CrmLookup> = {}): CrmLookup {
  return {
    state,
    fetched_at: FETCHED_AT,
    profile: {
      name: "سارة العتيبي",
      email: "sara@example.com",
      phone: "+966•••••••••567",
      company: null,
      tier: "platinum",
      notes: null,
      url: "https://crm.example.com/customers/1002",
    },
    orders: [
      {
        id: "4521",
        date: "2026-11-20",
        status: "out for delivery",
        total: "349.50",
        currency: "SAR",
        items: [{ name: "Abaya", quantity: 2 }],
        url: "javascript:alert(1)",
      },
    ],
    fields: [{ key: "loyalty_points", label: "Loyalty points", value: "5300" }],
    ...extra,
  };
}

describe("the CRM panel beside a conversation", () => {
  it("shows the profile, orders and mapped fields, and refresh asks the CRM again", async () => {
    const answers = [lookup("cached"), lookup("fresh")];
    mockCommands({ conversation_crm: () => answers.shift()! });
    const user = userEvent.setup();
    render(<CrmPanel conversationId={12} />);
    expect(await screen.findByText("سارة العتيبي")).toBeTruthy();
    expect(screen.getByText("platinum")).toBeTruthy();
    expect(document.querySelector("#crm-freshness")!.textContent).toMatch(/^As of .*42/);
    const order = document.querySelector<HTMLElement>('.crm-order[data-order-id="4521"]')!;
    expect(order.textContent).toContain("out for delivery");
    expect(order.textContent).toContain("2 × Abaya");
    expect(order.querySelector("a")).toBeNull(); // not a web address: no link
    expect(screen.getByText("Loyalty points")).toBeTruthy();
    expect(screen.getByText("5300")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Refresh" }));
    expect((await screen.findByText("Updated just now")).id).toBe("crm-freshness");
    expect(callsOf("conversation_crm")).toEqual([
      { conversation_id: 12, refresh: false },
      { conversation_id: 12, refresh: true },
    ]);
  });

  it("marks a stale answer with its time", async () => {
    mockCommands({ conversation_crm: () => lookup("stale") });
    render(<CrmPanel conversationId={3} />);
    const notice = await screen.findByRole("status");
    expect(notice.dataset.freshness).toBe("stale");
    expect(notice.textContent).toContain("The CRM is not answering");
    expect(notice.textContent).toMatch(/42/);
    expect(screen.getByText("سارة العتيبي")).toBeTruthy();
  });

  it("says when the customer is unknown or the CRM is down, and shows errors", async () => {
    mockCommands({ conversation_crm: () => ({ ...lookup("not_found"), profile: null, orders: [], fields: [], fetched_at: null }) });
    const { unmount } = render(<CrmPanel conversationId={3} />);
    expect(await screen.findByText("This customer is not in the CRM.")).toBeTruthy();
    unmount();
    mockCommands({ conversation_crm: () => ({ state: "unavailable", fetched_at: null, profile: null, orders: [], fields: [] }) });
    const second = render(<CrmPanel conversationId={3} />);
    expect((await screen.findByRole("status")).textContent).toContain("not answering right now");
    second.unmount();
    mockCommands({
      conversation_crm: () => {
        throw { code: "offline", message: "The server cannot be reached." };
      },
    });
    render(<CrmPanel conversationId={3} />);
    // Not an alert: the conversation works without the CRM, so the panel only says why it is empty.
    expect((await screen.findByText(/The server cannot be reached/)).id).toBe("crm-error");
  });

  it("stays away when no CRM is configured", async () => {
    mockCommands({ conversation_crm: () => ({ state: "not_configured", fetched_at: null, profile: null, orders: [], fields: [] }) });
    render(<CrmPanel conversationId={3} />);
    await vi.waitFor(() => expect(callsOf("conversation_crm")).toHaveLength(1));
    await vi.waitFor(() => expect(document.querySelector("#crm-panel")).toBeNull());
  });
});

describe("the CRM model", () => {
  it("reads states, totals and links", () => {
    expect(crmView(lookup("not_configured")).kind).toBe("hidden");
    expect(crmView(lookup("stale"))).toEqual({ kind: "record", freshness: "stale" });
    expect(crmView({ ...lookup("cached"), profile: null, orders: [], fields: [] })).toEqual({ kind: "notice", notice: "not_found" });
    const order = lookup("fresh").orders[0]!;
    expect(orderTotal(order)).toMatch(/349\.50/);
    expect(orderTotal({ ...order, total: "n/a", currency: null })).toBe("n/a");
    expect(orderTotal({ ...order, total: null })).toBeNull();
    expect(safeLink("https://crm.example.com/x")).toBe("https://crm.example.com/x");
    expect(safeLink("javascript:alert(1)")).toBeNull();
    expect(safeLink("not a url")).toBeNull();
  });
});
