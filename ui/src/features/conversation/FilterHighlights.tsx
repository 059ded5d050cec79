import type { FilterMatch } from "../../bindings/FilterMatch";
import { t } from "../../i18n";
import { highlightSegments } from "./highlight";

/** The draft with every filter match wrapped in <mark>; drawn behind the textarea. */
export function FilterHighlights({ text, matches }: { text: string; matches: readonly FilterMatch[] }) {
  return (
    <>
      {highlightSegments(text, matches).map((segment, i) => {
        if (segment.kind === "plain") return segment.text;
        const blocking = segment.matches.filter((m) => m.action === "block");
        const shown = blocking.length > 0 ? blocking : segment.matches;
        const phrases = [...new Set(shown.map((m) => m.phrase))].join(", ");
        const title = blocking.length > 0
          ? t("composer.hitBlocked", { phrase: phrases })
          : t("composer.hitWarned", { phrase: phrases });
        return (
          <mark key={i} className="filter-hit" data-action={blocking.length > 0 ? "block" : "warn"} title={title}>
            {segment.text}
          </mark>
        );
      })}
      {/* A trailing newline only takes up a line in the textarea if followed by something. */}
      {text.endsWith("\n") ? " " : null}
    </>
  );
}
