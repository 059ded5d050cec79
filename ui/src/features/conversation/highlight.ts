import type { FilterMatch } from "../../bindings/FilterMatch";

export type Segment =
  | { kind: "plain"; text: string }
  /** `matches` are every rule that covers this stretch (several if they overlap). */
  | { kind: "hit"; text: string; matches: FilterMatch[] };

/**
 * Splits `text` into plain and hit segments. Match offsets are UTF-16 code-unit
 * offsets (what the core reports and what String.prototype.slice uses), end
 * exclusive. Overlapping matches merge into one hit so marks never nest;
 * adjacent ones stay separate so each keeps its own tooltip. Offsets outside
 * the text (e.g. a report for a slightly older draft) are clamped.
 */
export function highlightSegments(text: string, matches: readonly FilterMatch[]): Segment[] {
  const ranges = matches
    .map((m) => ({ m, start: clamp(m.start, text.length), end: clamp(m.end, text.length) }))
    .filter((r) => r.start < r.end)
    .sort((a, b) => a.start - b.start || a.end - b.end);

  const segments: Segment[] = [];
  let cursor = 0;
  let hit: { start: number; end: number; matches: FilterMatch[] } | null = null;

  const flushHit = () => {
    if (!hit) return;
    segments.push({ kind: "hit", text: text.slice(hit.start, hit.end), matches: hit.matches });
    cursor = hit.end;
    hit = null;
  };

  for (const r of ranges) {
    if (hit && r.start < hit.end) {
      hit.end = Math.max(hit.end, r.end);
      hit.matches.push(r.m);
      continue;
    }
    flushHit();
    if (r.start > cursor) segments.push({ kind: "plain", text: text.slice(cursor, r.start) });
    hit = { start: r.start, end: r.end, matches: [r.m] };
  }
  flushHit();
  if (cursor < text.length) segments.push({ kind: "plain", text: text.slice(cursor) });
  return segments;
}

function clamp(offset: number, length: number): number {
  return Math.min(Math.max(0, Math.trunc(offset)), length);
}
