//! Validating what a business asks the simulated Graph API to send, the way Meta does:
//! required fields (131008), invalid values (131009, 100), and the template registry
//! (132001 for an unknown template or language, 132000 for a wrong parameter count).
//! Interactive messages, locations and contact cards are checked against the limits Meta
//! documents for them.

mod contacts;
mod interactive;
mod location;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An approved message template of the simulated business account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimTemplate {
    pub name: String,
    /// Language code, for example `en_US`.
    pub language: String,
    /// `marketing`, `utility` or `authentication`: decides the price.
    pub category: String,
    /// Body text with `{{1}}`, `{{2}}` … placeholders.
    pub body: String,
    /// `image`, `video` or `document` when the template has a media header.
    #[serde(default)]
    pub header: Option<String>,
    /// How many quick-reply buttons the template has.
    #[serde(default)]
    pub quick_replies: usize,
}

impl SimTemplate {
    fn placeholders(&self) -> usize {
        (1..=20)
            .take_while(|i| self.body.contains(&format!("{{{{{i}}}}}")))
            .count()
    }
}

/// The demo business's approved templates, in English, Arabic and Thai.
pub fn demo_templates() -> Vec<SimTemplate> {
    let t = |name: &str, language: &str, category: &str, body: &str| SimTemplate {
        name: name.into(),
        language: language.into(),
        category: category.into(),
        body: body.into(),
        header: None,
        quick_replies: 0,
    };
    vec![
        SimTemplate {
            header: Some("document".into()),
            quick_replies: 2,
            ..t(
                "order_receipt",
                "en_US",
                "utility",
                "Hi {{1}}, here is the receipt for order {{2}}.",
            )
        },
        t(
            "order_update",
            "en_US",
            "utility",
            "Hi {{1}}, your order {{2}} has shipped.",
        ),
        t(
            "order_update",
            "ar",
            "utility",
            "مرحبا {{1}}، تم شحن طلبك {{2}}.",
        ),
        t(
            "order_update",
            "th",
            "utility",
            "สวัสดีคุณ {{1}} คำสั่งซื้อ {{2}} ของคุณจัดส่งแล้ว",
        ),
        t(
            "follow_up",
            "en_US",
            "marketing",
            "Hi {{1}}, is there anything else we can help with?",
        ),
    ]
}

/// A request the Graph API accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// What the customer sees, in one line.
    pub summary: String,
    /// Free-form content needs an open 24-hour window; templates do not.
    pub free_form: bool,
    /// Business reactions only ever get a `sent` status.
    pub only_sent: bool,
    /// The template's pricing category, for the status pricing object.
    pub category: Option<String>,
}

/// A refusal in Meta's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub http_status: u16,
    pub code: i64,
    pub title: &'static str,
    pub details: String,
}

fn missing(field: &str) -> Refused {
    Refused {
        http_status: 400,
        code: 131008,
        title: "Required parameter is missing",
        details: format!("The parameter {field} is required."),
    }
}

fn invalid(details: impl Into<String>) -> Refused {
    Refused {
        http_status: 400,
        code: 131009,
        title: "Parameter value is not valid",
        details: details.into(),
    }
}

fn text_at<'a>(request: &'a Value, pointer: &str) -> Option<&'a str> {
    request
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Checks `request` (a `/messages` body) and describes what would be sent.
pub fn read(request: &Value, templates: &[SimTemplate]) -> Result<Accepted, Refused> {
    let kind = request
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("text");
    let free = |summary: String| {
        Ok(Accepted {
            summary,
            free_form: true,
            only_sent: false,
            category: None,
        })
    };
    match kind {
        "text" => {
            let body = text_at(request, "/text/body").ok_or_else(|| missing("text['body']"))?;
            if body.chars().count() > 4096 {
                return Err(invalid("Param text['body'] must be at most 4096 characters long."));
            }
            free(body.to_owned())
        }
        "template" => {
            let name = text_at(request, "/template/name").ok_or_else(|| missing("template['name']"))?;
            let language = text_at(request, "/template/language/code").ok_or_else(|| missing("template['language']['code']"))?;
            let template = templates.iter().find(|t| t.name == name && t.language == language).ok_or(Refused {
                http_status: 404,
                code: 132001,
                title: "Template name does not exist in the translation",
                details: format!("template name ({name}) does not exist in {language}"),
            })?;
            let parameters: Vec<String> = request
                .pointer("/template/components")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|c| c.get("type").and_then(Value::as_str) == Some("body"))
                .flat_map(|c| c.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default())
                .map(|p| p.get("text").and_then(Value::as_str).unwrap_or_default().to_owned())
                .collect();
            if parameters.len() != template.placeholders() {
                return Err(Refused {
                    http_status: 400,
                    code: 132000,
                    title: "Number of parameters does not match the expected number of params",
                    details: format!("body: number of localizable_params ({}) does not match the expected number of params ({})", parameters.len(), template.placeholders()),
                });
            }
            let components: Vec<&Value> = request
                .pointer("/template/components")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .collect();
            let of_type = |kind: &str| components.iter().filter(|c| c.get("type").and_then(Value::as_str) == Some(kind)).count();
            if let Some(media) = &template.header {
                let given = components
                    .iter()
                    .find(|c| c.get("type").and_then(Value::as_str) == Some("header"))
                    .and_then(|c| c.pointer("/parameters/0"))
                    .filter(|p| p.get("type").and_then(Value::as_str) == Some(media.as_str()))
                    .and_then(|p| p.get(media.as_str()))
                    .is_some_and(|m| m.get("link").is_some() || m.get("id").is_some());
                if !given {
                    return Err(Refused {
                        http_status: 400,
                        code: 132012,
                        title: "Parameter format does not match format in the created template",
                        details: format!("header: this template needs a {media} header parameter with a link or id"),
                    });
                }
            }
            if of_type("button") != template.quick_replies {
                return Err(Refused {
                    http_status: 400,
                    code: 132000,
                    title: "Number of parameters does not match the expected number of params",
                    details: format!("buttons: {} given, the template has {} quick replies", of_type("button"), template.quick_replies),
                });
            }
            let summary = parameters
                .iter()
                .enumerate()
                .fold(template.body.clone(), |text, (i, p)| text.replace(&format!("{{{{{}}}}}", i + 1), p));
            Ok(Accepted { summary, free_form: false, only_sent: false, category: Some(template.category.clone()) })
        }
        "image" | "video" | "audio" | "document" | "sticker" => {
            let media = request.get(kind).ok_or_else(|| missing(kind))?;
            if media.get("id").is_none() && media.get("link").is_none() {
                return Err(missing(&format!("{kind}['id'] or {kind}['link']")));
            }
            let caption = media.get("caption").and_then(Value::as_str);
            if caption.is_some() && matches!(kind, "audio" | "sticker") {
                return Err(invalid(format!("Param {kind}['caption'] is not allowed for {kind} messages.")));
            }
            free(caption.map(str::to_owned).unwrap_or_else(|| format!("[{kind}]")))
        }
        "interactive" => free(interactive::read(request)?),
        "location" => free(location::read(request)?),
        "contacts" => free(contacts::read(request)?),
        "reaction" => {
            text_at(request, "/reaction/message_id").ok_or_else(|| missing("reaction['message_id']"))?;
            let emoji = request.pointer("/reaction/emoji").and_then(Value::as_str).unwrap_or_default();
            Ok(Accepted { summary: format!("[reaction] {emoji}"), free_form: true, only_sent: true, category: None })
        }
        other => Err(Refused {
            http_status: 400,
            code: 100,
            title: "Invalid parameter",
            details: format!("Param type must be one of {{AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO}}, not {other}"),
        }),
    }
}

/// Refuses `text` at `place` when it has more than `max` characters.
fn at_most(text: &str, place: &str, max: usize) -> Result<(), Refused> {
    if text.chars().count() > max {
        return Err(invalid(format!(
            "Param {place} must be at most {max} characters long."
        )));
    }
    Ok(())
}

/// Text at `pointer` that must be there.
fn required<'a>(request: &'a Value, pointer: &str, place: &str) -> Result<&'a str, Refused> {
    text_at(request, pointer).ok_or_else(|| missing(place))
}

/// A send request of `kind` with `content`, for the checks' tests.
#[cfg(test)]
fn request_of(kind: &str, content: Value) -> Value {
    let mut request = serde_json::json!({ "messaging_product": "whatsapp", "recipient_type": "individual", "to": "16505551234", "type": kind });
    request[kind] = content;
    request
}

/// The code and details of a request the checks refuse.
#[cfg(test)]
fn refusal(request: &Value) -> (i64, String) {
    let refused = read(request, &demo_templates()).expect_err("refused");
    (refused.code, refused.details)
}
