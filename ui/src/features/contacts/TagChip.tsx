import { t } from "../../i18n";
import { textOn } from "./tagColours";

type Props = {
  name: string;
  /** `#rrggbb` from the tag catalogue; a plain chip without one. */
  colour: string | null;
  /** Shown as × after the name when given. */
  onRemove?: () => void;
  disabled?: boolean;
};

/** A tag in its catalogue colour, with text in black or white, whichever reads on it. */
export function TagChip({ name, colour, onRemove, disabled }: Props) {
  const style = colour ? { background: colour, color: textOn(colour) } : undefined;
  return (
    <span className="tag tag-chip contact-tag" data-tag={name} data-colour={colour ?? undefined} style={style} dir="auto">
      {name}
      {onRemove && (
        <button type="button" className="tag-remove" aria-label={t("tags.remove", { tag: name })} disabled={disabled} onClick={onRemove}>
          ×
        </button>
      )}
    </span>
  );
}
