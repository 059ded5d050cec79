import type { NumberSummary } from "../../bindings/NumberSummary";
import type { TeamSummary } from "../../bindings/TeamSummary";
import type { ReactNode } from "react";
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

/** A fieldset of checkboxes, one per offered item; nothing when none is offered. */
function CheckChoice<Offered, Id extends string | number>({
  legend,
  hint,
  hintId,
  offered,
  chosen,
  onChange,
  idOf,
  label,
}: ChoiceProps<Offered, Id> & { idOf: (item: Offered) => Id; label: (item: Offered) => ReactNode }) {
  if (offered.length === 0) return null;
  return (
    <fieldset className="admin-numbers-choice" aria-describedby={hintId}>
      <legend>{legend}</legend>
      <p id={hintId} className="admin-note">
        {hint}
      </p>
      {offered.map((item) => {
        const id = idOf(item);
        return (
          <label key={id}>
            <input
              type="checkbox"
              value={id}
              checked={chosen.includes(id)}
              onChange={(e) => onChange(toggled(chosen, id, e.target.checked))}
            />
            {label(item)}
          </label>
        );
      })}
    </fieldset>
  );
}

/**
 * Business numbers to tick, each labelled by its name and the number customers see: what a
 * custom role or an API token is limited to. Nothing when no number is offered.
 */
export function NumbersChoice(props: ChoiceProps<NumberSummary, string>) {
  return (
    <CheckChoice
      {...props}
      idOf={(n) => n.phone_number_id}
      label={(n) => (
        <>
          <span dir="auto">{n.name}</span> <bdi dir="ltr">{n.display_number}</bdi>
        </>
      )}
    />
  );
}

/** Teams to tick, by name: what a custom role or an API token is limited to. Nothing when no team is offered. */
export function TeamsChoice(props: ChoiceProps<TeamSummary, number>) {
  return <CheckChoice {...props} idOf={(team) => team.id} label={(team) => <span dir="auto">{team.name}</span>} />;
}
