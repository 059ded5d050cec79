import type { DeskSettings } from "../../bindings/DeskSettings";
import { useDesktopEvent } from "../session/desktopEvents";
import { playNotificationSound, shouldPlaySound } from "./quietHours";

/** Plays the notification sound for each notification the core raises, when allowed. */
export function useNotificationSound(settings: DeskSettings | null): void {
  useDesktopEvent((e) => {
    if (shouldPlaySound(e, settings, Date.now())) playNotificationSound();
  });
}
