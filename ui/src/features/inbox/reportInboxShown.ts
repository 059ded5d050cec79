import { call } from "../../ipc";

let reported = false;

/**
 * Tells the shell, once per start, that the inbox's first page is on screen and the page is
 * free for input; the shell logs the time since the process started (the desktop benchmark's
 * cold-start figure). One call per start, so it costs nothing worth measuring.
 */
export function reportInboxShown(): void {
  if (reported || typeof requestAnimationFrame === "undefined") return;
  reported = true;
  // The frame callback runs just before the rows are painted; the timeout after it runs once
  // that frame is done and the main thread is back to handling input.
  requestAnimationFrame(() => {
    setTimeout(() => {
      call("report_inbox_shown", null).catch(() => {});
    }, 0);
  });
}
