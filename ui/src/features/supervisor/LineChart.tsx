import { useId } from "react";
import { direction, useLocale } from "../../i18n";
import { AxisLabels, ChartFrame, SIZE } from "./BarChart";
import { lineSegments, niceMax } from "./chartModel";

export type Series = { name: string; className: string; values: (number | null)[] };

type Props = {
  title: string;
  summary: string;
  labels: string[];
  series: Series[];
  format: (value: number) => string;
};

/** Lines over the hours (broken where an hour has nothing to measure), with a legend. */
export function LineChart({ title, summary, labels, series, format }: Props) {
  const id = useId();
  const rtl = direction(useLocale()) === "rtl";
  const max = niceMax(series.flatMap((s) => s.values));
  return (
    <figure className="kpi-chart">
      <figcaption id={`${id}-title`} className="kpi-chart-title">
        {title}
      </figcaption>
      <ul className="kpi-legend">
        {series.map((s) => (
          <li key={s.name} className={s.className}>
            <span className="kpi-swatch" aria-hidden="true" />
            {s.name}
          </li>
        ))}
      </ul>
      <ChartFrame id={id} summary={summary} axisMax={format(max)}>
          {series.map((s) =>
            lineSegments(s.values, max, SIZE, rtl).map((points, index) =>
              points.length === 1 ? (
                <circle key={`${s.name}-${index}`} className={`kpi-dot ${s.className}`} cx={points[0]!.x} cy={points[0]!.y} r={3} />
              ) : (
                <polyline
                  key={`${s.name}-${index}`}
                  className={`kpi-line ${s.className}`}
                  points={points.map((p) => `${p.x},${p.y}`).join(" ")}
                />
              ),
            ),
          )}
      </ChartFrame>
      <AxisLabels points={labels.map((label) => ({ label }))} />
    </figure>
  );
}
