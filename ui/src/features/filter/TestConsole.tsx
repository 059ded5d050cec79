import { useState, type FormEvent } from "react";
import type { FilterReport } from "../../bindings/FilterReport";
import type { PolicyDraft } from "../../bindings/PolicyDraft";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { FilterHighlights } from "../conversation/FilterHighlights";
import { FilterRules } from "../conversation/FilterRules";

type Props = {
  /** Unsaved edits to test instead of the saved policy; null tests the saved one. */
  draft: PolicyDraft | null;
};

const orNull = (value: string) => (value.trim() ? value.trim() : null);

/** Checks a text on the server as it would be checked when sent, and shows every match. */
export function TestConsole({ draft }: Props) {
  const [text, setText] = useState("");
  const [number, setNumber] = useState("");
  const [team, setTeam] = useState("");
  const [language, setLanguage] = useState("");
  const [tested, setTested] = useState<{ text: string; report: FilterReport } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function test(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const report = await call("test_filter_text", {
        text,
        scope: { number: orNull(number), team: orNull(team), language: orNull(language) },
        draft,
      });
      setTested({ text, report });
    } catch (err) {
      setError(toIpcError(err).message);
    } finally {
      setBusy(false);
    }
  }

  const report = tested?.report;
  return (
    <section className="filter-section" aria-labelledby="filter-test-title">
      <h3 id="filter-test-title">{draft ? t("filter.testDraft") : t("filter.test")}</h3>
      <form id="filter-test" className="filter-test-form" onSubmit={(e) => void test(e)}>
        <textarea
          id="filter-test-text"
          dir="auto"
          rows={3}
          aria-label={t("filter.testText")}
          placeholder={t("filter.testText")}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="filter-test-scope">
          <input id="filter-test-number" aria-label={t("filter.testNumber")} placeholder={t("filter.testNumber")} value={number} onChange={(e) => setNumber(e.target.value)} />
          <input id="filter-test-team" aria-label={t("filter.testTeam")} placeholder={t("filter.testTeam")} value={team} onChange={(e) => setTeam(e.target.value)} />
          <input id="filter-test-language" aria-label={t("filter.testLanguage")} placeholder={t("filter.testLanguage")} value={language} onChange={(e) => setLanguage(e.target.value)} />
          <Button id="filter-test-run" type="submit" variant="primary" disabled={busy || !text.trim()}>
            {t("filter.testRun")}
          </Button>
        </div>
      </form>
      {error && (
        <p id="filter-test-error" className="filter-notice notice-error" role="alert">
          {error}
        </p>
      )}
      {tested && report && (
        <div id="filter-test-result" data-blocked={report.blocked} data-version={report.policy_version}>
          <p className="filter-test-text" dir="auto">
            <FilterHighlights text={tested.text} matches={report.matches} />
          </p>
          <p id="filter-test-verdict">
            {report.blocked
              ? t("filter.verdictBlocked")
              : report.needs_confirmation
                ? t("filter.verdictWarn")
                : report.matches.length > 0
                  ? t("filter.verdictMasked")
                  : t("filter.verdictClean")}
          </p>
          {report.masked && (
            <p id="filter-test-masked" dir="auto">
              {t("composer.maskedPreview")} <bdi>{report.masked}</bdi>
            </p>
          )}
          <FilterRules id="filter-test-matches" text={tested.text} matches={report.matches} />
        </div>
      )}
    </section>
  );
}
