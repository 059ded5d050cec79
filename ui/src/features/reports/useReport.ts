import { useCallback, useEffect, useState } from "react";
import type { Report } from "../../bindings/Report";
import type { ReportQuery } from "../../bindings/ReportQuery";
import { call, toIpcError } from "../../ipc";

export type ReportState = {
  report: Report | null;
  error: string | null;
  /** A report for the current query is on its way (the last one stays shown meanwhile). */
  loading: boolean;
  retry: () => void;
};

/** The report for `query` (none while the query cannot be asked for), fetched when it changes. */
export function useReport(query: ReportQuery | null): ReportState {
  const key = query === null ? null : JSON.stringify(query);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ report: Report | null; error: string | null; key: string | null; attempt: number }>({
    report: null,
    error: null,
    key: null,
    attempt: -1,
  });

  useEffect(() => {
    if (key === null) return;
    let current = true;
    call("report", JSON.parse(key) as ReportQuery).then(
      (report) => current && setState({ report, error: null, key, attempt }),
      // The last figures stay; the error says these are not the ones asked for.
      (err: unknown) => current && setState((s) => ({ ...s, error: toIpcError(err).message, key, attempt })),
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  const loading = key !== null && (state.key !== key || state.attempt !== attempt);
  return { report: state.report, error: loading ? null : state.error, loading, retry };
}
