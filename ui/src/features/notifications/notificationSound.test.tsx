import { act, render } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeskSettings } from "../../bindings/DeskSettings";
import type { DesktopEvent } from "../../bindings/DesktopEvent";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { NOTIFICATION_SOUND_URL, shouldPlaySound } from "./quietHours";
import { useNotificationSound } from "./useNotificationSound";

const BASE: DeskSettings = {
  retention_days: null,
  clear_on_sign_out: true,
  notification_sound: true,
  do_not_disturb: false,
  do_not_disturb_until: null,
};

const NOTIFIED: DesktopEvent = { type: "notified", conversation_id: 4, sound: true };

const play = vi.fn(() => Promise.resolve());
const AudioMock = vi.fn(function (this: { play: typeof play; volume: number }, url: string) {
  expect(url).toBe(NOTIFICATION_SOUND_URL);
  this.play = play;
  this.volume = 1;
});

function Sounding({ settings }: { settings: DeskSettings | null }) {
  useNotificationSound(settings);
  return null;
}

function mount(settings: DeskSettings | null) {
  const hub = new DesktopEventHub();
  render(
    <DesktopEventsProvider hub={hub}>
      <Sounding settings={settings} />
    </DesktopEventsProvider>,
  );
  return hub;
}

describe("notification sound", () => {
  beforeEach(() => {
    vi.stubGlobal("Audio", AudioMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("plays the chime when the core raises a notification with sound", () => {
    const hub = mount(BASE);
    act(() => hub.emit(NOTIFIED));
    expect(AudioMock).toHaveBeenCalledWith(NOTIFICATION_SOUND_URL);
    expect(play).toHaveBeenCalledTimes(1);
  });

  it("stays silent when the core, the sound setting or do not disturb says so", () => {
    const silentEvent = mount(BASE);
    act(() => silentEvent.emit({ ...NOTIFIED, sound: false }));
    act(() => silentEvent.emit({ type: "alert", conversation_id: 4, text: "late" }));
    const soundOff = mount({ ...BASE, notification_sound: false });
    act(() => soundOff.emit(NOTIFIED));
    const quiet = mount({ ...BASE, do_not_disturb: true, do_not_disturb_until: Date.now() + 60_000 });
    act(() => quiet.emit(NOTIFIED));
    expect(play).not.toHaveBeenCalled();
    expect(AudioMock).not.toHaveBeenCalled();
  });

  it("plays again once do not disturb has ended", () => {
    expect(shouldPlaySound(NOTIFIED, { ...BASE, do_not_disturb: true, do_not_disturb_until: 100 }, 99)).toBe(false);
    expect(shouldPlaySound(NOTIFIED, { ...BASE, do_not_disturb: true, do_not_disturb_until: 100 }, 100)).toBe(true);
    expect(shouldPlaySound(NOTIFIED, null, 0)).toBe(true);
  });

  it("does not fail where the webview cannot play audio", () => {
    play.mockImplementationOnce(() => Promise.reject(new Error("NotAllowedError")));
    const hub = mount(BASE);
    expect(() => act(() => hub.emit(NOTIFIED))).not.toThrow();
    vi.stubGlobal(
      "Audio",
      vi.fn(function () {
        throw new Error("no audio");
      }),
    );
    expect(() => act(() => hub.emit(NOTIFIED))).not.toThrow();
  });
});
