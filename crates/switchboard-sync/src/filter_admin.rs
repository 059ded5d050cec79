//! Managing the filter from the desk (admins; supervisors read blocks and test texts): thin
//! calls to the server's filter API, whose answers and refusals pass through unchanged. The
//! server decides who may do what; the desk only forwards.

use crate::api::Body;
use crate::error::SyncError;
use crate::types::{CsvImportRequest, FilterBlocksRequest};
use crate::Workstation;
use reqwest::Method;
use switchboard_filter::FilterReport;
use switchboard_protocol::{
    CsvImportReport, FilterBlock, FilterPolicyResponse, PolicyVersionSummary, TestTextRequest,
    UpdatePolicyRequest,
};

/// The most blocks one request lists (the view shows the newest ones).
const MAX_BLOCKS: u32 = 500;

impl Workstation {
    /// The policy as the server has it now.
    pub async fn filter_policy(&self) -> Result<FilterPolicyResponse, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/filter", None)
            .await
    }

    /// Saves an edited policy as a new version and enforces it here at once. Refused with
    /// [`SyncError::Conflict`] when someone saved another version since `based_on`.
    pub async fn save_filter_policy(
        &self,
        request: UpdatePolicyRequest,
    ) -> Result<FilterPolicyResponse, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let response: FilterPolicyResponse = self
            .api
            .call(
                Method::PUT,
                &server_url,
                "/filter",
                Some(&token),
                Some(&request),
            )
            .await?;
        self.adopt_policy(&response.policy)?;
        Ok(response)
    }

    /// Checks a text on the server, against the saved policy or an unsaved draft.
    pub async fn test_filter_text(
        &self,
        request: TestTextRequest,
    ) -> Result<FilterReport, SyncError> {
        self.call_signed_in(Method::POST, "/filter/test", Some(&request))
            .await
    }

    /// Saved versions of the policy, newest first.
    pub async fn filter_versions(&self) -> Result<Vec<PolicyVersionSummary>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/filter/versions", None)
            .await
    }

    /// The current policy as a CSV list (`phrase,action,match_mode,languages,numbers,teams`).
    pub async fn export_filter_csv(&self) -> Result<String, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        self.api
            .call_text::<()>(Method::GET, &server_url, "/filter/csv", Some(&token), None)
            .await
    }

    /// Reads a CSV list on the server: a dry run only reports what it holds and its errors;
    /// otherwise a list without errors replaces the policy.
    pub async fn import_filter_csv(
        &self,
        request: CsvImportRequest,
    ) -> Result<CsvImportReport, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let path = format!(
            "/filter/csv?dry_run={}&based_on={}",
            request.dry_run, request.based_on
        );
        let answer = self
            .api
            .call_text::<()>(
                Method::POST,
                &server_url,
                &path,
                Some(&token),
                Some(Body::Text("text/csv; charset=utf-8", request.csv)),
            )
            .await?;
        let report: CsvImportReport = serde_json::from_str(&answer).map_err(|e| {
            SyncError::Internal(say!(self.language(),
                en: "The server sent an import report this app cannot read ({e}); is it a Switchboard server of a matching version?",
                ar: "أرسل الخادم تقرير استيراد لا يستطيع هذا التطبيق قراءته ({e})؛ هل هو خادم Switchboard بإصدار متوافق؟",
                th: "เซิร์ฟเวอร์ส่งรายงานการนำเข้าที่แอปนี้อ่านไม่ได้ ({e}) เซิร์ฟเวอร์นี้เป็น Switchboard เวอร์ชันที่ตรงกันหรือไม่",
            ))
        })?;
        if report.saved_version.is_some() {
            // Enforce the imported list here at once rather than after its change event.
            let (server_url, token, _) = self.signed_in_session()?;
            if let Err(error) = self.refresh_policy(&server_url, &token).await {
                tracing::warn!(%error, "could not load the imported filter policy");
            }
        }
        Ok(report)
    }

    /// The newest messages the server's filter refused, newest first.
    pub async fn filter_blocks(
        &self,
        request: FilterBlocksRequest,
    ) -> Result<Vec<FilterBlock>, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let limit = request.limit.clamp(1, MAX_BLOCKS);
        self.api
            .call::<(), _>(
                Method::GET,
                &server_url,
                &format!("/filter/blocks?limit={limit}"),
                Some(&token),
                None,
            )
            .await
    }
}
