//! API tokens from the desk (`manage_users`): the list, creating one (its secret comes back
//! this once) and revoking one. Thin calls: the server checks the permissions asked for
//! against the creator's own and words what to fix.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_protocol::{ApiToken, CreateApiTokenRequest, CreatedApiToken};
use ts_rs::TS;

/// Names one token.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiTokenIdRequest {
    #[ts(type = "number")]
    pub id: i64,
}

/// The request as the admin meant it: the name trimmed.
fn tidy(mut request: CreateApiTokenRequest) -> CreateApiTokenRequest {
    request.name = request.name.trim().to_owned();
    request
}

impl Workstation {
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/api-tokens", None)
            .await
    }

    /// A new token and its secret, shown this once.
    pub async fn create_api_token(
        &self,
        request: CreateApiTokenRequest,
    ) -> Result<CreatedApiToken, SyncError> {
        self.call_signed_in(Method::POST, "/api-tokens", Some(&tidy(request)))
            .await
    }

    /// Revokes a token: the next request made with it is refused.
    pub async fn revoke_api_token(&self, request: ApiTokenIdRequest) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(Method::DELETE, &format!("/api-tokens/{}", request.id), None)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_sent_trimmed_and_the_rest_as_chosen() {
        let tidied = tidy(CreateApiTokenRequest {
            name: "  CRM sync \n".into(),
            permissions: vec![switchboard_domain::Permission::ReadAll],
            numbers: vec![],
            teams: vec![],
            expires_at: Some(5),
            rate_per_second: Some(3),
        });
        assert_eq!(tidied.name, "CRM sync");
        assert_eq!(
            tidied.permissions,
            vec![switchboard_domain::Permission::ReadAll]
        );
        assert_eq!(tidied.expires_at, Some(5));
        assert_eq!(tidied.rate_per_second, Some(3));
    }
}
