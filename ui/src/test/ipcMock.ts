// Test double for src/ipc. Usage in a test file:
//   vi.mock("../../ipc", () => import("../../test/ipcMock"));
// The real error helpers are re-exported; only the Tauri-facing functions are fakes.
import { vi } from "vitest";
import type { CommandMap } from "../bindings/CommandMap";
import type { DesktopEvent } from "../bindings/DesktopEvent";

export { isIpcError, toIpcError } from "../ipc/errors";
export const DESKTOP_EVENT = "switchboard://event";

type Handler<K extends keyof CommandMap> = (
  request: CommandMap[K]["request"],
) => CommandMap[K]["response"] | Promise<CommandMap[K]["response"]>;
type Handlers = { [K in keyof CommandMap]?: Handler<K> };

let handlers: Handlers = {};
const listeners = new Set<(e: DesktopEvent) => void>();

export const call = vi.fn(async <K extends keyof CommandMap>(command: K, request: CommandMap[K]["request"]) => {
  const handler: Handler<K> | undefined = handlers[command];
  if (!handler) throw { code: "internal", message: `no mock for ${command}` };
  return handler(request);
});

export const onDesktopEvent = vi.fn((handler: (e: DesktopEvent) => void) => {
  listeners.add(handler);
  return Promise.resolve(() => {
    listeners.delete(handler);
  });
});

/** Replaces all command handlers; unlisted commands reject like an unknown command. */
export function mockCommands(next: Handlers): void {
  handlers = next;
}

/** Delivers an event to every onDesktopEvent subscriber, like the Rust core would. */
export function emitDesktopEvent(e: DesktopEvent): void {
  for (const listener of [...listeners]) listener(e);
}

/** Calls of one command, typed by its request. */
export function callsOf<K extends keyof CommandMap>(command: K): CommandMap[K]["request"][] {
  return call.mock.calls.filter(([c]) => c === command).map(([, r]) => r as CommandMap[K]["request"]);
}
