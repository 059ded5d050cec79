//! Optional single sign-on through an OpenID Connect provider, for the desktop as a native app
//! (RFC 8252): authorization code flow with PKCE. The server owns the PKCE verifier, the state
//! and the nonce; the desk only names its loopback redirect URI and hands back what the
//! browser brought. Each state is taken out when its sign-in finishes, so a code cannot be
//! redeemed twice here (and the provider refuses a second use too). Mapping the signed-in
//! identity to a Switchboard user is `api/sso.rs`.

mod pending;
mod provider;
mod settings;
mod token;

pub use pending::{check_loopback, Pending};
pub use provider::{Discovery, Provider, ProviderError};
pub use settings::{MappedRole, OidcSettings};
pub use token::{check_claims, verify, Expected, TokenError, LEEWAY_SECONDS};

use base64::Engine;
use rand::RngCore;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Why single sign-on did not sign someone in. English, for the log.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error(
        "the redirect URI {0:?} is not a loopback address such as http://127.0.0.1:<port>/callback"
    )]
    NotLoopback(String),
    #[error("this sign-in was not started here, was already finished, or took too long")]
    UnknownState,
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("the ID token has no {0:?} claim to name the user by; set oidc.username_claim to a claim the provider sends")]
    NoUsername(String),
}

/// Who the provider signed in.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The value of `username_claim`.
    pub username: String,
    /// A name to show, from `name` when the provider sends it.
    pub display_name: String,
    /// The provider's groups claim, for the role of a created user.
    pub groups: Vec<String>,
    /// The provider's subject id, for the audit log.
    pub subject: String,
}

/// Single sign-on as configured: the provider and the sign-ins under way.
pub struct Sso {
    provider: Provider,
    pending: Pending,
}

impl Sso {
    pub fn new(settings: OidcSettings) -> Sso {
        Sso {
            provider: Provider::new(settings),
            pending: Pending::default(),
        }
    }

    pub fn settings(&self) -> &OidcSettings {
        self.provider.settings()
    }

    /// Starts a sign-in that will come back to `redirect_uri`: the provider's authorize URL
    /// for the browser, and the state it will carry back.
    pub async fn start(&self, redirect_uri: &str) -> Result<(String, String), SsoError> {
        check_loopback(redirect_uri)?;
        let (discovery, _) = self.provider.metadata().await?;
        let state = random_token();
        let nonce = random_token();
        let verifier = random_token();
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes()));
        let settings = self.settings();
        let mut url = url::Url::parse(&discovery.authorization_endpoint).map_err(|e| {
            ProviderError::Invalid {
                url: discovery.authorization_endpoint.clone(),
                reason: format!("authorization_endpoint is not a URL: {e}"),
            }
        })?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &settings.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &settings.scope())
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        self.pending
            .insert(state.clone(), nonce, verifier, redirect_uri.to_owned());
        Ok((url.into(), state))
    }

    /// Finishes the sign-in `state` names with the provider's `code`: exchanges it, checks the
    /// ID token, and says who it names. The state is used up whatever the outcome.
    pub async fn finish(&self, state: &str, code: &str) -> Result<Identity, SsoError> {
        let started = self.pending.take(state).ok_or(SsoError::UnknownState)?;
        let (discovery, keys) = self.provider.metadata().await?;
        let id_token = self
            .provider
            .exchange(&discovery, code, &started.verifier, &started.redirect_uri)
            .await?;
        let settings = self.settings();
        let expected = Expected {
            issuer: &discovery.issuer,
            client_id: &settings.client_id,
            nonce: &started.nonce,
            now: switchboard_domain::now_millis() / 1000,
        };
        let claims = match verify(&id_token, &keys, &expected) {
            Err(error) if error.wants_fresh_keys() => {
                let keys = self.provider.refresh_keys().await?;
                verify(&id_token, &keys, &expected)?
            }
            other => other?,
        };
        identity(&claims, settings)
    }
}

/// The user the verified `claims` name.
fn identity(claims: &Map<String, Value>, settings: &OidcSettings) -> Result<Identity, SsoError> {
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let username = text(&settings.username_claim)
        .ok_or_else(|| SsoError::NoUsername(settings.username_claim.clone()))?;
    let groups = match claims.get(&settings.groups_claim) {
        Some(Value::Array(groups)) => groups
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    };
    Ok(Identity {
        display_name: text("name").unwrap_or_else(|| username.clone()),
        subject: text("sub").unwrap_or_default(),
        username,
        groups,
    })
}

/// 256 random bits, URL-safe: states, nonces and PKCE verifiers (43 characters, as RFC 7636
/// asks).
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
