import type { ContactProfile } from "../../bindings/ContactProfile";
import type { TagInfo } from "../../bindings/TagInfo";

/** A contact as the server sends it, with `changes` on top. */
export function contactOf(id: number, changes: Partial<ContactProfile> = {}): ContactProfile {
  return {
    id,
    wa_id: `9665000000${String(id).padStart(2, "0")}`,
    user_id: null,
    name: `Customer ${id}`,
    language: null,
    country: "SA",
    attributes: {},
    notes: "",
    consent_source: null,
    consent_at: null,
    opted_out_at: null,
    opt_out_source: null,
    tags: [],
    created_at: Date.UTC(2026, 10, 1),
    updated_at: null,
    conversation_count: 1,
    numbers: ["+15550001111"],
    merged_into: null,
    ...changes,
  };
}

export const CATALOGUE: TagInfo[] = [
  { name: "vip", colour: "#1e88e5", chosen: true, contact_count: 2, conversation_count: 1 },
  { name: "price list", colour: "#fdd835", chosen: false, contact_count: 1, conversation_count: 0 },
];
