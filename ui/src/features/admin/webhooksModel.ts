import type { WebhookEventType } from "../../bindings/WebhookEventType";
import type { WebhookSubscription } from "../../bindings/WebhookSubscription";
import type { WebhookSubscriptionRequest } from "../../bindings/WebhookSubscriptionRequest";

/** The events a subscription can ask for, in the catalogue's order (`ping` is the test button's). */
export const WEBHOOK_EVENTS: readonly WebhookEventType[] = [
  "conversation.created",
  "conversation.assigned",
  "conversation.resolved",
  "message.created",
  "message.status",
  "contact.updated",
];

/** What the form holds while an admin edits a subscription. */
export type WebhookDraft = {
  id: number | null;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
};

export const EMPTY_DRAFT: WebhookDraft = { id: null, url: "", description: "", events: [], enabled: true };

export function draftOf(subscription: WebhookSubscription): WebhookDraft {
  return {
    id: subscription.id,
    url: subscription.url,
    description: subscription.description,
    events: [...subscription.event_types],
    enabled: subscription.enabled,
  };
}

/** Why the form cannot be sent yet (the server checks again and words what it refuses). */
export type DraftProblem = "url" | "events";

/** The request to send, or the first problem the admin can fix before sending. */
export function webhookRequest(draft: WebhookDraft): WebhookSubscriptionRequest | DraftProblem {
  const url = draft.url.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "url";
  }
  // Plain http is the server's call (loopback, or hosts its settings allow); it words the refusal.
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "url";
  if (draft.events.length === 0) return "events";
  const events = WEBHOOK_EVENTS.filter((e) => draft.events.includes(e));
  return { url, description: draft.description.trim(), event_types: events, enabled: draft.enabled };
}

/** Adds or removes one event from the draft, keeping the catalogue's order. */
export function toggleEvent(draft: WebhookDraft, event: WebhookEventType): WebhookDraft {
  const on = draft.events.includes(event);
  const events = on ? draft.events.filter((e) => e !== event) : [...draft.events, event];
  return { ...draft, events: WEBHOOK_EVENTS.filter((e) => events.includes(e)) };
}
