import type { IpcError } from "../bindings/IpcError";

// Kept free of @tauri-apps/api so that tests can use the real implementation
// while mocking the Tauri-facing functions in ./index.ts.

/**
 * Any `{code: string, message: string}` counts. The code is deliberately not
 * checked against IpcErrorCode: if the Rust side adds a code before the
 * bindings are regenerated, its message should still reach the agent instead
 * of being wrapped as "[object Object]".
 */
export function isIpcError(e: unknown): e is IpcError {
  if (typeof e !== "object" || e === null) return false;
  const { code, message } = e as Record<string, unknown>;
  return typeof code === "string" && typeof message === "string";
}

/** Normalises whatever `invoke` rejected with into the contract's error shape. */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return { code: e.code, message: e.message };
  return { code: "internal", message: String(e) };
}
