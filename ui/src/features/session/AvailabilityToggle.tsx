import { t } from "../../i18n";

type Props = {
  away: boolean;
  pending: boolean;
  onChange: (away: boolean) => void;
};

/**
 * Two pressed-or-not buttons rather than one that flips: each says what it
 * means, and the pressed one is the agent's current status.
 */
export function AvailabilityToggle({ away, pending, onChange }: Props) {
  return (
    <div
      id="availability"
      className="availability"
      role="group"
      aria-label={t("session.availability.label")}
      aria-busy={pending || undefined}
      data-away={away ? "true" : "false"}
    >
      <button
        type="button"
        className="availability-option"
        data-status="available"
        aria-pressed={!away}
        disabled={pending}
        title={t("session.availability.availableHint")}
        onClick={() => away && onChange(false)}
      >
        <span className="presence-dot" aria-hidden="true" />
        {t("session.availability.available")}
      </button>
      <button
        type="button"
        className="availability-option"
        data-status="away"
        aria-pressed={away}
        disabled={pending}
        title={t("session.availability.awayHint")}
        onClick={() => !away && onChange(true)}
      >
        <span className="presence-dot" aria-hidden="true" />
        {t("session.availability.away")}
      </button>
    </div>
  );
}
