//! A small OpenID Connect identity provider, the stand-in for Keycloak, Entra ID or Google in
//! demos and tests: a discovery document under `/oidc`, a JWKS with an RSA key made when it is
//! first needed, `/oidc/authorize` that signs in the configured user at once (no password
//! page) and redirects to the app's loopback address with a code, and `/oidc/token` that
//! checks the client, the code (once), the redirect URI and the PKCE verifier, and answers
//! with an RS256 ID token carrying the nonce. Tests make it misbehave with [`IdTokenFault`]
//! and sign in someone else with [`IdentityProvider::sign_in_as`].

use crate::state::{unix_seconds, Simulator};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The client the demo's server is registered as.
pub const DEMO_CLIENT_ID: &str = "switchboard";
pub const DEMO_CLIENT_SECRET: &str = "demo-sso-secret";

/// Who `/oidc/authorize` signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpUser {
    pub subject: String,
    /// `preferred_username`.
    pub username: String,
    pub email: String,
    pub name: String,
    /// The `groups` claim.
    pub groups: Vec<String>,
}

impl IdpUser {
    pub fn new(username: &str) -> IdpUser {
        IdpUser {
            subject: format!("sub-{username}"),
            username: username.into(),
            email: format!("{username}@example.com"),
            name: username.into(),
            groups: Vec::new(),
        }
    }
}

/// Ways the provider's ID tokens can go wrong, for tests of the server's checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdTokenFault {
    #[default]
    None,
    /// Made for another client.
    WrongAudience,
    /// Expired an hour ago.
    Expired,
    /// The signature does not match the payload.
    BadSignature,
    /// Signed without the nonce the app sent.
    WrongNonce,
}

struct SigningKey {
    encoding: EncodingKey,
    kid: String,
    /// The public key's modulus and exponent, base64url, for the JWKS.
    n: String,
    e: String,
}

/// A code handed to the browser and not yet redeemed.
struct Issued {
    redirect_uri: String,
    challenge: String,
    nonce: String,
    user: IdpUser,
}

pub struct IdentityProvider {
    issuer: String,
    key: tokio::sync::OnceCell<Arc<SigningKey>>,
    client: Mutex<(String, String)>,
    user: Mutex<IdpUser>,
    fault: Mutex<IdTokenFault>,
    codes: Mutex<HashMap<String, Issued>>,
}

impl IdentityProvider {
    pub(crate) fn new(issuer: String) -> IdentityProvider {
        IdentityProvider {
            issuer,
            key: tokio::sync::OnceCell::new(),
            client: Mutex::new((DEMO_CLIENT_ID.into(), DEMO_CLIENT_SECRET.into())),
            user: Mutex::new(IdpUser::new("amal")),
            fault: Mutex::default(),
            codes: Mutex::default(),
        }
    }

    /// The issuer to configure as the server's `oidc.issuer`.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The client id and secret the token endpoint accepts.
    pub fn register_client(&self, id: &str, secret: &str) {
        *lock(&self.client) = (id.into(), secret.into());
    }

    /// Whom the next sign-ins sign in.
    pub fn sign_in_as(&self, user: IdpUser) {
        *lock(&self.user) = user;
    }

    /// How the next ID tokens go wrong (or `None`).
    pub fn set_fault(&self, fault: IdTokenFault) {
        *lock(&self.fault) = fault;
    }

    async fn key(&self) -> Arc<SigningKey> {
        self.key
            .get_or_init(|| async {
                tokio::task::spawn_blocking(generate_key)
                    .await
                    .expect("making the RSA key does not panic")
            })
            .await
            .clone()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

fn generate_key() -> Arc<SigningKey> {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
        .expect("a 2048-bit RSA key can be made");
    let der = private
        .to_pkcs1_der()
        .expect("an RSA key encodes as PKCS#1");
    let b64 = |bytes: Vec<u8>| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let n = b64(private.n().to_bytes_be());
    let kid = hex_prefix(&Sha256::digest(n.as_bytes()));
    Arc::new(SigningKey {
        encoding: EncodingKey::from_rsa_der(der.as_bytes()),
        kid,
        n,
        e: b64(private.e().to_bytes_be()),
    })
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn random() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn routes() -> Router<Simulator> {
    Router::new()
        .route("/oidc/.well-known/openid-configuration", get(discovery))
        .route("/oidc/jwks", get(jwks))
        .route("/oidc/authorize", get(authorize))
        .route("/oidc/token", post(token))
}

async fn discovery(State(sim): State<Simulator>) -> Json<Value> {
    let issuer = sim.identity().issuer();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ["openid", "profile", "email"],
    }))
}

async fn jwks(State(sim): State<Simulator>) -> Json<Value> {
    let key = sim.identity().key().await;
    Json(json!({ "keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": key.kid, "n": key.n, "e": key.e,
    }]}))
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// Native apps may name any port on loopback (RFC 8252 §7.3).
fn loopback(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    host.starts_with("127.0.0.1:") || host.starts_with("[::1]:")
}

async fn authorize(State(sim): State<Simulator>, Query(query): Query<AuthorizeQuery>) -> Response {
    let idp = sim.identity();
    let client_id = lock(&idp.client).0.clone();
    // An unknown client or redirect gets a page, never a redirect (RFC 6749 §4.1.2.1).
    let Some(redirect_uri) = query.redirect_uri.filter(|r| loopback(r)) else {
        return (
            StatusCode::BAD_REQUEST,
            "redirect_uri must be a loopback address",
        )
            .into_response();
    };
    if query.client_id.as_deref() != Some(client_id.as_str()) {
        return (StatusCode::BAD_REQUEST, "unknown client_id").into_response();
    }
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let state = query.state.unwrap_or_default();
    let back = |pairs: &[(&str, &str)]| {
        let query: String = url_encode(pairs);
        Redirect::to(&format!("{redirect_uri}{separator}{query}")).into_response()
    };
    let (Some(challenge), Some("S256"), Some("code")) = (
        query.code_challenge,
        query.code_challenge_method.as_deref(),
        query.response_type.as_deref(),
    ) else {
        return back(&[
            ("error", "invalid_request"),
            (
                "error_description",
                "code flow with an S256 code_challenge is required",
            ),
            ("state", &state),
        ]);
    };
    let code = random();
    lock(&idp.codes).insert(
        code.clone(),
        Issued {
            redirect_uri: redirect_uri.clone(),
            challenge,
            nonce: query.nonce.unwrap_or_default(),
            user: lock(&idp.user).clone(),
        },
    );
    back(&[("code", &code), ("state", &state)])
}

fn url_encode(pairs: &[(&str, &str)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// The client's id and secret: HTTP Basic (form-encoded inside) or in the form.
fn client_credentials(headers: &HeaderMap, form: &TokenForm) -> Option<(String, String)> {
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        return Some((decode(id)?, decode(secret)?));
    }
    Some((form.client_id.clone()?, form.client_secret.clone()?))
}

async fn token(
    State(sim): State<Simulator>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    let idp = sim.identity();
    let (client_id, client_secret) = lock(&idp.client).clone();
    match client_credentials(&headers, &form) {
        Some((id, secret)) if id == client_id && secret == client_secret => {}
        _ => {
            return token_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "wrong client id or secret",
            )
        }
    }
    if form.grant_type.as_deref() != Some("authorization_code") {
        return token_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only authorization_code",
        );
    }
    // Taken out: a code is redeemed once, whatever happens next.
    let Some(issued) = form
        .code
        .as_deref()
        .and_then(|c| lock(&idp.codes).remove(c))
    else {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "unknown or already used code",
        );
    };
    if form.redirect_uri.as_deref() != Some(issued.redirect_uri.as_str()) {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "redirect_uri differs from the authorize request",
        );
    }
    let verifier = form.code_verifier.unwrap_or_default();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    if challenge != issued.challenge {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "the PKCE code_verifier does not match",
        );
    }
    let fault = *lock(&idp.fault);
    let now = unix_seconds();
    let (iat, exp) = match fault {
        IdTokenFault::Expired => (now - 3600, now - 1800),
        _ => (now, now + 300),
    };
    let user = issued.user;
    let claims = json!({
        "iss": idp.issuer(),
        "sub": user.subject,
        "aud": if fault == IdTokenFault::WrongAudience { "another-application".to_owned() } else { client_id.clone() },
        "azp": client_id,
        "iat": iat,
        "exp": exp,
        "nonce": if fault == IdTokenFault::WrongNonce { "not-the-nonce".to_owned() } else { issued.nonce },
        "preferred_username": user.username,
        "email": user.email,
        "name": user.name,
        "groups": user.groups,
    });
    let key = idp.key().await;
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    let mut id_token =
        jsonwebtoken::encode(&header, &claims, &key.encoding).expect("an RSA key signs any claims");
    if fault == IdTokenFault::BadSignature {
        id_token = tamper(&id_token);
    }
    Json(json!({
        "access_token": random(),
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}

/// The token with one bit of its signature flipped.
fn tamper(token: &str) -> String {
    let (signed, signature) = token.rsplit_once('.').expect("a JWT has three parts");
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut bytes = engine
        .decode(signature)
        .expect("the signature is base64url");
    bytes[10] ^= 0x01;
    format!("{signed}.{}", engine.encode(bytes))
}
