import type { ReactNode } from "react";
import { t, type StringKey } from "../../i18n";
import type { Assignment, Facets, InboxSort, InboxView, StatusFilter } from "./inboxView";

type Props = {
  view: InboxView;
  facets: Facets;
  onChange: (view: InboxView) => void;
};

const ASSIGNMENTS: [Assignment, StringKey][] = [
  ["all", "inbox.filter.everyone"],
  ["mine", "inbox.filter.mine"],
  ["unassigned", "inbox.filter.unassigned"],
];

/** Filters by assignment, team, number, tag and status, and the order; all native controls. */
export function InboxFilters({ view, facets, onChange }: Props) {
  const set = (change: Partial<InboxView>) => onChange({ ...view, ...change });
  // A remembered choice stays offered even when nothing in the inbox has it right now.
  const teams = withCurrent(facets.teams, view.team);
  const tags = withCurrent(facets.tags, view.tag);
  const numbers =
    view.number !== null && !facets.numbers.some((n) => n.id === view.number)
      ? [...facets.numbers, { id: view.number, name: view.number }]
      : facets.numbers;

  return (
    <div id="inbox-filters" className="inbox-filters" role="group" aria-label={t("inbox.filters")}>
      <div className="inbox-assignment" role="group" aria-label={t("inbox.filter.assignment")}>
        {ASSIGNMENTS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            className="inbox-assignment-option"
            data-assignment={value}
            aria-pressed={view.assignment === value}
            onClick={() => set({ assignment: value })}
          >
            {t(label)}
          </button>
        ))}
      </div>
      <div className="inbox-selects">
        <Select id="inbox-filter-status" label={t("inbox.filter.status")} value={view.status} onChange={(status) => set({ status: status as StatusFilter })}>
          <option value="all">{t("inbox.filter.anyStatus")}</option>
          <option value="open">{t("inbox.filter.open")}</option>
          <option value="resolved">{t("inbox.filter.resolved")}</option>
        </Select>
        <Select id="inbox-sort" label={t("inbox.sort")} value={view.sort} onChange={(sort) => set({ sort: sort as InboxSort })}>
          <option value="newest">{t("inbox.sort.newest")}</option>
          <option value="waiting">{t("inbox.sort.waiting")}</option>
        </Select>
        {teams.length > 0 && (
          <Select id="inbox-filter-team" label={t("inbox.filter.team")} value={view.team ?? ""} onChange={(team) => set({ team: team || null })}>
            <option value="">{t("inbox.filter.anyTeam")}</option>
            {teams.map((team) => (
              <option key={team} value={team} dir="auto">
                {team}
              </option>
            ))}
          </Select>
        )}
        {numbers.length > 1 || view.number !== null ? (
          <Select id="inbox-filter-number" label={t("inbox.filter.number")} value={view.number ?? ""} onChange={(number) => set({ number: number || null })}>
            <option value="">{t("inbox.filter.anyNumber")}</option>
            {numbers.map((n) => (
              <option key={n.id} value={n.id} dir="auto">
                {n.name}
              </option>
            ))}
          </Select>
        ) : null}
        {tags.length > 0 && (
          <Select id="inbox-filter-tag" label={t("inbox.filter.tag")} value={view.tag ?? ""} onChange={(tag) => set({ tag: tag || null })}>
            <option value="">{t("inbox.filter.anyTag")}</option>
            {tags.map((tag) => (
              <option key={tag} value={tag} dir="auto">
                {tag}
              </option>
            ))}
          </Select>
        )}
      </div>
    </div>
  );
}

function withCurrent(options: string[], current: string | null): string[] {
  return current !== null && !options.includes(current) ? [...options, current] : options;
}

type SelectProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
};

function Select({ id, label, value, onChange, children }: SelectProps) {
  return (
    <label className="inbox-select" htmlFor={id}>
      <span className="inbox-select-label">{label}</span>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </label>
  );
}
