import type { SearchSpan } from "../../bindings/SearchSpan";

export type SnippetPart = { text: string; hit: boolean };

/**
 * Splits a search snippet into plain and highlighted parts. Spans are UTF-16
 * code-unit offsets (what String.prototype.slice uses), end exclusive, as the
 * core computes them on the original text; out-of-range or overlapping spans
 * are clamped and merged so marks never nest, and words found next to each
 * other (only spaces between them) read as one highlighted run.
 */
export function snippetParts(snippet: string, spans: readonly SearchSpan[]): SnippetPart[] {
  const sorted = spans
    .map((s) => ({ start: Math.max(0, Math.min(s.start, snippet.length)), end: Math.max(0, Math.min(s.end, snippet.length)) }))
    .filter((s) => s.start < s.end)
    .sort((a, b) => a.start - b.start);
  const parts: SnippetPart[] = [];
  let cursor = 0;
  for (const span of sorted) {
    if (span.end <= cursor) continue;
    const last = parts[parts.length - 1];
    if (last?.hit && (span.start < cursor || /^\s*$/.test(snippet.slice(cursor, span.start)))) {
      last.text += snippet.slice(cursor, span.end);
    } else {
      if (span.start > cursor) parts.push({ text: snippet.slice(cursor, span.start), hit: false });
      parts.push({ text: snippet.slice(span.start, span.end), hit: true });
    }
    cursor = span.end;
  }
  if (cursor < snippet.length) parts.push({ text: snippet.slice(cursor), hit: false });
  return parts;
}
