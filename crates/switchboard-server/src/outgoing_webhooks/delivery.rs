//! One attempt of one delivery over HTTP, and what follows from its answer.

use super::settings::OutgoingWebhookSettings;
use super::signature::{self, DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER};
use rand::Rng;
use std::time::Duration;

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Delivered { status: u16 },
    /// Worth trying again: no answer, a timeout, 408, 429 or 5xx.
    Retry { status: Option<u16>, error: String },
    /// The receiver refused it (another 4xx, or a redirect): retrying would not help.
    Refused { status: u16, error: String },
}

/// The request a delivery makes: what to send where, and how to sign it.
pub struct Request<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    pub delivery_id: &'a str,
    pub event_type: &'a str,
    pub body: &'a str,
}

/// POSTs `request.body`, signed with the time now.
pub async fn attempt(
    client: &reqwest::Client,
    timeout: Duration,
    request: &Request<'_>,
) -> Attempt {
    let timestamp = switchboard_domain::now_millis() / 1_000;
    let sent = client
        .post(request.url)
        .timeout(timeout)
        .header("content-type", "application/json")
        .header(
            SIGNATURE_HEADER,
            signature::sign(request.secret, timestamp, request.body.as_bytes()),
        )
        .header(EVENT_HEADER, request.event_type)
        .header(DELIVERY_HEADER, request.delivery_id)
        .body(request.body.to_owned())
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(error) if error.is_timeout() => {
            return Attempt::Retry {
                status: None,
                error: format!("no answer within {} ms", timeout.as_millis()),
            }
        }
        Err(error) => {
            return Attempt::Retry {
                status: None,
                error: format!("could not reach the receiver: {}", without_url(&error)),
            }
        }
    };
    judge(response.status().as_u16())
}

/// The outcome of an answer with HTTP status `status`.
pub fn judge(status: u16) -> Attempt {
    match status {
        200..=299 => Attempt::Delivered { status },
        408 | 429 | 500..=599 => Attempt::Retry {
            status: Some(status),
            error: format!("the receiver answered {status}"),
        },
        300..=399 => Attempt::Refused {
            status,
            error: format!("the receiver answered {status} (a redirect); deliveries do not follow redirects: save the final URL"),
        },
        _ => Attempt::Refused {
            status,
            error: format!("the receiver refused the delivery with {status}"),
        },
    }
}

/// reqwest's error text without the URL, which may hold a token in its query.
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "the URL");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The pause before attempt `attempts + 1`: the base doubled per attempt made, capped, then
/// a random point in its upper half, so receivers that failed together are not retried
/// together.
pub fn backoff(settings: &OutgoingWebhookSettings, attempts: u32) -> Duration {
    let doubled = settings
        .retry_base_ms
        .saturating_mul(1u64 << attempts.saturating_sub(1).min(32))
        .min(settings.max_retry_ms)
        .max(1);
    let half = doubled / 2;
    Duration::from_millis(half + rand::thread_rng().gen_range(0..=doubled - half))
}

/// Whether a delivery that just made its `attempts`th attempt, first tried in a window that
/// opened at `window_start`, should stop at `now` (retry due at `next`).
pub fn gives_up(
    settings: &OutgoingWebhookSettings,
    attempts: u32,
    window_start: i64,
    next: i64,
) -> bool {
    attempts >= settings.max_attempts
        || next.saturating_sub(window_start) > (settings.give_up_after_seconds as i64) * 1_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn statuses_are_judged() {
        assert_eq!(judge(204), Attempt::Delivered { status: 204 });
        assert!(matches!(judge(500), Attempt::Retry { .. }));
        assert!(matches!(judge(503), Attempt::Retry { .. }));
        assert!(matches!(judge(429), Attempt::Retry { .. }));
        assert!(matches!(judge(404), Attempt::Refused { .. }));
        assert!(matches!(judge(301), Attempt::Refused { .. }));
    }

    proptest! {
        #[test]
        fn backoff_grows_within_bounds(base in 1u64..100_000, cap in 1u64..10_000_000, attempts in 1u32..80) {
            let settings = OutgoingWebhookSettings { retry_base_ms: base, max_retry_ms: cap, ..Default::default() };
            let pause = backoff(&settings, attempts).as_millis() as u64;
            let full = base.saturating_mul(1u64 << (attempts - 1).min(32)).min(cap).max(1);
            prop_assert!(pause <= full, "{pause} > {full}");
            prop_assert!(pause >= full / 2, "{pause} < half of {full}");
        }

        #[test]
        fn attempts_always_end(attempts in 0u32..100, elapsed in 0i64..200_000_000) {
            let settings = OutgoingWebhookSettings::default();
            if attempts >= settings.max_attempts || elapsed > 86_400_000 {
                prop_assert!(gives_up(&settings, attempts, 0, elapsed));
            } else {
                prop_assert!(!gives_up(&settings, attempts, 0, elapsed));
            }
        }
    }
}
