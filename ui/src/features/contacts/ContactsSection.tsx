import { useState } from "react";
import { t, type StringKey } from "../../i18n";
import { ContactsPanel } from "./ContactsPanel";
import { ImportPanel } from "./ImportPanel";
import { SegmentsPanel } from "./SegmentsPanel";
import { useTagCatalogue } from "./tagColours";
import { TagsPanel } from "./TagsPanel";
import "../automation/automation.css";
import "./contacts.css";

type Part = "list" | "tags" | "segments" | "import";

const PARTS: { id: Part; label: StringKey }[] = [
  { id: "list", label: "contacts.part.list" },
  { id: "tags", label: "contacts.part.tags" },
  { id: "segments", label: "contacts.part.segments" },
  { id: "import", label: "contacts.part.import" },
];

/**
 * The admin view's Contacts section (`manage_contacts`): the customer list and profiles, the
 * tag catalogue's colours, saved segments, and contact lists in and out as CSV. The tag
 * catalogue is read once here, so every chip in every part shows the same colours.
 */
export function ContactsSection() {
  const [part, setPart] = useState<Part>("list");
  const catalogue = useTagCatalogue();
  return (
    <div id="contacts-section" className="automation-section contacts-section">
      <nav className="automation-parts" aria-label={t("contacts.parts")}>
        {PARTS.map((p) => (
          <button
            key={p.id}
            type="button"
            id={`contacts-${p.id}`}
            className="view-tab admin-tab"
            aria-current={part === p.id ? "page" : undefined}
            onClick={() => setPart(p.id)}
          >
            {t(p.label)}
          </button>
        ))}
      </nav>
      {part === "list" && <ContactsPanel catalogue={catalogue} />}
      {part === "tags" && <TagsPanel catalogue={catalogue} />}
      {part === "segments" && <SegmentsPanel />}
      {part === "import" && <ImportPanel catalogue={catalogue} />}
    </div>
  );
}
