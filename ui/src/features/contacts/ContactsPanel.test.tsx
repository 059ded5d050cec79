import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ContactPage } from "../../bindings/ContactPage";
import type { ContactProfile } from "../../bindings/ContactProfile";
import type { ContactQuery } from "../../bindings/ContactQuery";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { forgetKeptDrafts } from "../automation/keptDrafts";
import { DesktopEventHub, DesktopEventsProvider } from "../session/desktopEvents";
import { CATALOGUE, contactOf } from "./contactFixtures";
import { ContactsSection } from "./ContactsSection";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

/** The server's filtering, done the way its contract says, over `all`, with cursors of `pageSize`. */
function serve(all: ContactProfile[], pageSize = 200) {
  return (query: ContactQuery): ContactPage => {
    const tags = query.tags ? query.tags.split(",") : [];
    const search = query.search?.toLowerCase();
    const matching = all.filter(
      (c) =>
        (!search || (c.name ?? "").toLowerCase().includes(search) || (c.wa_id ?? "").includes(search.replace(/[+\s]/g, ""))) &&
        tags.every((tag) => c.tags.includes(tag)) &&
        (!query.country || c.country === query.country) &&
        (query.opted_out === undefined || (c.opted_out_at !== null) === query.opted_out),
    );
    const from = query.cursor ? Number(query.cursor) : 0;
    const size = Math.min(query.limit ?? 50, pageSize);
    const page = matching.slice(from, from + size);
    return { contacts: page, total: matching.length, next_cursor: from + size < matching.length ? String(from + size) : null };
  };
}

const people = [
  contactOf(1, { name: "Noura", tags: ["vip"], country: "SA" }),
  contactOf(2, { name: "Somchai", wa_id: "66812345678", country: "TH", language: "th", tags: ["vip", "price list"] }),
  contactOf(3, { name: "Omar", country: "AE", opted_out_at: Date.UTC(2026, 10, 5), opt_out_source: "keyword" }),
  contactOf(4, { name: null, wa_id: "97150•••••12", country: "AE" }),
];

function setup(all: ContactProfile[] = people, extra: Parameters<typeof mockCommands>[0] = {}) {
  mockCommands({
    tag_catalogue: () => CATALOGUE,
    contacts: serve(all),
    contact: ({ contact_id }) => all.find((c) => c.id === contact_id)!,
    ...extra,
  });
  const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
  render(
    <DesktopEventsProvider hub={new DesktopEventHub()}>
      <ContactsSection />
    </DesktopEventsProvider>,
  );
  return { user };
}

const rows = () => screen.getAllByRole("button").filter((b) => b.classList.contains("contact-row"));
const names = () => rows().map((r) => r.querySelector(".contact-row-name")!.textContent);

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  forgetKeptDrafts();
});
afterEach(() => {
  vi.useRealTimers();
  setLocale("en");
});

describe("the contacts list", () => {
  it("shows each contact with its number as sent, country, language, coloured tags and opt-out", async () => {
    setup();
    expect(await screen.findByText("4 contacts")).toBeTruthy();
    const somchai = rows().find((r) => r.dataset.contactId === "2")!;
    expect(within(somchai).getByText("+66812345678")).toBeTruthy();
    expect(somchai.textContent).toContain("TH");
    expect(somchai.textContent).toContain("th");
    const vip = somchai.querySelector<HTMLElement>('.contact-tag[data-tag="vip"]')!;
    expect(vip.dataset.colour).toBe("#1e88e5");
    expect(vip.style.color).toBe("rgb(0, 0, 0)");
    // A pale yellow chip gets black text too; a dark one would get white (tagColours.test.ts).
    expect(somchai.querySelector<HTMLElement>('.contact-tag[data-tag="price list"]')!.style.color).toBe("rgb(0, 0, 0)");
    const omar = rows().find((r) => r.dataset.contactId === "3")!;
    expect(omar.dataset.optedOut).toBe("true");
    expect(within(omar).getByText("Opted out")).toBeTruthy();
    // A role that may not see numbers gets them masked, and the row shows that as the name.
    expect(rows().find((r) => r.dataset.contactId === "4")!.textContent).toContain("+97150•••••12");
  });

  it("searches after typing pauses, and narrows by tag, country and opt-out", async () => {
    const { user } = setup();
    await screen.findByText("4 contacts");
    await user.type(screen.getByLabelText("Search"), "som");
    await act(() => vi.advanceTimersByTimeAsync(400));
    expect(await screen.findByText("1 contact")).toBeTruthy();
    expect(names()).toEqual(["Somchai"]);
    // One request for the whole word, not one per letter.
    expect(callsOf("contacts").filter((q) => q.search)).toEqual([{ search: "som", limit: 200 }]);

    await user.clear(screen.getByLabelText("Search"));
    await act(() => vi.advanceTimersByTimeAsync(400));
    await screen.findByText("4 contacts");
    await user.type(screen.getByLabelText("With tag"), "vip{Enter}");
    expect(await screen.findByText("2 contacts")).toBeTruthy();
    expect(names()).toEqual(["Noura", "Somchai"]);
    await user.type(screen.getByLabelText("Country"), "t");
    // One letter narrows nothing yet.
    expect(callsOf("contacts").at(-1)).toEqual({ limit: 200, tags: "vip" });
    await user.type(screen.getByLabelText("Country"), "h");
    await screen.findByText("1 contact");
    expect(names()).toEqual(["Somchai"]);
    expect(callsOf("contacts").at(-1)).toEqual({ limit: 200, tags: "vip", country: "TH" });

    await user.click(screen.getByRole("button", { name: "Clear tags" }));
    await user.clear(screen.getByLabelText("Country"));
    await user.selectOptions(screen.getByLabelText("Marketing"), "yes");
    await screen.findByText("1 contact");
    expect(names()).toEqual(["Omar"]);
    expect(callsOf("contacts").at(-1)).toEqual({ limit: 200, opted_out: true });
  });

  it("renders only a window of a long list and asks for the next page as it scrolls", async () => {
    const many = Array.from({ length: 1000 }, (_, i) => contactOf(i + 1));
    setup(many);
    expect(await screen.findByText("1,000 contacts")).toBeTruthy();
    // jsdom lays nothing out: the list assumes an 800px window, so a few dozen rows exist.
    expect(rows().length).toBeLessThan(60);
    const scroll = document.querySelector<HTMLDivElement>(".contacts-scroll")!;
    const scrollTo = (top: number) => {
      scroll.scrollTop = top;
      act(() => {
        scroll.dispatchEvent(new Event("scroll"));
      });
    };
    scrollTo(6_400); // row 100 at the top: far from the end of the first page
    expect(screen.getByText("Customer 105")).toBeTruthy();
    expect(screen.queryByText("Customer 1")).toBeNull();
    expect(callsOf("contacts")).toHaveLength(1);
    scrollTo(11_000); // near the end of the 200 loaded: the next page is asked for
    await vi.waitFor(() => expect(callsOf("contacts").map((q) => q.cursor ?? null)).toEqual([null, "200"]));
    scrollTo(14_080); // row 220, on the second page
    expect(await screen.findByText("Customer 225")).toBeTruthy();
    expect(rows().length).toBeLessThan(60);
  });
});
