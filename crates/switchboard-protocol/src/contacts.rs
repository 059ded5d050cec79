//! The customer list over the REST API (issue 9): contact profiles, their tags with colours,
//! and merging duplicates. Managing contacts needs the `manage_contacts` permission; an agent
//! who may reply reads and tags the contacts of conversations they can read.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use switchboard_automation::CustomerLanguage;
use ts_rs::TS;

/// Most tags one contact carries.
pub const MAX_TAGS_PER_CONTACT: usize = 50;
/// Longest tag name, in characters (after trimming).
pub const MAX_TAG_CHARS: usize = 40;
/// Most contacts one page of `GET /api/v1/contacts` holds.
pub const MAX_CONTACT_PAGE: u32 = 500;

/// A customer as the server knows them. `wa_id`, `user_id` and `name` are masked (`66•••••78`)
/// for callers whose role may not see customer numbers, as in conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactProfile {
    #[ts(type = "number")]
    pub id: i64,
    /// The WhatsApp number in E.164 without the `+` (Meta's `wa_id`).
    pub wa_id: Option<String>,
    /// The business-scoped user id Meta gives customers who hide their number.
    pub user_id: Option<String>,
    pub name: Option<String>,
    /// The language to write to them in; unknown until set or until their first text.
    pub language: Option<CustomerLanguage>,
    /// ISO 3166-1 alpha-2, derived from the number.
    pub country: Option<String>,
    /// Custom fields, text values (for template parameters and segments).
    pub attributes: BTreeMap<String, String>,
    pub notes: String,
    /// Where the customer agreed to hear from the business (`web form`, `keyword`, ...).
    pub consent_source: Option<String>,
    #[ts(type = "number | null")]
    pub consent_at: Option<i64>,
    /// Set: the customer asked not to receive marketing, and broadcasts skip them.
    #[ts(type = "number | null")]
    pub opted_out_at: Option<i64>,
    /// `keyword` (they wrote STOP), `agent`, `import`, ...
    pub opt_out_source: Option<String>,
    /// Tag names, alphabetical.
    pub tags: Vec<String>,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number | null")]
    pub updated_at: Option<i64>,
    /// How many conversations the contact has, over every business number.
    pub conversation_count: u32,
    /// The business numbers (`+` and digits) the contact wrote to or was written from.
    pub numbers: Vec<String>,
    /// Set when this contact was merged into another one (then it is hidden from lists).
    #[ts(type = "number | null")]
    pub merged_into: Option<i64>,
}

/// `GET /api/v1/contacts` query: every given filter must hold. Newest contacts first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactQuery {
    /// A part of the name or of the number (digits, `+` and spaces ignored).
    #[serde(default)]
    #[ts(optional)]
    pub search: Option<String>,
    /// Comma-separated tag names; a contact must carry all of them.
    #[serde(default)]
    #[ts(optional)]
    pub tags: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    #[ts(optional)]
    pub country: Option<String>,
    /// `en`, `ar` or `th`.
    #[serde(default)]
    #[ts(optional)]
    pub language: Option<String>,
    /// `true`: only opted-out contacts; `false`: only those who did not opt out.
    #[serde(default)]
    #[ts(optional)]
    pub opted_out: Option<bool>,
    /// The `next_cursor` of the previous page.
    #[serde(default)]
    #[ts(optional)]
    pub cursor: Option<String>,
    /// Page size, 1 to [`MAX_CONTACT_PAGE`] (default 50).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// One page of contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactPage {
    pub contacts: Vec<ContactProfile>,
    /// Pass as `cursor` for the next page; absent on the last one.
    pub next_cursor: Option<String>,
    /// How many contacts match the filters, over all pages.
    #[ts(type = "number")]
    pub total: u64,
}

/// `POST /api/v1/contacts`: a contact from a number typed by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewContact {
    /// The WhatsApp number: `+66 81 234 5678`, or national (`081 234 5678`) with
    /// `default_country`.
    pub number: String,
    /// ISO 3166-1 alpha-2 country for numbers written without a country code.
    #[serde(default)]
    #[ts(optional)]
    pub default_country: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    /// `en`, `ar` or `th`.
    #[serde(default)]
    #[ts(optional)]
    pub language: Option<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    #[ts(optional)]
    pub consent_source: Option<String>,
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub consent_at: Option<i64>,
}

/// `PATCH /api/v1/contacts/{id}`: only the fields present change; `null` clears one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ContactPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string | null")]
    pub name: Option<Option<String>>,
    /// `en`, `ar` or `th`; `null`: unknown again (set from their next text).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string | null")]
    pub language: Option<Option<String>>,
    /// Replaces every custom field; `null` or `{}` removes them all.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string> | null")]
    pub attributes: Option<Option<BTreeMap<String, String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string | null")]
    pub notes: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string | null")]
    pub consent_source: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number | null")]
    pub consent_at: Option<Option<i64>>,
    /// `true` opts the customer out (source `agent`), `false` back in.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub opted_out: Option<bool>,
}

// Written by hand so a field that is present is `Some`, also when it is `null` (`Some(None)`):
// a patch tells "clear it" from "leave it".
impl<'de> Deserialize<'de> for ContactPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut fields = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        fn take<T: serde::de::DeserializeOwned, E: Error>(
            fields: &mut serde_json::Map<String, serde_json::Value>,
            name: &str,
        ) -> Result<Option<T>, E> {
            fields
                .remove(name)
                .map(|value| {
                    serde_json::from_value(value).map_err(|e| E::custom(format!("{name}: {e}")))
                })
                .transpose()
        }
        let patch = ContactPatch {
            name: take(&mut fields, "name")?,
            language: take(&mut fields, "language")?,
            attributes: take(&mut fields, "attributes")?,
            notes: take(&mut fields, "notes")?,
            consent_source: take(&mut fields, "consent_source")?,
            consent_at: take(&mut fields, "consent_at")?,
            opted_out: take::<Option<bool>, _>(&mut fields, "opted_out")?.flatten(),
        };
        if let Some(unknown) = fields.keys().next() {
            return Err(D::Error::custom(format!(
                "unknown field `{unknown}`: a contact has name, language, attributes, notes, \
                 consent_source, consent_at and opted_out"
            )));
        }
        Ok(patch)
    }
}

/// A tag in the catalogue of `GET /api/v1/tags`: every tag named on a contact or a
/// conversation, with its colour (a stable default from the palette when none was chosen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TagInfo {
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    /// Whether an admin chose the colour (`false`: the palette's default for this name).
    pub chosen: bool,
    pub contact_count: u32,
    pub conversation_count: u32,
}

/// `PUT /api/v1/tags/{name}`: the tag's colour, `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TagColour {
    pub colour: String,
}

/// `POST /api/v1/contacts/{id}/merge`: `duplicate` is merged into the contact of the path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeContactsRequest {
    #[ts(type = "number")]
    pub duplicate: i64,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MergeContactsResult {
    /// The kept contact as it is now.
    pub contact: ContactProfile,
    /// Conversations of the duplicate that now belong to the kept contact.
    #[ts(type = "Array<number>")]
    pub moved_conversations: Vec<i64>,
    /// Conversations of the duplicate on a number where the kept contact had one too: their
    /// messages moved into the kept contact's conversation and they were removed.
    pub joined_conversations: Vec<JoinedConversation>,
}

/// A duplicate's conversation whose messages moved into the kept contact's one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JoinedConversation {
    #[ts(type = "number")]
    pub removed: i64,
    #[ts(type = "number")]
    pub into: i64,
    pub messages: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_tells_clearing_from_leaving() {
        let patch: ContactPatch =
            serde_json::from_str(r#"{"name": null, "notes": "VIP"}"#).unwrap();
        assert_eq!(patch.name, Some(None));
        assert_eq!(patch.notes, Some(Some("VIP".into())));
        assert_eq!(patch.language, None);
        assert_eq!(patch.opted_out, None);
        let back: ContactPatch =
            serde_json::from_str(&serde_json::to_string(&patch).unwrap()).unwrap();
        assert_eq!(back, patch);
    }
}
