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

  it("offers single sign-on only when the server does", async () => {
    mockCommands({ sso_info: () => ({ enabled: false, label: null }) });
    render(<LoginScreen initialServerUrl="https://desk.acme.test" onSignedIn={vi.fn()} />);
    await vi.waitFor(() => expect(callsOf("sso_info")).toEqual([{ server_url: "https://desk.acme.test" }]));
    expect(document.getElementById("sign-in-sso")).toBeNull();
  });

  it("signs in through the browser, showing the address while it waits", async () => {
    let finish!: (s: SessionInfo) => void;
    mockCommands({
      sso_info: () => ({ enabled: true, label: "Contoso" }),
      start_sso: () => ({ authorize_url: "https://id.contoso.test/authorize?state=s1" }),
      finish_sso: () => new Promise<SessionInfo>((resolve) => (finish = resolve)),
    });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<LoginScreen initialServerUrl="https://desk.acme.test" onSignedIn={onSignedIn} />);

    await user.click(await screen.findByRole("button", { name: "Sign in with Contoso" }));
    const waiting = await screen.findByRole("status");
    expect(waiting.textContent).toContain("Waiting for your browser");
    expect(byId("sso-url").value).toBe("https://id.contoso.test/authorize?state=s1");
    expect(byId("sign-in").disabled).toBe(true);
    expect(callsOf("start_sso")).toEqual([{ server_url: "https://desk.acme.test" }]);
    finish(session());
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session()));
  });

  it("says why single sign-on was refused", async () => {
    mockCommands({
      sso_info: () => ({ enabled: true, label: null }),
      start_sso: () => ({ authorize_url: "https://id.contoso.test/authorize" }),
      finish_sso: () =>
        Promise.reject({ code: "rejected", message: "Ask an admin to create the user amira first." }),
    });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<LoginScreen initialServerUrl="https://desk.acme.test" onSignedIn={onSignedIn} />);

    await user.click(await screen.findByRole("button", { name: "Sign in with single sign-on" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Ask an admin to create the user amira first.");
    expect(screen.queryByRole("status")).toBeNull();
    expect(byId("sign-in-sso").disabled).toBe(false);
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("stops waiting for the browser when cancelled, without an error", async () => {
    let refuse!: (reason: unknown) => void;
    mockCommands({
      sso_info: () => ({ enabled: true, label: "Contoso" }),
      start_sso: () => ({ authorize_url: "https://id.contoso.test/authorize" }),
      finish_sso: () => new Promise<SessionInfo>((_, reject) => (refuse = reject)),
      cancel_sso: () => {
        refuse({ code: "rejected", message: "Single sign-on was cancelled." });
        return null;
      },
    });
    const user = userEvent.setup();
    render(<LoginScreen initialServerUrl="https://desk.acme.test" onSignedIn={vi.fn()} />);

    await user.click(await screen.findByRole("button", { name: "Sign in with Contoso" }));
    await user.click(await screen.findByRole("button", { name: "Cancel" }));
    await screen.findByRole("button", { name: "Sign in with Contoso" });
    expect(screen.queryByRole("status")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(callsOf("cancel_sso")).toHaveLength(1);
  });
});
