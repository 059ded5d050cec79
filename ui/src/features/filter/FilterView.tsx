import { useEffect, useState } from "react";
import type { Policy } from "../../bindings/Policy";
import type { PolicyEntry } from "../../bindings/PolicyEntry";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { useDesktopEvent } from "../session/desktopEvents";
import { CsvPanel } from "./CsvPanel";
import { BlocksList, VersionsList } from "./FilterHistory";
import { parseLines } from "./filterModel";
import { EntriesTable } from "./EntriesTable";
import { TestConsole } from "./TestConsole";
import "./filter.css";

type Edit = { entries: PolicyEntry[]; allowlist: string };

/**
 * The outbound filter for those who manage it (edit, import, export) and those who may only
 * view it (read, test, see refusals). Edits are a draft until saved; the save names the
 * version it started from, so a policy someone else saved meanwhile is never overwritten unseen.
 */
export function FilterView({ editable }: { editable: boolean }) {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [edit, setEdit] = useState<Edit | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<{ conflict: boolean; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let current = true;
    call("filter_policy", null).then(
      (response) => {
        if (!current) return;
        setPolicy(response.policy);
        setLoadError(null);
      },
      (err: unknown) => current && setLoadError(toIpcError(err).message),
    );
    return () => {
      current = false;
    };
  }, [reload]);

  // Someone saved a new version: lists reload; an unsaved edit stays (its save will
  // report the conflict) so no work is lost.
  useDesktopEvent((e) => {
    if (e.type === "filter_policy_changed") setReload((n) => n + 1);
  });

  const dirty = edit !== null;
  const entries = edit?.entries ?? policy?.entries ?? [];
  const allowlistText = edit?.allowlist ?? (policy?.allowlist ?? []).join("\n");

  function change(next: Partial<Edit>) {
    setSaveError(null);
    setEdit({ entries, allowlist: allowlistText, ...next });
  }

  async function save() {
    if (!policy || !edit) return;
    setSaving(true);
    setSaveError(null);
    try {
      const response = await call("save_filter_policy", {
        entries: edit.entries,
        allowlist: parseLines(edit.allowlist),
        based_on: policy.version,
      });
      setPolicy(response.policy);
      setEdit(null);
      setReload((n) => n + 1);
    } catch (err) {
      const error = toIpcError(err);
      setSaveError({ conflict: error.code === "conflict", message: error.message });
    } finally {
      setSaving(false);
    }
  }

  function discard() {
    setEdit(null);
    setSaveError(null);
    setReload((n) => n + 1);
  }

  return (
    <section id="filter-view" className="filter-view" aria-labelledby="filter-title">
      <header className="filter-header">
        <h2 id="filter-title">{t("filter.title")}</h2>
        {policy && (
          <span id="filter-version" data-version={policy.version}>
            {t("filter.currentVersion", { version: policy.version })}
          </span>
        )}
        {editable && (
          <div className="filter-save">
            {dirty && <span className="filter-dirty">{t("filter.unsaved")}</span>}
            <Button id="filter-discard" variant="ghost" disabled={!dirty || saving} onClick={discard}>
              {t("filter.discard")}
            </Button>
            <Button id="filter-save" variant="primary" disabled={!dirty || saving || !policy} onClick={() => void save()}>
              {saving ? t("filter.saving") : t("filter.save")}
            </Button>
          </div>
        )}
      </header>
      {loadError && (
        <p id="filter-load-error" className="filter-notice notice-error" role="alert">
          {loadError}
        </p>
      )}
      {saveError && (
        <div id="filter-save-error" className="filter-notice notice-error" role="alert" data-conflict={saveError.conflict}>
          <p>{saveError.message}</p>
          {saveError.conflict && <p>{t("filter.conflictHint")}</p>}
        </div>
      )}
      <div className="filter-columns">
        <div className="filter-main">
          <EntriesTable entries={entries} editable={editable} onChange={(next) => change({ entries: next })} />
          <section className="filter-section" aria-labelledby="filter-allowlist-title">
            <h3 id="filter-allowlist-title">{t("filter.allowlist")}</h3>
            <p className="filter-hint">{t("filter.allowlistHint")}</p>
            <textarea
              id="filter-allowlist"
              dir="auto"
              rows={4}
              aria-labelledby="filter-allowlist-title"
              readOnly={!editable}
              value={allowlistText}
              onChange={(e) => change({ allowlist: e.target.value })}
            />
          </section>
        </div>
        <div className="filter-side">
          <TestConsole draft={edit ? { entries: edit.entries, allowlist: parseLines(edit.allowlist) } : null} />
          {editable && policy && <CsvPanel basedOn={policy.version} onSaved={discard} />}
          <VersionsList reload={reload} />
          <BlocksList reload={reload} />
        </div>
      </div>
    </section>
  );
}
