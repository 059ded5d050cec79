// Broadcasts as the server sends them, for the Broadcasts screen's tests.
import type { Broadcast } from "../../bindings/Broadcast";
import type { BroadcastPreview } from "../../bindings/BroadcastPreview";
import type { BroadcastResults } from "../../bindings/BroadcastResults";
import type { TemplateSummary } from "../../bindings/TemplateSummary";

export const offerTemplate: TemplateSummary = {
  name: "december_offer",
  language: "en_US",
  category: "marketing",
  body: "Hi {{1}}, {{2}} off until Sunday",
  parameters: 2,
};

export function broadcast(overrides: Partial<Broadcast> = {}): Broadcast {
  return {
    id: 12,
    name: "December offer",
    audience: "VIP Thailand",
    template: "december_offer",
    language: "en_US",
    parameters: [
      { source: "attribute", name: "name", fallback: "friend" },
      { source: "fixed", text: "20%" },
    ],
    numbers: ["1001"],
    state: "draft",
    scheduled_at: null,
    created_by: 1,
    created_at: Date.UTC(2026, 10, 30, 8, 0),
    updated_at: Date.UTC(2026, 10, 30, 8, 0),
    started_at: null,
    finished_at: null,
    recipients: 0,
    queued_messages: 0,
    ...overrides,
  };
}

export function preview(overrides: Partial<BroadcastPreview> = {}): BroadcastPreview {
  return {
    audience: 1_250,
    recipients: 1_180,
    exclusions: { opted_out: 40, no_whatsapp_id: 12, over_tier_budget: 10, missing_parameter: 8 },
    category: "marketing",
    sample: "Hi Noor, 20% off until Sunday",
    blocked: null,
    cost: {
      rate_card: true,
      recipients: 1_180,
      unpriced: 0,
      lines: [
        {
          country: "TH",
          category: "marketing",
          market: "TH",
          recipients: 1_000,
          unit_price: { currency: "USD", amount_micros: 13_000 },
          total: { currency: "USD", amount_micros: 13_000_000 },
        },
        {
          country: "SA",
          category: "marketing",
          market: "SA",
          recipients: 180,
          unit_price: { currency: "USD", amount_micros: 45_500 },
          total: { currency: "USD", amount_micros: 8_190_000 },
        },
      ],
      totals: [{ currency: "USD", amount_micros: 21_190_000 }],
    },
    ...overrides,
  };
}

export function results(overrides: Partial<BroadcastResults> = {}): BroadcastResults {
  return {
    broadcast_id: 12,
    state: "sending",
    states: { queued: 180, sent: 200, delivered: 500, read: 220, replied: 60, failed: 20 },
    sent: 980,
    delivered: 780,
    read: 280,
    replied: 60,
    failed: 20,
    delivered_rate: 780 / 980,
    read_rate: 280 / 980,
    replied_rate: 60 / 980,
    failures: [
      { reason: "Message undeliverable (131026)", count: 15 },
      { reason: "Re-engagement message (131047)", count: 5 },
    ],
    exclusions: { opted_out: 40 },
    cost: {
      rate_card: true,
      lines: [{ key: "TH/marketing", currency: "USD", messages: 780, billable: 780, unpriced: 0, amount_micros: 10_140_000 }],
      totals: [{ currency: "USD", amount_micros: 10_140_000 }],
    },
    ...overrides,
  };
}
