import { useRef, useState } from "react";
import { useDesktopEvent } from "../session/desktopEvents";

export type Alert = {
  key: number;
  conversationId: number;
  text: string;
  /** When this desk received it, unix milliseconds. */
  receivedAt: number;
};

/** Enough to see what happened recently without the list growing all day. */
const KEEP = 50;

export type Alerts = {
  alerts: Alert[];
  /** Alerts that arrived while the supervisor view was not showing. */
  unseen: number;
  markSeen: () => void;
};

/**
 * Recent alert events, newest first. Collected for the whole session (not only
 * while the supervisor view is open) so an alert raised while reading a
 * conversation is still listed afterwards.
 */
export function useAlerts(viewing: boolean): Alerts {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [unseen, setUnseen] = useState(0);
  const nextKey = useRef(0);

  useDesktopEvent((e) => {
    if (e.type !== "alert") return;
    const alert: Alert = {
      key: nextKey.current++,
      conversationId: e.conversation_id,
      text: e.text,
      receivedAt: Date.now(),
    };
    setAlerts((list) => [alert, ...list].slice(0, KEEP));
    if (!viewing) setUnseen((n) => n + 1);
  });

  return { alerts, unseen, markSeen: () => setUnseen(0) };
}
