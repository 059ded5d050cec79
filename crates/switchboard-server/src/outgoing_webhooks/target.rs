//! Which URLs a subscription may send to: `https://` anywhere, plain `http://` only to a
//! loopback address or a host the settings allow (a receiver on a private network).

use std::net::IpAddr;

/// Why a URL was refused, with what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("`{0}` is not a URL: write it in full, for example https://example.com/hooks")]
    NotAUrl(String),
    #[error("the scheme `{0}` cannot be used: use https://")]
    Scheme(String),
    #[error("plain http:// to `{0}` would send customer data unencrypted: use https://, or add the host to [outgoing_webhooks] allow_http_hosts")]
    PlainHttp(String),
    #[error("the URL has no host")]
    NoHost,
    #[error("the URL must not carry a user name or password; put credentials in the receiver's own check of the signature")]
    Credentials,
    #[error("the URL is {0} characters long; at most 2000 are allowed")]
    TooLong(usize),
}

pub const MAX_URL_CHARS: usize = 2_000;

/// `text` as a URL deliveries may go to.
pub fn check(text: &str, allow_http_hosts: &[String]) -> Result<url::Url, TargetError> {
    let text = text.trim();
    let length = text.chars().count();
    if length > MAX_URL_CHARS {
        return Err(TargetError::TooLong(length));
    }
    let url = url::Url::parse(text).map_err(|_| TargetError::NotAUrl(text.to_owned()))?;
    let host = url.host_str().ok_or(TargetError::NoHost)?.to_owned();
    if host.is_empty() {
        return Err(TargetError::NoHost);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&host) || allowed(&host, allow_http_hosts) => Ok(url),
        "http" => Err(TargetError::PlainHttp(host)),
        other => Err(TargetError::Scheme(other.to_owned())),
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn allowed(host: &str, allow: &[String]) -> bool {
    allow.iter().any(|a| a.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn https_anywhere_http_only_to_loopback_or_allowed_hosts() {
        assert!(check("https://crm.example.com/hooks", &[]).is_ok());
        assert!(check("http://127.0.0.1:8080/x", &[]).is_ok());
        assert!(check("http://[::1]:8080/x", &[]).is_ok());
        assert!(check("http://localhost/x", &[]).is_ok());
        assert_eq!(
            check("http://crm.example.com/hooks", &[]),
            Err(TargetError::PlainHttp("crm.example.com".into()))
        );
        assert!(check("http://crm.internal/hooks", &["crm.internal".into()]).is_ok());
        assert_eq!(
            check("ftp://example.com", &[]),
            Err(TargetError::Scheme("ftp".into()))
        );
        assert_eq!(
            check("https://user:pw@example.com", &[]),
            Err(TargetError::Credentials)
        );
        assert!(matches!(
            check("example.com/x", &[]),
            Err(TargetError::NotAUrl(_))
        ));
    }

    proptest! {
        #[test]
        fn any_text_is_judged_without_panicking(text in "\\PC{0,300}") {
            let _ = check(&text, &["h".into()]);
        }

        #[test]
        fn an_accepted_url_is_https_or_a_permitted_http_host(
            text in "(https?|ftp)://[a-z0-9.:\\[\\]@]{0,30}(/[a-z]{0,5})?"
        ) {
            if let Ok(url) = check(&text, &["allowed.test".into()]) {
                let host = url.host_str().unwrap_or_default();
                prop_assert!(url.scheme() == "https" || is_loopback(host) || host == "allowed.test");
            }
        }
    }
}
