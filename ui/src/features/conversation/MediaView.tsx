import { useEffect, useState } from "react";
import type { Message } from "../../bindings/Message";
import type { MessageBody } from "../../bindings/MessageBody";
import { Button } from "../../components/Button";
import { t } from "../../i18n";
import { call, toIpcError } from "../../ipc";
import { LinkedText } from "./LinkedText";
import { mediaUrl } from "./mediaCache";

type MediaBody = Extract<MessageBody, { type: "media" }>;

/** `1.4 MB`, `820 KB`, `12 B`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

function useMediaUrl(messageId: number | null, wanted: boolean) {
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  useEffect(() => {
    if (!wanted || messageId === null) return;
    let current = true;
    mediaUrl(messageId).then(
      (url) => current && setState({ url, error: null }),
      (err: unknown) => current && setState({ url: null, error: toIpcError(err).message }),
    );
    return () => {
      current = false;
    };
  }, [messageId, wanted]);
  return state;
}

/** Images, stickers, audio, voice notes, video and documents, fetched through the core. */
export function MediaView({ message, body }: { message: Message; body: MediaBody }) {
  const ready = message.id !== null && (message.media === null ? message.direction === "outbound" && !body.link : message.media.status === "ready");
  const inline = body.media === "image" || body.media === "sticker" || body.media === "audio";
  const [requested, setRequested] = useState(false);
  const { url, error } = useMediaUrl(message.id, ready && (inline || requested));
  const [actionError, setActionError] = useState<string | null>(null);
  const filename = body.filename ?? null;
  const size = message.media?.size ?? null;

  function act(command: "open_media" | "save_media") {
    if (message.id === null) return;
    setActionError(null);
    call(command, { message_id: message.id, filename }).catch((err: unknown) => setActionError(toIpcError(err).message));
  }

  let content;
  if (message.media?.status === "pending") {
    content = <p className="media-status">{t("media.pending")}</p>;
  } else if (message.media?.status === "failed") {
    content = <p className="media-status media-failed">{t("media.failed", { reason: message.media.error ?? "" })}</p>;
  } else if (body.link && message.media === null) {
    content = (
      <p className="media-status">
        <LinkedText text={body.link} />
      </p>
    );
  } else if (error) {
    content = <p className="media-status media-failed">{error}</p>;
  } else if (body.media === "image" || body.media === "sticker") {
    content = url ? (
      <button type="button" className="media-preview" onClick={() => act("open_media")} title={t("media.open")}>
        <img className={body.media === "sticker" ? "media-sticker" : "media-image"} src={url} alt={body.caption ?? t(body.media === "sticker" ? "media.sticker" : "media.image")} />
      </button>
    ) : (
      <p className="media-status">{t("media.loading")}</p>
    );
  } else if (body.media === "audio") {
    content = url ? <audio className="media-audio" controls src={url} /> : <p className="media-status">{t("media.loading")}</p>;
  } else if (body.media === "video") {
    content = url ? (
      <video className="media-video" controls src={url} />
    ) : (
      <Button className="media-load" onClick={() => setRequested(true)} disabled={!ready || requested}>
        {requested ? t("media.loading") : t("media.playVideo")}
      </Button>
    );
  } else {
    content = (
      <div className="media-document">
        <span className="media-document-icon" aria-hidden="true">
          📄
        </span>
        <span className="media-document-name" dir="auto">
          {filename ?? t("media.document")}
        </span>
        {size !== null && <span className="media-document-size">{formatSize(size)}</span>}
        <Button className="media-open" variant="ghost" onClick={() => act("open_media")} disabled={!ready}>
          {t("media.open")}
        </Button>
        <Button className="media-save" variant="ghost" onClick={() => act("save_media")} disabled={!ready}>
          {t("media.save")}
        </Button>
      </div>
    );
  }
  const label = body.voice ? t("media.voice") : null;
  return (
    <div className="media" data-media={body.media}>
      {label && <span className="media-label">{label}</span>}
      {content}
      {actionError && (
        <p className="media-status media-failed" role="alert">
          {actionError}
        </p>
      )}
      {body.caption && (
        <p className="message-text" dir="auto">
          <LinkedText text={body.caption} />
        </p>
      )}
    </div>
  );
}
