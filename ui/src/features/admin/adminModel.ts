import type { SkillLevel } from "../../bindings/SkillLevel";

/** Skills as an admin types them: `arabic:4, billing` (level 1 when none is given). */
export function parseSkills(text: string): SkillLevel[] {
  return text
    .split(/[,،\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [skill = "", level] = part.split(":").map((s) => s.trim());
      // A level that is not a number is sent as 0, so the server's refusal names it.
      return { skill, level: level === undefined || level === "" ? 1 : Number.parseInt(level, 10) || 0 };
    });
}

export function formatSkills(skills: SkillLevel[]): string {
  return skills.map((s) => `${s.skill}:${s.level}`).join(", ");
}

/** A capacity field: empty means the server's default (null); anything else a whole number. */
export function parseCapacity(text: string): number | null | "invalid" {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isInteger(value) && value >= 0 ? value : "invalid";
}
