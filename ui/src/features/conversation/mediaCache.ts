import { call } from "../../ipc";

// Object URLs of media already fetched, by server message id, so scrolling back and forth or
// reopening a conversation shows them at once (the core also keeps the files on disk).
const urls = new Map<number, Promise<string>>();

function toBlobUrl(base64: string, mimeType: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: mimeType }));
}

/** A `blob:` URL for the media of message `messageId`; fetched through the core once. */
export function mediaUrl(messageId: number): Promise<string> {
  let url = urls.get(messageId);
  if (!url) {
    url = call("message_media", { message_id: messageId, filename: null }).then((m) =>
      toBlobUrl(m.data_base64, m.mime_type),
    );
    // A failed fetch may work later (back online): do not remember it.
    url.catch(() => urls.delete(messageId));
    urls.set(messageId, url);
  }
  return url;
}

/** For tests: forget every fetched URL. */
export function clearMediaCache(): void {
  urls.clear();
}
