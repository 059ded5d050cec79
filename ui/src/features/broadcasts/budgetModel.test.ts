import { describe, expect, it } from "vitest";
import type { BudgetStatus } from "../../bindings/BudgetStatus";
import { amountText, barOf, budgetsOf, parseAmount, parseThresholds, tightest } from "./budgetModel";

const usd = (amount_micros: number) => ({ currency: "USD", amount_micros });

describe("budget amounts and thresholds", () => {
  it("reads decimal amounts into millionths and writes them back", () => {
    expect(parseAmount("12.5")).toBe(12_500_000);
    expect(parseAmount(" 0,025 ")).toBe(25_000);
    expect(parseAmount("3")).toBe(3_000_000);
    for (const bad of ["", "-1", "1.2345678", "ten", "1e3"]) expect(parseAmount(bad)).toBeNull();
    for (const micros of [12_500_000, 25_000, 3_000_000, 1]) expect(parseAmount(amountText(micros))).toBe(micros);
  });

  it("reads thresholds in any order, without repeats, and refuses what is not a percentage", () => {
    expect(parseThresholds("100, 80, 80")).toEqual([80, 100]);
    expect(parseThresholds("50% 90%")).toEqual([50, 90]);
    expect(parseThresholds("")).toEqual([]);
    expect(parseThresholds("0")).toBeNull();
    expect(parseThresholds("80.5")).toBeNull();
  });

  it("names the first budget that cannot be saved and the field to fix", () => {
    const ok = { scope: "account" as const, target: "ignored", amount: "50", currency: "usd", thresholds: "" };
    expect(budgetsOf([ok])).toEqual({ budgets: [{ scope: "account", target: "", cap: usd(50_000_000), thresholds: [] }] });
    expect(budgetsOf([ok, { ...ok, scope: "number", target: " " }])).toEqual({ index: 1, field: "target" });
    expect(budgetsOf([{ ...ok, amount: "0" }])).toEqual({ index: 0, field: "amount" });
    expect(budgetsOf([{ ...ok, thresholds: "eighty" }])).toEqual({ index: 0, field: "thresholds" });
  });
});

describe("budget bars", () => {
  const status = (spent: number, warned: number[]): BudgetStatus => ({
    budget: { scope: "account", target: "", cap: usd(100), thresholds: [] },
    label: "",
    spent_micros: spent,
    remaining_micros: Math.max(0, 100 - spent),
    percent: spent,
    projected_micros: spent,
    warned,
  });

  it("fills to the percentage, at most full, and says how it stands", () => {
    expect(barOf(status(40, []))).toEqual({ fill: 40, level: "ok" });
    expect(barOf(status(85, [80]))).toEqual({ fill: 85, level: "warned" });
    expect(barOf(status(130, [80, 100]))).toEqual({ fill: 100, level: "over" });
  });

  it("shows the budget a broadcast exceeds, else the one with least left", () => {
    const headroom = (target: string, left: number, exceeded: boolean) => ({
      scope: "number" as const, target, label: target, remaining: usd(left), cap: usd(1000), exceeded,
    });
    expect(tightest([])).toBeNull();
    expect(tightest([headroom("A", 50, false), headroom("B", 10, false)])!.target).toBe("B");
    expect(tightest([headroom("A", 500, true), headroom("B", 10, false)])!.target).toBe("A");
  });
});
