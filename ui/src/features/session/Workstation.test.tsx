import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import { keepDraft, keptDraft } from "../automation/keptDrafts";
import { session } from "../../test/fixtures";
import { mockCommands, emitDesktopEvent } from "../../test/ipcMock";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

describe("session screens", () => {
  it("shows the login screen when signed out, prefilled with the last server", async () => {
    mockCommands({ session_status: () => session({ signed_in: false, user: null, connection: "offline" }) });
    render(<App />);
    const url = await screen.findByLabelText<HTMLInputElement>("Server URL");
    expect(url.id).toBe("server-url");
    expect(url.value).toBe("https://switchboard.example.com");
  });

  it("shows user, connection state, offline banner and the dismissible notice", async () => {
    mockCommands({
      session_status: () =>
        session({
          connection: "connecting",
          connection_detail: "Retrying in 5 s",
          notice: "No OS keychain found; your sign-in token is stored in a file.",
        }),
      list_inbox: () => [],
    });
    const user = userEvent.setup();
    render(<App />);

    const state = await screen.findByText("Connecting…");
    expect(state.closest("#connection-state")?.getAttribute("data-state")).toBe("connecting");
    expect(screen.getByText("Amira Haddad")).toBeTruthy();
    expect(screen.getByText("Agent")).toBeTruthy();
    const banner = document.getElementById("offline-banner");
    expect(banner?.textContent).toContain("Offline — showing cached conversations.");
    expect(banner?.textContent).toContain("Retrying in 5 s");

    const notice = document.getElementById("session-notice")!;
    expect(notice.textContent).toContain("stored in a file");
    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(document.getElementById("session-notice")).toBeNull();

    act(() => emitDesktopEvent({ type: "session_changed", session: session({ connection: "online" }) }));
    expect(document.getElementById("connection-state")?.textContent).toBe("Online");
    expect(document.getElementById("offline-banner")).toBeNull();
  });

  it("stays online when the sign-in's answer arrives after the event that said so", async () => {
    let answer: (s: ReturnType<typeof session>) => void = () => {};
    mockCommands({
      session_status: () => session({ signed_in: false, user: null, connection: "offline", revision: 1 }),
      sso_info: () => ({ enabled: false, label: null }),
      sign_in: () => new Promise((resolve) => (answer = resolve)),
      list_inbox: () => [],
    });
    const user = userEvent.setup();
    render(<App />);
    await user.type(await screen.findByLabelText("Username"), "amira");
    await user.type(screen.getByLabelText("Password"), "secret");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    // On a busy machine the connection is up before the sign-in's own answer is read.
    act(() => emitDesktopEvent({ type: "session_changed", session: session({ connection: "online", revision: 3 }) }));
    answer(session({ connection: "connecting", revision: 2 }));
    // Let the answer settle before looking.
    await act(() => Promise.resolve());
    expect(document.getElementById("connection-state")?.textContent).toBe("Online");
    expect(document.getElementById("offline-banner")).toBeNull();
  });

  it("returns to the login screen after signing out", async () => {
    mockCommands({
      session_status: () => session(),
      list_inbox: () => [],
      sign_out: () => session({ signed_in: false, user: null }),
    });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeTruthy();
  });

  it("forgets unsaved admin edits when the session ends, so the next user never sees them", async () => {
    mockCommands({ session_status: () => session(), list_inbox: () => [] });
    render(<App />);
    await screen.findByRole("button", { name: "Sign out" });
    keepDraft("auto_replies", { name: "Half-written rule" });
    act(() => emitDesktopEvent({ type: "session_changed", session: session({ connection: "online" }) }));
    expect(keptDraft("auto_replies")).not.toBeNull();
    act(() => emitDesktopEvent({ type: "session_changed", session: session({ signed_in: false, user: null }) }));
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeTruthy();
    expect(keptDraft("auto_replies")).toBeNull();
  });
});
