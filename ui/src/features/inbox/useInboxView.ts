import { useState } from "react";
import { loadView, saveView, type InboxView } from "./inboxView";

/** The inbox's filters and order, remembered per user across restarts. */
export function useInboxView(userId: number | null): [InboxView, (view: InboxView) => void] {
  const [view, setView] = useState(() => loadView(userId));
  return [
    view,
    (next: InboxView) => {
      saveView(userId, next);
      setView(next);
    },
  ];
}
