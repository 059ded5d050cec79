import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import type { ContactProfile } from "../../bindings/ContactProfile";
import { Button } from "../../components/Button";
import { intlLocale, t } from "../../i18n";
import { keepDraft, useUnsavedWarning } from "../automation/keptDrafts";
import { useVirtualRows } from "../inbox/useVirtualRows";
import { ContactFiltersBar } from "./ContactFiltersBar";
import { ContactProfilePanel } from "./ContactProfilePanel";
import { CONTACT_ROW_HEIGHT, ContactRow } from "./ContactRow";
import { NO_FILTERS, profileDraftKey, type ContactFilters } from "./contactModel";
import type { TagCatalogue } from "./tagColours";
import { useContactList } from "./useContactList";

/** How long typing pauses before the search is sent. */
export const SEARCH_DELAY_MS = 300;

/** Rows from the end of what is loaded at which the next page is asked for. */
const PREFETCH_ROWS = 40;

/**
 * The customer list: search, filters, a windowed list that loads pages as it scrolls, and the
 * chosen contact's profile beside it.
 */
export function ContactsPanel({ catalogue }: { catalogue: TagCatalogue }) {
  const [search, setSearch] = useState("");
  const [filters, setFilters] = useState<ContactFilters>(NO_FILTERS);
  const [selected, setSelected] = useState<number | null>(null);
  const [dirty, setDirty] = useState(false);
  const [discarding, setDiscarding] = useState<(() => void) | null>(null);
  const list = useContactList(filters);
  const { scrollRef, first, end, before, after, onScroll, scrollToIndex } = useVirtualRows(list.contacts.length, CONTACT_ROW_HEIGHT);
  const focusIndex = useRef<number | null>(null);
  useUnsavedWarning(dirty);

  useEffect(() => {
    if (search.trim() === filters.search.trim()) return;
    const timer = setTimeout(() => setFilters((f) => ({ ...f, search })), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, filters.search]);

  const { loadMore } = list;
  useEffect(() => {
    if (end >= list.contacts.length - PREFETCH_ROWS) loadMore();
  }, [end, list.contacts.length, loadMore]);

  useLayoutEffect(() => {
    if (focusIndex.current === null) return;
    const row = scrollRef.current?.querySelector<HTMLButtonElement>(`.contact-row[data-index="${focusIndex.current}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      focusIndex.current = null;
    }
  });

  /** Runs `action` at once, or after the admin agreed to drop the profile's unsaved edits. */
  function whenClean(action: () => void) {
    const go = () => {
      if (selected !== null) keepDraft(profileDraftKey(selected), null);
      setDirty(false);
      setDiscarding(null);
      action();
    };
    if (dirty) setDiscarding(() => go);
    else go();
  }

  function select(id: number) {
    if (id === selected) return;
    whenClean(() => setSelected(id));
  }

  const selectedIndex = list.contacts.findIndex((c) => c.id === selected);
  function onKeyDown(e: KeyboardEvent) {
    const moves: Record<string, number | "first" | "last"> = { ArrowDown: 1, ArrowUp: -1, Home: "first", End: "last" };
    const move = moves[e.key];
    if (move === undefined || list.contacts.length === 0) return;
    e.preventDefault();
    const last = list.contacts.length - 1;
    const from = selectedIndex < 0 ? -1 : selectedIndex;
    const next = move === "first" ? 0 : move === "last" ? last : Math.min(last, Math.max(0, from + move));
    const contact = list.contacts[next];
    if (!contact) return;
    select(contact.id);
    scrollToIndex(next);
    focusIndex.current = next;
  }

  function saved(contact: ContactProfile, gone = false) {
    list.replace(contact, gone);
    catalogue.reload();
  }

  const count = new Intl.NumberFormat(intlLocale());
  const tabbable = selectedIndex >= first && selectedIndex < end ? selectedIndex : first;
  return (
    <div id="contacts-panel" className="contacts-panel">
      <section className="board-section contacts-list-section" aria-labelledby="contacts-title">
        <h2 id="contacts-title" className="board-title">
          {t("contacts.title")}
        </h2>
        <ContactFiltersBar
          search={search}
          onSearch={setSearch}
          filters={filters}
          onChange={setFilters}
          catalogue={catalogue}
        />
        <p id="contacts-count" className="admin-note contacts-count" role="status">
          {list.total === null ? t("contacts.loading") : t("contacts.count", { count: list.total, shown: count.format(list.total) })}
          {list.loading && list.total !== null && <> · {t("contacts.loadingMore")}</>}
        </p>
        {list.error && (
          <p id="contacts-error" className="load-error" role="alert" dir="auto">
            {list.error}{" "}
            <Button variant="ghost" onClick={list.reload}>
              {t("app.retry")}
            </Button>
          </p>
        )}
        {list.total === 0 && <p className="admin-note contacts-empty">{t("contacts.none")}</p>}
        <div className="contacts-scroll" ref={scrollRef} onScroll={onScroll}>
          <ul
            id="contacts"
            className="contacts-list"
            aria-label={t("contacts.title")}
            onKeyDown={onKeyDown}
            style={{ paddingBlockStart: before, paddingBlockEnd: after }}
          >
            {list.contacts.slice(first, end).map((contact, i) => (
              <li key={contact.id}>
                <ContactRow
                  contact={contact}
                  index={first + i}
                  selected={contact.id === selected}
                  tabbable={first + i === tabbable}
                  colourOf={catalogue.colourOf}
                  onSelect={select}
                />
              </li>
            ))}
          </ul>
        </div>
      </section>
      {discarding && (
        <div id="contact-discard" className="automation-discard" role="alertdialog" aria-labelledby="contact-discard-text">
          <p id="contact-discard-text">{t("contacts.discard")}</p>
          <div className="admin-form-actions">
            <Button id="contact-discard-confirm" variant="primary" onClick={discarding} autoFocus>
              {t("automation.rule.discard")}
            </Button>
            <Button id="contact-discard-keep" variant="ghost" onClick={() => setDiscarding(null)}>
              {t("automation.rule.keepEditing")}
            </Button>
          </div>
        </div>
      )}
      {selected !== null && (
        <ContactProfilePanel
          key={selected}
          contactId={selected}
          catalogue={catalogue}
          onDirty={setDirty}
          onSaved={(contact) => saved(contact)}
          onMerged={(kept, duplicate) => {
            saved(kept);
            list.replace({ ...kept, id: duplicate }, true);
          }}
          onClose={() => whenClean(() => setSelected(null))}
        />
      )}
    </div>
  );
}
