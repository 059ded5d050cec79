import { t } from "../../i18n";
import { splitRemaining } from "./windowModel";

/** How long the agent may still write freely; after that only a template reaches the customer. */
export function WindowCountdown({ remaining }: { remaining: number }) {
  if (remaining <= 0) {
    return (
      <span id="window-countdown" className="window-countdown window-closed" data-open="false">
        {t("window.closed")}
      </span>
    );
  }
  const { hours, minutes } = splitRemaining(remaining);
  return (
    <span id="window-countdown" className={`window-countdown${hours < 1 ? " window-closing" : ""}`} data-open="true">
      {hours > 0 ? t("window.closesIn", { hours, minutes }) : t("window.closesInMinutes", { minutes })}
    </span>
  );
}
