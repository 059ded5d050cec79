//! Courtesy messages the server sends by itself (issue 8): a greeting when a customer writes
//! to a number for the first time ever, and a satisfaction survey when an agent resolves a
//! conversation, with a thank-you for the answer. The administrator's settings are kept in
//! memory ([`Courtesy`], handed to ingest in `routing::Ctx` like the keyword rules), so a
//! number with neither configured costs no query; every message goes out through
//! `auto_reply::queue_automatic`.
//!
//! Order on a customer's message: the greeting first (it opens the conversation), then the
//! waiting-line notice, then keyword auto-replies.

pub mod greeting;
pub mod survey;

use std::collections::HashMap;
use switchboard_automation::{CustomerLanguage, CustomerTexts};
use switchboard_protocol::{CsatSettings, CsatSurvey, GreetingSettings};

/// Settings per number, with a default for numbers without their own. A number's own entry
/// may be "disabled", which also keeps the default from applying there.
#[derive(Debug, Clone)]
pub struct PerNumber<T> {
    numbers: HashMap<String, Option<T>>,
    default: Option<T>,
}

impl<T> Default for PerNumber<T> {
    fn default() -> Self {
        PerNumber {
            numbers: HashMap::new(),
            default: None,
        }
    }
}

impl<T> PerNumber<T> {
    fn from_entries(entries: impl IntoIterator<Item = (Option<String>, bool, T)>) -> Self {
        let mut out = PerNumber::default();
        for (number, enabled, value) in entries {
            let value = enabled.then_some(value);
            match number {
                Some(number) => {
                    out.numbers.insert(number, value);
                }
                None => out.default = value,
            }
        }
        out
    }

    /// What applies on `phone_number_id`, if anything.
    pub fn on(&self, phone_number_id: &str) -> Option<&T> {
        match self.numbers.get(phone_number_id) {
            Some(own) => own.as_ref(),
            None => self.default.as_ref(),
        }
    }

    /// Nothing applies anywhere.
    pub fn is_empty(&self) -> bool {
        self.default.is_none() && self.numbers.values().all(Option::is_none)
    }
}

/// The greetings and surveys in force.
#[derive(Debug, Clone, Default)]
pub struct Courtesy {
    pub greetings: PerNumber<CustomerTexts>,
    pub surveys: PerNumber<CsatSurvey>,
    /// As saved, for answering `GET`.
    pub greeting_settings: GreetingSettings,
    pub survey_settings: CsatSettings,
}

impl Courtesy {
    pub fn new(greetings: GreetingSettings, surveys: CsatSettings) -> Self {
        Courtesy {
            greetings: PerNumber::from_entries(
                greetings
                    .greetings
                    .iter()
                    .map(|g| (g.phone_number_id.clone(), g.enabled, g.text.clone())),
            ),
            surveys: PerNumber::from_entries(
                surveys
                    .surveys
                    .iter()
                    .map(|s| (s.phone_number_id.clone(), s.enabled, s.clone())),
            ),
            greeting_settings: greetings,
            survey_settings: surveys,
        }
    }

    /// As saved in the database.
    pub fn load(conn: &rusqlite::Connection) -> rusqlite::Result<Self> {
        Ok(Courtesy::new(
            crate::store::csat::greetings(conn)?,
            crate::store::csat::surveys(conn)?,
        ))
    }
}

/// The language to write to a customer in: the one stored for them, if any, else the one
/// `text` (what they wrote) is in.
pub fn language_of(stored: Option<&str>, text: &str) -> CustomerLanguage {
    stored
        .and_then(CustomerLanguage::from_code)
        .unwrap_or_else(|| CustomerLanguage::detect(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_protocol::Greeting;

    fn texts(en: &str) -> CustomerTexts {
        CustomerTexts {
            en: Some(en.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_number_s_own_entry_wins_and_disabling_it_silences_the_default() {
        let greeting = |number: Option<&str>, enabled, text| Greeting {
            phone_number_id: number.map(str::to_owned),
            enabled,
            text: texts(text),
        };
        let courtesy = Courtesy::new(
            GreetingSettings {
                greetings: vec![
                    greeting(None, true, "default"),
                    greeting(Some("1"), true, "one"),
                    greeting(Some("2"), false, "two"),
                ],
            },
            CsatSettings::default(),
        );
        assert_eq!(courtesy.greetings.on("1"), Some(&texts("one")));
        assert_eq!(courtesy.greetings.on("2"), None);
        assert_eq!(courtesy.greetings.on("3"), Some(&texts("default")));
        assert!(!courtesy.greetings.is_empty());
        assert!(courtesy.surveys.is_empty());
        assert!(Courtesy::default().greetings.on("1").is_none());
    }

    #[test]
    fn a_stored_language_wins_over_the_script() {
        assert_eq!(language_of(Some("th"), "hello"), CustomerLanguage::Th);
        assert_eq!(language_of(Some("xx"), "مرحبا"), CustomerLanguage::Ar);
        assert_eq!(language_of(None, "สวัสดี"), CustomerLanguage::Th);
    }
}
