import { afterEach, describe, expect, it } from "vitest";
import type { BroadcastState } from "../../bindings/BroadcastState";
import type { TemplateSummary } from "../../bindings/TemplateSummary";
import { setLocale } from "../../i18n";
import { actionsFor, BROADCAST_STATES, draftOf, emptyForm, fitParameters, formatMoney, formatRate, formOf, isLive, problems, startOf, type BroadcastForm } from "./broadcastModel";

const offer: TemplateSummary = { name: "december_offer", language: "en_US", category: "marketing", body: "Hi {{1}}, {{2}} off until Sunday", parameters: 2 };
const NOW = Date.UTC(2026, 11, 1, 9, 0);

function form(overrides: Partial<BroadcastForm> = {}): BroadcastForm {
  return {
    ...emptyForm(),
    name: "December offer",
    segment: "VIP Thailand",
    template: "december_offer|en_US",
    parameters: [
      { kind: "attribute", attribute: "name", text: "", fallback: "friend" },
      { kind: "fixed", attribute: "name", text: "20%", fallback: "" },
    ],
    numbers: ["1001"],
    ...overrides,
  };
}

afterEach(() => setLocale("en"));

describe("actionsFor", () => {
  it("offers pause only while sending, resume only while paused, and nothing once finished", () => {
    const table = Object.fromEntries(BROADCAST_STATES.map((s) => [s, actionsFor(s)]));
    expect(table).toEqual({
      draft: ["schedule", "start"],
      scheduled: ["start", "cancel"],
      sending: ["pause", "cancel"],
      paused: ["resume", "cancel"],
      completed: [],
      cancelled: [],
    });
    for (const state of BROADCAST_STATES) {
      expect(actionsFor(state).includes("pause")).toBe(state === "sending");
      expect(actionsFor(state).includes("resume")).toBe(state === "paused");
    }
  });

  it("keeps reading results only while something can still move", () => {
    const live = BROADCAST_STATES.filter((s: BroadcastState) => isLive(s));
    expect(live).toEqual(["scheduled", "sending"]);
  });
});

describe("the composer's form", () => {
  it("sends each parameter's source, a blank fallback left out and fixed text as written", () => {
    const draft = draftOf(
      form({
        name: "  December offer ",
        parameters: [
          { kind: "attribute", attribute: " city ", text: "", fallback: "  " },
          { kind: "fixed", attribute: "name", text: " 20% ", fallback: "" },
        ],
      }),
    );
    expect(draft).toEqual({
      name: "December offer",
      audience: "VIP Thailand",
      template: "december_offer",
      language: "en_US",
      parameters: [
        { source: "attribute", name: "city" },
        { source: "fixed", text: " 20% " },
      ],
      numbers: ["1001"],
    });
  });

  it("reads a saved draft back, telling a saved segment from an expression", () => {
    const saved = draftOf(form());
    expect(formOf(saved, ["VIP Thailand"])).toEqual(form());
    const expression = { ...saved, audience: "tag:vip AND country:TH" };
    const back = formOf(expression, ["VIP Thailand"]);
    expect(back.audienceKind).toBe("expression");
    expect(back.expression).toBe("tag:vip AND country:TH");
    expect(draftOf(back).audience).toBe("tag:vip AND country:TH");
  });

  it("gives a template exactly one source per parameter, keeping those already set", () => {
    const two = form().parameters;
    expect(fitParameters(two, 3)).toHaveLength(3);
    expect(fitParameters(two, 3).slice(0, 2)).toEqual(two);
    expect(fitParameters(two, 1)).toEqual([two[0]]);
    expect(fitParameters(two, 0)).toEqual([]);
  });

  it("accepts a complete form", () => {
    expect(problems(form(), [offer], NOW, "UTC")).toEqual([]);
  });

  it("names each blank field, a parameter without its text or attribute, and a missing number", () => {
    const found = problems(
      form({
        name: " ",
        segment: "",
        parameters: [
          { kind: "attribute", attribute: "", text: "", fallback: "" },
          { kind: "fixed", attribute: "name", text: "  ", fallback: "" },
        ],
        numbers: [],
      }),
      [offer],
      NOW,
      "UTC",
    );
    expect(found.map((p) => [p.field, p.key])).toEqual([
      ["name", "broadcasts.problem.name"],
      ["audience", "broadcasts.problem.segment"],
      ["parameter-1", "broadcasts.problem.attribute"],
      ["parameter-2", "broadcasts.problem.fixedText"],
      ["numbers", "broadcasts.problem.numbers"],
    ]);
  });

  it("wants a template still offered, with as many sources as it has parameters", () => {
    expect(problems(form({ template: "" }), [offer], NOW, "UTC").map((p) => p.key)).toEqual(["broadcasts.problem.template"]);
    expect(problems(form({ template: "gone|en_US" }), [offer], NOW, "UTC").map((p) => p.key)).toEqual(["broadcasts.problem.templateGone"]);
    expect(problems(form({ parameters: [form().parameters[0]!] }), [offer], NOW, "UTC")).toEqual([
      { field: "template", key: "broadcasts.problem.parameterCount", params: { count: 2 } },
    ]);
  });

  it("takes a start time in the admin's zone and refuses one already past", () => {
    // 17:30 in Bangkok (UTC+7) is 10:30 UTC, after NOW (09:00 UTC).
    const later = form({ when: "later", at: "2026-12-01T17:30" });
    expect(problems(later, [offer], NOW, "Asia/Bangkok")).toEqual([]);
    expect(startOf(later, "Asia/Bangkok")).toBe(Date.UTC(2026, 11, 1, 10, 30));
    // The same wall time in UTC is still ahead; 15:00 in Bangkok (08:00 UTC) is not.
    expect(problems(form({ when: "later", at: "2026-12-01T15:00" }), [offer], NOW, "Asia/Bangkok").map((p) => p.key)).toEqual(["broadcasts.problem.atPast"]);
    expect(problems(form({ when: "later", at: "" }), [offer], NOW, "UTC").map((p) => p.key)).toEqual(["broadcasts.problem.at"]);
    expect(startOf(form(), "UTC")).toBeNull();
  });
});

describe("figures", () => {
  it("writes money from millionths with its currency, small prices keeping their decimals", () => {
    expect(formatMoney(25_000, "USD")).toBe("$0.025");
    expect(formatMoney(12_500_000, "USD")).toBe("$12.50");
    expect(formatMoney(1_234_000, "XXQ")).toContain("XXQ");
  });

  it("writes rates as percentages in the reader's language", () => {
    expect(formatRate(0.8125)).toBe("81.3%");
    expect(formatRate(Number.NaN)).toBe("–");
    setLocale("th");
    expect(formatRate(0.5)).toBe("50%");
  });
});
