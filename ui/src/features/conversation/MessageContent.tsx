import type { Message } from "../../bindings/Message";
import { t } from "../../i18n";
import { LinkedText, openExternal } from "./LinkedText";
import { mapLink } from "./linkify";
import { MediaView } from "./MediaView";

function Text({ text }: { text: string }) {
  return (
    <p className="message-text" dir="auto">
      <LinkedText text={text} />
    </p>
  );
}

function ExternalLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <a className="message-link" href={href} rel="noopener noreferrer" target="_blank" onClick={(e) => openExternal(e, href)}>
      {children}
    </a>
  );
}

/** What a message says, by its WhatsApp type. Nothing is ever dropped: an unknown type says so. */
export function MessageContent({ message }: { message: Message }) {
  const body = message.body;
  switch (body.type) {
    case "text":
      return <Text text={body.body} />;
    case "media":
      return <MediaView message={message} body={body} />;
    case "location": {
      const coordinates = `${body.latitude.toFixed(5)}, ${body.longitude.toFixed(5)}`;
      return (
        <div className="message-location">
          <span className="message-kind">📍 {t("message.location")}</span>
          {body.name && (
            <strong className="location-name" dir="auto">
              {body.name}
            </strong>
          )}
          {body.address && (
            <span className="location-address" dir="auto">
              {body.address}
            </span>
          )}
          <span className="location-coordinates">{coordinates}</span>
          <ExternalLink href={mapLink(body.latitude, body.longitude)}>{t("message.openMap")}</ExternalLink>
          {body.url && <ExternalLink href={body.url}>{body.url}</ExternalLink>}
        </div>
      );
    }
    case "contacts":
      return (
        <ul className="message-contacts">
          {body.contacts.map((c, i) => (
            <li key={i} className="contact-card">
              <strong dir="auto">👤 {c.formatted_name}</strong>
              {c.organization && <span dir="auto">{c.organization}</span>}
              {c.phones.map((p) => (
                <span key={p} className="contact-phone" dir="ltr">
                  {p}
                </span>
              ))}
              {c.emails.map((e) => (
                <span key={e} className="contact-email">
                  {e}
                </span>
              ))}
            </li>
          ))}
        </ul>
      );
    case "interactive_reply":
      return (
        <div className="message-reply-choice">
          <span className="message-kind">
            {body.reply_type === "list_reply" ? t("message.listReply") : body.reply_type === "nfm_reply" ? t("message.flowReply") : t("message.buttonReply")}
          </span>
          <p className="message-text" dir="auto">
            {body.title ?? body.response_json ?? body.id ?? ""}
          </p>
          {body.description && (
            <span className="message-detail" dir="auto">
              {body.description}
            </span>
          )}
        </div>
      );
    case "button":
      return (
        <div className="message-reply-choice">
          <span className="message-kind">{t("message.buttonReply")}</span>
          <p className="message-text" dir="auto">
            {body.text}
          </p>
        </div>
      );
    case "reaction":
      // Only a reaction to a message that is not loaded gets here; the others sit on their message.
      return <p className="message-text">{body.emoji ? t("message.reacted", { emoji: body.emoji }) : t("message.reactionRemoved")}</p>;
    case "order":
      return (
        <div className="message-order">
          <span className="message-kind">🛒 {t("message.order", { count: body.items.length })}</span>
          <ul>
            {body.items.map((item, i) => (
              <li key={i}>
                {item.quantity} × {item.product_retailer_id} — {item.item_price.toFixed(2)} {item.currency}
              </li>
            ))}
          </ul>
          {body.text && <Text text={body.text} />}
        </div>
      );
    case "system":
      return (
        <p className="message-system" dir="auto">
          {body.body}
        </p>
      );
    case "unsupported":
      return (
        <div className="message-unsupported">
          <p className="message-text">{t("message.unsupported")}</p>
          {body.errors.length > 0 && <span className="message-detail">{body.errors.join("; ")}</span>}
        </div>
      );
    case "template":
      return (
        <div className="message-template">
          <span className="message-kind">{t("message.template", { name: body.name, language: body.language })}</span>
          {message.text && <Text text={message.text} />}
        </div>
      );
    case "buttons":
      return (
        <div className="message-interactive">
          <Text text={body.body} />
          <div className="message-buttons">
            {body.buttons.map((b) => (
              <span key={b.id} className="message-button" dir="auto">
                {b.title}
              </span>
            ))}
          </div>
        </div>
      );
    case "list":
      return (
        <div className="message-interactive">
          {body.header && <strong dir="auto">{body.header}</strong>}
          <Text text={body.body} />
          <span className="message-button" dir="auto">
            ☰ {body.button}
          </span>
          <ul className="message-list-rows">
            {body.sections.flatMap((s) => s.rows).map((row) => (
              <li key={row.id} dir="auto">
                {row.title}
              </li>
            ))}
          </ul>
          {body.footer && <span className="message-detail">{body.footer}</span>}
        </div>
      );
    case "cta_url":
      return (
        <div className="message-interactive">
          {body.header && <strong dir="auto">{body.header}</strong>}
          <Text text={body.body} />
          <ExternalLink href={body.url}>{body.display_text}</ExternalLink>
          {body.footer && <span className="message-detail">{body.footer}</span>}
        </div>
      );
    case "unknown":
    default:
      return (
        <div className="message-unsupported">
          <p className="message-text">{t("message.unsupported")}</p>
          {message.text && <span className="message-detail">{message.text}</span>}
        </div>
      );
  }
}
