import { t } from "../../i18n";
import { useLoad } from "./useAdminData";

/** The business numbers as configured (never their tokens, which the server keeps). */
export function NumbersPanel() {
  const { data, error } = useLoad("business_numbers");
  return (
    <section className="board-section admin-panel" aria-labelledby="admin-numbers-title">
      <h2 id="admin-numbers-title" className="board-title">
        {t("admin.numbers.title")}
      </h2>
      <p className="admin-note">{t("admin.numbers.note")}</p>
      {error && (
        <p className="load-error" role="alert">
          {error}
        </p>
      )}
      {data && (
        <table id="admin-numbers" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.numbers.name")}</th>
              <th scope="col">{t("admin.numbers.display")}</th>
              <th scope="col">{t("admin.numbers.id")}</th>
              <th scope="col">{t("admin.numbers.waba")}</th>
              <th scope="col" className="numeric">
                {t("admin.numbers.throughput")}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((n) => (
              <tr key={n.phone_number_id} className="admin-number">
                <th scope="row" dir="auto">
                  {n.name}
                </th>
                <td>
                  <bdi dir="ltr">{n.display_number}</bdi>
                </td>
                <td>
                  <bdi dir="ltr">{n.phone_number_id}</bdi>
                </td>
                <td>
                  <bdi dir="ltr">{n.waba_id || t("duration.none")}</bdi>
                </td>
                <td className="numeric">
                  {t("admin.numbers.perSecond", { count: n.throughput_per_second })}
                  {n.shared_with_business_app && <span className="admin-tag">{t("admin.numbers.shared")}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
