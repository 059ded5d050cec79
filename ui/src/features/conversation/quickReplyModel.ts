import type { QuickReply } from "../../bindings/QuickReply";

/**
 * The quick replies a draft asks for: a draft that is `/` plus letters (nothing else yet)
 * lists the replies whose shortcut starts with them; anything else lists none.
 */
export function quickReplyMatches(draft: string, replies: readonly QuickReply[]): QuickReply[] {
  const m = /^\/(\S*)$/u.exec(draft);
  if (!m) return [];
  const typed = m[1]!.toLowerCase();
  return replies.filter((r) => r.shortcut.startsWith(typed));
}
