import { useCallback, useEffect, useRef, useState } from "react";
import type { KpiReport } from "../../bindings/KpiReport";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";

/** How often the figures are fetched again while the view is open. */
export const KPI_REFRESH_MS = 30_000;
/** A board change fetches them sooner, but not more often than this. */
const EVENT_REFRESH_MS = 5_000;

export type KpiState = { report: KpiReport | null; error: string | null; loading: boolean };
type Fetched = { report: KpiReport | null; error: string | null; hours: number | null };

/** Key figures over the last `hours`: fetched on open, every 30 s, and soon after board changes. */
export function useKpis(hours: number): KpiState {
  const [state, setState] = useState<Fetched>({ report: null, error: null, hours: null });
  const lastFetch = useRef(0);
  const mounted = useRef(true);

  const load = useCallback(() => {
    lastFetch.current = Date.now();
    call("kpis", { hours }).then(
      (report) => mounted.current && setState({ report, error: null, hours }),
      (err: unknown) =>
        // The last figures stay visible; the error says they are not current.
        mounted.current && setState((s) => ({ ...s, error: toIpcError(err).message, hours })),
    );
  }, [hours]);

  useEffect(() => {
    mounted.current = true;
    const first = window.setTimeout(load, 0);
    const timer = window.setInterval(load, KPI_REFRESH_MS);
    return () => {
      mounted.current = false;
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, [load]);

  useDesktopEvent((e) => {
    if (e.type === "board_changed" && Date.now() - lastFetch.current >= EVENT_REFRESH_MS) load();
  });

  // Until figures for the chosen stretch arrive, the view says it is loading.
  return { report: state.report, error: state.error, loading: state.hours !== hours };
}
