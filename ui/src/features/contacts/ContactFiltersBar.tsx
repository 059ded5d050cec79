import { useState } from "react";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import type { ContactFilters } from "./contactModel";
import type { TagCatalogue } from "./tagColours";
import { TagChip } from "./TagChip";

type Props = {
  search: string;
  onSearch: (text: string) => void;
  filters: ContactFilters;
  onChange: (filters: ContactFilters) => void;
  catalogue: TagCatalogue;
};

/** Search by name or number, and narrow by tags (all of them), country and opt-out. */
export function ContactFiltersBar({ search, onSearch, filters, onChange, catalogue }: Props) {
  const [tag, setTag] = useState("");
  const choosable = (catalogue.tags ?? []).filter((info) => !filters.tags.includes(info.name));
  function addTag(name: string) {
    const tagName = name.trim();
    setTag("");
    if (tagName && !filters.tags.includes(tagName)) onChange({ ...filters, tags: [...filters.tags, tagName] });
  }
  return (
    <div id="contact-filters" className="contact-filters" role="search" aria-label={t("contacts.filters")}>
      <label className="contact-filter">
        {t("contacts.search")}
        <input
          id="contact-search"
          type="search"
          dir="auto"
          value={search}
          placeholder={t("contacts.searchPlaceholder")}
          onChange={(e) => onSearch(e.target.value)}
        />
      </label>
      <form
        className="contact-filter"
        onSubmit={(e) => {
          e.preventDefault();
          addTag(tag);
        }}
      >
        <label htmlFor="contact-filter-tag">{t("contacts.filterTag")}</label>
        <input
          id="contact-filter-tag"
          dir="auto"
          list="contact-filter-tags"
          value={tag}
          placeholder={t("contacts.filterTagPlaceholder")}
          onChange={(e) => {
            const value = e.target.value;
            // Picking from the list adds at once; typing waits for Enter.
            if (choosable.some((info) => info.name === value)) addTag(value);
            else setTag(value);
          }}
        />
        <datalist id="contact-filter-tags">
          {choosable.map((info) => (
            <option key={info.name} value={info.name} />
          ))}
        </datalist>
      </form>
      <label className="contact-filter">
        {t("contacts.country")}
        <input
          id="contact-filter-country"
          dir="ltr"
          maxLength={2}
          size={3}
          value={filters.country}
          placeholder="SA"
          onChange={(e) => onChange({ ...filters, country: e.target.value.toUpperCase() })}
        />
      </label>
      <label className="contact-filter">
        {t("contacts.optOutFilter")}
        <select id="contact-filter-opted-out" value={filters.optedOut} onChange={(e) => onChange({ ...filters, optedOut: e.target.value as ContactFilters["optedOut"] })}>
          <option value="">{t("contacts.optOutAny")}</option>
          <option value="no">{t("contacts.optOutNo")}</option>
          <option value="yes">{t("contacts.optOutYes")}</option>
        </select>
      </label>
      {filters.tags.length > 0 && (
        <div className="contact-filter-tags" aria-label={t("contacts.filteredTags")}>
          {filters.tags.map((name) => (
            <TagChip key={name} name={name} colour={catalogue.colourOf(name)} onRemove={() => onChange({ ...filters, tags: filters.tags.filter((x) => x !== name) })} />
          ))}
          <Button variant="ghost" onClick={() => onChange({ ...filters, tags: [] })}>
            {t("contacts.clearTags")}
          </Button>
        </div>
      )}
    </div>
  );
}
