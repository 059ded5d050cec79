import type { Action } from "../../bindings/Action";
import type { FilterMatch } from "../../bindings/FilterMatch";
import { t } from "../../i18n";
import { highlightSegments } from "./highlight";

/** The strongest action among overlapping matches decides a highlight's colour. */
export function strongestAction(matches: readonly FilterMatch[]): Action {
  if (matches.some((m) => m.action === "block")) return "block";
  if (matches.some((m) => m.action === "warn")) return "warn";
  return "mask";
}

/** “Blocked by rule: …”, “Warning from rule: …” or “Masked by rule: …”. */
export function ruleTitle(action: Action, phrases: string): string {
  const key = action === "block" ? "composer.hitBlocked" : action === "warn" ? "composer.hitWarned" : "composer.hitMasked";
  return t(key, { phrase: phrases });
}

/** The draft with every filter match wrapped in <mark>; drawn behind the textarea. */
export function FilterHighlights({ text, matches }: { text: string; matches: readonly FilterMatch[] }) {
  return (
    <>
      {highlightSegments(text, matches).map((segment, i) => {
        if (segment.kind === "plain") return segment.text;
        const action = strongestAction(segment.matches);
        const shown = segment.matches.filter((m) => m.action === action);
        const phrases = [...new Set(shown.map((m) => m.phrase))].join(", ");
        return (
          <mark key={i} className="filter-hit" data-action={action} title={ruleTitle(action, phrases)}>
            {segment.text}
          </mark>
        );
      })}
      {/* A trailing newline only takes up a line in the textarea if followed by something. */}
      {text.endsWith("\n") ? " " : null}
    </>
  );
}
