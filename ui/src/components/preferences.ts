// Small choices the desk remembers across restarts (language, theme, inbox filters), kept in
// the webview's localStorage. Storage can be disabled or full; the app then simply forgets.

export function readPreference(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writePreference(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Not remembered across restarts, which is all that is lost.
  }
}
