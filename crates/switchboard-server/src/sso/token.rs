//! Checking an ID token: its signature against the provider's published keys (RSA: RS256 and
//! its siblings, never HMAC or `none`), then `iss`, `aud` (and `azp` when there are several
//! audiences), `exp`, `iat` and `nbf` with a small leeway for clocks, and the `nonce` this
//! sign-in sent. Pure: the caller brings the keys and the time.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

/// How far the provider's clock may be from ours, in seconds.
pub const LEEWAY_SECONDS: i64 = 60;

/// Algorithms an ID token may be signed with: RSA only.
const ALLOWED: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
];

/// What the token must say.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    /// Seconds since the epoch.
    pub now: i64,
}

/// Why an ID token was refused. English, for the log; the API words each for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the ID token is not a signed JWT: {0}")]
    Malformed(String),
    #[error("the ID token is signed with {0:?}; only RSA signatures (RS256, RS384, RS512, PS256, PS384, PS512) are accepted")]
    Algorithm(String),
    #[error("the ID token names signing key {0:?}, which the provider's JWKS does not list")]
    UnknownKey(String),
    #[error("the ID token's signature does not match the provider's key")]
    BadSignature,
    #[error("the ID token was issued by {found:?}, not by the configured issuer {expected:?}")]
    WrongIssuer { found: String, expected: String },
    #[error("the ID token is meant for {found}, not for client id {expected:?}")]
    WrongAudience { found: String, expected: String },
    #[error("the ID token expired {seconds} s ago")]
    Expired { seconds: i64 },
    #[error("the ID token is dated {seconds} s in the future; check the clocks of this server and the provider")]
    FromTheFuture { seconds: i64 },
    #[error("the ID token does not carry the nonce this sign-in sent")]
    WrongNonce,
    #[error("the ID token has no {0:?} claim")]
    MissingClaim(&'static str),
}

impl TokenError {
    /// Whether fetching the provider's keys again might help (it rotated its keys).
    pub fn wants_fresh_keys(&self) -> bool {
        matches!(self, TokenError::UnknownKey(_))
    }
}

/// The claims of `id_token` once every check passed.
pub fn verify(
    id_token: &str,
    keys: &JwkSet,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>, TokenError> {
    let header =
        jsonwebtoken::decode_header(id_token).map_err(|e| TokenError::Malformed(e.to_string()))?;
    if !ALLOWED.contains(&header.alg) {
        return Err(TokenError::Algorithm(format!("{:?}", header.alg)));
    }
    let jwk = match &header.kid {
        Some(kid) => keys
            .find(kid)
            .ok_or_else(|| TokenError::UnknownKey(kid.clone()))?,
        // Without a key id, only a provider with a single key is unambiguous.
        None if keys.keys.len() == 1 => &keys.keys[0],
        None => return Err(TokenError::UnknownKey(String::new())),
    };
    let key = DecodingKey::from_jwk(jwk).map_err(|e| TokenError::Malformed(e.to_string()))?;
    // The library checks the signature; the claims are checked below against our clock, with
    // errors that say which claim failed.
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.validate_nbf = false;
    validation.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Map<String, Value>>(id_token, &key, &validation).map_err(
        |e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => TokenError::BadSignature,
            jsonwebtoken::errors::ErrorKind::InvalidAlgorithm => {
                TokenError::Algorithm(format!("{:?}", header.alg))
            }
            _ => TokenError::Malformed(e.to_string()),
        },
    )?;
    check_claims(data.claims, expected)
}

/// The claim checks, apart from the signature.
pub fn check_claims(
    claims: Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>, TokenError> {
    let issuer = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or(TokenError::MissingClaim("iss"))?;
    if issuer != expected.issuer {
        return Err(TokenError::WrongIssuer {
            found: issuer.to_owned(),
            expected: expected.issuer.to_owned(),
        });
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => return Err(TokenError::MissingClaim("aud")),
    };
    let azp = claims.get("azp").and_then(Value::as_str);
    let ours = audiences.contains(&expected.client_id)
        && (audiences.len() == 1 || azp == Some(expected.client_id));
    if !ours {
        return Err(TokenError::WrongAudience {
            found: format!("{audiences:?}"),
            expected: expected.client_id.to_owned(),
        });
    }
    let time = |name: &'static str| claims.get(name).and_then(Value::as_i64);
    let expires = time("exp").ok_or(TokenError::MissingClaim("exp"))?;
    if expires + LEEWAY_SECONDS <= expected.now {
        return Err(TokenError::Expired {
            seconds: expected.now - expires,
        });
    }
    let issued = time("iat").ok_or(TokenError::MissingClaim("iat"))?;
    for dated in [Some(issued), time("nbf")].into_iter().flatten() {
        if dated - LEEWAY_SECONDS > expected.now {
            return Err(TokenError::FromTheFuture {
                seconds: dated - expected.now,
            });
        }
    }
    match claims.get("nonce").and_then(Value::as_str) {
        Some(nonce) if constant_time_eq(nonce.as_bytes(), expected.nonce.as_bytes()) => {}
        _ => return Err(TokenError::WrongNonce),
    }
    Ok(claims)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[path = "token_tests.rs"]
mod tests;
