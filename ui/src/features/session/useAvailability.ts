import { useState } from "react";
import type { SessionInfo } from "../../bindings/SessionInfo";
import { call, toIpcError } from "../../ipc";

export type Availability = {
  pending: boolean;
  error: string | null;
  setAway: (away: boolean) => void;
  dismissError: () => void;
};

/** An agent's Available/Away switch. The answer is the new session, which carries the status. */
export function useAvailability(onSessionChange: (session: SessionInfo) => void): Availability {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function setAway(away: boolean) {
    setPending(true);
    setError(null);
    call("set_away", { away }).then(
      (session) => {
        setPending(false);
        onSessionChange(session);
      },
      (err: unknown) => {
        setPending(false);
        setError(toIpcError(err).message);
      },
    );
  }

  return { pending, error, setAway, dismissError: () => setError(null) };
}
