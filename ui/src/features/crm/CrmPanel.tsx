import { useCallback, useEffect, useState } from "react";
import type { CrmLookup } from "../../bindings/CrmLookup";
import type { CrmOrder } from "../../bindings/CrmOrder";
import { userTextDir } from "../../components/bidi";
import { Button } from "../../components/Button";
import { formatTimestamp } from "../../components/formatTimestamp";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { openExternal } from "../conversation/LinkedText";
import { crmView, orderTotal, safeLink } from "./crmModel";
import "./crm.css";

type Load = { status: "loading" } | { status: "failed"; message: string } | { status: "loaded"; lookup: CrmLookup };

/**
 * What the business's CRM knows of the customer, beside the conversation: profile, recent
 * orders and the custom fields the server maps. The server keeps the cache and says how old
 * an answer is; the refresh button asks the CRM again.
 */
export function CrmPanel({ conversationId }: { conversationId: number }) {
  const [load, setLoad] = useState<Load>({ status: "loading" });
  const [refreshing, setRefreshing] = useState(false);
  const fetchLookup = useCallback(
    (refresh: boolean) => call("conversation_crm", { conversation_id: conversationId, refresh }),
    [conversationId],
  );
  useEffect(() => {
    let live = true;
    fetchLookup(false).then(
      (lookup) => live && setLoad({ status: "loaded", lookup }),
      (err: unknown) => live && setLoad({ status: "failed", message: toIpcError(err).message }),
    );
    return () => {
      live = false;
    };
  }, [fetchLookup]);
  function refresh() {
    setRefreshing(true);
    fetchLookup(true)
      .then(
        (lookup) => setLoad({ status: "loaded", lookup }),
        (err: unknown) => setLoad({ status: "failed", message: toIpcError(err).message }),
      )
      .finally(() => setRefreshing(false));
  }
  if (load.status === "loaded" && crmView(load.lookup).kind === "hidden") return null;
  const state = load.status === "loaded" ? load.lookup.state : load.status;
  return (
    <section id="crm-panel" className="crm-panel" data-state={state} aria-labelledby="crm-panel-title" aria-busy={load.status === "loading" || refreshing}>
      <div className="crm-panel-heading">
        <h3 id="crm-panel-title">{t("crm.title")}</h3>
        <Button id="crm-refresh" variant="ghost" onClick={refresh} disabled={refreshing || load.status === "loading"}>
          {refreshing ? t("crm.refreshing") : t("crm.refresh")}
        </Button>
      </div>
      {load.status === "loading" && <p className="crm-muted">{t("crm.loading")}</p>}
      {load.status === "failed" && (
        <p id="crm-error" className="crm-notice crm-notice-error" dir="auto">
          {t("crm.failed", { message: load.message })}
        </p>
      )}
      {load.status === "loaded" && <CrmBody lookup={load.lookup} />}
    </section>
  );
}

function CrmBody({ lookup }: { lookup: CrmLookup }) {
  const view = crmView(lookup);
  if (view.kind === "hidden") return null;
  if (view.kind === "notice") {
    return (
      <p id="crm-notice" className={view.notice === "unavailable" ? "crm-notice crm-notice-error" : "crm-notice"} role="status">
        {view.notice === "unavailable" ? t("crm.unavailable") : t("crm.notFound")}
      </p>
    );
  }
  const asOf = lookup.fetched_at !== null ? formatTimestamp(lookup.fetched_at) : "";
  const { profile } = lookup;
  const profileLink = safeLink(profile?.url ?? null);
  return (
    <>
      {view.freshness === "stale" ? (
        <p id="crm-freshness" className="crm-notice crm-notice-warning" role="status" data-freshness="stale">
          {t("crm.stale", { time: asOf })}
        </p>
      ) : (
        <p id="crm-freshness" className="crm-muted" data-freshness={view.freshness}>
          {view.freshness === "cached" ? t("crm.asOf", { time: asOf }) : t("crm.justNow")}
        </p>
      )}
      {profile && (
        <dl className="crm-profile">
          {profile.name && <Row label={t("crm.name")} value={profile.name} />}
          {profile.tier && <Row label={t("crm.tier")} value={profile.tier} />}
          {profile.company && <Row label={t("crm.company")} value={profile.company} />}
          {profile.email && <Row label={t("crm.email")} value={profile.email} ltr />}
          {profile.phone && <Row label={t("crm.phone")} value={profile.phone} ltr />}
          {profile.notes && <Row label={t("crm.notes")} value={profile.notes} />}
        </dl>
      )}
      {profileLink && (
        <a className="crm-link" href={profileLink} onClick={(e) => openExternal(e, profileLink)}>
          {t("crm.openRecord")}
        </a>
      )}
      <h4>{t("crm.orders")}</h4>
      {lookup.orders.length === 0 ? (
        <p className="crm-muted">{t("crm.noOrders")}</p>
      ) : (
        <ul id="crm-orders" className="crm-orders">
          {lookup.orders.map((order) => (
            <OrderRow key={order.id} order={order} />
          ))}
        </ul>
      )}
      {lookup.fields.length > 0 && (
        <>
          <h4>{t("crm.details")}</h4>
          <dl id="crm-fields" className="crm-fields">
            {lookup.fields.map((field) => (
              <Row key={field.key} label={field.label} value={field.value} />
            ))}
          </dl>
        </>
      )}
    </>
  );
}

function Row({ label, value, ltr = false }: { label: string; value: string; ltr?: boolean }) {
  return (
    <div className="crm-row">
      <dt dir="auto">{label}</dt>
      <dd dir={ltr ? "ltr" : userTextDir(value)}>{value}</dd>
    </div>
  );
}

function OrderRow({ order }: { order: CrmOrder }) {
  const total = orderTotal(order);
  const link = safeLink(order.url);
  return (
    <li className="crm-order" data-order-id={order.id}>
      <div className="crm-order-heading">
        {link ? (
          <a href={link} onClick={(e) => openExternal(e, link)} dir="ltr">
            #{order.id}
          </a>
        ) : (
          <span dir="ltr">#{order.id}</span>
        )}
        {order.status && <span className="tag" dir="auto">{order.status}</span>}
        {total && <span className="crm-order-total">{total}</span>}
      </div>
      {order.date && <div className="crm-muted" dir="ltr">{order.date}</div>}
      {order.items.length > 0 && (
        <ul className="crm-items">
          {order.items.map((item, i) => (
            <li key={i} dir="auto">
              {t("crm.item", { quantity: item.quantity, name: item.name })}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
