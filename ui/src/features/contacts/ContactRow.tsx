import type { ContactProfile } from "../../bindings/ContactProfile";
import { userTextDir } from "../../components/bidi";
import { t } from "../../i18n";
import { contactName, contactNumber } from "./contactModel";
import { TagChip } from "./TagChip";

/** Every row is this tall (CSS keeps it so), so the list windows itself by arithmetic. */
export const CONTACT_ROW_HEIGHT = 64;

/** Tags a row shows before "+3": the profile shows them all. */
const ROW_TAGS = 4;

type Props = {
  contact: ContactProfile;
  index: number;
  selected: boolean;
  tabbable: boolean;
  colourOf: (tag: string) => string | null;
  onSelect: (id: number) => void;
};

export function ContactRow({ contact, index, selected, tabbable, colourOf, onSelect }: Props) {
  const name = contactName(contact);
  const number = contactNumber(contact);
  const hidden = contact.tags.length - ROW_TAGS;
  return (
    <button
      type="button"
      className="contact-row"
      data-contact-id={contact.id}
      data-index={index}
      data-opted-out={contact.opted_out_at !== null}
      aria-current={selected ? "true" : undefined}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onSelect(contact.id)}
    >
      <span className="contact-row-line">
        <span className="contact-row-name" dir={userTextDir(name)}>
          {name}
        </span>
        {number && number !== name && (
          <span className="contact-row-number" dir="ltr">
            {number}
          </span>
        )}
        <span className="contact-row-meta">
          {contact.country && <span title={t("contacts.country")}>{contact.country}</span>}
          {contact.language && <span title={t("contacts.language")}>{contact.language}</span>}
        </span>
        {contact.opted_out_at !== null && <span className="contact-opted-out">{t("contacts.optedOut")}</span>}
      </span>
      <span className="contact-row-line contact-row-tags">
        {contact.tags.slice(0, ROW_TAGS).map((tag) => (
          <TagChip key={tag} name={tag} colour={colourOf(tag)} />
        ))}
        {hidden > 0 && <span className="contact-row-more">{t("contacts.moreTags", { count: hidden })}</span>}
      </span>
    </button>
  );
}
