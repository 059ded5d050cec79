import { describe, expect, it } from "vitest";
import type { Conversation } from "../../bindings/Conversation";
import type { InboxEntry } from "../../bindings/InboxEntry";
import { entry } from "../../test/fixtures";
import {
  applyView,
  DEFAULT_VIEW,
  inboxFacets,
  loadView,
  matchesView,
  saveView,
  sortForView,
  waitingSince,
  type InboxView,
} from "./inboxView";

const ME = 7;

function conv(id: number, changes: Partial<Conversation> = {}, unread = 0): InboxEntry {
  const base = entry(id, 1_000 * id, { unread });
  return { ...base, conversation: { ...base.conversation, ...changes } };
}

const ids = (list: InboxEntry[]) => list.map((e) => e.conversation.id);
const view = (changes: Partial<InboxView>): InboxView => ({ ...DEFAULT_VIEW, ...changes });

const inbox = [
  conv(1, { assigned_user_id: ME, team_name: "Riyadh", phone_number_id: "A", business_name: "Support AR", tags: ["vip"] }),
  conv(2, { assigned_user_id: 9, team_name: "Bangkok", phone_number_id: "B", business_name: "Support TH", tags: [] }),
  conv(3, { assigned_user_id: null, team_name: "Riyadh", phone_number_id: "A", business_name: "Support AR", tags: ["refund", "vip"], queued_at: 2_500 }),
  conv(4, { assigned_user_id: ME, team_name: null, phone_number_id: "B", business_name: "Support TH", status: "resolved" }),
];

describe("inbox filters", () => {
  it("shows everything by default", () => {
    expect(ids(applyView(inbox, DEFAULT_VIEW, ME))).toEqual([4, 3, 2, 1]);
  });

  it("mine: conversations assigned to the signed-in user", () => {
    expect(ids(applyView(inbox, view({ assignment: "mine" }), ME))).toEqual([4, 1]);
    expect(ids(applyView(inbox, view({ assignment: "mine" }), null))).toEqual([]);
  });

  it("unassigned: conversations nobody has yet", () => {
    expect(ids(applyView(inbox, view({ assignment: "unassigned" }), ME))).toEqual([3]);
  });

  it("team: by the conversation's team name", () => {
    expect(ids(applyView(inbox, view({ team: "Riyadh" }), ME))).toEqual([3, 1]);
  });

  it("number: by the business number's phone_number_id", () => {
    expect(ids(applyView(inbox, view({ number: "B" }), ME))).toEqual([4, 2]);
  });

  it("tag: conversations carrying the tag", () => {
    expect(ids(applyView(inbox, view({ tag: "refund" }), ME))).toEqual([3]);
    expect(ids(applyView(inbox, view({ tag: "vip" }), ME))).toEqual([3, 1]);
  });

  it("status: open or resolved", () => {
    expect(ids(applyView(inbox, view({ status: "resolved" }), ME))).toEqual([4]);
    expect(ids(applyView(inbox, view({ status: "open" }), ME))).toEqual([3, 2, 1]);
  });

  it("combines filters", () => {
    const v = view({ assignment: "mine", number: "A", tag: "vip", status: "open" });
    expect(inbox.filter((e) => matchesView(e.conversation, v, ME)).map((e) => e.conversation.id)).toEqual([1]);
  });

  it("offers the teams, numbers and tags present", () => {
    expect(inboxFacets(inbox)).toEqual({
      teams: ["Bangkok", "Riyadh"],
      numbers: [
        { id: "A", name: "Support AR" },
        { id: "B", name: "Support TH" },
      ],
      tags: ["refund", "vip"],
    });
  });
});

describe("sorting by waiting time", () => {
  // last_message_at is 1000 * id unless changed.
  const answered = conv(1, { last_inbound_at: 500 }); // the agent wrote last
  const waitingSinceNine = conv(2, { last_inbound_at: 9_000, last_message_at: 9_000 });
  const waitingSinceThree = conv(3, { last_inbound_at: 3_000, last_message_at: 3_000 });
  const queued = conv(4, { assigned_user_id: null, queued_at: 4_000, last_inbound_at: 4_000, last_message_at: 4_500 });
  const resolved = conv(5, { status: "resolved", last_inbound_at: 100, last_message_at: 100 });
  const quiet = conv(6, { last_inbound_at: null, last_message_at: 6_000 });
  const all = [answered, waitingSinceNine, waitingSinceThree, queued, resolved, quiet];

  it("knows who is waiting and since when", () => {
    expect(waitingSince(answered.conversation)).toBeNull();
    expect(waitingSince(waitingSinceThree.conversation)).toBe(3_000);
    // The queue notice the server sent (last_message_at 4500) is no answer.
    expect(waitingSince(queued.conversation)).toBe(4_000);
    expect(waitingSince(resolved.conversation)).toBeNull();
    expect(waitingSince(quiet.conversation)).toBeNull();
  });

  it("puts the longest-waiting customers first, then the rest newest first", () => {
    expect(ids(sortForView(all, "waiting"))).toEqual([3, 4, 2, 6, 1, 5]);
  });

  it("or simply newest activity first", () => {
    expect(ids(sortForView(all, "newest"))).toEqual([2, 6, 4, 3, 1, 5]);
  });
});

describe("remembered view", () => {
  it("is kept per user and survives a reload", () => {
    const mine = view({ assignment: "mine", tag: "vip", sort: "waiting" });
    saveView(ME, mine);
    expect(loadView(ME)).toEqual(mine);
    expect(loadView(8)).toEqual(DEFAULT_VIEW);
  });

  it("falls back to the default for damaged or unknown values", () => {
    localStorage.setItem(`switchboard.inbox.${ME}`, "{not json");
    expect(loadView(ME)).toEqual(DEFAULT_VIEW);
    localStorage.setItem(`switchboard.inbox.${ME}`, JSON.stringify({ assignment: "everyone", sort: "waiting", team: 4 }));
    expect(loadView(ME)).toEqual(view({ sort: "waiting" }));
  });
});
