/** An expression cut around the character a problem points at (1-based column, in characters). */
export type Marked = { before: string; at: string; after: string };

/**
 * Splits `expression` at `column` so the editor can mark the character the server names. The
 * column counts characters, not UTF-16 units, so a Thai or Arabic tag before it does not shift
 * the mark; a column past the end marks the end (an expression cut short).
 */
export function markColumn(expression: string, column: number): Marked {
  const chars = Array.from(expression);
  const index = Math.max(0, Math.min(chars.length, Math.floor(column) - 1));
  return { before: chars.slice(0, index).join(""), at: chars[index] ?? "", after: chars.slice(index + 1).join("") };
}

/** The UTF-16 offset of a 1-based character column, to put the caret there. */
export function offsetOfColumn(expression: string, column: number): number {
  return markColumn(expression, column).before.length;
}

/** How long the editor waits after the last key before asking for a count. */
export const COUNT_DELAY_MS = 400;
