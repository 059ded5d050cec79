import type { Permission } from "../../bindings/Permission";
import type { Role } from "../../bindings/Role";
import type { UserProfile } from "../../bindings/UserProfile";

/**
 * What each built-in role may do, mirrored from `Permission::of_builtin` in
 * crates/switchboard-domain/src/permission.rs. Only used for a profile cached by an older
 * version, which has no `permissions` yet; the server's list wins whenever there is one.
 */
export const BUILTIN_PERMISSIONS: Record<Role, readonly Permission[]> = {
  agent: ["read_assigned", "reply", "transfer"],
  supervisor: ["read_assigned", "read_all", "reply", "transfer", "assign", "export", "view_reports", "view_filter"],
  admin: [
    "read_assigned",
    "read_all",
    "reply",
    "transfer",
    "assign",
    "export",
    "view_reports",
    "view_filter",
    "manage_filter",
    "manage_numbers",
    "manage_users",
    "manage_retention",
    "view_audit",
    "manage_rules",
    "manage_contacts",
    "broadcast",
    "manage_webhooks",
  ],
};

/** Every permission, in the server's order (`Permission::ALL`). */
export const ALL_PERMISSIONS: readonly Permission[] = [
  "read_assigned",
  "read_team",
  "read_all",
  "reply",
  "transfer",
  "assign",
  "export",
  "view_reports",
  "view_filter",
  "manage_filter",
  "manage_numbers",
  "manage_users",
  "manage_retention",
  "view_audit",
  "manage_rules",
  "manage_contacts",
  "broadcast",
  "manage_webhooks",
  "see_unmasked_numbers",
];

type Holder = Pick<UserProfile, "role"> & { permissions?: readonly Permission[] | null };

/** Whether `user` may do `permission`. The desk only uses this to choose screens; the server decides. */
export function can(user: Holder | null | undefined, permission: Permission): boolean {
  if (!user) return false;
  const granted = user.permissions && user.permissions.length > 0 ? user.permissions : BUILTIN_PERMISSIONS[user.role];
  return granted.includes(permission);
}

/** Whether `user` may do any of `permissions`. */
export function canAny(user: Holder | null | undefined, permissions: readonly Permission[]): boolean {
  return permissions.some((p) => can(user, p));
}

/** The screens a signed-in user can switch between. */
export type View = "inbox" | "supervisor" | "reports" | "filter" | "review" | "admin";

/** Any of these opens the admin view; each panel in it needs its own. */
export const ADMIN_PERMISSIONS: Permission[] = ["manage_users", "manage_numbers", "view_audit", "manage_retention", "manage_rules", "broadcast", "manage_contacts", "manage_webhooks"];

/**
 * The views a user's permissions open, in tab order: the inbox (anyone who reads
 * conversations), the supervisor board and reports (`view_reports`), the outbound filter
 * (`view_filter` to read and test, `manage_filter` to edit), a read-only review of the
 * conversations the role reads beyond its own (`read_all` or `read_team`), and the admin
 * screens (any admin permission).
 */
export function availableViews(user: Holder | null | undefined): View[] {
  const views: View[] = [];
  if (canAny(user, ["read_assigned", "read_team", "read_all"])) views.push("inbox");
  if (can(user, "view_reports")) views.push("supervisor", "reports");
  if (canAny(user, ["view_filter", "manage_filter"])) views.push("filter");
  if (canAny(user, ["read_all", "read_team"])) views.push("review");
  if (canAny(user, ADMIN_PERMISSIONS)) views.push("admin");
  return views;
}
