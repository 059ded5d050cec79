import type { InboxEntry } from "../bindings/InboxEntry";
import type { Message } from "../bindings/Message";
import type { AgentLoad } from "../bindings/AgentLoad";
import type { QueueDepth } from "../bindings/QueueDepth";
import type { SessionInfo } from "../bindings/SessionInfo";
import type { SupervisorBoard } from "../bindings/SupervisorBoard";

export function session(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    signed_in: true,
    server_url: "https://switchboard.example.com",
    user: { id: 7, username: "amira", display_name: "Amira Haddad", role: "agent", custom_role: null, permissions: [] },
    connection: "online",
    connection_detail: null,
    credential_storage: "keychain",
    notice: null,
    away: false,
    revision: 1,
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
      team_name: null,
      contact: { id: id * 10, wa_id: `4477009000${id}`, user_id: null, name: overrides.name === undefined ? `Contact ${id}` : overrides.name },
      status: "open",
      assigned_user_id: 7,
      assigned_user_name: "Amira Haddad",
      last_message_at: lastMessageAt,
      last_message_preview: `Preview ${id}`,
      last_inbound_at: lastMessageAt,
      priority: 0,
      tags: [],
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

export function supervisorSession(overrides: Partial<SessionInfo> = {}): SessionInfo {
  return session({
    user: { id: 3, username: "sara", display_name: "Sara Mansour", role: "supervisor", custom_role: null, permissions: [] },
    ...overrides,
  });
}

export function agentLoad(overrides: Partial<AgentLoad> = {}): AgentLoad {
  return {
    user_id: 7,
    display_name: "Amira Haddad",
    status: "online",
    open: 2,
    capacity: 5,
    first_response_seconds: 80,
    resolved_last_hour: 4,
    ...overrides,
  };
}

export function queueDepth(overrides: Partial<QueueDepth> = {}): QueueDepth {
  return {
    name: "Acme Support",
    phone_number_id: "1001",
    team_id: null,
    waiting: 0,
    longest_wait_seconds: null,
    oldest_conversation_id: null,
    ...overrides,
  };
}

/** A board computed now (waits shown are aged from `at`). */
export function board(overrides: Partial<SupervisorBoard> = {}): SupervisorBoard {
  return { at: Date.now(), agents: [agentLoad()], queues: [queueDepth()], ...overrides };
}
