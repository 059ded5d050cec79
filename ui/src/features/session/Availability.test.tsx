import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import { session, supervisorSession } from "../../test/fixtures";
import { callsOf, emitDesktopEvent, mockCommands } from "../../test/ipcMock";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const availability = () => document.getElementById("availability");

describe("Availability", () => {
  it("shows the agent's status and sets them away and back", async () => {
    mockCommands({
      session_status: () => session({ away: false }),
      list_inbox: () => [],
      set_away: ({ away }) => session({ away }),
    });
    const user = userEvent.setup();
    render(<App />);
    const available = await screen.findByRole("button", { name: "Available" });
    expect(availability()?.dataset.away).toBe("false");
    expect(available.getAttribute("aria-pressed")).toBe("true");

    await user.click(screen.getByRole("button", { name: "Away" }));
    expect(callsOf("set_away")).toEqual([{ away: true }]);
    expect(availability()?.dataset.away).toBe("true");
    expect(screen.getByRole("button", { name: "Away" }).getAttribute("aria-pressed")).toBe("true");
    expect(available.getAttribute("aria-pressed")).toBe("false");

    await user.click(available);
    expect(callsOf("set_away")).toEqual([{ away: true }, { away: false }]);
    expect(availability()?.dataset.away).toBe("false");
  });

  it("does nothing when the current status is clicked again", async () => {
    mockCommands({ session_status: () => session({ away: true }), list_inbox: () => [], set_away: ({ away }) => session({ away }) });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole("button", { name: "Away" }));
    expect(callsOf("set_away")).toEqual([]);
    expect(availability()?.dataset.away).toBe("true");
  });

  it("keeps the old status and says why when the change fails", async () => {
    mockCommands({
      session_status: () => session({ away: false }),
      list_inbox: () => [],
      set_away: () => {
        throw { code: "unreachable", message: "Could not reach the server at https://switchboard.example.com." };
      },
    });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole("button", { name: "Away" }));
    const error = await screen.findByRole("alert");
    expect(error.id).toBe("availability-error");
    expect(error.textContent).toContain(
      "Your status could not be changed: Could not reach the server at https://switchboard.example.com.",
    );
    expect(availability()?.dataset.away).toBe("false");
    expect(screen.getByRole("button", { name: "Available" }).getAttribute("aria-pressed")).toBe("true");
    // Buttons are usable again for a retry.
    expect(screen.getByRole("button", { name: "Away" }).hasAttribute("disabled")).toBe(false);
  });

  it("follows a status change the core reports", async () => {
    mockCommands({ session_status: () => session({ away: false }), list_inbox: () => [] });
    render(<App />);
    await screen.findByRole("button", { name: "Available" });
    act(() => emitDesktopEvent({ type: "session_changed", session: session({ away: true }) }));
    expect(availability()?.dataset.away).toBe("true");
  });

  it("is not shown to supervisors, who have no availability", async () => {
    mockCommands({ session_status: () => supervisorSession(), list_inbox: () => [] });
    render(<App />);
    await screen.findByRole("button", { name: "Supervisor" });
    expect(availability()).toBeNull();
  });
});
