// English strings, keyed by where they appear. Placeholders use {name}.
export const en = {
  "app.name": "Switchboard",
  "app.loading": "Starting Switchboard…",
  "app.bootError": "Switchboard could not read its session: {message}",
  "app.retry": "Try again",

  "login.title": "Sign in to Switchboard",
  "login.subtitle": "Use the account your team administrator created for you.",
  "login.serverUrl": "Server URL",
  "login.serverUrlPlaceholder": "https://switchboard.example.com",
  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.submitting": "Signing in…",

  "session.role.admin": "Admin",
  "session.role.supervisor": "Supervisor",
  "session.role.agent": "Agent",
  "session.connection.online": "Online",
  "session.connection.connecting": "Connecting…",
  "session.connection.offline": "Offline",
  "session.signOut": "Sign out",
  "session.offlineBanner":
    "Offline — showing cached conversations. Messages you send wait in the outbox and go out when the connection returns.",
  "session.dismiss": "Dismiss",

  "inbox.label": "Conversations",
  "inbox.empty": "No conversations yet. New conversations assigned to you appear here.",
  "inbox.unread": "{count} unread",
  "inbox.unknownContact": "Unknown contact",

  "conversation.none": "Select a conversation to start replying.",
  "conversation.loading": "Loading messages…",
  "conversation.unknown": "Conversation #{id}",
  "conversation.via": "via {business}",
  "conversation.resolved": "Resolved",
  "conversation.assignedTo": "Assigned to {name}",
  "conversation.messages": "Messages",
  "conversation.nonText": "[{kind}]",

  "ticks.pending": "Waiting to send",
  "ticks.sending": "Sending",
  "ticks.sent": "Sent",
  "ticks.delivered": "Delivered",
  "ticks.read": "Read",
  "ticks.failed": "Failed: {error}",
  "ticks.failedUnknown": "unknown error",

  "composer.label": "Reply",
  "composer.placeholder": "Type a reply — Ctrl+Enter to send",
  "composer.send": "Send",
  "composer.sending": "Sending…",
  "composer.blocked": "This message contains a blocked phrase: “{phrase}”. Edit it before sending.",
  "composer.caution": "Check this phrase before sending: “{phrase}”.",
  "composer.hitBlocked": "Blocked by rule: {phrase}",
  "composer.hitWarned": "Flagged by rule: {phrase}",
} as const;

export type StringKey = keyof typeof en;
