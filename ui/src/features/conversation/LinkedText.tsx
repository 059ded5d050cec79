import type { MouseEvent } from "react";
import { call } from "../../ipc";
import { linkify } from "./linkify";

/** Asks the core to open a link with the system's browser; the app window never navigates. */
export function openExternal(e: MouseEvent<HTMLAnchorElement>, href: string) {
  e.preventDefault();
  call("open_link", { url: href }).catch(() => undefined);
}

/** Message text with its links clickable; everything else stays plain text. */
export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === "text" ? (
          part.text
        ) : (
          <a key={i} className="message-link" href={part.href} rel="noopener noreferrer" target="_blank" onClick={(e) => openExternal(e, part.href)}>
            {part.text}
          </a>
        ),
      )}
    </>
  );
}
