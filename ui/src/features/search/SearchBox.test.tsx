import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SearchHit } from "../../bindings/SearchHit";
import { callsOf, mockCommands } from "../../test/ipcMock";
import { SearchBox } from "./SearchBox";
import { SEARCH_DELAY_MS } from "./useSearch";

vi.mock("../../ipc", () => import("../../test/ipcMock"));

const THAI = "สวัสดีค่ะ อยากทราบสถานะการสั่งซื้อค่ะ";

function hit(key: string, snippet: string, needle: string, conversation_id = 3): SearchHit {
  const start = snippet.indexOf(needle);
  return {
    conversation_id,
    message_key: key,
    contact_label: "สมชาย",
    created_at: 1_760_000_000_000,
    snippet,
    spans: [{ start, end: start + needle.length }],
  };
}

async function settle() {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS + 10);
  });
}

describe("SearchBox", () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("searches as the agent types and highlights the match", async () => {
    mockCommands({
      search_messages: ({ query }) => ({ hits: query === "สั่งซื้อ" ? [hit("m1", THAI, "สั่งซื้อ")] : [], next: null }),
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<SearchBox onOpen={() => {}} />);
    const input = document.getElementById("search") as HTMLInputElement;
    expect(input.getAttribute("dir")).toBe("auto");
    await user.type(input, "สั่งซื้อ");
    await settle();
    // One call for the whole word, not one per keystroke.
    expect(callsOf("search_messages")).toEqual([{ query: "สั่งซื้อ", conversation_id: null, before: null, limit: 20 }]);
    const hits = document.querySelectorAll("#search-results .search-hit");
    expect(hits).toHaveLength(1);
    expect(hits[0]!.querySelector("mark")?.textContent).toBe("สั่งซื้อ");
    expect(hits[0]!.querySelector(".search-hit-snippet")?.getAttribute("dir")).toBe("auto");
    expect(hits[0]!.textContent).toContain("สมชาย");
  });

  it("opens a hit on click and on Enter, then clears", async () => {
    const opened: SearchHit[] = [];
    const found = hit("m7", "متى يصل طلبي رقم 4521؟", "طلبي", 9);
    mockCommands({ search_messages: () => ({ hits: [found], next: null }) });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<SearchBox onOpen={(h) => opened.push(h)} />);
    const input = document.getElementById("search") as HTMLInputElement;
    await user.type(input, "طلبي");
    await settle();
    await user.click(document.querySelector(".search-hit")!);
    expect(opened.map((h) => h.conversation_id)).toEqual([9]);
    expect(input.value).toBe("");

    await user.type(input, "طلبي");
    await settle();
    await user.keyboard("{Enter}");
    expect(opened.map((h) => h.message_key)).toEqual(["m7", "m7"]);
  });

  it("says when nothing matches, pages older hits, and notes short queries", async () => {
    mockCommands({
      search_messages: ({ before }) =>
        before === null
          ? { hits: [hit("m2", "order ready", "order")], next: { created_at: 1, id: 42 } }
          : { hits: [hit("m1", "old order", "order")], next: null },
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<SearchBox onOpen={() => {}} />);
    const input = document.getElementById("search") as HTMLInputElement;
    await user.type(input, "order");
    await settle();
    await user.click(screen.getByRole("button", { name: "More results" }));
    await settle();
    expect(callsOf("search_messages").at(-1)).toEqual({ query: "order", conversation_id: null, before: { created_at: 1, id: 42 }, limit: 20 });
    expect([...document.querySelectorAll(".search-hit")].map((e) => (e as HTMLElement).dataset.messageKey)).toEqual(["m2", "m1"]);
    expect(screen.queryByRole("button", { name: "More results" })).toBeNull();

    mockCommands({ search_messages: () => ({ hits: [], next: null }) });
    await user.clear(input);
    await user.type(input, "ok");
    await settle();
    expect(screen.getByText(/only look at recent messages/)).toBeTruthy();
    expect(screen.getByText(/No cached message matches “ok”/)).toBeTruthy();
  });

  it("limits the search to the conversation on screen when asked, and pages within it", async () => {
    mockCommands({
      search_messages: ({ conversation_id, before }) =>
        conversation_id === 5
          ? before === null
            ? { hits: [hit("c2", "refund sent", "refund", 5)], next: { created_at: 2, id: 7 } }
            : { hits: [hit("c1", "refund asked", "refund", 5)], next: null }
          : { hits: [hit("x1", "refund elsewhere", "refund", 8), hit("c2", "refund sent", "refund", 5)], next: null },
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const { rerender } = render(<SearchBox onOpen={() => {}} current={{ id: 5, label: "Noor" }} />);
    const input = document.getElementById("search") as HTMLInputElement;
    await user.type(input, "refund");
    await settle();
    const keys = () => [...document.querySelectorAll(".search-hit")].map((e) => (e as HTMLElement).dataset.messageKey);
    expect(keys()).toEqual(["x1", "c2"]);

    const scope = screen.getByLabelText("Only in the conversation with Noor");
    await user.click(scope);
    await settle();
    expect(callsOf("search_messages").at(-1)).toEqual({ query: "refund", conversation_id: 5, before: null, limit: 20 });
    expect(keys()).toEqual(["c2"]);
    await user.click(screen.getByRole("button", { name: "More results" }));
    await settle();
    expect(callsOf("search_messages").at(-1)).toEqual({ query: "refund", conversation_id: 5, before: { created_at: 2, id: 7 }, limit: 20 });
    expect(keys()).toEqual(["c2", "c1"]);

    // With no conversation on screen there is nothing to limit to: the whole cache is searched.
    rerender(<SearchBox onOpen={() => {}} current={null} />);
    await settle();
    expect(screen.queryByLabelText(/Only in the conversation/)).toBeNull();
    expect(callsOf("search_messages").at(-1)).toMatchObject({ conversation_id: null });
    expect(keys()).toEqual(["x1", "c2"]);
  });
});
