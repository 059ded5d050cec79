import { useEffect, useState } from "react";
import type { WebhookDelivery } from "../../bindings/WebhookDelivery";
import type { WebhookEventType } from "../../bindings/WebhookEventType";
import type { WebhookSubscription } from "../../bindings/WebhookSubscription";
import { Button } from "../../components/Button";
import { Timestamp } from "../../components/Timestamp";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { OnceSecret, PanelNotices, type Notice } from "./PanelNotices";
import { draftOf, EMPTY_DRAFT, toggleEvent, WEBHOOK_EVENTS, webhookRequest, type WebhookDraft } from "./webhooksModel";

/** A secret just made: shown once, for the subscription it signs. */
type ShownSecret = { subscription: number; secret: string } | null;

/**
 * Admins with `manage_webhooks`: subscriptions of outside systems to events (create, edit,
 * delete, test with a ping, rotate the secret, shown only once), and the dead-letter list of
 * deliveries that gave up, each redeliverable.
 */
export function WebhooksPanel() {
  const [subscriptions, setSubscriptions] = useState<WebhookSubscription[] | null>(null);
  const [dead, setDead] = useState<WebhookDelivery[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<WebhookDraft | null>(null);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [secret, setSecret] = useState<ShownSecret>(null);
  const [confirmingDelete, setConfirmingDelete] = useState<number | null>(null);

  function load() {
    Promise.all([call("webhook_subscriptions", null), call("webhook_deliveries", { state: "dead" })]).then(
      ([list, deliveries]) => {
        setSubscriptions(list.subscriptions);
        setDead(deliveries.deliveries);
        setLoadError(null);
      },
      (err: unknown) => setLoadError(toIpcError(err).message),
    );
  }

  useEffect(load, []);

  function failed(err: unknown) {
    setBusy(false);
    setSaving(false);
    setNotice({ kind: "failed", text: toIpcError(err).message });
  }

  const request = draft ? webhookRequest(draft) : null;

  function save() {
    if (!draft || request === null || typeof request === "string") return;
    setSaving(true);
    setNotice(null);
    call("save_webhook_subscription", { id: draft.id ?? undefined, subscription: request }).then((saved) => {
      setSaving(false);
      setDraft(null);
      if (saved.secret) setSecret({ subscription: saved.subscription.id, secret: saved.secret });
      setNotice({ kind: "done", text: t("admin.webhooks.saved") });
      load();
    }, failed);
  }

  function act<T>(run: () => Promise<T>, after: (value: T) => void) {
    setBusy(true);
    setNotice(null);
    run().then((value) => {
      setBusy(false);
      after(value);
      load();
    }, failed);
  }

  const test = (id: number) =>
    act(
      () => call("test_webhook", { id }),
      (result) =>
        setNotice(
          result.delivered
            ? { kind: "done", text: t("admin.webhooks.testDelivered", { status: result.status ?? "" }) }
            : { kind: "failed", text: t("admin.webhooks.testFailed", { error: result.error ?? String(result.status ?? "") }) },
        ),
    );
  const rotate = (id: number) =>
    act(
      () => call("rotate_webhook_secret", { id }),
      (rotated) => {
        setSecret({ subscription: id, secret: rotated.secret });
        setNotice({ kind: "done", text: t("admin.webhooks.rotated") });
      },
    );
  const remove = (id: number) =>
    act(
      () => call("delete_webhook_subscription", { id }),
      () => {
        setConfirmingDelete(null);
        setNotice({ kind: "done", text: t("admin.webhooks.deleted") });
      },
    );
  const redeliverAll = (id: number) =>
    act(
      () => call("redeliver_dead_webhooks", { id }),
      (queued) => setNotice({ kind: "done", text: t("admin.webhooks.requeued", { count: queued.queued }) }),
    );
  const redeliver = (id: number) =>
    act(
      () => call("redeliver_webhook", { id }),
      () => setNotice({ kind: "done", text: t("admin.webhooks.requeued", { count: 1 }) }),
    );

  const urlOf = (id: number) => subscriptions?.find((s) => s.id === id)?.url ?? String(id);

  return (
    <section id="webhooks" className="board-section admin-panel" aria-labelledby="admin-webhooks-title">
      <h2 id="admin-webhooks-title" className="board-title">
        {t("admin.webhooks.title")}
      </h2>
      <p className="admin-note">{t("admin.webhooks.note")}</p>
      {secret && (
        <OnceSecret
          id="webhook-secret"
          message={t("admin.webhooks.secretOnce")}
          secret={secret.secret}
          doneLabel={t("admin.webhooks.secretDone")}
          onDone={() => setSecret(null)}
        />
      )}
      <PanelNotices
        idPrefix="webhook"
        notice={notice}
        loadError={loadError && t("admin.webhooks.failed", { message: loadError })}
      />
      {draft ? (
        <form
          id="webhook-form"
          className="admin-form"
          aria-labelledby="webhook-form-title"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <h3 id="webhook-form-title" className="admin-subtitle">
            {draft.id === null ? t("admin.webhooks.new") : t("admin.webhooks.edit")}
          </h3>
          <div className="admin-fields">
            <label>
              {t("admin.webhooks.url")}
              <input
                id="webhook-url"
                type="url"
                dir="ltr"
                autoComplete="off"
                placeholder="https://crm.example.com/switchboard"
                value={draft.url}
                onChange={(e) => setDraft({ ...draft, url: e.target.value })}
              />
            </label>
            <label>
              {t("admin.webhooks.description")}
              <input
                id="webhook-description"
                dir="auto"
                maxLength={200}
                value={draft.description}
                onChange={(e) => setDraft({ ...draft, description: e.target.value })}
              />
            </label>
          </div>
          <fieldset className="admin-webhook-events">
            <legend>{t("admin.webhooks.events")}</legend>
            {WEBHOOK_EVENTS.map((event) => (
              <label key={event}>
                <input type="checkbox" checked={draft.events.includes(event)} onChange={() => setDraft(toggleEvent(draft, event))} />{" "}
                <span>{eventName(event)}</span> <code dir="ltr">{event}</code>
              </label>
            ))}
          </fieldset>
          <label>
            <input id="webhook-enabled" type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} />{" "}
            {t("admin.webhooks.enabled")}
          </label>
          {typeof request === "string" && draft.url.trim() !== "" && (
            <p className="load-error admin-row-error" role="alert">
              {request === "url" ? t("admin.webhooks.problem.url") : t("admin.webhooks.problem.events")}
            </p>
          )}
          <div className="admin-form-actions">
            <Button id="webhook-save" type="submit" variant="primary" disabled={typeof request === "string" || saving}>
              {saving ? t("admin.webhooks.saving") : t("admin.webhooks.save")}
            </Button>
            <Button variant="ghost" disabled={saving} onClick={() => setDraft(null)}>
              {t("admin.webhooks.cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <Button id="webhook-new" variant="primary" onClick={() => setDraft({ ...EMPTY_DRAFT })}>
          {t("admin.webhooks.new")}
        </Button>
      )}
      {subscriptions && subscriptions.length === 0 && <p className="board-empty">{t("admin.webhooks.none")}</p>}
      {subscriptions && subscriptions.length > 0 && (
        <table id="webhook-list" className="board-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.webhooks.url")}</th>
              <th scope="col">{t("admin.webhooks.events")}</th>
              <th scope="col">{t("admin.webhooks.state")}</th>
              <th scope="col">{t("admin.webhooks.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr key={s.id} className="webhook-subscription" data-subscription-id={s.id}>
                <td>
                  <code dir="ltr">{s.url}</code>
                  {s.description && (
                    <div className="admin-note" dir="auto">
                      {s.description}
                    </div>
                  )}
                  <div className="admin-note">
                    {t("admin.webhooks.secretHint")} <code dir="ltr">{s.secret_hint}</code>
                    {!s.unmasked && <> · {t("admin.webhooks.masked")}</>}
                  </div>
                </td>
                <td>{s.event_types.map(eventName).join(", ")}</td>
                <td>
                  {s.enabled ? t("admin.webhooks.on") : t("admin.webhooks.off")}
                  <div className="admin-note">{t("admin.webhooks.counts", { pending: s.pending, dead: s.dead })}</div>
                </td>
                <td>
                  {confirmingDelete === s.id ? (
                    <div role="alertdialog" aria-labelledby={`webhook-confirm-${s.id}`} className="admin-hold-confirm">
                      <p id={`webhook-confirm-${s.id}`}>{t("admin.webhooks.confirmDelete")}</p>
                      <div className="admin-account-actions">
                        <Button variant="primary" disabled={busy} onClick={() => remove(s.id)}>
                          {t("admin.webhooks.deleteConfirmed")}
                        </Button>
                        <Button variant="ghost" disabled={busy} onClick={() => setConfirmingDelete(null)}>
                          {t("admin.webhooks.cancel")}
                        </Button>
                      </div>
                    </div>
                  ) : (
                    <div className="admin-account-actions">
                      <Button disabled={busy} onClick={() => setDraft(draftOf(s))}>
                        {t("admin.webhooks.editButton")}
                      </Button>
                      <Button disabled={busy} onClick={() => test(s.id)}>
                        {t("admin.webhooks.test")}
                      </Button>
                      <Button disabled={busy} onClick={() => rotate(s.id)}>
                        {t("admin.webhooks.rotate")}
                      </Button>
                      {s.dead > 0 && (
                        <Button disabled={busy} onClick={() => redeliverAll(s.id)}>
                          {t("admin.webhooks.redeliverAll")}
                        </Button>
                      )}
                      <Button variant="ghost" disabled={busy} onClick={() => setConfirmingDelete(s.id)}>
                        {t("admin.webhooks.delete")}
                      </Button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 id="webhook-dead-title" className="admin-subtitle">
        {t("admin.webhooks.deadTitle")}
      </h3>
      {dead.length === 0 ? (
        <p className="board-empty">{t("admin.webhooks.deadNone")}</p>
      ) : (
        <table id="webhook-dead" className="board-table" aria-labelledby="webhook-dead-title">
          <thead>
            <tr>
              <th scope="col">{t("admin.webhooks.event")}</th>
              <th scope="col">{t("admin.webhooks.url")}</th>
              <th scope="col">{t("admin.webhooks.lastError")}</th>
              <th scope="col">{t("admin.webhooks.happened")}</th>
              <th scope="col">{t("admin.webhooks.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {dead.map((d) => (
              <tr key={d.id} className="webhook-dead-delivery" data-delivery-id={d.id}>
                <td>
                  {eventName(d.event_type)} <code dir="ltr">{d.event_id}</code>
                </td>
                <td>
                  <code dir="ltr">{urlOf(d.subscription_id)}</code>
                </td>
                <td dir="ltr">
                  {t("admin.webhooks.attempts", { count: d.attempts })}: {d.last_error ?? d.last_status ?? "—"}
                </td>
                <td>
                  <Timestamp ms={d.created_at} />
                </td>
                <td>
                  <Button disabled={busy} onClick={() => redeliver(d.id)}>
                    {t("admin.webhooks.redeliver")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function eventName(event: WebhookEventType): string {
  switch (event) {
    case "conversation.created":
      return t("admin.webhooks.event.conversationCreated");
    case "conversation.assigned":
      return t("admin.webhooks.event.conversationAssigned");
    case "conversation.resolved":
      return t("admin.webhooks.event.conversationResolved");
    case "message.created":
      return t("admin.webhooks.event.messageCreated");
    case "message.status":
      return t("admin.webhooks.event.messageStatus");
    case "contact.updated":
      return t("admin.webhooks.event.contactUpdated");
    case "ping":
      return t("admin.webhooks.event.ping");
  }
}
