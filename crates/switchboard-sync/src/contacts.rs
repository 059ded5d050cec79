//! Contacts from the desk (issue 9): the customer list and profiles, their tags with the tag
//! catalogue's colours, and merging duplicates. Thin calls: the server checks permissions
//! (`manage_contacts`, or an agent tagging the customer of a conversation they read), masks
//! numbers for roles that may not see them, and words refusals naming the field to fix.

use crate::error::SyncError;
use crate::Workstation;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use switchboard_protocol::{
    ContactPage, ContactPatch, ContactProfile, ContactQuery, MergeContactsRequest,
    MergeContactsResult, TagColour, TagInfo,
};
use ts_rs::TS;

/// `contact`: one contact.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactRequest {
    #[ts(type = "number")]
    pub contact_id: i64,
}

/// `update_contact`: the fields of the patch that are present change.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateContactRequest {
    #[ts(type = "number")]
    pub contact_id: i64,
    pub patch: ContactPatch,
}

/// `merge_contacts`: `duplicate` is merged into `contact_id`, which stays.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeContactRequest {
    #[ts(type = "number")]
    pub contact_id: i64,
    #[ts(type = "number")]
    pub duplicate: i64,
}

/// `add_contact_tag` and `remove_contact_tag`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactTagRequest {
    #[ts(type = "number")]
    pub contact_id: i64,
    pub tag: String,
}

/// `set_tag_colour`: `#rrggbb`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TagColourRequest {
    pub name: String,
    pub colour: String,
}

/// `delete_tag`: removed from every contact and conversation.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TagRequest {
    pub name: String,
}

/// `/{collection}/{name}/…`, each part escaped into one path segment: tag names hold spaces,
/// slashes and any script.
pub(crate) fn path(parts: &[&str]) -> String {
    let mut url = url::Url::parse("http://contacts.invalid/").expect("a constant URL");
    url.path_segments_mut()
        .expect("an http URL has path segments")
        .pop_if_empty()
        .extend(parts);
    url.path().to_owned()
}

/// The query string of a contact list: only the filters given, trimmed.
fn list_query(query: &ContactQuery) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    let texts = [
        ("search", &query.search),
        ("tags", &query.tags),
        ("country", &query.country),
        ("language", &query.language),
        ("cursor", &query.cursor),
    ];
    for (name, value) in texts {
        if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            out.append_pair(name, value);
        }
    }
    if let Some(opted_out) = query.opted_out {
        out.append_pair("opted_out", if opted_out { "true" } else { "false" });
    }
    if let Some(limit) = query.limit {
        out.append_pair("limit", &limit.to_string());
    }
    out.finish()
}

impl Workstation {
    /// One page of contacts matching every filter given, newest first.
    pub async fn contacts(&self, query: ContactQuery) -> Result<ContactPage, SyncError> {
        let query = list_query(&query);
        let path = if query.is_empty() {
            "/contacts".to_owned()
        } else {
            format!("/contacts?{query}")
        };
        self.call_signed_in::<(), _>(Method::GET, &path, None).await
    }

    /// One contact's whole profile.
    pub async fn contact(&self, request: ContactRequest) -> Result<ContactProfile, SyncError> {
        let path = format!("/contacts/{}", request.contact_id);
        self.call_signed_in::<(), _>(Method::GET, &path, None).await
    }

    /// Changes the fields present in the patch; answers with the contact as saved.
    pub async fn update_contact(
        &self,
        request: UpdateContactRequest,
    ) -> Result<ContactProfile, SyncError> {
        let path = format!("/contacts/{}", request.contact_id);
        self.call_signed_in(Method::PATCH, &path, Some(&request.patch))
            .await
    }

    /// Merges a duplicate into a contact: its conversations, tags and fields move over and it
    /// disappears from lists. Answers with what moved.
    pub async fn merge_contacts(
        &self,
        request: MergeContactRequest,
    ) -> Result<MergeContactsResult, SyncError> {
        let path = format!("/contacts/{}/merge", request.contact_id);
        let body = MergeContactsRequest {
            duplicate: request.duplicate,
        };
        self.call_signed_in(Method::POST, &path, Some(&body)).await
    }

    /// Puts a tag on a contact; answers with the contact's profile as it is now.
    pub async fn add_contact_tag(
        &self,
        request: ContactTagRequest,
    ) -> Result<ContactProfile, SyncError> {
        self.contact_tag(Method::PUT, request).await
    }

    /// Takes a tag off a contact; answers with the contact's profile as it is now.
    pub async fn remove_contact_tag(
        &self,
        request: ContactTagRequest,
    ) -> Result<ContactProfile, SyncError> {
        self.contact_tag(Method::DELETE, request).await
    }

    async fn contact_tag(
        &self,
        method: Method,
        request: ContactTagRequest,
    ) -> Result<ContactProfile, SyncError> {
        let id = request.contact_id.to_string();
        let path = path(&["contacts", &id, "tags", request.tag.trim()]);
        self.call_signed_in::<(), _>(method, &path, None).await
    }

    /// Every tag named on a contact or conversation, with its colour and how often it is used.
    pub async fn tag_catalogue(&self) -> Result<Vec<TagInfo>, SyncError> {
        self.call_signed_in::<(), _>(Method::GET, "/tags", None)
            .await
    }

    /// Chooses a tag's colour (`#rrggbb`); answers with the tag as the catalogue has it now.
    pub async fn set_tag_colour(&self, request: TagColourRequest) -> Result<TagInfo, SyncError> {
        let body = TagColour {
            colour: request.colour.trim().to_ascii_lowercase(),
        };
        self.call_signed_in(
            Method::PUT,
            &path(&["tags", request.name.trim()]),
            Some(&body),
        )
        .await
    }

    /// Deletes a tag from the catalogue and from every contact and conversation carrying it.
    pub async fn delete_tag(&self, request: TagRequest) -> Result<(), SyncError> {
        self.call_signed_in::<(), ()>(Method::DELETE, &path(&["tags", request.name.trim()]), None)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_are_escaped_into_one_path_segment() {
        assert_eq!(
            path(&["contacts", "7", "tags", "price list/2027"]),
            "/contacts/7/tags/price%20list%2F2027"
        );
        assert_eq!(
            path(&["tags", "عملاء"]),
            "/tags/%D8%B9%D9%85%D9%84%D8%A7%D8%A1"
        );
        assert_eq!(path(&["tags", "?#%"]), "/tags/%3F%23%25");
    }

    #[test]
    fn the_list_query_carries_only_the_filters_given() {
        assert_eq!(list_query(&ContactQuery::default()), "");
        let query = ContactQuery {
            search: Some(" +66 81 ".into()),
            tags: Some("vip,price list".into()),
            country: Some("  ".into()),
            opted_out: Some(false),
            limit: Some(200),
            ..ContactQuery::default()
        };
        assert_eq!(
            list_query(&query),
            "search=%2B66+81&tags=vip%2Cprice+list&opted_out=false&limit=200"
        );
    }
}
