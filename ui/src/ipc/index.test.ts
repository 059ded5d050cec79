import { beforeEach, describe, expect, it, vi } from "vitest";

// The Tauri API is replaced wholesale: no Tauri host exists under jsdom.
const { invoke, listen } = vi.hoisted(() => ({ invoke: vi.fn(), listen: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));
vi.mock("@tauri-apps/api/event", () => ({ listen }));

const { call, onDesktopEvent } = await import("./index");

describe("ipc", () => {
  beforeEach(() => {
    invoke.mockReset();
    listen.mockReset();
  });

  it("passes the request as the single `request` argument", async () => {
    invoke.mockResolvedValue([]);
    await expect(call("list_messages", { conversation_id: 4 })).resolves.toEqual([]);
    expect(invoke).toHaveBeenCalledWith("list_messages", { request: { conversation_id: 4 } });
  });

  it("rethrows IpcErrors and wraps other rejections", async () => {
    invoke.mockRejectedValueOnce({ code: "invalid_credentials", message: "Wrong password" });
    await expect(call("sign_out", null)).rejects.toEqual({ code: "invalid_credentials", message: "Wrong password" });
    invoke.mockRejectedValueOnce("no such command");
    await expect(call("sign_out", null)).rejects.toEqual({ code: "internal", message: "no such command" });
  });

  it("unwraps event payloads", async () => {
    const unlisten = vi.fn();
    listen.mockResolvedValue(unlisten);
    const handler = vi.fn();
    await expect(onDesktopEvent(handler)).resolves.toBe(unlisten);
    expect(listen).toHaveBeenCalledWith("switchboard://event", expect.any(Function));
    const forward = listen.mock.calls[0]?.[1] as (e: { payload: unknown }) => void;
    forward({ payload: { type: "open_conversation", conversation_id: 3 } });
    expect(handler).toHaveBeenCalledWith({ type: "open_conversation", conversation_id: 3 });
  });
});
