import type { ApiToken } from "../../bindings/ApiToken";
import type { CreateApiTokenRequest } from "../../bindings/CreateApiTokenRequest";
import type { NumberSummary } from "../../bindings/NumberSummary";
import type { Permission } from "../../bindings/Permission";
import type { TeamSummary } from "../../bindings/TeamSummary";
import type { UserProfile } from "../../bindings/UserProfile";
import { ALL_PERMISSIONS, can } from "../session/permissions";
import { numberName, teamName } from "./scopeModel";

/**
 * What a token may read: everything its creator sees, or only the chosen numbers and teams
 * (never more than the creator sees either way: the server narrows each request to both).
 */
export type TokenScope = "all" | "chosen";

/**
 * What the form holds while an admin makes a token. `expires` is a date input's `YYYY-MM-DD`;
 * `numbers` (phone number ids) and `teams` count only when `scope` is `chosen`, so switching
 * back and forth keeps what was ticked.
 */
export type TokenDraft = {
  name: string;
  permissions: Permission[];
  expires: string;
  rate: string;
  scope: TokenScope;
  numbers: string[];
  teams: number[];
};

export const EMPTY_TOKEN_DRAFT: TokenDraft = { name: "", permissions: [], expires: "", rate: "", scope: "all", numbers: [], teams: [] };

/** The permissions a token may be given: only those the creator holds (the server checks again). */
export function grantable(user: UserProfile | null): Permission[] {
  return ALL_PERMISSIONS.filter((p) => can(user, p));
}

/** Why the form cannot be sent yet (the server checks again and words what it refuses). */
export type TokenProblem = "name" | "permissions" | "scope" | "expires" | "rate";

/**
 * The end of the chosen day in the desk's time zone, in Unix milliseconds, or null when the
 * text is not a real calendar date.
 */
export function endOfDay(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const end = new Date(year, month - 1, day, 23, 59, 59, 999);
  // `new Date` rolls 31 February over into March: refuse what is not a real date.
  if (end.getFullYear() !== year || end.getMonth() !== month - 1 || end.getDate() !== day) return null;
  return end.getTime();
}

/** The request to send, or the first problem the admin can fix before sending. */
export function tokenRequest(draft: TokenDraft, now: number): CreateApiTokenRequest | TokenProblem {
  const name = draft.name.trim();
  if (name === "") return "name";
  if (draft.permissions.length === 0) return "permissions";
  const limited = draft.scope === "chosen";
  // Empty lists mean "not limited": a chosen scope with nothing ticked would quietly be everything.
  if (limited && draft.numbers.length === 0 && draft.teams.length === 0) return "scope";
  let expiresAt: number | null = null;
  if (draft.expires.trim() !== "") {
    expiresAt = endOfDay(draft.expires.trim());
    if (expiresAt === null || expiresAt <= now) return "expires";
  }
  let rate: number | null = null;
  if (draft.rate.trim() !== "") {
    const value = Number(draft.rate.trim());
    if (!Number.isInteger(value) || value < 1 || value > 4_294_967_295) return "rate";
    rate = value;
  }
  return {
    name,
    permissions: ALL_PERMISSIONS.filter((p) => draft.permissions.includes(p)),
    numbers: limited ? [...draft.numbers] : [],
    teams: limited ? [...draft.teams] : [],
    expires_at: expiresAt,
    rate_per_second: rate,
  };
}

/** Adds or removes one permission, keeping the server's order. */
export function togglePermission(draft: TokenDraft, permission: Permission): TokenDraft {
  const on = draft.permissions.includes(permission);
  const permissions = on ? draft.permissions.filter((p) => p !== permission) : [...draft.permissions, permission];
  return { ...draft, permissions: ALL_PERMISSIONS.filter((p) => permissions.includes(p)) };
}

/** Whether the token no longer works because its expiry has passed. */
export function isExpired(token: Pick<ApiToken, "expires_at">, now: number): boolean {
  return token.expires_at !== null && token.expires_at <= now;
}

/** A token's scope as names to show: null when it reads everything its creator sees. */
export function scopeNames(
  token: Pick<ApiToken, "numbers" | "teams">,
  numbers: readonly NumberSummary[],
  teams: readonly TeamSummary[],
): { numbers: string[]; teams: string[] } | null {
  if (token.numbers.length === 0 && token.teams.length === 0) return null;
  return { numbers: token.numbers.map((id) => numberName(numbers, id)), teams: token.teams.map((id) => teamName(teams, id)) };
}
