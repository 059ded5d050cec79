import type { ReportGrouping } from "../../bindings/ReportGrouping";
import { t, type StringKey } from "../../i18n";
import { GROUPINGS } from "./reportModel";
import { PERIOD_PRESETS, type Days, type PeriodPreset } from "./periodModel";

const PRESET_LABELS: Record<PeriodPreset, StringKey> = {
  today: "reports.period.today",
  last_7_days: "reports.period.last7Days",
  last_30_days: "reports.period.last30Days",
  this_month: "reports.period.thisMonth",
  custom: "reports.period.custom",
};

export type Choice = { value: string; label: string };

/** What the reader chose: the period, the rows, and which conversations count. */
export type ReportForm = {
  preset: PeriodPreset;
  custom: Days;
  groupBy: ReportGrouping;
  /** A `phone_number_id`, a team id or a user id as the selects give them; "" for all. */
  number: string;
  team: string;
  agent: string;
};

type Props = {
  form: ReportForm;
  /** The days the period covers now (a preset's, or the custom ones). */
  days: Days;
  numbers: Choice[];
  teams: Choice[];
  agents: Choice[];
  onChange: (patch: Partial<ReportForm>) => void;
};

function Select({ id, label, value, options, all, onChange }: { id: string; label: string; value: string; options: Choice[]; all: string; onChange: (value: string) => void }) {
  return (
    <div className="report-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The report's period (presets or custom days), what its rows are, and its filters. */
export function ReportControls({ form, days, numbers, teams, agents, onChange }: Props) {
  const custom = form.preset === "custom";
  return (
    <form className="report-controls" aria-label={t("reports.controls")} onSubmit={(e) => e.preventDefault()}>
      <div className="report-field">
        <label htmlFor="report-period">{t("reports.period")}</label>
        <select
          id="report-period"
          value={form.preset}
          onChange={(e) => {
            const preset = e.target.value as PeriodPreset;
            // Custom starts from the days shown, so adjusting a preset is one change away.
            onChange(preset === "custom" ? { preset, custom: days } : { preset });
          }}
        >
          {PERIOD_PRESETS.map((p) => (
            <option key={p} value={p}>
              {t(PRESET_LABELS[p])}
            </option>
          ))}
        </select>
      </div>
      <div className="report-field">
        <label htmlFor="report-from">{t("reports.from")}</label>
        <input
          id="report-from"
          type="date"
          value={days.fromDay}
          disabled={!custom}
          onChange={(e) => onChange({ custom: { ...form.custom, fromDay: e.target.value } })}
        />
      </div>
      <div className="report-field">
        <label htmlFor="report-to">{t("reports.to")}</label>
        <input
          id="report-to"
          type="date"
          value={days.toDay}
          disabled={!custom}
          onChange={(e) => onChange({ custom: { ...form.custom, toDay: e.target.value } })}
        />
      </div>
      <div className="report-field">
        <label htmlFor="report-group-by">{t("reports.groupBy")}</label>
        <select id="report-group-by" value={form.groupBy} onChange={(e) => onChange({ groupBy: e.target.value as ReportGrouping })}>
          {GROUPINGS.map((g) => (
            <option key={g.id} value={g.id}>
              {t(g.label)}
            </option>
          ))}
        </select>
      </div>
      <Select id="report-number" label={t("reports.filter.number")} value={form.number} options={numbers} all={t("reports.filter.allNumbers")} onChange={(number) => onChange({ number })} />
      <Select id="report-team" label={t("reports.filter.team")} value={form.team} options={teams} all={t("reports.filter.allTeams")} onChange={(team) => onChange({ team })} />
      <Select id="report-agent" label={t("reports.filter.agent")} value={form.agent} options={agents} all={t("reports.filter.allAgents")} onChange={(agent) => onChange({ agent })} />
    </form>
  );
}
