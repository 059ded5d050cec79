//! What a bot hook receives and what one attempt of a call comes to. The JSON built here is
//! the contract documented in the README ("Bot hooks"); change both together.

use crate::settings::BusinessNumber;
use crate::store::bot_hook_calls::PendingCall;
use serde_json::{json, Value};
use std::time::Duration;
use switchboard_automation::{read_answer, AnswerError, BotHook, HookAnswer, Rule, Template};

/// The largest answer body read from a hook; an order status needs far less.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// The request body for `call` of `rule`, sent on every attempt unchanged. `call_id` stays the
/// same across retries and restarts, so the endpoint can recognise a repeat. `crm` is what the
/// CRM connector said of the customer, when one is configured (`crm::hook_body`).
pub fn request_body(
    call: &PendingCall,
    rule: &Rule,
    business: Option<&BusinessNumber>,
    crm: Option<Value>,
) -> Value {
    let mut body = json!({
        "call_id": call.id,
        "rule": { "id": rule.id, "name": rule.name },
        "customer": {
            "phone": call.wa_id.as_ref().map(|wa_id| format!("+{wa_id}")),
            "wa_id": call.wa_id,
            "user_id": call.user_id,
            "name": call.name,
            "language": call.language.code(),
        },
        "business": {
            "phone_number_id": call.phone_number_id,
            "phone": business.map(|number| format!("+{}", number.display_phone_number)),
            "name": business.map(|number| number.name.as_str()),
        },
        "message": {
            "text": call.text,
            "keyword": call.keyword,
            "captures": call.captures,
        },
        "fired_at": call.created_at,
    });
    if let Some(crm) = crm {
        body["crm"] = crm;
    }
    body
}

/// Why an attempt gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    TimedOut {
        timeout_ms: u32,
    },
    Unreachable {
        detail: String,
    },
    /// 5xx or 429.
    ServerError {
        status: u16,
    },
    /// Any other 4xx but 404.
    Refused {
        status: u16,
    },
    /// 404, an empty answer, `{}`, `null` or `"found": false`.
    NotFound,
    Unreadable {
        detail: String,
    },
    TooLarge,
    MissingField {
        placeholder: String,
    },
    /// The rule was removed or no longer calls a hook when the call came to be made.
    RuleGone,
}

impl Failure {
    /// Whether another attempt may do better.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Failure::TimedOut { .. } | Failure::Unreachable { .. } | Failure::ServerError { .. }
        )
    }

    /// For logs and the call's `last_error`: never the address or headers, which may hold
    /// secrets.
    pub fn english(&self) -> String {
        match self {
            Failure::TimedOut { timeout_ms } => format!("no answer within {timeout_ms} ms"),
            Failure::Unreachable { detail } => format!("could not reach the hook: {detail}"),
            Failure::ServerError { status } => format!("the hook answered HTTP {status}"),
            Failure::Refused { status } => {
                format!("the hook refused the request with HTTP {status}")
            }
            Failure::NotFound => "the hook found nothing".into(),
            Failure::Unreadable { detail } => format!("the hook's answer is unreadable: {detail}"),
            Failure::TooLarge => {
                format!("the hook's answer is larger than {MAX_ANSWER_BYTES} bytes")
            }
            Failure::MissingField { placeholder } => {
                format!("the hook's answer has no value for {{{placeholder}}}")
            }
            Failure::RuleGone => "the rule was removed or no longer calls a hook".into(),
        }
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The reply for the customer, template filled.
    Answered(String),
    Failed(Failure),
}

/// Makes one attempt of `call` against `hook` and fills the answer template in the
/// customer's language.
pub async fn attempt(
    client: &reqwest::Client,
    hook: &BotHook,
    call: &PendingCall,
    body: &Value,
) -> Attempt {
    let mut request = client
        .post(hook.url.trim())
        .timeout(Duration::from_millis(u64::from(hook.timeout_ms)))
        .header(
            "Idempotency-Key",
            format!("switchboard-hook-call-{}", call.id),
        )
        .json(body);
    for header in &hook.headers {
        request = request.header(header.name.as_str(), header.value.as_str());
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) => return Attempt::Failed(transport_failure(hook, error)),
    };
    let status = response.status().as_u16();
    match status {
        404 => return Attempt::Failed(Failure::NotFound),
        429 | 500..=599 => return Attempt::Failed(Failure::ServerError { status }),
        200..=299 => {}
        _ => return Attempt::Failed(Failure::Refused { status }),
    }
    let body = match read_limited(response).await {
        Ok(Some(body)) => body,
        Ok(None) => return Attempt::Failed(Failure::TooLarge),
        Err(error) => return Attempt::Failed(transport_failure(hook, error)),
    };
    Attempt::from_answer(hook, call, &body)
}

impl Attempt {
    /// What a 2xx answer with `body` comes to.
    pub fn from_answer(hook: &BotHook, call: &PendingCall, body: &[u8]) -> Attempt {
        let answer = match read_answer(body) {
            Ok(HookAnswer::Found(answer)) => answer,
            Ok(HookAnswer::NotFound) => return Attempt::Failed(Failure::NotFound),
            Err(error @ (AnswerError::NotJson(_) | AnswerError::NotAnObject(_))) => {
                return Attempt::Failed(Failure::Unreadable {
                    detail: error.to_string(),
                })
            }
        };
        let Some(text) = hook.answer.for_customer(call.language) else {
            return Attempt::Failed(Failure::RuleGone);
        };
        // Checked when the rule was saved; a template that no longer parses is a changed rule.
        let Ok(template) = Template::parse(text) else {
            return Attempt::Failed(Failure::RuleGone);
        };
        match template.fill(&answer) {
            Ok(reply) if !reply.trim().is_empty() => Attempt::Answered(reply),
            Ok(_) => Attempt::Failed(Failure::NotFound),
            Err(missing) => Attempt::Failed(Failure::MissingField {
                placeholder: missing.placeholder,
            }),
        }
    }
}

fn transport_failure(hook: &BotHook, error: reqwest::Error) -> Failure {
    if error.is_timeout() {
        return Failure::TimedOut {
            timeout_ms: hook.timeout_ms,
        };
    }
    // Without the URL: it may carry a token.
    Failure::Unreachable {
        detail: error.without_url().to_string(),
    }
}

/// The body, or `None` when it is larger than [`MAX_ANSWER_BYTES`].
async fn read_limited(mut response: reqwest::Response) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// The pause before retry number `retry` (1 for the first): half a second doubling each time,
/// at most 30 s, each spread randomly between half and the whole, so calls failing together do
/// not retry together.
pub fn backoff(retry: u32) -> Duration {
    let full = 500u64
        .saturating_mul(1 << retry.saturating_sub(1).min(6))
        .min(30_000);
    let spread = rand::random::<f64>() * 0.5 + 0.5;
    Duration::from_millis((full as f64 * spread) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_automation::{CustomerLanguage, CustomerTexts, MatchMode, Reply};

    fn call(language: CustomerLanguage) -> PendingCall {
        PendingCall {
            id: 9,
            rule_id: 1,
            phone_number_id: "106540352242922".into(),
            conversation_id: 3,
            message_id: 4,
            text: "where is my order 4521".into(),
            keyword: "order 4521".into(),
            captures: [("order".to_owned(), "4521".to_owned())].into(),
            language,
            attempts: 0,
            created_at: 1_700_000_000_000,
            wa_id: Some("16505551234".into()),
            user_id: None,
            name: Some("Sheena Nelson".into()),
            contact_id: Some(3),
        }
    }

    fn hook() -> BotHook {
        BotHook {
            url: "http://127.0.0.1:1/lookup".into(),
            headers: Vec::new(),
            timeout_ms: 1_000,
            retries: 0,
            answer: CustomerTexts {
                en: Some("Order {order.id}: {order.status}".into()),
                ar: Some("الطلب {order.id}: {order.status}".into()),
                th: None,
            },
            hand_over: None,
        }
    }

    #[test]
    fn the_request_names_customer_business_and_captures() {
        let rule = Rule {
            id: 1,
            name: "Where is my order".into(),
            numbers: Vec::new(),
            keywords: vec!["order".into()],
            mode: MatchMode::Contains,
            priority: 0,
            stop_on_match: false,
            cooldown_minutes: 0,
            reply: Reply::Hook(hook()),
            enabled: true,
        };
        let body = request_body(&call(CustomerLanguage::En), &rule, None, None);
        assert_eq!(body["call_id"], 9);
        assert!(body.get("crm").is_none(), "no connector, no crm part");
        let with_crm = request_body(
            &call(CustomerLanguage::En),
            &rule,
            None,
            Some(serde_json::json!({"state": "fresh"})),
        );
        assert_eq!(with_crm["crm"]["state"], "fresh");
        assert_eq!(body["customer"]["phone"], "+16505551234");
        assert_eq!(body["customer"]["language"], "en");
        assert_eq!(body["message"]["captures"]["order"], "4521");
        assert_eq!(body["business"]["phone_number_id"], "106540352242922");
    }

    #[test]
    fn answers_fill_the_customer_language_and_gaps_hand_over() {
        let found = br#"{"found": true, "order": {"id": "4521", "status": "shipped"}}"#;
        assert_eq!(
            Attempt::from_answer(&hook(), &call(CustomerLanguage::Ar), found),
            Attempt::Answered("الطلب 4521: shipped".into())
        );
        assert_eq!(
            Attempt::from_answer(&hook(), &call(CustomerLanguage::Th), found),
            Attempt::Answered("Order 4521: shipped".into())
        );
        assert_eq!(
            Attempt::from_answer(
                &hook(),
                &call(CustomerLanguage::En),
                br#"{"order": {"id": 1}}"#
            ),
            Attempt::Failed(Failure::MissingField {
                placeholder: "order.status".into()
            })
        );
        assert_eq!(
            Attempt::from_answer(&hook(), &call(CustomerLanguage::En), br#"{"found": false}"#),
            Attempt::Failed(Failure::NotFound)
        );
        assert!(matches!(
            Attempt::from_answer(&hook(), &call(CustomerLanguage::En), b"<html>oops"),
            Attempt::Failed(Failure::Unreadable { .. })
        ));
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        for retry in 1..=40 {
            let pause = backoff(retry);
            let full = 500u64.saturating_mul(1 << (retry - 1).min(6)).min(30_000);
            assert!(pause.as_millis() as u64 >= full / 2 && pause.as_millis() as u64 <= full);
        }
    }
}
