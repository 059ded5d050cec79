//! What browsers are told on every answer: no sniffing, no framing, no referrer; HSTS once the
//! server is reached over TLS (its own, or a proxy's); and CORS only for the origins listed in
//! `[http] cors_origins`, so by default no other site's page can call the API.

use crate::settings::HttpSettings;
use axum::http::header::{
    AUTHORIZATION, CONTENT_TYPE, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::Router;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

/// A year, as browsers expect for HSTS.
const HSTS: &str = "max-age=31536000";

/// Wraps `router` with the headers and, when origins are listed, CORS.
pub fn apply(router: Router, http: &HttpSettings, serves_tls: bool) -> Router {
    let mut router = router;
    // Inside the header layers, so preflight answers carry them too.
    if !http.cors_origins.is_empty() {
        router = router.layer(cors(&http.cors_origins));
    }
    let fixed = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router = router
        .layer(fixed(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(fixed(REFERRER_POLICY, "no-referrer"))
        .layer(fixed(X_FRAME_OPTIONS, "DENY"));
    if serves_tls || http.behind_tls_proxy {
        router = router.layer(fixed(STRICT_TRANSPORT_SECURITY, HSTS));
    }
    router
}

/// Exactly the listed origins, the methods and headers the API uses, and no credentials: the
/// API authenticates with a bearer token, never a cookie.
fn cors(origins: &[String]) -> CorsLayer {
    let origins = origins.iter().map(|origin| {
        HeaderValue::from_str(origin).expect("cors_origins were checked when settings loaded")
    });
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([AUTHORIZATION, CONTENT_TYPE])
        .max_age(Duration::from_secs(600))
}

/// Whether `origin` may go in `cors_origins`: `scheme://host[:port]` and nothing more; `*` or
/// `null` would let any site in.
pub fn check_cors_origin(origin: &str) -> Result<(), &'static str> {
    if origin.contains('*') || origin == "null" {
        return Err("is not allowed: list each origin that may call the API, for example https://crm.example.com");
    }
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or("must start with https:// (or http://)")?;
    let host = rest.split(':').next().unwrap_or_default();
    let stray = |c: char| !c.is_ascii_graphic() || "/?#@".contains(c);
    if host.is_empty() || rest.contains(stray) {
        return Err("must be scheme://host[:port] with no path or trailing slash, for example https://crm.example.com");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_cors_origin;

    #[test]
    fn only_plain_origins_are_accepted() {
        for good in [
            "https://crm.example.com",
            "http://localhost:5173",
            "https://10.0.0.7:8443",
        ] {
            assert_eq!(check_cors_origin(good), Ok(()), "{good}");
        }
        for bad in [
            "*",
            "https://*.example.com",
            "null",
            "crm.example.com",
            "https://crm.example.com/",
            "https://crm.example.com/app",
            "https://",
            "https://user@crm.example.com",
            "https://crm example.com",
        ] {
            assert!(check_cors_origin(bad).is_err(), "{bad}");
        }
    }
}
