import { useEffect, useState } from "react";
import type { DeskSettings } from "../../bindings/DeskSettings";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";

/**
 * The desk's settings, loaded once and kept current when they change elsewhere (do not
 * disturb from the header or the tray); `save` applies a change at once.
 */
export function useDeskSettings() {
  const [settings, setSettings] = useState<DeskSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    call("desk_settings", null).then(
      (s) => live && setSettings(s),
      (err: unknown) => live && setError(toIpcError(err).message),
    );
    return () => {
      live = false;
    };
  }, []);

  useDesktopEvent((e) => {
    if (e.type === "desk_settings_changed") setSettings(e.settings);
  });

  function save(next: DeskSettings) {
    const previous = settings;
    setSettings(next);
    setSaved(false);
    setError(null);
    call("save_desk_settings", next).then(
      (s) => {
        setSettings(s);
        setSaved(true);
      },
      (err: unknown) => {
        setSettings(previous);
        setError(toIpcError(err).message);
      },
    );
  }

  return { settings, error, saved, save, replace: setSettings };
}
