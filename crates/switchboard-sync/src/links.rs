//! Links in messages open in the user's browser (or mail or phone app), never inside the
//! app's window; only schemes that cannot run anything on this machine are let through.

use crate::error::SyncError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `open_link`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpenLinkRequest {
    pub url: String,
}

/// The link, canonical, when it is one the operating system may open for the user.
pub fn checked_link(input: &str) -> Result<String, SyncError> {
    let parsed = url::Url::parse(input.trim())
        .map_err(|_| SyncError::Rejected(format!("“{input}” is not a link that can be opened.")))?;
    match parsed.scheme() {
        "http" | "https" if parsed.host_str().is_some() => Ok(parsed.into()),
        "mailto" | "tel" => Ok(parsed.into()),
        other => Err(SyncError::Rejected(format!(
            "Links starting with {other}: are not opened, to keep this computer safe."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::checked_link;

    #[test]
    fn only_web_mail_and_phone_links_open() {
        assert_eq!(
            checked_link(" https://example.com/a b").unwrap(),
            "https://example.com/a%20b"
        );
        assert!(checked_link("mailto:help@example.com").is_ok());
        assert!(checked_link("tel:+15550783881").is_ok());
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "smb://host/x",
            "http://",
            "nonsense",
        ] {
            assert!(checked_link(bad).is_err(), "{bad}");
        }
    }
}
