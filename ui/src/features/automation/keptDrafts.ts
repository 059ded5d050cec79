import { useEffect } from "react";

/**
 * Unsaved edits in the automation editors. They outlive the panel, so switching to another
 * editor or view and back brings them back instead of losing them, and they are forgotten when
 * the session ends, so whoever signs in next on this desk never sees them.
 */
const drafts = new Map<string, unknown>();

/** The draft kept under `key`, if any. */
export function keptDraft<T>(key: string): T | null {
  return (drafts.get(key) as T | undefined) ?? null;
}

/** Keeps `draft` under `key`; `null` or `undefined` forgets it. */
export function keepDraft<T>(key: string, draft: T | null | undefined): void {
  if (draft === null || draft === undefined) drafts.delete(key);
  else drafts.set(key, draft);
}

/** Forgets every kept draft: on signing out, and before each test. */
export function forgetKeptDrafts(): void {
  drafts.clear();
}

/** While `dirty`, closing or reloading the window asks first. */
export function useUnsavedWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}
