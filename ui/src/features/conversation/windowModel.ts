/** WhatsApp's customer service window: free-form replies for 24 hours after the customer wrote. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Milliseconds left in the window, 0 when it has closed (or never opened). */
export function windowRemaining(lastInboundAt: number | null, now: number): number {
  if (lastInboundAt === null) return 0;
  return Math.max(0, lastInboundAt + SERVICE_WINDOW_MS - now);
}

/** Hours and minutes left, rounding minutes up so "0 min" never shows while it is open. */
export function splitRemaining(ms: number): { hours: number; minutes: number } {
  const totalMinutes = Math.ceil(ms / 60_000);
  return { hours: Math.floor(totalMinutes / 60), minutes: totalMinutes % 60 };
}

/** A template body with `{{1}}`, `{{2}}` … filled; empty parameters show as their placeholder. */
export function renderTemplate(body: string, parameters: readonly string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => {
    const value = parameters[Number(n) - 1];
    return value && value.trim() ? value : whole;
  });
}

/** The time of the next 9:00 after `now` (tomorrow at 9:00 local time). */
export function tomorrowAtNine(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d.getTime();
}
