import type { CrmLookup } from "../../bindings/CrmLookup";
import type { CrmOrder } from "../../bindings/CrmOrder";
import { intlLocale } from "../../i18n";

/** What the panel shows for an answer: the record, a notice above it, or only a notice. */
export type CrmView =
  | { kind: "hidden" }
  | { kind: "notice"; notice: "not_found" | "unavailable" }
  | { kind: "record"; freshness: "fresh" | "cached" | "stale" };

export function crmView(lookup: CrmLookup): CrmView {
  switch (lookup.state) {
    case "not_configured":
      return { kind: "hidden" };
    case "not_found":
      return { kind: "notice", notice: "not_found" };
    case "unavailable":
      return { kind: "notice", notice: "unavailable" };
    case "fresh":
    case "cached":
    case "stale":
      // A stale or cached "not found" has no profile; say so rather than show an empty card.
      if (!lookup.profile && lookup.orders.length === 0 && lookup.fields.length === 0) {
        return { kind: "notice", notice: "not_found" };
      }
      return { kind: "record", freshness: lookup.state };
  }
}

/** An order's total in the reader's language, e.g. "SAR 349.50"; the CRM's text when it is not a number. */
export function orderTotal(order: CrmOrder): string | null {
  if (order.total === null) return null;
  const amount = Number(order.total);
  if (!Number.isFinite(amount) || order.total.trim() === "") return [order.currency, order.total].filter(Boolean).join(" ");
  if (order.currency && /^[A-Za-z]{3}$/.test(order.currency)) {
    try {
      return new Intl.NumberFormat(intlLocale(), { style: "currency", currency: order.currency.toUpperCase() }).format(amount);
    } catch {
      // An ISO-looking code Intl does not know: fall through.
    }
  }
  return [order.currency, order.total].filter(Boolean).join(" ");
}

/** Only web addresses are offered as links: a CRM's answer is outside input. */
export function safeLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}
