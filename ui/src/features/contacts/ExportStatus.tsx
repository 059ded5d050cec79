import { intlLocale, t } from "../../i18n";
import type { ContactExportState } from "./useContactExport";

/** How a contact export is going, then where the file is. */
export function ExportStatus({ state, id }: { state: ContactExportState; id: string }) {
  const count = new Intl.NumberFormat(intlLocale());
  if (state.kind === "running") {
    const share = state.total ? Math.min(1, state.rows / state.total) : undefined;
    return (
      <div id={`${id}-running`} className="contact-import-progress" role="status">
        <progress max={1} value={share} aria-label={t("contacts.exportProgressLabel")} /> {t("contacts.exportProgress", { rows: count.format(state.rows) })}
      </div>
    );
  }
  if (state.kind === "done") {
    return (
      <p id={`${id}-result`} className="admin-note" role="status">
        {t("contacts.exported", { count: state.summary.rows, shown: count.format(state.summary.rows) })} <bdi dir="ltr">{state.summary.path}</bdi>
      </p>
    );
  }
  if (state.kind === "failed") {
    return (
      <p id={`${id}-error`} className="load-error" role="alert" dir="auto">
        {state.message}
      </p>
    );
  }
  return null;
}
