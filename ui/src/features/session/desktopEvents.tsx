import { createContext, useContext, useEffect, useEffectEvent, type ReactNode } from "react";
import type { DesktopEvent } from "../../bindings/DesktopEvent";

type Listener = (e: DesktopEvent) => void;

/**
 * Fans the single Tauri subscription (made once in App) out to components.
 * Listening once, early, matters: a per-component `listen` only becomes active
 * after an IPC round trip, and events in that gap would be lost.
 */
export class DesktopEventHub {
  private readonly listeners = new Set<Listener>();

  emit(e: DesktopEvent): void {
    for (const listener of [...this.listeners]) listener(e);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const HubContext = createContext<DesktopEventHub | null>(null);

export function DesktopEventsProvider({ hub, children }: { hub: DesktopEventHub; children: ReactNode }) {
  return <HubContext.Provider value={hub}>{children}</HubContext.Provider>;
}

/** Calls `handler` (always its latest version) for every desktop event. */
export function useDesktopEvent(handler: Listener): void {
  const hub = useContext(HubContext);
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    if (!hub) throw new Error("useDesktopEvent needs a DesktopEventsProvider");
    return hub.subscribe((e) => onEvent(e));
  }, [hub]);
}
