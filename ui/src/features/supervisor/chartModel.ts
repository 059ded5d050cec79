/** Geometry of the supervisor's small charts: pure, so scaling and mirroring are testable. */

export type Size = { width: number; height: number };

/** The smallest 1, 2 or 5 × 10ⁿ at or above the largest value (at least 1), for the axis top. */
export function niceMax(values: readonly (number | null)[]): number {
  const largest = Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (largest <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= largest) return step * power;
  }
  return 10 * power;
}

export type Bar = { x: number; y: number; width: number; height: number };

/**
 * One bar per value, oldest first along the reading direction: left to right, or right to
 * left when `rtl` (Arabic reads time from the right). Heights scale against `max`.
 */
export function barLayout(values: readonly number[], max: number, size: Size, rtl: boolean): Bar[] {
  const slot = values.length === 0 ? 0 : size.width / values.length;
  const gap = Math.min(2, slot * 0.2);
  return values.map((value, index) => {
    const height = max <= 0 ? 0 : (Math.max(0, value) / max) * size.height;
    const start = index * slot + gap / 2;
    const width = Math.max(0, slot - gap);
    return { x: rtl ? size.width - start - width : start, y: size.height - height, width, height };
  });
}

export type Point = { x: number; y: number };

/**
 * A line through the values at the middle of each slot, broken where a value is missing (an
 * hour with nothing to measure), mirrored like the bars when `rtl`.
 */
export function lineSegments(values: readonly (number | null)[], max: number, size: Size, rtl: boolean): Point[][] {
  const slot = values.length === 0 ? 0 : size.width / values.length;
  const segments: Point[][] = [];
  let current: Point[] = [];
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      if (current.length) segments.push(current);
      current = [];
      return;
    }
    const middle = index * slot + slot / 2;
    current.push({
      x: rtl ? size.width - middle : middle,
      y: size.height - (max <= 0 ? 0 : (Math.max(0, value) / max) * size.height),
    });
  });
  if (current.length) segments.push(current);
  return segments;
}
