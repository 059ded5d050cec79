//! Bot hooks: a rule reply that asks an outside HTTP endpoint and answers with what it returns.
//! This module holds what an administrator configures and the checks on it; the answer
//! template and the reading of the endpoint's answer are in `template`. The server makes the
//! call, after the webhook is stored, and hands over to a person when no answer comes.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

use crate::template::{Template, TemplateError};
use crate::CustomerTexts;

/// The longest a hook may take per attempt, so a slow system cannot hold a customer long.
pub const MAX_HOOK_TIMEOUT_MS: u32 = 10_000;
/// The most retries after a first attempt that timed out or failed.
pub const MAX_HOOK_RETRIES: u32 = 5;
/// What a header value reads as when rules are read back: secrets are never returned. Saving
/// a rule with this value keeps the value stored for that header.
pub const MASKED_SECRET: &str = "********";

fn default_timeout_ms() -> u32 {
    3_000
}

fn default_retries() -> u32 {
    2
}

/// An outside endpoint a rule asks. It receives the customer's message as JSON (see the
/// README's bot hook contract) and answers with a JSON object whose fields fill `answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "AutoReplyHook")]
pub struct BotHook {
    /// `http://` or `https://`; it receives a `POST` with the request JSON.
    pub url: String,
    /// Sent with every call, for example `Authorization`. Values are secrets: they are never
    /// logged, and reading the rules back shows them as [`MASKED_SECRET`].
    #[serde(default)]
    pub headers: Vec<HookHeader>,
    /// How long one attempt may take, in milliseconds (1 to 10,000; 3,000 when absent).
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u32,
    /// How many times a call that timed out, could not connect or got a 5xx or 429 is tried
    /// again, with growing pauses (0 to 5; 2 when absent).
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// The reply, per language of the customer, with `{field}` or `{field.inner}`
    /// placeholders filled from the endpoint's answer (`{{` and `}}` write braces). A
    /// placeholder the answer lacks means no answer.
    pub answer: CustomerTexts,
    /// Sent to the customer when the hook cannot answer and a person takes over; nothing is
    /// sent when absent.
    #[serde(default)]
    pub hand_over: Option<CustomerTexts>,
}

/// A header sent to a hook. Its value is a secret, so `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "AutoReplyHookHeader")]
pub struct HookHeader {
    pub name: String,
    pub value: String,
}

impl fmt::Debug for HookHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookHeader")
            .field("name", &self.name)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// Why a hook cannot be saved. Each says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HookError {
    #[error("the hook address {url:?} is not an http:// or https:// URL: write the full address")]
    BadUrl { url: String },
    #[error("the hook timeout {timeout_ms} ms is outside 1 to {max} ms: choose a value in that range", max = MAX_HOOK_TIMEOUT_MS)]
    BadTimeout { timeout_ms: u32 },
    #[error("the hook retries {retries} are more than {max}: lower them", max = MAX_HOOK_RETRIES)]
    TooManyRetries { retries: u32 },
    #[error("the hook header name {name:?} is not a valid HTTP header name: use letters, digits and dashes")]
    BadHeaderName { name: String },
    #[error("the hook header {name:?} has a value that cannot be sent in HTTP (a line break or control character): remove it")]
    BadHeaderValue { name: String },
    #[error("the hook's answer text is empty: write the reply the customer gets")]
    EmptyAnswer,
    #[error("the hook text {text:?} is not a usable template: {reason}")]
    BadTemplate { text: String, reason: TemplateError },
}

impl BotHook {
    /// Checks what the HTTP client and the template need: an http(s) address, limits,
    /// sendable headers, and answer texts that parse.
    pub fn check(&self) -> Result<(), HookError> {
        let url = self.url.trim();
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"));
        if rest.is_none_or(|rest| {
            rest.is_empty() || rest.starts_with('/') || url.contains(char::is_whitespace)
        }) {
            return Err(HookError::BadUrl {
                url: self.url.clone(),
            });
        }
        if self.timeout_ms == 0 || self.timeout_ms > MAX_HOOK_TIMEOUT_MS {
            return Err(HookError::BadTimeout {
                timeout_ms: self.timeout_ms,
            });
        }
        if self.retries > MAX_HOOK_RETRIES {
            return Err(HookError::TooManyRetries {
                retries: self.retries,
            });
        }
        for header in &self.headers {
            let token = |ch: char| ch.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(ch);
            if header.name.is_empty() || !header.name.chars().all(token) {
                return Err(HookError::BadHeaderName {
                    name: header.name.clone(),
                });
            }
            if header.value.chars().any(|ch| ch.is_control() && ch != '\t') {
                return Err(HookError::BadHeaderValue {
                    name: header.name.clone(),
                });
            }
        }
        if self
            .answer
            .for_customer(crate::CustomerLanguage::En)
            .is_none()
        {
            return Err(HookError::EmptyAnswer);
        }
        let texts = self
            .answer
            .given()
            .chain(self.hand_over.iter().flat_map(CustomerTexts::given));
        for (_, text) in texts {
            Template::parse(text).map_err(|reason| HookError::BadTemplate {
                text: text.to_owned(),
                reason,
            })?;
        }
        Ok(())
    }

    /// The hook as it may be shown: every header value replaced by [`MASKED_SECRET`].
    pub fn masked(&self) -> BotHook {
        let mut hook = self.clone();
        for header in &mut hook.headers {
            header.value = MASKED_SECRET.to_owned();
        }
        hook
    }

    /// Where a header value reads [`MASKED_SECRET`] (the administrator left it unchanged),
    /// takes the value `stored` has for a header of the same name, ignoring case. A masked
    /// value with nothing stored stays as it is.
    pub fn keep_secrets_from(&mut self, stored: &BotHook) {
        for header in &mut self.headers {
            if header.value != MASKED_SECRET {
                continue;
            }
            if let Some(old) = stored
                .headers
                .iter()
                .find(|old| old.name.eq_ignore_ascii_case(&header.name))
            {
                header.value = old.value.clone();
            }
        }
    }
}
