//! Which language to write to a customer in, and the administrator's texts per language.
//! Switchboard answers customers in English, Arabic or Thai: the language their message is
//! written in (Arabic script → Arabic, Thai script → Thai, anything else → English), and when
//! the administrator left that language out, whichever text they did write.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language Switchboard writes to customers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CustomerLanguage {
    #[default]
    En,
    Ar,
    Th,
}

impl CustomerLanguage {
    pub const ALL: [CustomerLanguage; 3] = [
        CustomerLanguage::En,
        CustomerLanguage::Ar,
        CustomerLanguage::Th,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CustomerLanguage::En => "en",
            CustomerLanguage::Ar => "ar",
            CustomerLanguage::Th => "th",
        }
    }

    /// The language of a stored code (`ar`, `th-TH`); `None` for one Switchboard does not write.
    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        CustomerLanguage::ALL
            .into_iter()
            .find(|language| primary.eq_ignore_ascii_case(language.code()))
    }

    /// The language `text` is written in, by script: the script with more letters among
    /// Arabic and Thai wins (a Latin word in an Arabic sentence stays Arabic); text with
    /// neither is English.
    pub fn detect(text: &str) -> Self {
        let (mut arabic, mut thai) = (0usize, 0usize);
        for c in text.chars() {
            if is_arabic(c) {
                arabic += 1;
            } else if is_thai(c) {
                thai += 1;
            }
        }
        match (arabic, thai) {
            (0, 0) => CustomerLanguage::En,
            (a, t) if t > a => CustomerLanguage::Th,
            _ => CustomerLanguage::Ar,
        }
    }
}

/// Letters of the Arabic script (Arabic, its supplements and presentation forms), not its
/// digits: a customer answering `٥` has not said which language they read.
fn is_arabic(c: char) -> bool {
    matches!(c,
        '\u{0621}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Letters and vowel signs of the Thai script, not its digits.
fn is_thai(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E4E}')
}

/// One text an administrator wrote for customers, in the languages they chose to write it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerTexts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub th: Option<String>,
}

impl CustomerTexts {
    /// The text written for `language`, ignoring blank ones.
    pub fn written_in(&self, language: CustomerLanguage) -> Option<&str> {
        let text = match language {
            CustomerLanguage::En => &self.en,
            CustomerLanguage::Ar => &self.ar,
            CustomerLanguage::Th => &self.th,
        };
        text.as_deref().filter(|text| !text.trim().is_empty())
    }

    /// The text for a customer who reads `language`: theirs if written, else English, else
    /// Arabic, else Thai. `None` only when nothing is written at all.
    pub fn for_customer(&self, language: CustomerLanguage) -> Option<&str> {
        self.written_in(language).or_else(|| {
            CustomerLanguage::ALL
                .into_iter()
                .find_map(|other| self.written_in(other))
        })
    }

    /// Every text as given, blank ones included (for checking them), with its language.
    pub fn given(&self) -> impl Iterator<Item = (CustomerLanguage, &str)> {
        [
            (CustomerLanguage::En, &self.en),
            (CustomerLanguage::Ar, &self.ar),
            (CustomerLanguage::Th, &self.th),
        ]
        .into_iter()
        .filter_map(|(language, text)| text.as_deref().map(|text| (language, text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_script_decides() {
        assert_eq!(
            CustomerLanguage::detect("hello there"),
            CustomerLanguage::En
        );
        assert_eq!(
            CustomerLanguage::detect("مرحبا، هل لديكم iPhone؟"),
            CustomerLanguage::Ar
        );
        assert_eq!(CustomerLanguage::detect("สวัสดีครับ"), CustomerLanguage::Th);
        assert_eq!(
            CustomerLanguage::detect("ราคา iPhone 15 เท่าไหร่"),
            CustomerLanguage::Th
        );
        assert_eq!(CustomerLanguage::detect("٥"), CustomerLanguage::En);
        assert_eq!(CustomerLanguage::detect("๕"), CustomerLanguage::En);
        assert_eq!(CustomerLanguage::detect(""), CustomerLanguage::En);
        assert_eq!(
            CustomerLanguage::detect("Bonjour, ça va ?"),
            CustomerLanguage::En
        );
    }

    #[test]
    fn codes_round_trip_and_regions_are_ignored() {
        for language in CustomerLanguage::ALL {
            assert_eq!(CustomerLanguage::from_code(language.code()), Some(language));
        }
        assert_eq!(
            CustomerLanguage::from_code("th-TH"),
            Some(CustomerLanguage::Th)
        );
        assert_eq!(
            CustomerLanguage::from_code("AR_eg"),
            Some(CustomerLanguage::Ar)
        );
        assert_eq!(CustomerLanguage::from_code("fr"), None);
    }

    #[test]
    fn missing_languages_fall_back_to_what_was_written() {
        let only_thai = CustomerTexts {
            th: Some("สวัสดี".into()),
            ..Default::default()
        };
        assert_eq!(only_thai.for_customer(CustomerLanguage::Ar), Some("สวัสดี"));
        let english_and_arabic = CustomerTexts {
            en: Some("Hello".into()),
            ar: Some("مرحبا".into()),
            th: Some("  ".into()),
        };
        assert_eq!(
            english_and_arabic.for_customer(CustomerLanguage::Ar),
            Some("مرحبا")
        );
        assert_eq!(
            english_and_arabic.for_customer(CustomerLanguage::Th),
            Some("Hello")
        );
        assert_eq!(
            CustomerTexts::default().for_customer(CustomerLanguage::En),
            None
        );
    }

    proptest! {
        /// Whatever the customer reads, some written text is chosen, and it is theirs when
        /// written.
        #[test]
        fn a_written_text_is_always_found(
            en in proptest::option::of("\\PC{0,8}"),
            ar in proptest::option::of("\\PC{0,8}"),
            th in proptest::option::of("\\PC{0,8}"),
            index in 0usize..3,
        ) {
            let texts = CustomerTexts { en, ar, th };
            let language = CustomerLanguage::ALL[index];
            let any_written = CustomerLanguage::ALL.iter().any(|l| texts.written_in(*l).is_some());
            let chosen = texts.for_customer(language);
            prop_assert_eq!(chosen.is_some(), any_written);
            if let Some(own) = texts.written_in(language) {
                prop_assert_eq!(chosen, Some(own));
            }
        }

        /// Text in one script alone is always detected as that script's language.
        #[test]
        fn one_script_is_its_language(arabic in "[\u{0621}-\u{064A}]{1,12}", thai in "[\u{0E01}-\u{0E2E}]{1,12}", latin in "[a-zA-Z0-9 ]{0,12}") {
            prop_assert_eq!(CustomerLanguage::detect(&format!("{latin}{arabic}")), CustomerLanguage::Ar);
            prop_assert_eq!(CustomerLanguage::detect(&format!("{thai} {latin}")), CustomerLanguage::Th);
            prop_assert_eq!(CustomerLanguage::detect(&latin), CustomerLanguage::En);
        }
    }
}
