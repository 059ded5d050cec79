import { useState } from "react";
import type { Permission } from "../bindings/Permission";
import type { UserProfile } from "../bindings/UserProfile";
import { t, type StringKey } from "../i18n";
import { can } from "../features/session/permissions";

/** One part of an admin section, and the permission the server asks for what it shows. */
export interface SectionPart<P extends string> {
  id: P;
  label: StringKey;
  /** Absent: everyone who reaches the section sees the part. */
  needs?: Permission;
}

/**
 * The parts `user` may see and the one shown: the chosen part while it is visible, else the
 * first visible one (undefined when none is).
 */
export function useSectionPart<P extends string>(
  user: UserProfile | null | undefined,
  parts: readonly SectionPart<P>[],
  first: P,
): { visible: SectionPart<P>[]; part: P | undefined; choose: (part: P) => void } {
  const visible = parts.filter((p) => !p.needs || can(user, p.needs));
  const [chosen, choose] = useState<P>(first);
  const part = visible.some((p) => p.id === chosen) ? chosen : visible[0]?.id;
  return { visible, part, choose };
}

/**
 * The tabs that switch between an admin section's parts. Each tab's id is
 * `<prefix>-<part id with the first "_" as "-">`, which tests and WebDriver use.
 */
export function SectionPartTabs<P extends string>({
  prefix,
  label,
  parts,
  current,
  onChoose,
}: {
  prefix: string;
  label: string;
  parts: readonly SectionPart<P>[];
  current: P | undefined;
  onChoose: (part: P) => void;
}) {
  return (
    <nav className="automation-parts" aria-label={label}>
      {parts.map((p) => (
        <button
          key={p.id}
          type="button"
          id={`${prefix}-${p.id.replace("_", "-")}`}
          className="view-tab admin-tab"
          aria-current={current === p.id ? "page" : undefined}
          onClick={() => onChoose(p.id)}
        >
          {t(p.label)}
        </button>
      ))}
    </nav>
  );
}
