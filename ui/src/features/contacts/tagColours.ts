import { useCallback, useEffect, useMemo, useState } from "react";
import type { TagInfo } from "../../bindings/TagInfo";
import { call } from "../../ipc";

/** `#rrggbb` as the server keeps tag colours (the colour input gives the same form). */
export function isHexColour(value: string): boolean {
  return /^#[0-9a-fA-F]{6}$/.test(value.trim());
}

/** WCAG relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever reads better on a chip of `colour`: any colour an admin picks stays legible. */
export function textOn(colour: string): "#000000" | "#ffffff" {
  if (!isHexColour(colour)) return "#000000";
  return contrast(colour, "#000000") >= contrast(colour, "#ffffff") ? "#000000" : "#ffffff";
}

export type TagCatalogue = {
  tags: TagInfo[] | null;
  error: string | null;
  /** The tag's colour; `null` for a tag the catalogue does not know (yet). */
  colourOf: (name: string) => string | null;
  reload: () => void;
};

/**
 * The tag catalogue (every tag with its colour and counts). Chips only need the colours, so
 * a catalogue that cannot be read leaves them plain rather than failing the screen.
 */
export function useTagCatalogue(): TagCatalogue {
  const [tags, setTags] = useState<TagInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    call("tag_catalogue", null).then(
      (list) => {
        if (!live) return;
        setTags(list);
        setError(null);
      },
      (err: unknown) => live && setError((err as { message?: string }).message ?? String(err)),
    );
    return () => {
      live = false;
    };
  }, [generation]);
  const colours = useMemo(() => new Map((tags ?? []).map((tag) => [tag.name, tag.colour])), [tags]);
  const colourOf = useCallback((name: string) => colours.get(name) ?? null, [colours]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { tags, error, colourOf, reload };
}
