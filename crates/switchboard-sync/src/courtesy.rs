//! Greetings and satisfaction surveys from the desk: rule managers read and replace the
//! greeting on a customer's first contact and the survey after a resolve; report viewers read
//! the survey scores per agent and team. Thin calls: the server checks numbers, texts and
//! WhatsApp's length limits and words a refusal naming the entry to fix.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use switchboard_protocol::{CsatQuery, CsatReport, CsatSettings, GreetingSettings};

/// `/csat?from=&to=&number=`, with only the parts given.
fn report_path(query: &CsatQuery) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    if let Some(from) = query.from {
        pairs.append_pair("from", &from.to_string());
    }
    if let Some(to) = query.to {
        pairs.append_pair("to", &to.to_string());
    }
    if let Some(number) = query.number.as_deref().map(str::trim) {
        if !number.is_empty() {
            pairs.append_pair("number", number);
        }
    }
    let pairs = pairs.finish();
    if pairs.is_empty() {
        "/csat".to_owned()
    } else {
        format!("/csat?{pairs}")
    }
}

impl Workstation {
    /// Every greeting: the default and each number's own.
    pub async fn greetings(&self) -> Result<GreetingSettings, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/greetings", None)
            .await
    }

    /// Replaces every greeting; answers with them as saved.
    pub async fn save_greetings(
        &self,
        settings: GreetingSettings,
    ) -> Result<GreetingSettings, SyncError> {
        self.call_signed_in(Method::PUT, "/greetings", Some(&settings))
            .await
    }

    /// Every satisfaction survey: the default and each number's own.
    pub async fn csat_settings(&self) -> Result<CsatSettings, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/csat/settings", None)
            .await
    }

    /// Replaces every satisfaction survey; answers with them as saved.
    pub async fn save_csat_settings(
        &self,
        settings: CsatSettings,
    ) -> Result<CsatSettings, SyncError> {
        self.call_signed_in(Method::PUT, "/csat/settings", Some(&settings))
            .await
    }

    /// Survey scores in a period (the last 30 days by default), per agent and team, counting
    /// only conversations the user may read.
    pub async fn csat_report(&self, query: CsatQuery) -> Result<CsatReport, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, &report_path(&query), None)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_query_names_only_what_was_given() {
        assert_eq!(report_path(&CsatQuery::default()), "/csat");
        assert_eq!(
            report_path(&CsatQuery {
                from: Some(1_000),
                to: Some(2_000),
                number: Some(" 1001 ".into()),
            }),
            "/csat?from=1000&to=2000&number=1001"
        );
        assert_eq!(
            report_path(&CsatQuery {
                from: None,
                to: None,
                number: Some("  ".into()),
            }),
            "/csat"
        );
    }
}
