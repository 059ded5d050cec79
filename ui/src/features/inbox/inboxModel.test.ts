import { describe, expect, it } from "vitest";
import { entry } from "../../test/fixtures";
import { applyInboxEntry, contactLabel, mergeInboxSnapshot, sortInbox } from "./inboxModel";

const ids = (entries: { conversation: { id: number } }[]) => entries.map((e) => e.conversation.id);

describe("inbox model", () => {
  it("sorts newest activity first", () => {
    expect(ids(sortInbox([entry(1, 100), entry(2, 300), entry(3, 200)]))).toEqual([2, 3, 1]);
  });

  it("replaces an entry by conversation id, or inserts it", () => {
    const list = sortInbox([entry(1, 100), entry(2, 300)]);
    const bumped = applyInboxEntry(list, entry(1, 400, { unread: 2 }));
    expect(ids(bumped)).toEqual([1, 2]);
    expect(bumped[0]?.unread_count).toBe(2);
    expect(ids(applyInboxEntry(bumped, entry(9, 350)))).toEqual([1, 9, 2]);
  });

  it("lets events that raced a snapshot win over it", () => {
    const merged = mergeInboxSnapshot([entry(1, 100, { unread: 3 }), entry(2, 50)], [entry(1, 100, { unread: 0 })]);
    expect(merged.find((e) => e.conversation.id === 1)?.unread_count).toBe(0);
  });

  it("labels contacts by name, then number, then user id", () => {
    const base = { id: 1, wa_id: null, user_id: null, name: null };
    expect(contactLabel({ ...base, name: "Noor", wa_id: "971500000001" })).toBe("Noor");
    expect(contactLabel({ ...base, wa_id: "971500000001", user_id: "US.123" })).toBe("+971500000001");
    expect(contactLabel({ ...base, user_id: "US.123" })).toBe("US.123");
  });
});
