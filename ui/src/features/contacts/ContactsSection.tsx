import { SectionPartTabs, useSectionPart, type SectionPart } from "../../components/SectionParts";
import { t } from "../../i18n";
import { ContactsPanel } from "./ContactsPanel";
import { ImportPanel } from "./ImportPanel";
import { SegmentsPanel } from "./SegmentsPanel";
import { useTagCatalogue } from "./tagColours";
import { TagsPanel } from "./TagsPanel";
import "../automation/automation.css";
import "./contacts.css";

type Part = "list" | "tags" | "segments" | "import";

const PARTS: SectionPart<Part>[] = [
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
  // Every part needs `manage_contacts`, which the admin view asked for already.
  const { visible, part, choose } = useSectionPart(null, PARTS, "list");
  const catalogue = useTagCatalogue();
  return (
    <div id="contacts-section" className="automation-section contacts-section">
      <SectionPartTabs
        prefix="contacts"
        label={t("contacts.parts")}
        parts={visible}
        current={part}
        onChoose={choose}
      />
      {part === "list" && <ContactsPanel catalogue={catalogue} />}
      {part === "tags" && <TagsPanel catalogue={catalogue} />}
      {part === "segments" && <SegmentsPanel />}
      {part === "import" && <ImportPanel catalogue={catalogue} />}
    </div>
  );
}
