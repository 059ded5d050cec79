import type { Budget } from "../../bindings/Budget";
import type { BudgetHeadroom } from "../../bindings/BudgetHeadroom";
import type { BudgetScope } from "../../bindings/BudgetScope";
import type { BudgetStatus } from "../../bindings/BudgetStatus";

/** The thresholds a budget warns at when it names none (the server's default). */
export const DEFAULT_THRESHOLDS = [80, 100];

/** One budget as the editor holds it: the amount and thresholds as typed. */
export type BudgetDraft = { scope: BudgetScope; target: string; amount: string; currency: string; thresholds: string };

/** A decimal amount as typed (`12.5`, `0,025`) in millionths, or null when it is not one. */
export function parseAmount(text: string): number | null {
  const clean = text.trim().replace(",", ".");
  if (!/^\d+(\.\d{1,6})?$/.test(clean)) return null;
  const [whole, fraction = ""] = clean.split(".");
  const micros = Number(whole) * 1_000_000 + Number(fraction.padEnd(6, "0"));
  return Number.isSafeInteger(micros) ? micros : null;
}

/** Millionths as the decimal the editor shows (`12500000` → `12.5`). */
export function amountText(micros: number): string {
  const whole = Math.trunc(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** Thresholds as typed (`80, 100`), ascending without repeats; null when one is not a whole percentage from 1 to 1000. Empty: the defaults. */
export function parseThresholds(text: string): number[] | null {
  const parts = text
    .split(/[,\s،]+/)
    .map((p) => p.trim().replace(/%$/, ""))
    .filter((p) => p !== "");
  const numbers = parts.map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) return null;
  return [...new Set(numbers)].sort((a, b) => a - b);
}

export function draftOf(budget: Budget): BudgetDraft {
  return {
    scope: budget.scope,
    target: budget.target,
    amount: amountText(budget.cap.amount_micros),
    currency: budget.cap.currency,
    thresholds: (budget.thresholds.length ? budget.thresholds : DEFAULT_THRESHOLDS).join(", "),
  };
}

/** The budgets to save, or the position (0-based) and field of the first that cannot be. */
export function budgetsOf(drafts: BudgetDraft[]): { budgets: Budget[] } | { index: number; field: "target" | "amount" | "thresholds" } {
  const budgets: Budget[] = [];
  for (const [index, d] of drafts.entries()) {
    if (d.scope !== "account" && d.target.trim() === "") return { index, field: "target" };
    const amount = parseAmount(d.amount);
    if (amount === null || amount === 0) return { index, field: "amount" };
    const thresholds = parseThresholds(d.thresholds);
    if (thresholds === null) return { index, field: "thresholds" };
    budgets.push({
      scope: d.scope,
      target: d.scope === "account" ? "" : d.target.trim(),
      cap: { currency: d.currency.trim().toUpperCase(), amount_micros: amount },
      thresholds,
    });
  }
  return { budgets };
}

/** How full a budget's bar is drawn (0 to 100) and how it reads: ok, warned (a threshold below 100 % crossed) or over. */
export function barOf(status: BudgetStatus): { fill: number; level: "ok" | "warned" | "over" } {
  const fill = Math.min(100, status.percent);
  if (status.spent_micros >= status.budget.cap.amount_micros) return { fill, level: "over" };
  return { fill, level: status.warned.length > 0 ? "warned" : "ok" };
}

/** The headroom to show next to a broadcast's estimate: the first budget it exceeds, else the tightest. */
export function tightest(budgets: BudgetHeadroom[] | undefined): BudgetHeadroom | null {
  if (!budgets || budgets.length === 0) return null;
  return budgets.find((b) => b.exceeded) ?? [...budgets].sort((a, b) => a.remaining.amount_micros - b.remaining.amount_micros)[0]!;
}
