// The only module allowed to touch @tauri-apps/api: everything else goes
// through these typed wrappers so the UI can be tested without a Tauri host.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { CommandMap } from "../bindings/CommandMap";
import type { DesktopEvent } from "../bindings/DesktopEvent";
import { toIpcError } from "./errors";

export { isIpcError, toIpcError } from "./errors";

/** Event channel the Rust core emits every DesktopEvent on. */
export const DESKTOP_EVENT = "switchboard://event";

export async function call<K extends keyof CommandMap>(
  command: K,
  request: CommandMap[K]["request"],
): Promise<CommandMap[K]["response"]> {
  try {
    return await invoke<CommandMap[K]["response"]>(command, { request });
  } catch (err) {
    // Rejecting with a plain object (not an Error) is deliberate: the value is
    // the contract's IpcError, and callers switch on its `code`.
    throw toIpcError(err);
  }
}

export function onDesktopEvent(handler: (e: DesktopEvent) => void): Promise<() => void> {
  return listen<DesktopEvent>(DESKTOP_EVENT, (e) => handler(e.payload));
}
