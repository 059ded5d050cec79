import { useId, type ReactNode } from "react";
import { direction, useLocale } from "../../i18n";
import { barLayout, niceMax } from "./chartModel";

export type ChartPoint = { label: string; value: number };

type Props = {
  title: string;
  /** Read aloud for the whole chart, for example the total. */
  summary: string;
  points: ChartPoint[];
  format?: (value: number) => string;
  className?: string;
};

/** The drawing area of every chart, in SVG units (stretched to the frame). */
export const SIZE = { width: 480, height: 120 };

/**
 * A bar per point, drawn as SVG: each bar says its label and value in a <title>, and the
 * chart names itself; the figures also sit in the table under the charts.
 */
export function BarChart({ title, summary, points, format = String, className }: Props) {
  const id = useId();
  const rtl = direction(useLocale()) === "rtl";
  const max = niceMax(points.map((p) => p.value));
  const bars = barLayout(
    points.map((p) => p.value),
    max,
    SIZE,
    rtl,
  );
  return (
    <figure className={["kpi-chart", className].filter(Boolean).join(" ")}>
      <figcaption id={`${id}-title`} className="kpi-chart-title">
        {title}
      </figcaption>
      <ChartFrame id={id} summary={summary} axisMax={format(max)}>
          {bars.map((bar, index) => (
            <rect
              key={points[index]!.label + index}
              className="kpi-bar"
              data-value={points[index]!.value}
              x={bar.x}
              y={bar.y}
              width={bar.width}
              height={bar.height}
            >
              <title>{`${points[index]!.label}: ${format(points[index]!.value)}`}</title>
            </rect>
          ))}
      </ChartFrame>
      <AxisLabels points={points} />
    </figure>
  );
}

/** The first and last hour under a chart; the row mirrors with the page. */
export function AxisLabels({ points }: { points: { label: string }[] }) {
  if (points.length === 0) return null;
  return (
    <div className="kpi-axis" aria-hidden="true">
      <span>{points[0]!.label}</span>
      <span>{points[points.length - 1]!.label}</span>
    </div>
  );
}

/**
 * What every chart shares: the largest value beside it, an SVG of SIZE with the chart's
 * spoken summary and a baseline, and the marks given as children.
 */
export function ChartFrame({ id, summary, axisMax, children }: { id: string; summary: string; axisMax: string; children: ReactNode }) {
  return (
    <div className="kpi-chart-frame">
      <span className="kpi-axis-max" aria-hidden="true">
        {axisMax}
      </span>
      <svg
        className="kpi-svg"
        role="img"
        aria-labelledby={`${id}-title ${id}-summary`}
        viewBox={`0 0 ${SIZE.width} ${SIZE.height}`}
        preserveAspectRatio="none"
      >
        <title id={`${id}-summary`}>{summary}</title>
        <line className="kpi-baseline" x1={0} x2={SIZE.width} y1={SIZE.height} y2={SIZE.height} />
        {children}
      </svg>
    </div>
  );
}
