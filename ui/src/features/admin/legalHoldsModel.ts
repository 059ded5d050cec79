import type { LegalHold } from "../../bindings/LegalHold";
import type { PlaceLegalHoldRequest } from "../../bindings/PlaceLegalHoldRequest";

export type HoldKind = "contact" | "conversation";

/**
 * The request for what the admin typed, or why it cannot be sent yet. The server finds the
 * customer by number and says when nobody has that number; here only the shape is checked.
 */
export function holdRequest(kind: HoldKind, value: string, reason: string): PlaceLegalHoldRequest | "incomplete" | "invalid" {
  const typed = value.trim();
  const why = reason.trim();
  if (typed === "" || why === "") return "incomplete";
  if (kind === "contact") return { target: { kind: "contact", wa_id: typed }, reason: why };
  if (!/^\d+$/.test(typed)) return "invalid";
  return { target: { kind: "conversation", conversation_id: Number(typed) }, reason: why };
}

/** The customer's number as people write it, when the server named one. */
export function customerNumber(hold: LegalHold): string | null {
  const number = hold.contact_wa_id;
  if (!number) return null;
  // A masked number (•) is shown as the server sent it.
  return /^\d+$/.test(number) ? `+${number}` : number;
}
