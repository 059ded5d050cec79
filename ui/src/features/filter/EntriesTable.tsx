import { useState } from "react";
import type { Action } from "../../bindings/Action";
import type { MatchMode } from "../../bindings/MatchMode";
import type { PolicyEntry } from "../../bindings/PolicyEntry";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { blankEntry, formatList, pageOf, parseList, searchEntries } from "./filterModel";

type Props = {
  entries: PolicyEntry[];
  /** Admins edit; supervisors only read. */
  editable: boolean;
  onChange: (entries: PolicyEntry[]) => void;
};

const ACTIONS: Action[] = ["block", "warn", "mask"];
const MODES: MatchMode[] = ["substring", "whole_word"];

/** The policy's entries, searched and paged so 10,000 of them stay quick to work with. */
export function EntriesTable({ entries, editable, onChange }: Props) {
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(0);
  const found = searchEntries(entries, search);
  const shown = pageOf(found, page);

  function update(index: number, patch: Partial<PolicyEntry>) {
    onChange(entries.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)));
  }

  function add() {
    onChange([blankEntry(), ...entries]);
    setSearch("");
    setPage(0);
  }

  return (
    <section className="filter-section" aria-labelledby="filter-entries-title">
      <div className="filter-section-head">
        <h3 id="filter-entries-title">{t("filter.entries", { count: entries.length })}</h3>
        <input
          id="filter-search"
          type="search"
          aria-label={t("filter.search")}
          placeholder={t("filter.search")}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(0);
          }}
        />
        {editable && (
          <Button id="filter-add" onClick={add}>
            {t("filter.add")}
          </Button>
        )}
      </div>
      <table id="filter-entries" className="filter-table">
        <thead>
          <tr>
            <th>{t("filter.phrase")}</th>
            <th>{t("filter.action")}</th>
            <th>{t("filter.matchMode")}</th>
            <th>{t("filter.languages")}</th>
            <th>{t("filter.numbers")}</th>
            <th>{t("filter.teams")}</th>
            {editable && <th aria-label={t("filter.remove")} />}
          </tr>
        </thead>
        <tbody>
          {shown.items.map(({ index, entry }) => (
            <tr key={index} className="filter-entry" data-index={index} data-action={entry.action}>
              {editable ? (
                <>
                  <td>
                    <input
                      className="entry-phrase"
                      dir="auto"
                      aria-label={t("filter.phrase")}
                      value={entry.phrase}
                      onChange={(e) => update(index, { phrase: e.target.value })}
                    />
                  </td>
                  <td>
                    <select
                      className="entry-action"
                      aria-label={t("filter.action")}
                      value={entry.action}
                      onChange={(e) => update(index, { action: e.target.value as Action })}
                    >
                      {ACTIONS.map((a) => (
                        <option key={a} value={a}>
                          {t(`filter.action.${a}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      className="entry-mode"
                      aria-label={t("filter.matchMode")}
                      value={entry.match_mode}
                      onChange={(e) => update(index, { match_mode: e.target.value as MatchMode })}
                    >
                      {MODES.map((m) => (
                        <option key={m} value={m}>
                          {t(`filter.mode.${m}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  {(["languages", "numbers", "teams"] as const).map((field) => (
                    <td key={field}>
                      <ListInput
                        className={`entry-${field}`}
                        label={t(`filter.${field}`)}
                        value={entry[field]}
                        onChange={(list) => update(index, { [field]: list })}
                      />
                    </td>
                  ))}
                  <td>
                    <Button
                      variant="ghost"
                      className="entry-remove"
                      aria-label={t("filter.removeEntry", { phrase: entry.phrase })}
                      onClick={() => onChange(entries.filter((_, i) => i !== index))}
                    >
                      {t("filter.remove")}
                    </Button>
                  </td>
                </>
              ) : (
                <>
                  <td dir="auto">{entry.phrase}</td>
                  <td>{t(`filter.action.${entry.action}`)}</td>
                  <td>{t(`filter.mode.${entry.match_mode}`)}</td>
                  <td>{formatList(entry.languages)}</td>
                  <td>{formatList(entry.numbers)}</td>
                  <td>{formatList(entry.teams)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {found.length === 0 && <p className="filter-empty">{t("filter.noEntries")}</p>}
      <nav className="filter-pages" aria-label={t("filter.pages")}>
        <Button id="filter-prev" variant="ghost" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
          {t("filter.previous")}
        </Button>
        <span id="filter-page">{t("filter.page", { page: shown.page + 1, pages: shown.pages, count: found.length })}</span>
        <Button
          id="filter-next"
          variant="ghost"
          disabled={shown.page >= shown.pages - 1}
          onClick={() => setPage(shown.page + 1)}
        >
          {t("filter.next")}
        </Button>
      </nav>
    </section>
  );
}

/**
 * A `;`-separated list field. Keeps what is typed (a trailing "; " included) while the
 * field has focus, and hands the parsed list up on every change.
 */
function ListInput({
  className,
  label,
  value,
  onChange,
}: {
  className: string;
  label: string;
  value: string[] | undefined;
  onChange: (list: string[]) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      className={className}
      aria-label={label}
      value={draft ?? formatList(value)}
      onFocus={() => setDraft(formatList(value))}
      onBlur={() => setDraft(null)}
      onChange={(e) => {
        setDraft(e.target.value);
        onChange(parseList(e.target.value));
      }}
    />
  );
}
