import { useEffect, useRef, useState } from "react";
import type { SearchCursor } from "../../bindings/SearchCursor";
import type { SearchHit } from "../../bindings/SearchHit";
import { call, toIpcError } from "../../ipc";

const PAGE = 20;
/** Wait this long after the last keystroke before searching. */
export const SEARCH_DELAY_MS = 200;

export type SearchState = {
  hits: SearchHit[];
  next: SearchCursor | null;
  searching: boolean;
  error: string | null;
  /** The query the hits belong to. */
  searched: string;
};

const idle: SearchState = { hits: [], next: null, searching: false, error: null, searched: "" };

/**
 * Searches the desk's cache as the query (or the conversation it is limited
 * to) changes; `more()` loads the next (older) page.
 */
export function useSearch(query: string, conversationId: number | null = null) {
  const [state, setState] = useState<SearchState>(idle);
  // Answers to an older query must not overwrite a newer one.
  const latest = useRef(0);

  useEffect(() => {
    const text = query.trim();
    const ticket = ++latest.current;
    if (text === "") return;
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, searching: true, error: null }));
      call("search_messages", { query: text, conversation_id: conversationId, before: null, limit: PAGE }).then(
        (results) => {
          if (ticket === latest.current)
            setState({ hits: results.hits, next: results.next, searching: false, error: null, searched: text });
        },
        (err: unknown) => {
          if (ticket === latest.current)
            setState({ ...idle, error: toIpcError(err).message, searched: text });
        },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, conversationId]);

  function more() {
    const { next, searched } = state;
    if (!next) return;
    const ticket = latest.current;
    setState((s) => ({ ...s, searching: true }));
    call("search_messages", { query: searched, conversation_id: conversationId, before: next, limit: PAGE }).then(
      (results) => {
        if (ticket === latest.current)
          setState((s) => ({ ...s, hits: [...s.hits, ...results.hits], next: results.next, searching: false }));
      },
      (err: unknown) => {
        if (ticket === latest.current) setState((s) => ({ ...s, searching: false, error: toIpcError(err).message }));
      },
    );
  }

  // An emptied box shows nothing, whatever an earlier search found.
  return { ...(query.trim() === "" ? idle : state), more };
}
