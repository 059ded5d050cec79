import type { SessionInfo } from "../../bindings/SessionInfo";
import { Button } from "../../components/Button";
import { t, type StringKey } from "../../i18n";
import { SignOutEverywhere } from "./SignOutEverywhere";
import { useDeskSettings } from "./useDeskSettings";
import "./settings.css";

const RETENTION: { days: number | null; label: StringKey }[] = [
  { days: 30, label: "settings.retention.30" },
  { days: 90, label: "settings.retention.90" },
  { days: 365, label: "settings.retention.365" },
  { days: null, label: "settings.retention.forever" },
];

type Props = { onClose: () => void; onSignedOut: (session: SessionInfo) => void };

/**
 * This desk's settings: how long messages stay, whether sign-out wipes them, and whether
 * notifications play a sound; and signing out on every computer.
 */
export function SettingsPanel({ onClose, onSignedOut }: Props) {
  const { settings, error, saved, save } = useDeskSettings();
  const known = RETENTION.some((r) => r.days === (settings?.retention_days ?? null));
  return (
    <section id="settings" className="settings-panel" aria-labelledby="settings-title">
      <h2 id="settings-title">{t("settings.title")}</h2>
      {settings && (
        <>
          <label className="settings-row">
            <span>{t("settings.retention")}</span>
            <select
              id="retention"
              value={settings.retention_days === null ? "forever" : String(settings.retention_days)}
              onChange={(e) =>
                save({ ...settings, retention_days: e.target.value === "forever" ? null : Number(e.target.value) })
              }
            >
              {!known && settings.retention_days !== null && (
                <option value={String(settings.retention_days)}>{settings.retention_days}</option>
              )}
              {RETENTION.map((r) => (
                <option key={r.label} value={r.days === null ? "forever" : String(r.days)}>
                  {t(r.label)}
                </option>
              ))}
            </select>
          </label>
          <label className="settings-row settings-check">
            <input
              id="clear-on-sign-out"
              type="checkbox"
              checked={settings.clear_on_sign_out}
              onChange={(e) => save({ ...settings, clear_on_sign_out: e.target.checked })}
            />
            <span>{t("settings.clearOnSignOut")}</span>
          </label>
          <label className="settings-row settings-check">
            <input
              id="notification-sound"
              type="checkbox"
              checked={settings.notification_sound}
              onChange={(e) => save({ ...settings, notification_sound: e.target.checked })}
            />
            <span>{t("settings.notificationSound")}</span>
          </label>
        </>
      )}
      {saved && (
        <p className="settings-saved" role="status">
          {t("settings.saved")}
        </p>
      )}
      {error && (
        <p className="settings-error" role="alert">
          {t("settings.failed", { message: error })}
        </p>
      )}
      <SignOutEverywhere onSignedOut={onSignedOut} />
      <Button id="close-settings" variant="ghost" onClick={onClose}>
        {t("settings.close")}
      </Button>
    </section>
  );
}
