import { useCallback, useEffect, useRef, useState } from "react";
import type { ContactProfile } from "../../bindings/ContactProfile";
import { call, toIpcError } from "../../ipc";
import { contactQuery, type ContactFilters } from "./contactModel";

export type ContactList = {
  contacts: ContactProfile[];
  /** How many match the filters, over all pages; null until the first page came. */
  total: number | null;
  /** A page for the current filters is on its way. */
  loading: boolean;
  error: string | null;
  /** Asks for the next page, if there is one and none is on its way. */
  loadMore: () => void;
  /** Puts a contact as saved in place (or drops it when `gone`). */
  replace: (contact: ContactProfile, gone?: boolean) => void;
  reload: () => void;
};

/** The pages shown, and the filters (and reload) they were asked for. */
type Pages = { key: string; contacts: ContactProfile[]; total: number | null; cursor: string | null; error: string | null };

const NOTHING: Pages = { key: "", contacts: [], total: null, cursor: null, error: null };

/**
 * The contacts matching `filters`, a page at a time: the list asks for the next page as it is
 * scrolled near the end, so a hundred thousand contacts cost the pages looked at. The last
 * list stays on screen until the answer for new filters comes; answers for filters that
 * changed meanwhile are dropped.
 */
export function useContactList(filters: ContactFilters): ContactList {
  const [generation, setGeneration] = useState(0);
  const key = `${JSON.stringify(contactQuery(filters))}#${generation}`;
  const [pages, setPages] = useState<Pages>(NOTHING);
  const [more, setMore] = useState(false);
  const busy = useRef(false);

  useEffect(() => {
    let live = true;
    call("contacts", contactQuery(filters)).then(
      (page) => live && setPages({ key, contacts: page.contacts, total: page.total, cursor: page.next_cursor, error: null }),
      (err: unknown) => live && setPages({ ...NOTHING, key, error: toIpcError(err).message }),
    );
    return () => {
      live = false;
    };
    // `key` stands for the filters and the reload count.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const current = pages.key === key;
  const { cursor } = pages;
  const loadMore = useCallback(() => {
    if (!current || !cursor || busy.current) return;
    busy.current = true;
    setMore(true);
    const done = () => {
      busy.current = false;
      setMore(false);
    };
    call("contacts", contactQuery(filters, cursor)).then(
      (page) => {
        done();
        setPages((p) => {
          if (p.key !== key) return p;
          const known = new Set(p.contacts.map((c) => c.id));
          return { ...p, contacts: [...p.contacts, ...page.contacts.filter((c) => !known.has(c.id))], total: page.total, cursor: page.next_cursor };
        });
      },
      (err: unknown) => {
        done();
        setPages((p) => (p.key === key ? { ...p, error: toIpcError(err).message } : p));
      },
    );
  }, [current, cursor, filters, key]);

  const replace = useCallback((contact: ContactProfile, gone = false) => {
    setPages((p) => ({
      ...p,
      contacts: gone ? p.contacts.filter((c) => c.id !== contact.id) : p.contacts.map((c) => (c.id === contact.id ? contact : c)),
      total: gone && p.total !== null && p.contacts.some((c) => c.id === contact.id) ? Math.max(0, p.total - 1) : p.total,
    }));
  }, []);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return { contacts: pages.contacts, total: pages.total, loading: !current || more, error: pages.error, loadMore, replace, reload };
}
