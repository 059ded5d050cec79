import type { BroadcastSpend } from "../../bindings/BroadcastSpend";
import type { CostEstimate } from "../../bindings/CostEstimate";
import type { Money } from "../../bindings/Money";
import { intlLocale, t } from "../../i18n";
import { formatCount, formatMoney } from "./broadcastModel";

/** A total per currency, joined (`$12.50 + €3.00`); a dash when nothing is priced. */
export function formatTotals(totals: readonly Money[]): string {
  if (totals.length === 0) return "–";
  return totals.map((m) => formatMoney(m.amount_micros, m.currency)).join(" + ");
}

/** A country's name in the reader's language, with its code; `unknown` said in words. */
export function countryName(code: string): string {
  if (code === "unknown" || !/^[A-Z]{2}$/.test(code)) return t("broadcasts.country.unknown");
  try {
    const names = new Intl.DisplayNames([intlLocale()], { type: "region" });
    const name = names.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** A pricing category's name on screen; one the desk does not know yet stays as written. */
export function categoryName(category: string): string {
  switch (category.toLowerCase()) {
    case "marketing":
      return t("broadcasts.category.marketing");
    case "utility":
      return t("broadcasts.category.utility");
    case "authentication":
      return t("broadcasts.category.authentication");
    case "authentication_international":
      return t("broadcasts.category.authenticationInternational");
    case "service":
      return t("broadcasts.category.service");
    default:
      return category;
  }
}

/** What a send would cost by the rate card: a line per country and category, and the total. */
export function EstimateTable({ estimate }: { estimate: CostEstimate }) {
  if (!estimate.rate_card) {
    return (
      <p id="broadcast-no-rate-card" className="admin-note broadcast-caution" role="note">
        {t("broadcasts.cost.noRateCard")}
      </p>
    );
  }
  return (
    <table id="broadcast-estimate" className="board-table broadcast-cost-table">
      <caption>{t("broadcasts.cost.estimate")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("broadcasts.cost.country")}</th>
          <th scope="col">{t("broadcasts.cost.category")}</th>
          <th scope="col" className="numeric">
            {t("broadcasts.cost.recipients")}
          </th>
          <th scope="col" className="numeric">
            {t("broadcasts.cost.unit")}
          </th>
          <th scope="col" className="numeric">
            {t("broadcasts.cost.total")}
          </th>
        </tr>
      </thead>
      <tbody>
        {estimate.lines.map((line) => (
          <tr key={`${line.country}/${line.category}`} className="broadcast-cost-line" data-country={line.country} data-category={line.category}>
            <th scope="row">{countryName(line.country)}</th>
            <td>{categoryName(line.category)}</td>
            <td className="numeric">{formatCount(line.recipients)}</td>
            <td className="numeric">{line.unit_price ? formatMoney(line.unit_price.amount_micros, line.unit_price.currency) : t("broadcasts.cost.noPrice")}</td>
            <td className="numeric">{line.total ? formatMoney(line.total.amount_micros, line.total.currency) : "–"}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {t("broadcasts.cost.sum")}
          </th>
          <td className="numeric">{formatCount(estimate.recipients)}</td>
          <td />
          <td className="numeric" id="broadcast-estimate-total">
            {formatTotals(estimate.totals)}
          </td>
        </tr>
        {estimate.unpriced > 0 && (
          <tr>
            <td colSpan={5} className="broadcast-caution">
              {t("broadcasts.cost.unpriced", { count: estimate.unpriced })}
            </td>
          </tr>
        )}
      </tfoot>
    </table>
  );
}

/** What WhatsApp charged for a broadcast so far, by country and category. */
export function SpendTable({ spend }: { spend: BroadcastSpend }) {
  if (!spend.rate_card) {
    return <p className="admin-note broadcast-caution">{t("broadcasts.cost.noRateCardSpend")}</p>;
  }
  return (
    <table id="broadcast-spend" className="board-table broadcast-cost-table">
      <caption>{t("broadcasts.results.cost")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("broadcasts.cost.country")}</th>
          <th scope="col">{t("broadcasts.cost.category")}</th>
          <th scope="col" className="numeric">
            {t("broadcasts.cost.billable")}
          </th>
          <th scope="col" className="numeric">
            {t("broadcasts.cost.total")}
          </th>
        </tr>
      </thead>
      <tbody>
        {spend.lines.map((line) => {
          const [country = line.key, category = ""] = line.key.split("/");
          return (
            <tr key={`${line.key}-${line.currency ?? ""}`} className="broadcast-cost-line">
              <th scope="row">{countryName(country)}</th>
              <td>{categoryName(category)}</td>
              <td className="numeric">{formatCount(line.billable)}</td>
              <td className="numeric">{line.currency ? formatMoney(line.amount_micros, line.currency) : t("broadcasts.cost.noPrice")}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {t("broadcasts.cost.sum")}
          </th>
          <td className="numeric" id="broadcast-spend-total">
            {formatTotals(spend.totals)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
