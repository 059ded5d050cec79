import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Broadcast } from "../../bindings/Broadcast";
import type { BroadcastState } from "../../bindings/BroadcastState";
import { setLocale } from "../../i18n";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { BroadcastActions } from "./BroadcastActions";
import { BroadcastPreviewPanel } from "./BroadcastPreviewPanel";
import { broadcast, preview } from "./testData";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

afterEach(() => setLocale("en"));

function showPreview(p = preview(), options: { startAt?: number | null; unsaved?: boolean } = {}) {
  const changed = vi.fn<(b: Broadcast) => void>();
  mockCommands({
    preview_broadcast: () => p,
    start_broadcast: ({ id }) => broadcast({ id, state: "sending", recipients: p.recipients }),
    schedule_broadcast: ({ id, at }) => broadcast({ id, state: "scheduled", scheduled_at: at }),
  });
  render(
    <BroadcastPreviewPanel broadcast={broadcast()} startAt={options.startAt ?? null} unsaved={options.unsaved ?? false} timeProblem={null} onChanged={changed} />,
  );
  return { changed, user: userEvent.setup() };
}

describe("BroadcastPreviewPanel", () => {
  it("shows recipients, each exclusion with its reason, the cost by country and the sample", async () => {
    showPreview();
    await screen.findByText("Hi Noor, 20% off until Sunday");
    expect(document.getElementById("broadcast-preview-recipients")!.textContent).toBe("1,180");
    expect(document.getElementById("broadcast-preview-audience")!.textContent).toBe("1,250");
    const exclusions = screen.getByRole("list", { name: "Left out" });
    expect(within(exclusions).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Opted out: 40",
      "No valid WhatsApp number: 12",
      "Over the daily tier budget: 10",
      "Missing a parameter: 8",
    ]);
    const estimate = screen.getByRole("table", { name: "Estimated cost by country and category" });
    const thailand = within(estimate).getByRole("row", { name: /Thailand \(TH\)/ });
    expect(thailand.textContent).toContain("Marketing");
    expect(thailand.textContent).toContain("1,000");
    expect(thailand.textContent).toContain("$0.013");
    expect(thailand.textContent).toContain("$13.00");
    expect(document.getElementById("broadcast-estimate-total")!.textContent).toBe("$21.19");
    expect(document.getElementById("broadcast-preview-cost")!.textContent).toBe("$21.19");
  });

  it("says plainly when no rate card is loaded instead of showing a cost of zero", async () => {
    showPreview(preview({ cost: { rate_card: false, lines: [], totals: [], recipients: 1_180, unpriced: 1_180 } }));
    expect((await screen.findByRole("note")).textContent).toContain("No rate card is loaded");
    expect(screen.queryByRole("table")).toBeNull();
    expect(document.getElementById("broadcast-preview-cost")!.textContent).toBe("Unknown (no rate card)");
  });

  it("asks before starting, naming the recipients and the estimated cost, then starts", async () => {
    const { changed, user } = showPreview();
    await user.click(await screen.findByRole("button", { name: "Start now" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toBe("Start sending “December offer” now to 1,180 recipients? Estimated cost: $21.19.Start nowGo back");
    expect(callsOf("start_broadcast")).toHaveLength(0);
    await user.click(within(dialog).getByRole("button", { name: "Start now" }));
    expect(callsOf("start_broadcast")).toEqual([{ id: 12 }]);
    expect(changed).toHaveBeenCalledWith(expect.objectContaining({ state: "sending" }));
  });

  it("schedules for the time the form gives instead of starting", async () => {
    const at = Date.UTC(2026, 11, 24, 9, 0);
    const { user } = showPreview(preview(), { startAt: at });
    expect(screen.queryByRole("button", { name: "Start now" })).toBeNull();
    await user.click(await screen.findByRole("button", { name: /^Schedule for/ }));
    expect(screen.getByRole("alertdialog").textContent).toContain("to 1,180 recipients? Estimated cost: $21.19.");
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Schedule" }));
    expect(callsOf("schedule_broadcast")).toEqual([{ id: 12, at }]);
  });

  it("holds the draft back while edits are unsaved or the filter blocks the template", async () => {
    showPreview(preview(), { unsaved: true });
    expect(await screen.findByText(/Save your changes first/)).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Start now" }).disabled).toBe(true);
  });

  it("shows the server's refusal as it comes", async () => {
    const user = userEvent.setup();
    mockCommands({
      preview_broadcast: () => preview(),
      start_broadcast: () => {
        throw { code: "conflict", message: "Number 1001 has no approved template december_offer (en_US)." };
      },
    });
    render(<BroadcastPreviewPanel broadcast={broadcast()} startAt={null} unsaved={false} timeProblem={null} onChanged={() => {}} />);
    await user.click(await screen.findByRole("button", { name: "Start now" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Start now" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Number 1001 has no approved template december_offer (en_US).");
    expect(alert.getAttribute("data-code")).toBe("conflict");
  });
});

describe("BroadcastActions", () => {
  const buttonsFor = (state: BroadcastState) => {
    const { unmount } = render(<BroadcastActions broadcast={broadcast({ state, recipients: 10 })} startAt={null} estimate={null} holdBack={null} onChanged={() => {}} />);
    const names = screen.queryAllByRole("button").map((b) => b.textContent);
    unmount();
    return names;
  };

  it("offers pause only while sending, resume only while paused, and nothing once it is over", () => {
    expect(buttonsFor("scheduled")).toEqual(["Start now", "Cancel broadcast"]);
    expect(buttonsFor("sending")).toEqual(["Pause", "Cancel broadcast"]);
    expect(buttonsFor("paused")).toEqual(["Resume", "Cancel broadcast"]);
    expect(buttonsFor("completed")).toEqual([]);
    expect(buttonsFor("cancelled")).toEqual([]);
  });

  it("cancels only after the admin confirms", async () => {
    const user = userEvent.setup();
    mockCommands({ cancel_broadcast: ({ id }) => broadcast({ id, state: "cancelled" }) });
    const changed = vi.fn();
    render(<BroadcastActions broadcast={broadcast({ state: "sending" })} startAt={null} estimate={null} holdBack={null} onChanged={changed} />);
    await user.click(screen.getByRole("button", { name: "Cancel broadcast" }));
    expect(screen.getByRole("alertdialog").textContent).toContain("Recipients not sent to yet will get nothing");
    await user.click(screen.getByRole("button", { name: "Go back" }));
    expect(callsOf("cancel_broadcast")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Cancel broadcast" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel broadcast" }));
    expect(callsOf("cancel_broadcast")).toEqual([{ id: 12 }]);
    expect(changed).toHaveBeenCalledWith(expect.objectContaining({ state: "cancelled" }));
  });

  it("words its question in Arabic with Arabic plurals", async () => {
    setLocale("ar");
    const user = userEvent.setup();
    render(<BroadcastActions broadcast={broadcast()} startAt={null} estimate={{ recipients: 2, cost: "$0.05" }} holdBack={null} onChanged={() => {}} />);
    await user.click(screen.getByRole("button", { name: "ابدأ الآن" }));
    expect(screen.getByRole("alertdialog").textContent).toContain("إلى مستلمَين (2)؟ التكلفة التقديرية: $0.05.");
  });
});
