//! Single sign-on through the organisation's OpenID Connect identity provider, for a native
//! app (RFC 8252): the desk listens on a loopback port, the server starts the sign-in and owns
//! PKCE, state and nonce, the system browser signs in at the provider, and the desk hands the
//! code back to the server, which answers as a password sign-in does ([`crate::LoginResponse`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `GET /api/v1/sso`: whether this server offers single sign-on, and what its button says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SsoInfo {
    pub enabled: bool,
    /// The provider's name for the button, for example `Contoso` ("Sign in with Contoso");
    /// absent when SSO is off or no label was configured.
    #[serde(default)]
    pub label: Option<String>,
}

/// `POST /api/v1/sso/start`: the address the desk listens on for the browser's redirect.
/// Only loopback addresses (`http://127.0.0.1:<port>/…`, `http://[::1]:<port>/…`) are accepted.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SsoStartRequest {
    pub redirect_uri: String,
}

/// The answer to [`SsoStartRequest`]: where to send the browser, and the state the redirect
/// must carry back.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SsoStartResponse {
    pub authorize_url: String,
    pub state: String,
}

/// `POST /api/v1/sso/finish`: what the browser's redirect carried. Each state is used once.
#[derive(Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SsoFinishRequest {
    pub state: String,
    pub code: String,
}

impl std::fmt::Debug for SsoFinishRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoFinishRequest")
            .field("state", &self.state)
            .field("code", &"<redacted>")
            .finish()
    }
}
