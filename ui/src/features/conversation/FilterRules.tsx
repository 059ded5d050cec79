import type { FilterMatch } from "../../bindings/FilterMatch";
import { t } from "../../i18n";
import { ruleTitle } from "./FilterHighlights";

type Props = {
  /** The checked text, so each rule can show the words it matched. */
  text: string;
  matches: readonly FilterMatch[];
  id?: string;
};

/**
 * The rules that matched, one line each: the matched words, the rule's phrase and what it
 * does. The highlights sit behind the textarea where a pointer cannot reach them, so this
 * list is where the rules can be read (and focused).
 */
export function FilterRules({ text, matches, id = "filter-matches" }: Props) {
  if (matches.length === 0) return null;
  return (
    <ul id={id} className="filter-rules" aria-label={t("composer.rules")}>
      {matches.map((m) => (
        <li
          key={`${m.rule}-${m.start}-${m.end}`}
          className="filter-rule"
          data-action={m.action}
          data-rule={m.rule}
          tabIndex={0}
          title={ruleTitle(m.action, m.phrase)}
        >
          <bdi className="filter-rule-text">{text.slice(m.start, m.end)}</bdi>
          <span className="filter-rule-detail">
            {t("composer.ruleDetail", { phrase: m.phrase, action: t(`filter.action.${m.action}`) })}
          </span>
        </li>
      ))}
    </ul>
  );
}
