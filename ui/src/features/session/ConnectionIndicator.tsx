import type { ConnectionState } from "../../bindings/ConnectionState";
import { t } from "../../i18n";

const labels = {
  online: "session.connection.online",
  connecting: "session.connection.connecting",
  offline: "session.connection.offline",
} as const;

export function ConnectionIndicator({ state, detail }: { state: ConnectionState; detail: string | null }) {
  return (
    <span
      id="connection-state"
      className="connection-state"
      data-state={state}
      role="status"
      title={detail ?? undefined}
    >
      <span className="connection-dot" aria-hidden="true" />
      {t(labels[state])}
    </span>
  );
}
