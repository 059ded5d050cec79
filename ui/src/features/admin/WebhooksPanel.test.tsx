import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { UserProfile } from "../../bindings/UserProfile";
import type { WebhookDelivery } from "../../bindings/WebhookDelivery";
import type { WebhookSubscription } from "../../bindings/WebhookSubscription";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { AdminView } from "./AdminView";
import { WebhooksPanel } from "./WebhooksPanel";
import { EMPTY_DRAFT, toggleEvent, webhookRequest } from "./webhooksModel";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

function subscription(overrides: Partial<WebhookSubscription>): WebhookSubscription {
  return {
    id: 1,
    url: "https://crm.example.com/hooks",
    description: "CRM",
    event_types: ["conversation.created"],
    enabled: true,
    unmasked: true,
    secret_hint: "whsec_ab12…",
    pending: 0,
    dead: 0,
    created_at: 1_760_000_000_000,
    updated_at: 1_760_000_000_000,
    ...overrides,
  };
}

function deadDelivery(overrides: Partial<WebhookDelivery>): WebhookDelivery {
  return {
    id: 40,
    subscription_id: 1,
    event_id: "evt_17_0",
    event_type: "message.created",
    state: "dead",
    attempts: 12,
    next_attempt_at: null,
    last_status: 500,
    last_error: "the receiver answered 500",
    created_at: 1_760_000_000_000,
    delivered_at: null,
    ...overrides,
  };
}

/** A server holding `subscriptions` and `dead` deliveries that behaves as the real one does. */
function server(subscriptions: WebhookSubscription[], dead: WebhookDelivery[]) {
  mockCommands({
    webhook_subscriptions: () => ({ subscriptions: subscriptions.map((s) => ({ ...s })) }),
    webhook_deliveries: ({ state }) => ({
      deliveries: dead.filter((d) => !state || d.state === state),
      next_before: null,
    }),
    save_webhook_subscription: ({ id, subscription: request }) => {
      if (request.url.startsWith("http://crm")) {
        throw { code: "bad_request", message: "`url` would send customer data to crm unencrypted over http://: use https://." };
      }
      if (id !== undefined) {
        const found = subscriptions.find((s) => s.id === id)!;
        Object.assign(found, { url: request.url, event_types: request.event_types, enabled: request.enabled });
        return { subscription: found, secret: null };
      }
      const created = subscription({ id: subscriptions.length + 1, url: request.url, event_types: request.event_types });
      subscriptions.push(created);
      return { subscription: created, secret: "whsec_0123456789abcdef" };
    },
    test_webhook: () => ({ delivered: false, status: 503, error: "the receiver answered 503", event_id: "evt_ping_1" }),
    rotate_webhook_secret: ({ id }) => ({ subscription: subscriptions.find((s) => s.id === id)!, secret: "whsec_rotated" }),
    delete_webhook_subscription: ({ id }) => {
      subscriptions.splice(
        subscriptions.findIndex((s) => s.id === id),
        1,
      );
      return null;
    },
    redeliver_webhook: ({ id }) => {
      dead.splice(
        dead.findIndex((d) => d.id === id),
        1,
      );
      return { queued: 1 };
    },
    redeliver_dead_webhooks: () => ({ queued: dead.splice(0).length }),
  });
}

describe("Webhooks", () => {
  it("creates a subscription and shows its secret once", async () => {
    const subscriptions: WebhookSubscription[] = [];
    server(subscriptions, []);
    const user = userEvent.setup();
    render(<WebhooksPanel />);
    expect(await screen.findByText("No system is subscribed to events yet.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "New subscription" }));
    const save = screen.getByRole<HTMLButtonElement>("button", { name: "Save subscription" });
    await user.type(screen.getByLabelText("Receiver URL"), "https://crm.example.com/switchboard");
    // Nothing to send until an event is chosen.
    expect(save.disabled).toBe(true);
    expect(screen.getByRole("alert").textContent).toContain("at least one event");
    await user.click(screen.getByLabelText(/Conversation resolved/));
    await user.click(screen.getByLabelText(/Message status/));
    expect(save.disabled).toBe(false);
    await user.click(save);
    const secret = await screen.findByText("whsec_0123456789abcdef");
    expect(secret.getAttribute("dir")).toBe("ltr");
    const request = callsOf("save_webhook_subscription")[0]!;
    expect(request.subscription.event_types).toEqual(["conversation.resolved", "message.status"]);
    expect(request.subscription.url).toBe("https://crm.example.com/switchboard");
    const row = await screen.findByRole("row", { name: /crm.example.com\/switchboard/ });
    expect(row.textContent).toContain("Conversation resolved, Message status");
    // Dismissed, the secret is gone for good.
    await user.click(screen.getByRole("button", { name: "I have copied it" }));
    expect(screen.queryByText("whsec_0123456789abcdef")).toBeNull();
  });

  it("shows the server's refusal of an unencrypted URL", async () => {
    server([], []);
    const user = userEvent.setup();
    render(<WebhooksPanel />);
    await user.click(await screen.findByRole("button", { name: "New subscription" }));
    await user.type(screen.getByLabelText("Receiver URL"), "http://crm.example.com/x");
    await user.click(screen.getByLabelText(/Message created/));
    await user.click(screen.getByRole("button", { name: "Save subscription" }));
    expect((await screen.findByRole("alert")).textContent).toContain("use https://");
    // The form stays, so the admin can fix the address.
    expect(screen.getByLabelText<HTMLInputElement>("Receiver URL").value).toBe("http://crm.example.com/x");
  });

  it("tests, rotates and deletes after confirming", async () => {
    const subscriptions = [subscription({ id: 1 })];
    server(subscriptions, []);
    const user = userEvent.setup();
    render(<WebhooksPanel />);
    const row = await screen.findByRole("row", { name: /crm.example.com/ });
    await user.click(within(row).getByRole("button", { name: "Send a test" }));
    expect((await screen.findByRole("alert")).textContent).toContain("the receiver answered 503");
    await user.click(within(row).getByRole("button", { name: "New secret" }));
    expect(await screen.findByText("whsec_rotated")).toBeTruthy();
    await user.click(within(row).getByRole("button", { name: "Delete" }));
    expect(callsOf("delete_webhook_subscription")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Delete subscription" }));
    expect(await screen.findByText("No system is subscribed to events yet.")).toBeTruthy();
    expect(callsOf("delete_webhook_subscription")[0]).toEqual({ id: 1 });
  });

  it("lists failed deliveries and redelivers them", async () => {
    const dead = [deadDelivery({ id: 41, event_id: "evt_18_0" }), deadDelivery({ id: 40 })];
    server([subscription({ id: 1, dead: 2 })], dead);
    const user = userEvent.setup();
    render(<WebhooksPanel />);
    const table = await screen.findByRole("table", { name: "Failed deliveries" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain("evt_18_0");
    expect(rows[0]!.textContent).toContain("12 attempts: the receiver answered 500");
    expect(rows[0]!.textContent).toContain("https://crm.example.com/hooks");
    await user.click(within(rows[0]!).getByRole("button", { name: "Redeliver" }));
    expect(callsOf("redeliver_webhook")[0]).toEqual({ id: 41 });
    expect(await screen.findByText("1 queued to be delivered again.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Redeliver failed" }));
    expect(await screen.findByText("No delivery has failed.")).toBeTruthy();
  });

  it("opens from the admin view for manage_webhooks only", () => {
    server([], []);
    const admin = { id: 1, username: "root", display_name: "Root", role: "admin", permissions: [] } as unknown as UserProfile;
    const { unmount } = render(<AdminView user={admin} />);
    expect(screen.getByRole("button", { name: "Webhooks" })).toBeTruthy();
    unmount();
    const contactsOnly = { ...admin, role: "agent", permissions: ["manage_contacts"] } as unknown as UserProfile;
    render(<AdminView user={contactsOnly} />);
    expect(screen.queryByRole("button", { name: "Webhooks" })).toBeNull();
  });
});

describe("webhookRequest", () => {
  it("needs a URL and an event, keeps the catalogue's order and trims", () => {
    expect(webhookRequest({ ...EMPTY_DRAFT, url: "crm" })).toBe("url");
    expect(webhookRequest({ ...EMPTY_DRAFT, url: "ftp://crm.example.com" })).toBe("url");
    expect(webhookRequest({ ...EMPTY_DRAFT, url: "https://crm.example.com" })).toBe("events");
    let draft = { ...EMPTY_DRAFT, url: " https://crm.example.com/h ", description: " CRM " };
    draft = toggleEvent(draft, "contact.updated");
    draft = toggleEvent(draft, "conversation.created");
    draft = toggleEvent(draft, "message.created");
    draft = toggleEvent(draft, "message.created");
    expect(webhookRequest(draft)).toEqual({
      url: "https://crm.example.com/h",
      description: "CRM",
      event_types: ["conversation.created", "contact.updated"],
      enabled: true,
    });
  });
});
