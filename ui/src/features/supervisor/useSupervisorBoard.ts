import { useEffect, useState } from "react";
import type { SupervisorBoard } from "../../bindings/SupervisorBoard";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";
import { newerBoard } from "./boardModel";

export type BoardState = {
  board: SupervisorBoard | null;
  error: string | null;
};

/**
 * The live board: what the core holds when the view opens (it keeps the last
 * pushed board, or asks the server), then every board_changed event.
 */
export function useSupervisorBoard(): BoardState {
  const [state, setState] = useState<BoardState>({ board: null, error: null });

  useEffect(() => {
    let current = true;
    call("supervisor_board", null).then(
      (board) => {
        if (current) setState((s) => ({ board: newerBoard(s.board, board), error: null }));
      },
      (err: unknown) => {
        // A pushed board may already be showing; the error still says why opening failed.
        if (current) setState((s) => ({ ...s, error: toIpcError(err).message }));
      },
    );
    return () => {
      current = false;
    };
  }, []);

  useDesktopEvent((e) => {
    if (e.type !== "board_changed") return;
    setState((s) => ({ board: newerBoard(s.board, e.board), error: null }));
  });

  return state;
}
