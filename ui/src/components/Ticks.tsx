import type { DeliveryStatus } from "../bindings/DeliveryStatus";
import { t } from "../i18n";

type Glyph = "clock" | "sending" | "single" | "double" | "failed";

type TickInfo = { glyph: Glyph; tone: "muted" | "read" | "error"; label: string };

/**
 * Maps a delivery status to what the agent sees. "received" belongs to inbound
 * messages, which carry no ticks, so it maps to nothing.
 */
export function tickInfo(status: DeliveryStatus, error?: string | null): TickInfo | null {
  switch (status) {
    case "pending":
      return { glyph: "clock", tone: "muted", label: t("ticks.pending") };
    case "queued":
    case "accepted":
      return { glyph: "sending", tone: "muted", label: t("ticks.sending") };
    case "sent":
      return { glyph: "single", tone: "muted", label: t("ticks.sent") };
    case "delivered":
      return { glyph: "double", tone: "muted", label: t("ticks.delivered") };
    case "read":
    case "played":
      return { glyph: "double", tone: "read", label: t("ticks.read") };
    case "failed":
      return {
        glyph: "failed",
        tone: "error",
        label: t("ticks.failed", { error: error || t("ticks.failedUnknown") }),
      };
    case "received":
      return null;
  }
}

const paths: Record<Glyph, string> = {
  // Clock face with hands: the message sits in the local outbox.
  clock: "M8 2.5a5.5 5.5 0 1 1 0 11a5.5 5.5 0 0 1 0-11M8 5v3.2l2 1.3",
  // Hollow clock with a single hand: handed to the server, not yet on WhatsApp.
  sending: "M8 2.5a5.5 5.5 0 1 1 0 11a5.5 5.5 0 0 1 0-11M8 5v3",
  single: "M3.5 8.5l3 3l6-7",
  double: "M1.5 8.5l3 3l6-7M7 11.5l6-7",
  failed: "M8 3v6.5M8 12v1",
};

export function Ticks({ status, error }: { status: DeliveryStatus; error?: string | null }) {
  const info = tickInfo(status, error);
  if (!info) return null;
  return (
    <span
      className={`ticks ticks-${info.tone}`}
      data-status={status}
      role="img"
      aria-label={info.label}
      title={info.label}
    >
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
        <path
          d={paths[info.glyph]}
          fill="none"
          stroke="currentColor"
          strokeWidth={info.glyph === "failed" ? 2.2 : 1.6}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </span>
  );
}
