//! `X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, as
//! Stripe signs its webhooks: the time inside the signed text lets a receiver refuse a
//! captured delivery replayed later, and `v1` leaves room for another scheme beside it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-switchboard-signature";
/// The event's wire name (`conversation.created`, …).
pub const EVENT_HEADER: &str = "x-switchboard-event";
/// The delivery's id: the same on every attempt of one delivery.
pub const DELIVERY_HEADER: &str = "x-switchboard-delivery";

/// The header value for `body` sent at `timestamp` (Unix seconds), keyed with `secret`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!(
        "t={timestamp},v1={}",
        hex::encode(digest(secret, timestamp, body))
    )
}

fn digest(secret: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// Why a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the header has no `t=` timestamp or no `v1=` signature")]
    Malformed,
    #[error("the signature is {age} seconds from now, more than the {tolerance} allowed; a delivery captured earlier may be replayed")]
    Stale { age: i64, tolerance: i64 },
    #[error("no `v1` signature matches the body under this secret")]
    Mismatch,
}

/// Checks `header` against `body` as a receiver does: a `v1` that matches under `secret`
/// (compared in constant time), signed within `tolerance` seconds of `now` (Unix seconds).
pub fn verify(
    secret: &str,
    header: &str,
    body: &[u8],
    now: i64,
    tolerance: i64,
) -> Result<(), VerifyError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return Err(VerifyError::Malformed);
    };
    if signatures.is_empty() {
        return Err(VerifyError::Malformed);
    }
    let age = now.saturating_sub(timestamp);
    if age.saturating_abs() > tolerance {
        return Err(VerifyError::Stale { age, tolerance });
    }
    for signature in signatures {
        let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        if mac.verify_slice(&signature).is_ok() {
            return Ok(());
        }
    }
    Err(VerifyError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_an_independent_computation() {
        // HMAC-SHA256("whsec_test", "1700000000.{}") computed with openssl:
        // printf '1700000000.{}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            sign("whsec_test", 1_700_000_000, b"{}"),
            "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
        );
    }

    #[test]
    fn refuses_old_and_malformed_headers() {
        let header = sign("s", 1_000, b"body");
        assert_eq!(verify("s", &header, b"body", 1_100, 300), Ok(()));
        assert_eq!(
            verify("s", &header, b"body", 2_000, 300),
            Err(VerifyError::Stale {
                age: 1_000,
                tolerance: 300
            })
        );
        assert_eq!(
            verify("s", "v1=00", b"body", 1_000, 300),
            Err(VerifyError::Malformed)
        );
        assert_eq!(
            verify("s", "t=1000", b"body", 1_000, 300),
            Err(VerifyError::Malformed)
        );
        // A receiver rotating keys may be sent several v1 values; one matching is enough.
        let two = format!("{header},v1=00ff");
        assert_eq!(verify("s", &two, b"body", 1_000, 300), Ok(()));
    }

    proptest! {
        #[test]
        fn a_signature_verifies_and_any_changed_byte_does_not(
            secret in "[ -~]{1,40}",
            body in proptest::collection::vec(any::<u8>(), 0..300),
            timestamp in 0i64..4_000_000_000,
            flip in any::<proptest::sample::Index>(),
            bit in 0u8..8,
        ) {
            let header = sign(&secret, timestamp, &body);
            prop_assert_eq!(verify(&secret, &header, &body, timestamp, 300), Ok(()));
            if !body.is_empty() {
                let mut changed = body.clone();
                changed[flip.index(body.len())] ^= 1 << bit;
                prop_assert_eq!(verify(&secret, &header, &changed, timestamp, 300), Err(VerifyError::Mismatch));
            }
            // A changed byte of the header's signature or time fails too.
            let mut forged = header.clone().into_bytes();
            let at = flip.index(forged.len());
            let c = forged[at];
            forged[at] = if c == b'0' { b'1' } else if c.is_ascii_digit() || c.is_ascii_hexdigit() { b'0' } else { c };
            if forged != header.as_bytes() {
                let forged = String::from_utf8(forged).unwrap();
                prop_assert!(verify(&secret, &forged, &body, timestamp, 300).is_err(), "{forged}");
            }
            let other = format!("{secret}x");
            prop_assert!(verify(&other, &header, &body, timestamp, 300).is_err());
        }

        #[test]
        fn any_header_text_is_refused_or_accepted_without_panicking(header in "\\PC{0,200}") {
            let _ = verify("secret", &header, b"{}", 0, 300);
        }
    }
}
