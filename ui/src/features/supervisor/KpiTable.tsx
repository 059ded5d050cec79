import type { KpiBucket } from "../../bindings/KpiBucket";
import { t } from "../../i18n";
import { formatDuration } from "./formatDuration";

type Props = { buckets: KpiBucket[]; label: (bucket: KpiBucket) => string };

/** Every hour's figures as a table: what the charts draw, for screen readers and exact reading. */
export function KpiTable({ buckets, label }: Props) {
  return (
    <details className="kpi-table-details">
      <summary>{t("kpi.showTable")}</summary>
      <table id="kpi-table" className="board-table">
        <caption className="visually-hidden">{t("kpi.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("kpi.hour")}</th>
            <th scope="col" className="numeric">
              {t("kpi.inbound")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.opened")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.resolved")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.median")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.p90")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.breaches")}
            </th>
            <th scope="col" className="numeric">
              {t("kpi.reopened")}
            </th>
          </tr>
        </thead>
        <tbody>
          {buckets.map((bucket) => (
            <tr key={bucket.start} className="kpi-row" data-start={bucket.start}>
              <th scope="row">{label(bucket)}</th>
              <td className="numeric">{bucket.inbound}</td>
              <td className="numeric">{bucket.opened}</td>
              <td className="numeric">{bucket.resolved}</td>
              <td className="numeric">{formatDuration(bucket.first_response_median_seconds)}</td>
              <td className="numeric">{formatDuration(bucket.first_response_p90_seconds)}</td>
              <td className="numeric">{bucket.sla_breaches}</td>
              <td className="numeric">{bucket.reopened}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
