//! The identity provider as the server reaches it: its discovery document and signing keys,
//! fetched on first use and kept, the keys fetched again when a token names one they lack
//! (the provider rotated them), and the code exchange at its token endpoint.

use super::settings::OidcSettings;
use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Why the provider could not be used. English, for the log; the API words it for the user.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("could not reach the identity provider at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the identity provider answered {status} at {url}: {body}")]
    Refused {
        url: String,
        status: u16,
        body: String,
    },
    #[error(
        "the identity provider's answer at {url} is not what OpenID Connect describes: {reason}"
    )]
    Invalid { url: String, reason: String },
}

/// What the discovery document says that sign-in needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
}

/// The token endpoint's answer; only the ID token is used.
#[derive(Deserialize)]
struct TokenAnswer {
    id_token: Option<String>,
}

/// Keys are fetched again at most this often when a token names an unknown one, so forged
/// tokens cannot make the server hammer the provider.
const KEY_REFRESH_MIN: Duration = Duration::from_secs(30);
/// Keys are refreshed after this long anyway.
const KEY_MAX_AGE: Duration = Duration::from_secs(3600);

struct Cached {
    discovery: Arc<Discovery>,
    keys: Arc<JwkSet>,
    keys_fetched: Instant,
}

pub struct Provider {
    settings: OidcSettings,
    http: reqwest::Client,
    cached: Mutex<Option<Cached>>,
}

impl Provider {
    pub fn new(settings: OidcSettings) -> Provider {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            // The provider's token endpoint must not send the server elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client with default TLS");
        Provider {
            settings,
            http,
            cached: Mutex::new(None),
        }
    }

    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The discovery document and keys, fetched now if not yet (or too old).
    pub async fn metadata(&self) -> Result<(Arc<Discovery>, Arc<JwkSet>), ProviderError> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref() {
            if c.keys_fetched.elapsed() < KEY_MAX_AGE {
                return Ok((c.discovery.clone(), c.keys.clone()));
            }
        }
        let discovery = Arc::new(self.discover().await?);
        let keys = Arc::new(self.fetch_keys(&discovery).await?);
        *cached = Some(Cached {
            discovery: discovery.clone(),
            keys: keys.clone(),
            keys_fetched: Instant::now(),
        });
        Ok((discovery, keys))
    }

    /// Fetches the keys again, unless they were fetched very recently; the keys to use.
    pub async fn refresh_keys(&self) -> Result<Arc<JwkSet>, ProviderError> {
        let mut cached = self.cached.lock().await;
        let Some(c) = cached.as_mut() else {
            drop(cached);
            return Ok(self.metadata().await?.1);
        };
        if c.keys_fetched.elapsed() >= KEY_REFRESH_MIN {
            c.keys = Arc::new(self.fetch_keys(&c.discovery).await?);
            c.keys_fetched = Instant::now();
        }
        Ok(c.keys.clone())
    }

    async fn discover(&self) -> Result<Discovery, ProviderError> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.settings.issuer.trim_end_matches('/')
        );
        let discovery: Discovery = self.get_json(&url).await?;
        // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was
        // fetched for, or tokens would be checked against the wrong one.
        if discovery.issuer.trim_end_matches('/') != self.settings.issuer.trim_end_matches('/') {
            return Err(ProviderError::Invalid {
                url,
                reason: format!(
                    "it names issuer {:?}, but oidc.issuer is {:?}; set oidc.issuer to the provider's issuer exactly",
                    discovery.issuer, self.settings.issuer
                ),
            });
        }
        Ok(discovery)
    }

    async fn fetch_keys(&self, discovery: &Discovery) -> Result<JwkSet, ProviderError> {
        self.get_json(&discovery.jwks_uri).await
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
    ) -> Result<T, ProviderError> {
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| unreachable(url, e))?;
        read_json(url, response).await
    }

    /// Exchanges `code` at the token endpoint (client secret, PKCE verifier, the redirect URI
    /// the code was issued for); the ID token.
    pub async fn exchange(
        &self,
        discovery: &Discovery,
        code: &str,
        verifier: &str,
        redirect_uri: &str,
    ) -> Result<String, ProviderError> {
        let url = &discovery.token_endpoint;
        let response = self
            .http
            .post(url)
            .basic_auth(
                form_encode(&self.settings.client_id),
                Some(form_encode(self.settings.client_secret.expose())),
            )
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", verifier),
                ("client_id", &self.settings.client_id),
            ])
            .send()
            .await
            .map_err(|e| unreachable(url, e))?;
        let answer: TokenAnswer = read_json(url, response).await?;
        answer.id_token.ok_or_else(|| ProviderError::Invalid {
            url: url.clone(),
            reason: "the token answer has no id_token; is `openid` among oidc.scopes?".into(),
        })
    }
}

/// RFC 6749 §2.3.1: client id and secret are form-encoded before going into Basic auth.
fn form_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn unreachable(url: &str, error: reqwest::Error) -> ProviderError {
    ProviderError::Unreachable {
        url: url.to_owned(),
        reason: error.to_string(),
    }
}

async fn read_json<T: serde::de::DeserializeOwned>(
    url: &str,
    response: reqwest::Response,
) -> Result<T, ProviderError> {
    let status = response.status();
    let body = response.text().await.map_err(|e| unreachable(url, e))?;
    if !status.is_success() {
        return Err(ProviderError::Refused {
            url: url.to_owned(),
            status: status.as_u16(),
            // The provider's error answer (`invalid_grant`, …); it holds no secret of ours.
            body: body.chars().take(300).collect(),
        });
    }
    serde_json::from_str(&body).map_err(|e| ProviderError::Invalid {
        url: url.to_owned(),
        reason: e.to_string(),
    })
}
