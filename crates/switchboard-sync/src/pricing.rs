//! What messages cost, from the desk: the rate card (number managers load Meta's price list as
//! CSV, previewed as a dry run first), the spend report and the monthly budgets.

use crate::api::Body;
use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_protocol::{
    BudgetList, BudgetOverview, CostQuery, CostReport, RateCardEntries, RateCardImportReport,
};
use ts_rs::TS;

/// `import_rate_card`: the file's text, whether only to read it (`dry_run`), and the currency
/// of its prices when the file names none.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateCardImportRequest {
    pub csv: String,
    pub dry_run: bool,
    #[serde(default)]
    pub currency: Option<String>,
}

fn rate_card_path(request: &RateCardImportRequest) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("dry_run", if request.dry_run { "true" } else { "false" });
    if let Some(currency) = request.currency.as_deref().map(str::trim) {
        if !currency.is_empty() {
            query.append_pair("currency", currency);
        }
    }
    format!("/rate-card?{}", query.finish())
}

fn costs_path(query: &CostQuery) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    if let Some(from) = query.from {
        out.append_pair("from", &from.to_string());
    }
    if let Some(until) = query.until {
        out.append_pair("until", &until.to_string());
    }
    let group_by = serde_json::to_value(query.group_by)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "category".to_owned());
    out.append_pair("group_by", &group_by);
    format!("/costs?{}", out.finish())
}

impl Workstation {
    /// The rate card in use; empty when none is loaded.
    pub async fn rate_card(&self) -> Result<RateCardEntries, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/rate-card", None)
            .await
    }

    /// Reads a price list on the server: a dry run only reports what it holds and its problems
    /// by line; otherwise a file without problems replaces the card.
    pub async fn import_rate_card(
        &self,
        request: RateCardImportRequest,
    ) -> Result<RateCardImportReport, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let path = rate_card_path(&request);
        let answer = self
            .api
            .call_text::<()>(
                Method::PUT,
                &server_url,
                &path,
                Some(&token),
                Some(Body::Text("text/csv; charset=utf-8", request.csv)),
            )
            .await?;
        serde_json::from_str(&answer).map_err(|e| {
            SyncError::Internal(say!(self.language(),
                en: "The server sent a rate card report this app cannot read ({e}); is it a Switchboard server of a matching version?",
                ar: "أرسل الخادم تقرير قائمة أسعار لا يستطيع هذا التطبيق قراءته ({e})؛ هل هو خادم Switchboard بإصدار متوافق؟",
                th: "เซิร์ฟเวอร์ส่งรายงานตารางราคาที่แอปนี้อ่านไม่ได้ ({e}) เซิร์ฟเวอร์นี้เป็น Switchboard เวอร์ชันที่ตรงกันหรือไม่",
            ))
        })
    }

    /// What delivered messages cost in a period, grouped as asked.
    pub async fn cost_report(&self, query: CostQuery) -> Result<CostReport, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, &costs_path(&query), None)
            .await
    }

    /// The monthly budgets and this month's spend against them (report viewers).
    pub async fn budgets(&self) -> Result<BudgetOverview, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/budgets", None)
            .await
    }

    /// Replaces every budget (number managers); answers with where they stand.
    pub async fn save_budgets(&self, list: BudgetList) -> Result<BudgetOverview, SyncError> {
        self.call_signed_in(Method::PUT, "/budgets", Some(&list))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_protocol::CostGrouping;

    #[test]
    fn a_rate_card_upload_says_dry_run_and_only_a_given_currency() {
        let request = |dry_run, currency: Option<&str>| RateCardImportRequest {
            csv: String::new(),
            dry_run,
            currency: currency.map(str::to_owned),
        };
        assert_eq!(
            rate_card_path(&request(true, None)),
            "/rate-card?dry_run=true"
        );
        assert_eq!(
            rate_card_path(&request(false, Some(" EUR "))),
            "/rate-card?dry_run=false&currency=EUR"
        );
        assert_eq!(
            rate_card_path(&request(true, Some("  "))),
            "/rate-card?dry_run=true"
        );
    }

    #[test]
    fn a_cost_report_names_its_period_and_grouping() {
        let query = CostQuery {
            from: Some(1_000),
            until: Some(2_000),
            group_by: CostGrouping::Country,
        };
        assert_eq!(
            costs_path(&query),
            "/costs?from=1000&until=2000&group_by=country"
        );
        assert_eq!(
            costs_path(&CostQuery::default()),
            "/costs?group_by=category"
        );
    }
}
