use super::*;
use base64::Engine;
use jsonwebtoken::{EncodingKey, Header};
use proptest::prelude::*;
use serde_json::json;
use std::sync::OnceLock;

const NOW: i64 = 1_800_000_000;
const ISSUER: &str = "https://login.example.com/realms/support";
const CLIENT: &str = "switchboard";
const NONCE: &str = "n-0S6_WzA2Mj";

struct TestKey {
    encoding: EncodingKey,
    keys: JwkSet,
}

/// One RSA key for every test (making one takes a moment).
fn key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::traits::PublicKeyParts;
        let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let b64 = |b: Vec<u8>| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        let keys = serde_json::from_value(json!({ "keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": "k1",
            "n": b64(private.n().to_bytes_be()), "e": b64(private.e().to_bytes_be()),
        }]}))
        .unwrap();
        TestKey {
            encoding: EncodingKey::from_rsa_der(private.to_pkcs1_der().unwrap().as_bytes()),
            keys,
        }
    })
}

fn claims() -> Value {
    json!({
        "iss": ISSUER, "aud": CLIENT, "sub": "248289761001", "iat": NOW, "exp": NOW + 300,
        "nonce": NONCE, "preferred_username": "amal",
    })
}

fn sign(claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("k1".into());
    jsonwebtoken::encode(&header, claims, &key().encoding).unwrap()
}

fn expected() -> Expected<'static> {
    Expected {
        issuer: ISSUER,
        client_id: CLIENT,
        nonce: NONCE,
        now: NOW,
    }
}

fn check(claims: &Value) -> Result<Map<String, Value>, TokenError> {
    verify(&sign(claims), &key().keys, &expected())
}

fn with(changes: Value) -> Value {
    let mut c = claims();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

#[test]
fn a_proper_token_gives_its_claims() {
    let claims = check(&claims()).unwrap();
    assert_eq!(claims["preferred_username"], "amal");
}

#[test]
fn each_claim_is_checked() {
    assert!(matches!(
        check(&with(json!({ "iss": "https://evil.example" }))),
        Err(TokenError::WrongIssuer { .. })
    ));
    assert!(matches!(
        check(&with(json!({ "aud": "another-app" }))),
        Err(TokenError::WrongAudience { .. })
    ));
    // Several audiences: ours must be among them and be the authorized party.
    assert!(matches!(
        check(&with(json!({ "aud": [CLIENT, "other"] }))),
        Err(TokenError::WrongAudience { .. })
    ));
    check(&with(json!({ "aud": [CLIENT, "other"], "azp": CLIENT }))).unwrap();
    assert!(matches!(
        check(&with(json!({ "exp": NOW - LEEWAY_SECONDS }))),
        Err(TokenError::Expired { .. })
    ));
    // A clock a little behind is forgiven.
    check(&with(json!({ "exp": NOW - LEEWAY_SECONDS + 1 }))).unwrap();
    assert!(matches!(
        check(&with(json!({ "iat": NOW + LEEWAY_SECONDS + 1 }))),
        Err(TokenError::FromTheFuture { .. })
    ));
    assert!(matches!(
        check(&with(json!({ "nbf": NOW + 3600 }))),
        Err(TokenError::FromTheFuture { .. })
    ));
    assert_eq!(
        check(&with(json!({ "nonce": "another" }))),
        Err(TokenError::WrongNonce)
    );
    assert_eq!(
        check(&with(json!({ "nonce": null }))),
        Err(TokenError::WrongNonce)
    );
    for claim in ["iss", "aud", "exp", "iat"] {
        assert_eq!(
            check(&with(json!({ claim: null }))),
            Err(TokenError::MissingClaim(claim))
        );
    }
}

#[test]
fn only_rsa_signatures_from_the_providers_keys_count() {
    // The classic confusion: HMAC keyed with the public modulus.
    let n = key().keys.keys[0].clone();
    let secret = serde_json::to_string(&n).unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("k1".into());
    let forged = jsonwebtoken::encode(
        &header,
        &claims(),
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap();
    assert!(matches!(
        verify(&forged, &key().keys, &expected()),
        Err(TokenError::Algorithm(_))
    ));
    // An unsigned token.
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&claims()).unwrap());
    let none = format!("eyJhbGciOiJub25lIn0.{body}.");
    assert!(verify(&none, &key().keys, &expected()).is_err());
    // A key the provider does not list: worth fetching the keys again.
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("rotated".into());
    let token = jsonwebtoken::encode(&header, &claims(), &key().encoding).unwrap();
    let error = verify(&token, &key().keys, &expected()).unwrap_err();
    assert!(error.wants_fresh_keys(), "{error}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Changing any one character of a valid token, anywhere, gets it refused.
    #[test]
    fn no_altered_token_is_accepted(at in any::<prop::sample::Index>(), with_char in "[A-Za-z0-9_.-]") {
        let token = sign(&claims());
        let i = at.index(token.len());
        let mut altered = token.clone();
        altered.replace_range(i..i + 1, &with_char);
        prop_assume!(altered != token);
        prop_assert!(verify(&altered, &key().keys, &expected()).is_err());
    }

    /// A token is accepted exactly while it has not expired (give or take the leeway).
    #[test]
    fn expiry_is_judged_with_the_leeway(offset in -10_000i64..10_000) {
        let result = check_claims(
            with(json!({ "exp": NOW + offset })).as_object().unwrap().clone(),
            &expected(),
        );
        prop_assert_eq!(result.is_ok(), offset + LEEWAY_SECONDS > 0);
    }
}
