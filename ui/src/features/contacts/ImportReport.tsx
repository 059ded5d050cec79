import type { ContactImportReport } from "../../bindings/ContactImportReport";
import { intlLocale, t } from "../../i18n";

/** What an import did (or, for a dry run, would do), and the rows it skipped with why. */
export function ImportReport({ report }: { report: ContactImportReport }) {
  const count = new Intl.NumberFormat(intlLocale());
  const figures: [string, number][] = [
    [t("contacts.reportRows"), report.rows],
    [t("contacts.reportCreated"), report.created],
    [t("contacts.reportUpdated"), report.updated],
    [t("contacts.reportUnchanged"), report.unchanged],
    [t("contacts.reportDuplicates"), report.duplicates_in_file],
    [t("contacts.reportOptOutsKept"), report.opt_outs_kept],
    [t("contacts.reportProblems"), report.problems_total],
  ];
  return (
    <div id="contact-import-report" data-dry-run={report.dry_run} role="status">
      <p className="contact-import-verdict">{report.dry_run ? t("contacts.reportDryRun") : t("contacts.reportDone")}</p>
      <dl className="contact-import-figures">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{count.format(value)}</dd>
          </div>
        ))}
      </dl>
      {report.problems.length > 0 && (
        <>
          {report.problems_total > report.problems.length && (
            <p className="admin-note">
              {t("contacts.reportFirstProblems", { shown: count.format(report.problems.length), total: count.format(report.problems_total) })}
            </p>
          )}
          <table id="contact-import-problems" className="board-table">
            <caption className="visually-hidden">{t("contacts.reportProblemsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("contacts.problemLine")}</th>
                <th scope="col">{t("contacts.problemColumn")}</th>
                <th scope="col">{t("contacts.problemValue")}</th>
                <th scope="col">{t("contacts.problemMessage")}</th>
              </tr>
            </thead>
            <tbody>
              {report.problems.map((problem, i) => (
                <tr key={`${problem.line}:${problem.column}:${i}`} className="import-problem" data-line={problem.line} data-code={problem.code}>
                  <td>{problem.line}</td>
                  <td dir="auto">{problem.column || t("contacts.problemWholeRow")}</td>
                  <td dir="auto">
                    <code>{problem.value}</code>
                  </td>
                  <td dir="auto">{problem.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
