import { useEffect, useState } from "react";
import type { ContactProfile } from "../../bindings/ContactProfile";
import { t } from "../../i18n";
import { call } from "../../ipc";
import { ContactTagsEditor } from "./ContactTagsEditor";
import { useTagCatalogue } from "./tagColours";

/**
 * The customer's own tags (they stay with the contact across conversations), in their
 * colours, beside the conversation. Agents tag the customer they are talking to; the server
 * allows it to whoever may read a conversation with them. Without access the row stays away.
 */
export function ConversationContactTags({ contactId }: { contactId: number }) {
  const [contact, setContact] = useState<ContactProfile | null>(null);
  const catalogue = useTagCatalogue();
  useEffect(() => {
    let live = true;
    call("contact", { contact_id: contactId }).then(
      (loaded) => live && setContact(loaded),
      // A desk offline or a server without contacts: the conversation works without them.
      () => live && setContact(null),
    );
    return () => {
      live = false;
    };
  }, [contactId]);
  if (!contact) return null;
  return (
    <div id="conversation-contact-tags" className="conversation-contact-tags">
      <span className="conversation-contact-tags-label">{t("contacts.customerTags")}</span>
      <ContactTagsEditor contact={contact} catalogue={catalogue} onChanged={setContact} idPrefix="conversation-contact" />
    </div>
  );
}
