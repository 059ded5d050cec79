import type { Role } from "../../bindings/Role";
import type { RoleSummary } from "../../bindings/RoleSummary";
import type { UserProfile } from "../../bindings/UserProfile";
import type { UserRoleRequest } from "../../bindings/UserRoleRequest";

/**
 * One option of a role select: a built-in role, or a custom role (sent with its base, which the
 * server puts in place of `role`). Encoded as `builtin:<role>` or `custom:<name>`.
 */
export type RoleChoice = { value: string; request: UserRoleRequest; custom: boolean; label: string | null };

export const BUILTIN_ROLES: Role[] = ["agent", "supervisor", "admin"];

/** The three built-ins, then the custom roles (`label` null: translate the built-in's name). */
export function roleChoices(roles: RoleSummary[] | null): RoleChoice[] {
  const builtIns = BUILTIN_ROLES.map((role) => ({
    value: `builtin:${role}`,
    request: { role, custom_role: null },
    custom: false,
    label: null,
  }));
  const custom = (roles ?? [])
    .filter((r) => !r.built_in)
    .map((r) => ({
      value: `custom:${r.definition.name}`,
      request: { role: r.definition.base, custom_role: r.definition.name },
      custom: true,
      label: r.definition.name,
    }));
  return [...builtIns, ...custom];
}

/** The option a user holds now. */
export function choiceOf(user: Pick<UserProfile, "role" | "custom_role">): string {
  return user.custom_role ? `custom:${user.custom_role}` : `builtin:${user.role}`;
}
