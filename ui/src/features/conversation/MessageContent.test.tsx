import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Message } from "../../bindings/Message";
import type { MessageBody } from "../../bindings/MessageBody";
import { message } from "../../test/fixtures";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { clearMediaCache } from "./mediaCache";
import { MessageList } from "./MessageList";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

function show(...messages: Message[]) {
  return render(<MessageList messages={messages} loaded error={null} />);
}

const withBody = (key: string, body: MessageBody, overrides: Partial<Message> = {}) =>
  message(key, 1_000, { body, kind: body.type, text: "", ...overrides });

const media = (kind: "image" | "audio" | "video" | "document" | "sticker", extra: Partial<Extract<MessageBody, { type: "media" }>> = {}): MessageBody => ({
  type: "media",
  media: kind,
  media_id: "m1",
  mime_type: null,
  sha256: null,
  caption: null,
  filename: null,
  voice: false,
  animated: false,
  link: null,
  ...extra,
});

describe("message renderers", () => {
  beforeEach(() => {
    clearMediaCache();
    globalThis.URL.createObjectURL = vi.fn(() => "blob:media");
    mockCommands({
      message_media: () => ({ mime_type: "image/png", data_base64: btoa("png") }),
      open_link: () => null,
      open_media: () => null,
      save_media: () => "/home/amira/Downloads/prices.pdf",
    });
  });

  it("links text safely and opens links through the core, not in the window", async () => {
    show(withBody("t", { type: "text", body: "Track it at https://example.com/track?id=4. Or mail help@example.com" }));
    const links = screen.getAllByRole("link");
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://example.com/track?id=4", "mailto:help@example.com"]);
    expect(links[0]?.getAttribute("rel")).toBe("noopener noreferrer");
    await userEvent.click(links[0]!);
    expect(callsOf("open_link")).toEqual([{ url: "https://example.com/track?id=4" }]);
  });

  it("never turns message text into markup", () => {
    show(withBody("t", { type: "text", body: "<img src=x onerror=alert(1)>" }));
    expect(document.querySelector(".message img")).toBeNull();
    expect(screen.getByText("<img src=x onerror=alert(1)>")).toBeTruthy();
  });

  it("previews an image fetched through the core, with its caption", async () => {
    show(withBody("i", media("image", { caption: "The broken box" }), { id: 41, media: { status: "ready", mime_type: "image/png", size: 3, error: null } }));
    const image = await screen.findByAltText("The broken box");
    expect(image.getAttribute("src")).toBe("blob:media");
    expect(callsOf("message_media")).toEqual([{ message_id: 41, filename: null }]);
  });

  it("says when media is still downloading or could not be fetched", () => {
    show(
      withBody("p", media("image"), { id: 1, media: { status: "pending", mime_type: null, size: null, error: null } }),
      withBody("f", media("audio"), { id: 2, media: { status: "failed", mime_type: null, size: null, error: "Media expired" } }),
    );
    expect(screen.getByText("Downloading from WhatsApp…")).toBeTruthy();
    expect(screen.getByText(/Media expired/)).toBeTruthy();
  });

  it("plays voice notes in an audio player", async () => {
    show(withBody("v", media("audio", { voice: true }), { id: 5, media: { status: "ready", mime_type: "audio/ogg", size: 10, error: null } }));
    expect(screen.getByText("Voice message")).toBeTruthy();
    await waitFor(() => expect(document.querySelector("audio[controls]")?.getAttribute("src")).toBe("blob:media"));
  });

  it("shows a document's name and size, and opens or saves it", async () => {
    show(withBody("d", media("document", { filename: "prices.pdf" }), { id: 9, media: { status: "ready", mime_type: "application/pdf", size: 1_468_006, error: null } }));
    expect(screen.getByText("prices.pdf")).toBeTruthy();
    expect(screen.getByText("1.4 MB")).toBeTruthy();
    await userEvent.click(screen.getByText("Open"));
    await userEvent.click(screen.getByText("Save to Downloads"));
    expect(callsOf("open_media")).toEqual([{ message_id: 9, filename: "prices.pdf" }]);
    expect(callsOf("save_media")).toEqual([{ message_id: 9, filename: "prices.pdf" }]);
  });

  it("loads a video only when asked", async () => {
    show(withBody("vid", media("video"), { id: 6, media: { status: "ready", mime_type: "video/mp4", size: 10, error: null } }));
    expect(callsOf("message_media")).toEqual([]);
    await userEvent.click(screen.getByText("Load video"));
    await waitFor(() => expect(document.querySelector("video[controls]")).not.toBeNull());
  });

  it("shows a location with its name, address, coordinates and a map link", () => {
    show(withBody("l", { type: "location", latitude: 24.7136, longitude: 46.6753, name: "Kingdom Centre", address: "King Fahd Rd, Riyadh", url: null }));
    expect(screen.getByText("Kingdom Centre")).toBeTruthy();
    expect(screen.getByText("King Fahd Rd, Riyadh")).toBeTruthy();
    expect(screen.getByText("24.71360, 46.67530")).toBeTruthy();
    expect(screen.getByText("Open in map").getAttribute("href")).toContain("openstreetmap.org/?mlat=24.713600&mlon=46.675300");
  });

  it("shows shared contacts as cards", () => {
    show(withBody("c", { type: "contacts", contacts: [{ formatted_name: "Somchai P.", phones: ["+66 81 234 5678"], emails: ["somchai@example.com"], organization: "Acme" }] }));
    const card = document.querySelector(".contact-card")!;
    expect(card.textContent).toContain("Somchai P.");
    expect(card.textContent).toContain("+66 81 234 5678");
    expect(card.textContent).toContain("Acme");
  });

  it("shows the titles of interactive, list and button replies", () => {
    show(
      withBody("b", { type: "interactive_reply", reply_type: "button_reply", id: "yes", title: "Yes, please", description: null, response_json: null }),
      withBody("r", { type: "interactive_reply", reply_type: "list_reply", id: "r2", title: "Express", description: "2 days", response_json: null }),
      withBody("q", { type: "button", text: "Stop promotions", payload: "STOP" }),
    );
    expect(screen.getByText("Yes, please")).toBeTruthy();
    expect(screen.getByText("Chose from a list")).toBeTruthy();
    expect(screen.getByText("2 days")).toBeTruthy();
    expect(screen.getByText("Stop promotions")).toBeTruthy();
  });

  it("shows orders, system notices, templates and stickers", async () => {
    show(
      withBody("o", { type: "order", catalog_id: "c1", text: "Please hurry", items: [{ product_retailer_id: "SKU-1", quantity: 2, item_price: 9.5, currency: "USD" }] }),
      withBody("s", { type: "system", system_type: "customer_changed_number", body: "Sheena changed their number", new_wa_id: "1650" }),
      withBody("tp", { type: "template", name: "order_update", language: "en_US", parameters: ["Sheena", "#4521"] }, { direction: "outbound", status: "read", text: "Hi Sheena, your order #4521 has shipped." }),
      withBody("st", media("sticker"), { id: 12, media: { status: "ready", mime_type: "image/webp", size: 3, error: null } }),
    );
    expect(screen.getByText("🛒 Order of 1 item")).toBeTruthy();
    expect(screen.getByText(/2 × SKU-1 — 9.50 USD/)).toBeTruthy();
    expect(screen.getByText("Sheena changed their number")).toBeTruthy();
    expect(screen.getByText("Template order_update (en_US)")).toBeTruthy();
    expect(screen.getByText("Hi Sheena, your order #4521 has shipped.")).toBeTruthy();
    expect((await screen.findByAltText("Sticker")).className).toBe("media-sticker");
  });

  it("keeps unsupported and unknown messages, saying they are not supported yet", () => {
    show(
      withBody("u", { type: "unsupported", errors: ["Message type unknown"] }),
      withBody("k", { type: "unknown", kind: "poll", raw: {} }, { text: "[poll]" }),
    );
    expect(screen.getAllByText("This message type is not supported yet")).toHaveLength(2);
    expect(screen.getByText("Message type unknown")).toBeTruthy();
  });

  it("puts reactions on the message they react to and takes removed ones away", () => {
    const target = message("m", 1_000, { wamid: "wamid.A" });
    const { rerender } = show(
      target,
      withBody("r1", { type: "reaction", message_id: "wamid.A", emoji: "👍" }, { created_at: 2_000 }),
    );
    expect(document.querySelectorAll(".message")).toHaveLength(1);
    expect(document.querySelector('[data-key="m"] .reaction')?.textContent).toBe("👍");
    rerender(
      <MessageList
        messages={[
          target,
          withBody("r1", { type: "reaction", message_id: "wamid.A", emoji: "👍" }, { created_at: 2_000 }),
          withBody("r2", { type: "reaction", message_id: "wamid.A", emoji: null }, { created_at: 3_000 }),
        ]}
        loaded
        error={null}
      />,
    );
    expect(document.querySelector(".reaction")).toBeNull();
  });

  it("shows the quoted message and the forwarded mark, and jumps to the quote", async () => {
    const quoted = message("q", 1_000, { wamid: "wamid.Q", text: "Is the black one in stock?" });
    const reply = message("r", 2_000, {
      text: "Any news?",
      body: { type: "text", body: "Any news?" },
      context: { reply_to: "wamid.Q", forwarded: true, frequently_forwarded: false, referral: null },
    });
    show(quoted, reply);
    const jump = document.querySelector<HTMLButtonElement>('[data-key="r"] .message-quote')!;
    expect(jump.textContent).toBe("Is the black one in stock?");
    expect(document.querySelector('[data-key="r"] .message-forwarded')?.textContent).toContain("Forwarded");
    const target = document.getElementById("message-q")!;
    const scrollIntoView = vi.fn();
    target.scrollIntoView = scrollIntoView;
    await userEvent.click(jump);
    expect(scrollIntoView).toHaveBeenCalled();
    expect(target.classList.contains("message-flash")).toBe(true);
  });

  it("shows internal notes between messages, marked as notes", () => {
    render(
      <MessageList
        messages={[message("a", 1_000), message("b", 3_000)]}
        notes={[{ key: "n1", id: 4, conversation_id: 1, author_name: "Amira", text: "Refund approved", status: "saved", error: null, created_at: 2_000 }]}
        loaded
        error={null}
      />,
    );
    const rows = [...document.querySelectorAll("#messages > li")].map((li) => li.className);
    expect(rows).toEqual(["message", "note", "message"]);
    expect(document.querySelector(".note")?.textContent).toContain("Internal note");
    expect(document.querySelector(".note")?.textContent).toContain("Refund approved");
  });
});

describe("MessageList focus", () => {
  it("scrolls to and flashes the message a search hit named, once", () => {
    const scrolled: string[] = [];
    const original = Object.getOwnPropertyDescriptor(Element.prototype, "scrollIntoView");
    Object.defineProperty(Element.prototype, "scrollIntoView", {
      configurable: true,
      value(this: Element) {
        scrolled.push(this.id);
      },
    });
    try {
      const messages = [message("m1", 1000), message("m2", 2000), message("m3", 3000)];
      const { rerender } = render(<MessageList messages={messages} loaded error={null} focusKey="m2" />);
      expect(scrolled).toEqual(["message-m2"]);
      expect(document.getElementById("message-m2")?.classList.contains("message-flash")).toBe(true);
      // New messages arriving later do not pull the view back to the hit.
      rerender(<MessageList messages={[...messages, message("m4", 4000)]} loaded error={null} focusKey="m2" />);
      expect(scrolled).toEqual(["message-m2"]);
    } finally {
      if (original) Object.defineProperty(Element.prototype, "scrollIntoView", original);
      else Reflect.deleteProperty(Element.prototype, "scrollIntoView");
    }
  });
});
