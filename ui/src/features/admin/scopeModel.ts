import type { NumberSummary } from "../../bindings/NumberSummary";
import type { TeamSummary } from "../../bindings/TeamSummary";

/** A business number as admins tell numbers apart: its name, then the number customers see. */
export function numberLabel(number: Pick<NumberSummary, "name" | "display_number">): string {
  return `${number.name} ${number.display_number}`;
}

/** The label of a number id, or the id itself when the number is not in the list (no longer configured, or not loaded). */
export function numberName(numbers: readonly NumberSummary[], id: string): string {
  const found = numbers.find((n) => n.phone_number_id === id);
  return found ? numberLabel(found) : id;
}

/** The name of a team id, or the id itself when the team is not in the list. */
export function teamName(teams: readonly TeamSummary[], id: number): string {
  return teams.find((team) => team.id === id)?.name ?? String(id);
}

/** Adds or removes one item, keeping the others in their order. */
export function toggled<T>(list: readonly T[], item: T, on: boolean): T[] {
  const without = list.filter((x) => x !== item);
  return on ? [...without, item] : without;
}
