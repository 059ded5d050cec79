import { useEffect, useState } from "react";
import type { SegmentCheck } from "../../bindings/SegmentCheck";
import { call, toIpcError } from "../../ipc";
import { COUNT_DELAY_MS } from "./segmentModel";

export type SegmentCheckState =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "checked"; expression: string; check: SegmentCheck }
  | { kind: "failed"; message: string };

/**
 * The live count of `expression`, asked for once typing pauses. Only the answer for what is
 * in the box now is shown: an answer for an older text is dropped.
 */
export function useSegmentCheck(expression: string): SegmentCheckState {
  const [answer, setAnswer] = useState<{ for: string; state: SegmentCheckState } | null>(null);
  const text = expression.trim();
  useEffect(() => {
    if (!text) return;
    let live = true;
    const timer = setTimeout(() => {
      call("check_segment", { expression: text }).then(
        (check) => live && setAnswer({ for: text, state: { kind: "checked", expression: text, check } }),
        (err: unknown) => live && setAnswer({ for: text, state: { kind: "failed", message: toIpcError(err).message } }),
      );
    }, COUNT_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text]);
  if (!text) return { kind: "idle" };
  return answer?.for === text ? answer.state : { kind: "checking" };
}
