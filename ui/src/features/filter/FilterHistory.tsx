import { useEffect, useState } from "react";
import type { FilterBlock } from "../../bindings/FilterBlock";
import type { PolicyVersionSummary } from "../../bindings/PolicyVersionSummary";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";

/** Loads `load()` whenever `reload` changes; errors become a message. */
function useLoaded<T>(load: () => Promise<T>, reload: number): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ value: T | null; error: string | null }>({ value: null, error: null });
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setState({ value, error: null }),
      (err: unknown) => current && setState({ value: null, error: toIpcError(err).message }),
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; `reload` says when to load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reload]);
  return state;
}

/** Saved versions of the policy, newest first. */
export function VersionsList({ reload }: { reload: number }) {
  const { value, error } = useLoaded(() => call("filter_versions", null), reload);
  return (
    <section className="filter-section" aria-labelledby="filter-versions-title">
      <h3 id="filter-versions-title">{t("filter.versions")}</h3>
      {error && <p className="filter-notice notice-error">{error}</p>}
      <ol id="filter-versions" className="filter-list">
        {(value ?? []).map((v: PolicyVersionSummary) => (
          <li key={v.version} className="filter-version" data-version={v.version}>
            {t("filter.versionLine", {
              version: v.version,
              by: v.created_by ?? t("filter.fromSettings"),
              entries: v.entries,
              allowlist: v.allowlist,
            })}{" "}
            <Timestamp ms={v.created_at} />
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The newest messages the server refused, newest first. */
export function BlocksList({ reload }: { reload: number }) {
  const { value, error } = useLoaded(() => call("filter_blocks", { limit: 100 }), reload);
  return (
    <section className="filter-section" aria-labelledby="filter-blocks-title">
      <h3 id="filter-blocks-title">{t("filter.blocks")}</h3>
      {error && <p className="filter-notice notice-error">{error}</p>}
      {value && value.length === 0 && <p className="filter-empty">{t("filter.noBlocks")}</p>}
      <table id="filter-blocks" className="filter-table">
        <tbody>
          {(value ?? []).map((b: FilterBlock) => (
            <tr key={b.id} className="filter-block" data-action={b.action}>
              <td>
                <Timestamp ms={b.at} />
              </td>
              <td dir="auto">{b.user ?? t(`filter.source.${b.source}`)}</td>
              <td>{b.conversation_id === null ? "" : t("conversation.unknown", { id: b.conversation_id })}</td>
              <td dir="auto">{b.text}</td>
              <td>{t("composer.ruleDetail", { phrase: b.phrase, action: t(`filter.action.${b.action}`) })}</td>
              <td>{t("filter.versionShort", { version: b.policy_version })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
