import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { SupervisorBoard } from "../../bindings/SupervisorBoard";
import { agentLoad, board, entry, queueDepth, session, supervisorSession } from "../../test/fixtures";
import { callsOf, emitDesktopEvent, mockCommands } from "../../test/ipcMock";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const agentRow = (userId: number) => document.querySelector<HTMLElement>(`.board-agent[data-user-id="${userId}"]`);
const queueRows = () => [...document.querySelectorAll<HTMLElement>(".board-queue")];
const cells = (row: HTMLElement | null | undefined) =>
  [...(row?.querySelectorAll("th, td") ?? [])].map((c) => c.textContent);

/** Signs in as a supervisor whose core holds `current` (or nothing yet) and opens the view. */
async function openSupervisorView(current: () => SupervisorBoard | Promise<SupervisorBoard>) {
  mockCommands({
    session_status: () => supervisorSession(),
    list_inbox: () => [entry(41, 1_000)],
    list_messages: () => [],
    mark_read: () => null,
    supervisor_board: current,
  });
  const user = userEvent.setup();
  render(<App />);
  await user.click(await screen.findByRole("button", { name: "Supervisor" }));
  expect(document.getElementById("supervisor-view")).not.toBeNull();
  return user;
}

describe("Supervisor view", () => {
  it("loads the current board when opened and shows agents and queues", async () => {
    await openSupervisorView(() =>
      board({
        agents: [
          agentLoad({ user_id: 7, display_name: "Amira Haddad", status: "online", open: 2, capacity: 5, first_response_seconds: 80, resolved_last_hour: 4 }),
          agentLoad({ user_id: 8, display_name: "Somchai", status: "away", open: 1, capacity: 3, first_response_seconds: null, resolved_last_hour: 0 }),
        ],
        queues: [queueDepth({ name: "Acme Support", waiting: 2, longest_wait_seconds: 125, oldest_conversation_id: 41 })],
      }),
    );
    expect(callsOf("supervisor_board")).toHaveLength(1);
    await screen.findByText("Amira Haddad");
    expect(cells(agentRow(7))).toEqual(["Amira Haddad", "Available", "2 / 5", "1 min 20 s", "4"]);
    expect(cells(agentRow(8))).toEqual(["Somchai", "Away", "1 / 3", "—", "0"]);
    expect(agentRow(8)?.querySelector(".presence")?.getAttribute("data-status")).toBe("away");
    expect(cells(queueRows()[0])).toEqual(["Acme Support", "2", "2 min 5 s", "Open"]);
  });

  it("renders rows from board_changed events and replaces them with newer boards only", async () => {
    // The core has no board yet and the server is slow to answer.
    let answer: (b: SupervisorBoard) => void = () => {};
    await openSupervisorView(() => new Promise<SupervisorBoard>((resolve) => (answer = resolve)));
    expect(screen.getByText("Loading the board…")).toBeTruthy();

    const at = Date.now();
    act(() =>
      emitDesktopEvent({
        type: "board_changed",
        board: board({
          at,
          agents: [agentLoad({ user_id: 7, status: "online", open: 1, capacity: 5 })],
          queues: [queueDepth({ name: "Acme Support", waiting: 1, longest_wait_seconds: 30, oldest_conversation_id: 41 })],
        }),
      }),
    );
    expect(cells(agentRow(7))?.slice(1, 3)).toEqual(["Available", "1 / 5"]);
    expect(cells(queueRows()[0])?.slice(0, 3)).toEqual(["Acme Support", "1", "30 s"]);

    act(() =>
      emitDesktopEvent({
        type: "board_changed",
        board: board({
          at: at + 1,
          agents: [agentLoad({ user_id: 7, status: "away", open: 2, capacity: 5 }), agentLoad({ user_id: 9, display_name: "Lina", status: "offline", open: 0 })],
          queues: [queueDepth({ name: "Acme Support", waiting: 0 })],
        }),
      }),
    );
    expect(cells(agentRow(7))?.slice(1, 3)).toEqual(["Away", "2 / 5"]);
    expect(cells(agentRow(9))?.slice(0, 2)).toEqual(["Lina", "Offline"]);
    expect(cells(queueRows()[0])).toEqual(["Acme Support", "0", "—", "—"]);

    // The slow answer to opening the view is older than what was pushed since: it must not win.
    await act(async () => {
      answer(board({ at: at - 5_000, agents: [agentLoad({ user_id: 7, status: "online" })] }));
      await Promise.resolve();
    });
    expect(cells(agentRow(7))?.[1]).toBe("Away");
    expect(agentRow(9)).not.toBeNull();
  });

  it("opens the oldest waiting conversation when this desk has it", async () => {
    const user = await openSupervisorView(() =>
      board({
        queues: [
          queueDepth({ name: "Acme Support", waiting: 1, longest_wait_seconds: 10, oldest_conversation_id: 41 }),
          queueDepth({ name: "Billing team", phone_number_id: null, team_id: 2, waiting: 1, longest_wait_seconds: 5, oldest_conversation_id: 99 }),
        ],
      }),
    );
    await screen.findByText("Billing team");
    // Conversation 99 is not on this desk: its Open reviews it read-only (ReviewView.test).
    expect(queueRows()[1]?.querySelector(".board-open")).not.toBeNull();
    await user.click(within(queueRows()[0]!).getByRole("button", { name: "Open" }));
    expect(document.getElementById("supervisor-view")).toBeNull();
    expect(await screen.findByRole("heading", { name: "Contact 41" })).toBeTruthy();
    expect(document.querySelector('.inbox-item[data-conversation-id="41"]')?.getAttribute("aria-current")).toBe("true");
  });

  it("lists alerts newest first with their time, counts unseen ones, and opens one on click", async () => {
    mockCommands({
      session_status: () => supervisorSession(),
      list_inbox: () => [entry(41, 1_000), entry(42, 2_000)],
      list_messages: () => [],
      mark_read: () => null,
      supervisor_board: () => board(),
    });
    const user = userEvent.setup();
    render(<App />);
    await screen.findByText("Contact 41");

    // Raised while the supervisor reads their inbox.
    act(() => emitDesktopEvent({ type: "alert", conversation_id: 41, text: "Amira has not answered Contact 41 in 5 min" }));
    act(() => emitDesktopEvent({ type: "alert", conversation_id: 42, text: "Contact 42 waited 10 min" }));
    const tab = screen.getByRole("button", { name: /Supervisor/ });
    expect(tab.querySelector(".view-badge")?.textContent).toBe("2");

    await user.click(tab);
    expect(tab.querySelector(".view-badge")).toBeNull();
    const alerts = [...document.querySelectorAll<HTMLElement>(".board-alert")];
    expect(alerts.map((a) => a.querySelector(".alert-text")?.textContent)).toEqual([
      "Contact 42 waited 10 min",
      "Amira has not answered Contact 41 in 5 min",
    ]);
    expect(alerts[0]?.querySelector("time")?.getAttribute("dateTime")).toBeTruthy();

    await user.click(alerts[1]!);
    expect(await screen.findByRole("heading", { name: "Contact 41" })).toBeTruthy();
  });

  it("shows why the board could not be loaded", async () => {
    await openSupervisorView(() => {
      throw { code: "unreachable", message: "Could not reach the server." };
    });
    expect((await screen.findByRole("alert")).textContent).toBe("Could not reach the server.");
  });

  it("is not offered to agents, who see neither the view nor alerts", async () => {
    mockCommands({ session_status: () => session(), list_inbox: () => [entry(41, 1_000)] });
    render(<App />);
    await screen.findByText("Contact 41");
    act(() => emitDesktopEvent({ type: "alert", conversation_id: 41, text: "Late" }));
    expect(screen.queryByRole("button", { name: /Supervisor/ })).toBeNull();
    expect(document.getElementById("view-supervisor")).toBeNull();
    expect(document.getElementById("supervisor-view")).toBeNull();
    expect(callsOf("supervisor_board")).toHaveLength(0);
  });
});
