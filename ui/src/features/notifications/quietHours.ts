import type { DeskSettings } from "../../bindings/DeskSettings";
import type { DesktopEvent } from "../../bindings/DesktopEvent";

const HOUR = 60 * 60 * 1000;

/** Whether do not disturb holds at `now`: on, and open-ended or not over yet. */
export function isQuiet(settings: DeskSettings | null, now: number): boolean {
  if (!settings?.do_not_disturb) return false;
  return settings.do_not_disturb_until === null || now < settings.do_not_disturb_until;
}

/** One hour from `now`. */
export function inAnHour(now: number): number {
  return now + HOUR;
}

/** Where the notification sound lives (ui/public, made by scripts/make-chime.mjs). */
export const NOTIFICATION_SOUND_URL = "/sounds/notification.wav";

/**
 * Whether an event should play the notification sound: the core says so (sound on, not
 * quiet) and the settings this window knows agree, so a change made a moment ago in
 * another place is not overridden by an event already on its way.
 */
export function shouldPlaySound(event: DesktopEvent, settings: DeskSettings | null, now: number): boolean {
  if (event.type !== "notified" || !event.sound) return false;
  if (settings && !settings.notification_sound) return false;
  return !isQuiet(settings, now);
}

/** Plays the chime once; a webview without audio output stays silent instead of failing. */
export function playNotificationSound(): void {
  try {
    const audio = new Audio(NOTIFICATION_SOUND_URL);
    audio.volume = 0.6;
    audio.play().catch(() => {});
  } catch {
    // No audio support at all (some headless webviews): nothing to play.
  }
}
