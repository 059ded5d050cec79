/** A piece of message text: plain, or a link the agent can open in the browser. */
export type TextPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

// Web addresses with a scheme or starting with www., and e-mail addresses. Trailing
// punctuation belongs to the sentence, not the link.
const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu;
const TRAILING = /[.,;:!?'")\]}»،。]+$/u;

/** Splits text into plain runs and links; nothing is interpreted as HTML. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    let raw = match[0];
    const start = match.index ?? 0;
    const trailing = TRAILING.exec(raw);
    if (trailing) raw = raw.slice(0, raw.length - trailing[0].length);
    if (!raw) continue;
    if (start > last) parts.push({ kind: "text", text: text.slice(last, start) });
    const href = raw.includes("@") && !/^(https?:\/\/|www\.)/i.test(raw)
      ? `mailto:${raw}`
      : /^www\./i.test(raw)
        ? `https://${raw}`
        : raw;
    parts.push({ kind: "link", text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

/** An OpenStreetMap link for coordinates: opens in the browser, needs no account or key. */
export function mapLink(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}
