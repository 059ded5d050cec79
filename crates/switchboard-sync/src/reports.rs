//! Reports from the desk (report viewers): the figures of a period grouped by number, team,
//! agent, country or region, and the same report saved as the server's CSV into a file.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use std::path::Path;
use switchboard_protocol::{ExportFormat, Report, ReportQuery};

use crate::ExportSummary;

/// A word of the query string as serde writes it (`last_7_days`, `region`).
fn word<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
}

/// The query string both report endpoints read, with only the parts given (blank text is
/// left out, as the server would refuse it).
fn report_query(query: &ReportQuery) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    for (name, value) in [
        ("from", text(&query.from)),
        ("to", text(&query.to)),
        ("preset", query.preset.as_ref().and_then(word)),
        ("tz", text(&query.tz)),
        ("group_by", word(&query.group_by)),
        ("number", text(&query.number)),
        ("team", query.team.map(|v| v.to_string())),
        ("agent", query.agent.map(|v| v.to_string())),
    ] {
        if let Some(value) = value {
            pairs.append_pair(name, &value);
        }
    }
    pairs.finish()
}

/// The name a saved report gets when the server suggests none.
fn fallback_name(query: &ReportQuery) -> String {
    let part = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let period = match (part(&query.from), part(&query.to)) {
        (Some(from), Some(to)) => format!("{from}-to-{to}"),
        _ => query
            .preset
            .as_ref()
            .and_then(word)
            .unwrap_or_else(|| "last_7_days".to_owned()),
    };
    let grouping = word(&query.group_by).unwrap_or_else(|| "number".to_owned());
    format!("switchboard-report-{period}-by-{grouping}.csv")
}

impl Workstation {
    /// The report of a period, as the server computes it for this user.
    pub async fn report(&self, query: ReportQuery) -> Result<Report, SyncError> {
        let path = format!("/reports?{}", report_query(&query));
        self.call_signed_in::<(), _>(Method::GET, &path, None).await
    }

    /// Saves the same report as the server's CSV into a new file in `folder` (never replacing
    /// one), with [`crate::DesktopEvent::ExportProgress`] while it downloads; nothing is left of
    /// a cut-off download.
    pub async fn save_report_csv(
        &self,
        query: &ReportQuery,
        folder: &Path,
    ) -> Result<ExportSummary, SyncError> {
        let path = format!("/reports/export.csv?{}", report_query(query));
        self.save_download(&path, &fallback_name(query), ExportFormat::Csv, folder)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_protocol::{ReportGrouping, ReportPreset};

    #[test]
    fn a_report_query_names_only_what_was_given() {
        assert_eq!(report_query(&ReportQuery::default()), "group_by=number");
        let query = ReportQuery {
            from: Some("2026-11-01".into()),
            to: Some(" 2026-11-22 ".into()),
            preset: None,
            tz: Some("Asia/Bangkok".into()),
            group_by: ReportGrouping::Region,
            number: Some("  ".into()),
            team: Some(3),
            agent: Some(7),
        };
        assert_eq!(
            report_query(&query),
            "from=2026-11-01&to=2026-11-22&tz=Asia%2FBangkok&group_by=region&team=3&agent=7"
        );
        let preset = ReportQuery {
            preset: Some(ReportPreset::Last30Days),
            group_by: ReportGrouping::Agent,
            number: Some("1001".into()),
            ..ReportQuery::default()
        };
        assert_eq!(
            report_query(&preset),
            "preset=last_30_days&group_by=agent&number=1001"
        );
    }

    #[test]
    fn a_saved_report_is_named_after_its_period_and_grouping() {
        let query = ReportQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-22".into()),
            group_by: ReportGrouping::Team,
            ..ReportQuery::default()
        };
        assert_eq!(
            fallback_name(&query),
            "switchboard-report-2026-11-01-to-2026-11-22-by-team.csv"
        );
        assert_eq!(
            fallback_name(&ReportQuery {
                preset: Some(ReportPreset::Today),
                ..ReportQuery::default()
            }),
            "switchboard-report-today-by-number.csv"
        );
    }
}
