import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import { session } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const UNSENT = "1 reply or change has not reached the server yet, and signing out on this desk deletes them.";

describe("signing out with unsent replies", () => {
  it("asks first, stays signed in on request, and signs out only when confirmed", async () => {
    mockCommands({
      session_status: () => session(),
      list_inbox: () => [],
      sign_out: () => {
        throw { code: "unsent_replies", message: UNSENT };
      },
      sign_out_confirmed: () => session({ signed_in: false, user: null, connection: "offline" }),
    });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    expect((await screen.findByText(UNSENT)).closest("#unsent-warning")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Stay signed in" }));
    expect(screen.queryByText(UNSENT)).toBeNull();
    expect(callsOf("sign_out_confirmed")).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Sign out" }));
    await user.click(await screen.findByRole("button", { name: "Sign out anyway" }));
    expect(callsOf("sign_out_confirmed")).toHaveLength(1);
    expect(await screen.findByLabelText("Server URL")).toBeTruthy();
  });

  it("opens the desk settings from the header", async () => {
    mockCommands({
      session_status: () => session(),
      list_inbox: () => [],
      desk_settings: () => ({ retention_days: 365, clear_on_sign_out: false, notification_sound: true, do_not_disturb: false, do_not_disturb_until: null }),
    });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    expect(document.getElementById("settings")).toBeTruthy();
    expect((await screen.findByLabelText<HTMLSelectElement>("Keep messages on this computer")).value).toBe("365");
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(document.getElementById("settings")).toBeNull();
  });

  it("signs out everywhere after asking, names unsent replies first, and stays put when the server is out of reach", async () => {
    let answer: "unsent" | "offline" | "ok" = "offline";
    mockCommands({
      session_status: () => session(),
      list_inbox: () => [],
      desk_settings: () => ({ retention_days: null, clear_on_sign_out: true, notification_sound: true, do_not_disturb: false, do_not_disturb_until: null }),
      sign_out_everywhere: ({ discard_unsent }) => {
        if (answer === "offline") throw { code: "unreachable", message: "Signing out everywhere needs the server." };
        if (answer === "unsent" && !discard_unsent) throw { code: "unsent_replies", message: UNSENT };
        return session({ signed_in: false, user: null, connection: "offline" });
      },
    });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    await user.click(await screen.findByRole("button", { name: "Sign out everywhere" }));
    // Nothing happens before the question is answered.
    expect(callsOf("sign_out_everywhere")).toEqual([]);
    expect(screen.getByText(/on every computer, including this one\?/)).toBeTruthy();

    await user.click(document.getElementById("confirm-sign-out-everywhere")!);
    expect((await screen.findByRole("alert")).textContent).toContain("needs the server");
    expect(document.getElementById("settings")).toBeTruthy();

    answer = "unsent";
    await user.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    await user.click(document.getElementById("confirm-sign-out-everywhere")!);
    expect(await screen.findByText(UNSENT)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Sign out everywhere and delete them" }));
    expect(callsOf("sign_out_everywhere")).toEqual([{ discard_unsent: false }, { discard_unsent: false }, { discard_unsent: true }]);
    expect(await screen.findByLabelText("Server URL")).toBeTruthy();
  });
});
