//! What the desk's CRM panel shows of an answer: the custom fields the settings name, in their
//! order and labelled in the reader's language, and customer details masked for roles that
//! may not see them.

use super::contract::{field_text, CrmRecord};
use super::settings::CrmFieldMapping;
use crate::api::language::Language;
use crate::privacy::mask;
use switchboard_protocol::{CrmField, CrmLookup, CrmState};

/// What the reader may see in full.
#[derive(Debug, Clone, Copy, Default)]
pub struct Masking {
    pub phone: bool,
    pub name: bool,
}

/// `record` as the panel shows it in `language`.
pub fn present(
    state: CrmState,
    fetched_at: Option<i64>,
    record: Option<&CrmRecord>,
    mappings: &[CrmFieldMapping],
    language: Language,
    masking: Masking,
) -> CrmLookup {
    let Some(record) = record else {
        return CrmLookup {
            fetched_at,
            ..CrmLookup::empty(state)
        };
    };
    let mut profile = record.profile.clone();
    if let Some(profile) = profile.as_mut() {
        if masking.phone {
            profile.phone = profile.phone.as_deref().map(mask);
        }
        if masking.name {
            profile.name = profile.name.as_deref().map(mask);
        }
    }
    let shown = |key: &str, label: String| {
        let value = record.fields.get(key)?;
        let mut value = field_text(value);
        if masking.phone && looks_like_phone(&value) {
            value = mask(&value);
        }
        Some(CrmField {
            key: key.to_owned(),
            label,
            value,
        })
    };
    let fields = if mappings.is_empty() {
        record
            .fields
            .keys()
            .filter_map(|key| shown(key, key.clone()))
            .collect()
    } else {
        mappings
            .iter()
            .filter_map(|mapping| shown(&mapping.name, label(mapping, language)))
            .collect()
    };
    CrmLookup {
        state,
        fetched_at,
        profile,
        orders: record.orders.clone(),
        fields,
    }
}

fn label(mapping: &CrmFieldMapping, language: Language) -> String {
    let translated = match language {
        Language::En => None,
        Language::Ar => mapping.label_ar.as_deref(),
        Language::Th => mapping.label_th.as_deref(),
    };
    translated
        .filter(|label| !label.trim().is_empty())
        .unwrap_or(&mapping.label)
        .to_owned()
}

/// A value a CRM uses for a phone number: at least seven digits, with nothing but `+`,
/// spaces, dashes, dots and brackets around them.
pub fn looks_like_phone(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use switchboard_protocol::CrmProfile;

    fn record() -> CrmRecord {
        CrmRecord {
            profile: Some(CrmProfile {
                name: Some("Somchai Jaidee".into()),
                phone: Some("+66 81 234 5678".into()),
                ..Default::default()
            }),
            orders: Vec::new(),
            fields: json!({"loyalty_points": 1200, "segment": ["vip", "b2c"], "alt_phone": "+66 89 111 2222", "internal": "x"})
                .as_object()
                .unwrap()
                .clone(),
        }
    }

    fn mapping(name: &str, label: &str, th: Option<&str>) -> CrmFieldMapping {
        CrmFieldMapping {
            name: name.into(),
            label: label.into(),
            label_ar: None,
            label_th: th.map(String::from),
        }
    }

    #[test]
    fn mapped_fields_come_in_the_settings_order_with_their_labels() {
        let mappings = [
            mapping("segment", "Segment", None),
            mapping("loyalty_points", "Points", Some("แต้ม")),
            mapping("missing", "Missing", None),
        ];
        let shown = present(
            CrmState::Fresh,
            Some(1),
            Some(&record()),
            &mappings,
            Language::Th,
            Masking::default(),
        );
        let fields: Vec<_> = shown
            .fields
            .iter()
            .map(|f| (f.label.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(fields, [("Segment", "vip, b2c"), ("แต้ม", "1200")]);
    }

    #[test]
    fn without_mappings_every_field_shows_under_its_name() {
        let shown = present(
            CrmState::Fresh,
            None,
            Some(&record()),
            &[],
            Language::En,
            Masking::default(),
        );
        assert_eq!(shown.fields.len(), 4);
    }

    #[test]
    fn numbers_the_crm_echoes_are_masked_for_roles_that_may_not_see_them() {
        let masking = Masking {
            phone: true,
            name: false,
        };
        let shown = present(
            CrmState::Fresh,
            None,
            Some(&record()),
            &[],
            Language::En,
            masking,
        );
        let profile = shown.profile.unwrap();
        assert_eq!(profile.phone.as_deref(), Some("+66•••••••••678"));
        assert_eq!(profile.name.as_deref(), Some("Somchai Jaidee"));
        let alt = shown.fields.iter().find(|f| f.key == "alt_phone").unwrap();
        assert!(!alt.value.contains("111"), "{}", alt.value);
        let points = shown
            .fields
            .iter()
            .find(|f| f.key == "loyalty_points")
            .unwrap();
        assert_eq!(points.value, "1200");
    }
}
