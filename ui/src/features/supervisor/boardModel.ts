import type { QueueDepth } from "../../bindings/QueueDepth";
import type { SupervisorBoard } from "../../bindings/SupervisorBoard";

/**
 * Boards are whole snapshots, so the newer one wins. A board_changed event can
 * overtake the supervisor_board answer the view asked for on opening; that
 * older answer must not replace it.
 */
export function newerBoard(current: SupervisorBoard | null, incoming: SupervisorBoard): SupervisorBoard {
  return current && current.at > incoming.at ? current : incoming;
}

/**
 * How long the queue's oldest conversation has waited by `now`. The server
 * only pushes a board when something changes, so a quiet queue's figure is
 * aged from when the board was computed. Both clocks are wall clocks; a desk
 * clock behind the server's must not make the wait shrink.
 */
export function waitedSeconds(queue: QueueDepth, boardAt: number, now: number): number | null {
  if (queue.longest_wait_seconds === null) return null;
  return queue.longest_wait_seconds + Math.max(0, Math.floor((now - boardAt) / 1000));
}
