import type { InboxEntry } from "../bindings/InboxEntry";
import type { Message } from "../bindings/Message";
import type { SessionInfo } from "../bindings/SessionInfo";

export function session(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    signed_in: true,
    server_url: "https://switchboard.example.com",
    user: { id: 7, username: "amira", display_name: "Amira Haddad", role: "agent" },
    connection: "online",
    connection_detail: null,
    credential_storage: "keychain",
    notice: null,
    ...overrides,
  };
}

export function entry(id: number, lastMessageAt: number, overrides: { unread?: number; name?: string | null } = {}): InboxEntry {
  return {
    unread_count: overrides.unread ?? 0,
    conversation: {
      id,
      phone_number_id: "1001",
      business_number: "+44 20 7946 0000",
      business_name: "Acme Support",
      contact: { id: id * 10, wa_id: `4477009000${id}`, user_id: null, name: overrides.name === undefined ? `Contact ${id}` : overrides.name },
      status: "open",
      assigned_user_id: 7,
      assigned_user_name: "Amira Haddad",
      last_message_at: lastMessageAt,
      last_message_preview: `Preview ${id}`,
      last_inbound_at: lastMessageAt,
      priority: 0,
      team_id: null,
      queued_at: null,
      assigned_at: lastMessageAt,
      sla_due_at: null,
      snoozed_until: null,
    },
  };
}

export function message(key: string, createdAt: number, overrides: Partial<Message> = {}): Message {
  return {
    key,
    id: null,
    conversation_id: 1,
    direction: "inbound",
    wamid: null,
    kind: "text",
    text: `Text ${key}`,
    body: { type: "text", body: `Text ${key}` },
    context: null,
    media: null,
    status: "received",
    error: null,
    sender_user_id: null,
    sender_name: null,
    created_at: createdAt,
    ...overrides,
  };
}
