import { useEffect, useState } from "react";
import type { DeskSettings } from "../../bindings/DeskSettings";
import type { DoNotDisturbRequest } from "../../bindings/DoNotDisturbRequest";
import { Button } from "../../components/Button";
import { formatTimestamp } from "../../components/formatTimestamp";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { tomorrowAtNine } from "../conversation/windowModel";
import { inAnHour, isQuiet } from "./quietHours";
import "./notifications.css";

type Props = {
  settings: DeskSettings | null;
  onChange: (settings: DeskSettings) => void;
};

/**
 * The header's do not disturb switch: off offers how long to be quiet (until turned off,
 * an hour, until tomorrow 9:00); on shows until when and turns it off with one click.
 */
export function DoNotDisturbToggle({ settings, onChange }: Props) {
  const [now, setNow] = useState(() => Date.now());
  // Re-read the clock so a chosen end turns the switch off by itself.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const [choosing, setChoosing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!settings) return null;
  const quiet = isQuiet(settings, now);

  function apply(request: DoNotDisturbRequest) {
    setBusy(true);
    setError(null);
    setChoosing(false);
    call("set_do_not_disturb", request).then(
      (next) => {
        onChange(next);
        setBusy(false);
      },
      (err: unknown) => {
        setError(toIpcError(err).message);
        setBusy(false);
      },
    );
  }

  const label = !quiet
    ? t("notifications.dnd")
    : settings.do_not_disturb_until === null
      ? t("notifications.dnd.on")
      : t("notifications.dnd.onUntil", { time: formatTimestamp(settings.do_not_disturb_until, now) });

  return (
    <span className="do-not-disturb">
      <Button
        id="do-not-disturb"
        variant="ghost"
        aria-pressed={quiet}
        aria-expanded={quiet ? undefined : choosing}
        data-active={quiet}
        disabled={busy}
        title={quiet ? t("notifications.dnd.turnOff") : undefined}
        onClick={() => (quiet ? apply({ on: false, until: null }) : setChoosing((c) => !c))}
      >
        {label}
      </Button>
      {choosing && !quiet && (
        <span className="do-not-disturb-menu" role="group" aria-label={t("notifications.dnd")}>
          <Button id="dnd-indefinite" onClick={() => apply({ on: true, until: null })}>
            {t("notifications.dnd.indefinite")}
          </Button>
          <Button id="dnd-hour" onClick={() => apply({ on: true, until: inAnHour(Date.now()) })}>
            {t("notifications.dnd.hour")}
          </Button>
          <Button id="dnd-tomorrow" onClick={() => apply({ on: true, until: tomorrowAtNine(Date.now()) })}>
            {t("notifications.dnd.tomorrow")}
          </Button>
        </span>
      )}
      {error && (
        <span id="dnd-error" className="do-not-disturb-error" role="alert">
          {t("notifications.dnd.failed", { message: error })}
        </span>
      )}
    </span>
  );
}
