import type { NumberSummary } from "../../bindings/NumberSummary";
import type { TeamSummary } from "../../bindings/TeamSummary";
import { toggled } from "./scopeModel";

type ChoiceProps<Offered, Id> = {
  legend: string;
  hint: string;
  /** The hint's element id, so the fieldset can point at it. */
  hintId: string;
  offered: readonly Offered[];
  chosen: readonly Id[];
  onChange: (chosen: Id[]) => void;
};

/**
 * Business numbers to tick, each labelled by its name and the number customers see: what a
 * custom role or an API token is limited to. Nothing when no number is offered.
 */
export function NumbersChoice({ legend, hint, hintId, offered, chosen, onChange }: ChoiceProps<NumberSummary, string>) {
  if (offered.length === 0) return null;
  return (
    <fieldset className="admin-numbers-choice" aria-describedby={hintId}>
      <legend>{legend}</legend>
      <p id={hintId} className="admin-note">
        {hint}
      </p>
      {offered.map((n) => (
        <label key={n.phone_number_id}>
          <input
            type="checkbox"
            value={n.phone_number_id}
            checked={chosen.includes(n.phone_number_id)}
            onChange={(e) => onChange(toggled(chosen, n.phone_number_id, e.target.checked))}
          />
          <span dir="auto">{n.name}</span> <bdi dir="ltr">{n.display_number}</bdi>
        </label>
      ))}
    </fieldset>
  );
}

/** Teams to tick, by name: what a custom role or an API token is limited to. Nothing when no team is offered. */
export function TeamsChoice({ legend, hint, hintId, offered, chosen, onChange }: ChoiceProps<TeamSummary, number>) {
  if (offered.length === 0) return null;
  return (
    <fieldset className="admin-numbers-choice" aria-describedby={hintId}>
      <legend>{legend}</legend>
      <p id={hintId} className="admin-note">
        {hint}
      </p>
      {offered.map((team) => (
        <label key={team.id}>
          <input
            type="checkbox"
            value={team.id}
            checked={chosen.includes(team.id)}
            onChange={(e) => onChange(toggled(chosen, team.id, e.target.checked))}
          />
          <span dir="auto">{team.name}</span>
        </label>
      ))}
    </fieldset>
  );
}
