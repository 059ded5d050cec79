import { useEffect, useState } from "react";
import type { ConversationReview } from "../../bindings/ConversationReview";
import type { ReviewSearchResults } from "../../bindings/ReviewSearchResults";
import { call, toIpcError } from "../../ipc";

/** How long typing may pause before the search runs. */
const SEARCH_DELAY_MS = 250;

export type SearchState = { results: ReviewSearchResults | null; error: string | null };

/** Conversations matching `query`, searched a moment after typing stops. */
export function useReviewSearch(query: string): SearchState {
  const [state, setState] = useState<SearchState>({ results: null, error: null });
  useEffect(() => {
    let current = true;
    const timer = window.setTimeout(() => {
      call("review_conversations", { query }).then(
        (results) => current && setState({ results, error: null }),
        (err: unknown) => current && setState((s) => ({ ...s, error: toIpcError(err).message })),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [query]);
  return state;
}

export type ReviewState = { review: ConversationReview | null; error: string | null };

/** One conversation to read (its view is keyed by the id, so another one starts afresh). */
export function useConversationReview(conversationId: number): ReviewState {
  const [state, setState] = useState<ReviewState>({ review: null, error: null });
  useEffect(() => {
    let current = true;
    call("review_conversation", { conversation_id: conversationId }).then(
      (review) => current && setState({ review, error: null }),
      (err: unknown) => current && setState({ review: null, error: toIpcError(err).message }),
    );
    return () => {
      current = false;
    };
  }, [conversationId]);
  return state;
}
