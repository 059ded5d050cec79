import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { SessionInfo } from "../../bindings/SessionInfo";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { session } from "../../test/fixtures";
import { LoginScreen } from "./LoginScreen";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const byId = (id: string) => document.getElementById(id) as HTMLInputElement;

describe("LoginScreen", () => {
  it("shows the IpcError message when sign-in is rejected", async () => {
    mockCommands({
      sign_in: () => Promise.reject({ code: "invalid_credentials", message: "Wrong username or password." }),
    });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<LoginScreen initialServerUrl="https://desk.acme.test" onSignedIn={onSignedIn} />);

    expect(byId("server-url").value).toBe("https://desk.acme.test");
    await user.type(byId("username"), "amira");
    await user.type(byId("password"), "hunter2{Enter}"); // Enter submits

    const error = await screen.findByRole("alert");
    expect(error.id).toBe("login-error");
    expect(error.textContent).toBe("Wrong username or password.");
    expect(onSignedIn).not.toHaveBeenCalled();
    expect(byId("sign-in").disabled).toBe(false);
    expect(callsOf("sign_in")).toEqual([
      { server_url: "https://desk.acme.test", username: "amira", password: "hunter2" },
    ]);
  });

  it("disables the button while signing in and hands over the session", async () => {
    let finish!: (s: SessionInfo) => void;
    mockCommands({ sign_in: () => new Promise<SessionInfo>((resolve) => (finish = resolve)) });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<LoginScreen initialServerUrl={null} onSignedIn={onSignedIn} />);

    expect(byId("server-url").placeholder).toBe("https://switchboard.example.com");
    await user.type(byId("server-url"), "https://desk.acme.test");
    await user.type(byId("username"), "amira");
    await user.type(byId("password"), "pw");
    await user.click(byId("sign-in"));

    expect(byId("sign-in").disabled).toBe(true);
    expect(byId("sign-in").textContent).toBe("Signing in…");
    finish(session());
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session()));
  });

  it("offers to discard another user's unsent replies only after saying so", async () => {
    mockCommands({
      sign_in: () =>
        Promise.reject({ code: "unsent_replies", message: "NIRAN wrote 1 reply or change on this computer that never reached the server." }),
      sign_in_discarding_unsent: () => Promise.resolve(session()),
    });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<LoginScreen initialServerUrl="https://desk.acme.test" onSignedIn={onSignedIn} />);
    await user.type(byId("username"), "pim");
    await user.type(byId("password"), "pw{Enter}");

    expect((await screen.findByRole("alert")).textContent).toContain("never reached the server");
    expect(onSignedIn).not.toHaveBeenCalled();
    await user.click(byId("sign-in-discarding"));
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session()));
    expect(callsOf("sign_in_discarding_unsent")).toEqual([
      { server_url: "https://desk.acme.test", username: "pim", password: "pw" },
    ]);
  });
});
