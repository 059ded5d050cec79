import { t } from "../../i18n";

/**
 * A duration in seconds as short words: "45 s", "1 min 20 s", "2 h 5 min".
 * Seconds are dropped from hours, where they are noise. null (nothing to
 * measure yet) is a dash.
 */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return t("duration.none");
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return t("duration.seconds", { s: total });
  if (total < 3600) {
    const m = Math.floor(total / 60);
    const s = total % 60;
    return s === 0 ? t("duration.minutes", { m }) : t("duration.minutesSeconds", { m, s });
  }
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return m === 0 ? t("duration.hours", { h }) : t("duration.hoursMinutes", { h, m });
}
