import { useState } from "react";
import type { RateCardEntry } from "../../bindings/RateCardEntry";
import type { RateCardImportReport } from "../../bindings/RateCardImportReport";
import { Button } from "../../components/Button";
import { t, useLocale } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useLoad } from "../admin/useAdminData";
import { formatCount, formatInstant, formatMoney } from "./broadcastModel";
import { categoryName } from "./CostTables";

/** The card as a table: market, category, price and the date it applies from. */
export function RateCardTable({ id, caption, entries }: { id: string; caption: string; entries: readonly RateCardEntry[] }) {
  return (
    <table id={id} className="board-table rate-card-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("broadcasts.rateCard.market")}</th>
          <th scope="col">{t("broadcasts.cost.category")}</th>
          <th scope="col" className="numeric">
            {t("broadcasts.rateCard.price")}
          </th>
          <th scope="col">{t("broadcasts.rateCard.from")}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={`${e.market}/${e.category}/${e.effective_from}`} className="rate-card-entry" data-market={e.market} data-category={e.category}>
            <th scope="row" dir="auto">
              {e.market}
            </th>
            <td>{categoryName(e.category)}</td>
            <td className="numeric">{formatMoney(e.amount_micros, e.currency)}</td>
            <td>{e.effective_from === 0 ? t("broadcasts.rateCard.always") : formatInstant(e.effective_from, "UTC")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The rate card (number managers): upload Meta's price list as CSV, read it back as a dry run
 * with its problems by line, then save it; below, the card in use.
 */
export function RateCardPanel() {
  useLocale();
  const loaded = useLoad("rate_card");
  const [entries, setEntries] = useState<RateCardEntry[] | null>(null);
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const [currency, setCurrency] = useState("");
  const [report, setReport] = useState<RateCardImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const card = entries ?? loaded.data?.entries ?? null;

  async function check(text: string, dryRun: boolean) {
    setBusy(true);
    setError(null);
    try {
      const answer = await call("import_rate_card", { csv: text, dry_run: dryRun, currency: currency.trim() || null });
      setReport(answer);
      if (answer.saved) setEntries(answer.entries);
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setBusy(false);
    }
  }

  async function choose(file: File | undefined) {
    setReport(null);
    if (!file) return setCsv(null);
    const text = await file.text();
    setCsv({ name: file.name, text });
    await check(text, true);
  }

  const canSave = !!csv && !!report && !report.saved && report.errors.length === 0 && report.entries.length > 0 && !busy;
  return (
    <section className="board-section admin-panel rate-card-panel" aria-labelledby="rate-card-title">
      <h2 id="rate-card-title" className="board-title">
        {t("broadcasts.rateCard.title")}
      </h2>
      <p className="admin-note">{t("broadcasts.rateCard.note")}</p>
      <div className="admin-fields">
        <div className="automation-field">
          <label htmlFor="rate-card-file">{t("broadcasts.rateCard.file")}</label>
          <input id="rate-card-file" type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
        </div>
        <div className="automation-field">
          <label htmlFor="rate-card-currency">{t("broadcasts.rateCard.currency")}</label>
          <input id="rate-card-currency" value={currency} maxLength={3} dir="ltr" placeholder="USD" onChange={(e) => setCurrency(e.target.value.toUpperCase())} />
        </div>
        {csv && (
          <Button id="rate-card-check" onClick={() => void check(csv.text, true)} disabled={busy}>
            {t("broadcasts.rateCard.checkAgain")}
          </Button>
        )}
      </div>
      {error && (
        <p id="rate-card-error" className="load-error" role="alert" dir="auto">
          {error}
        </p>
      )}
      {report && (
        <div id="rate-card-report" className="rate-card-report" data-saved={report.saved}>
          <p role="status">
            {report.saved
              ? t("broadcasts.rateCard.saved", { count: report.entries.length, repriced: formatCount(report.repriced) })
              : t("broadcasts.rateCard.read", { count: report.entries.length, errors: report.errors.length })}
          </p>
          {report.ignored_columns.length > 0 && (
            <p className="admin-note" dir="auto">
              {t("broadcasts.rateCard.ignored", { columns: report.ignored_columns.join(", ") })}
            </p>
          )}
          {report.errors.length > 0 && (
            <ul id="rate-card-errors" className="filter-errors">
              {report.errors.map((e) => (
                <li key={`${e.line}-${e.message}`} className="csv-error" data-line={e.line} dir="auto">
                  {t("broadcasts.rateCard.line", { line: e.line, message: e.message })}
                </li>
              ))}
            </ul>
          )}
          {!report.saved && report.entries.length > 0 && <RateCardTable id="rate-card-preview" caption={t("broadcasts.rateCard.previewCaption")} entries={report.entries} />}
          {!report.saved && (
            <Button id="rate-card-save" variant="primary" disabled={!canSave} onClick={() => csv && void check(csv.text, false)}>
              {t("broadcasts.rateCard.save")}
            </Button>
          )}
        </div>
      )}
      {loaded.error && (
        <p className="load-error" role="alert" dir="auto">
          {loaded.error}
        </p>
      )}
      {card &&
        (card.length === 0 ? (
          <p id="rate-card-empty" className="board-empty">
            {t("broadcasts.rateCard.none")}
          </p>
        ) : (
          <RateCardTable id="rate-card" caption={t("broadcasts.rateCard.current")} entries={card} />
        ))}
    </section>
  );
}
