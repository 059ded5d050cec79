//! Customers' phone numbers in E.164, for every country, through Google's libphonenumber
//! metadata (the `phonenumber` crate). WhatsApp identifies a customer by the digits of their
//! E.164 number (`wa_id`), so a number typed by an agent or found in an imported CSV file must
//! normalise to exactly those digits for the customer's next message to land on the same
//! contact.

use phonenumber::country::Id;
use phonenumber::Mode;

/// Why a text is not a phone number Switchboard can message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("the phone number is empty")]
    Empty,
    #[error("`{0}` is not a country code: use two letters such as SA, TH or US")]
    UnknownRegion(String),
    #[error("`{input}` has no country code: write it as +<country code><number>, for example +966 50 123 4567, or give a default country")]
    NoCountry { input: String },
    #[error("`{input}` is not a phone number: {reason}")]
    Unreadable { input: String, reason: String },
    #[error("`{input}` is not a valid number in {country}: check the digits")]
    Invalid { input: String, country: String },
}

/// A valid phone number in E.164 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// `+` and the digits, for example `+966501234567`.
    pub e164: String,
    /// The ISO 3166-1 alpha-2 code of the country the number belongs to, when the numbering
    /// plan says (shared plans such as +1 still resolve to one country).
    pub country: Option<String>,
}

impl Phone {
    /// The digits WhatsApp uses as the customer's id (`wa_id`): E.164 without the `+`.
    pub fn wa_id(&self) -> &str {
        self.e164.trim_start_matches('+')
    }
}

/// Reads `input` as a phone number. Numbers written without `+` and country code are read in
/// `default_region` (two letters) when one is given; `00` and other international prefixes are
/// understood. The number must be valid for its country, not merely the right length.
pub fn normalize_phone(input: &str, default_region: Option<&str>) -> Result<Phone, PhoneError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(PhoneError::Empty);
    }
    let region = match default_region.map(str::trim).filter(|r| !r.is_empty()) {
        Some(code) => Some(
            code.to_ascii_uppercase()
                .parse::<Id>()
                .map_err(|_| PhoneError::UnknownRegion(code.to_owned()))?,
        ),
        None => None,
    };
    // Digits alone with no region are read as international, the way WhatsApp writes them.
    let international = trimmed.starts_with('+') || trimmed.starts_with("00");
    // `00` is the international prefix in most of the world; without a region it means `+`.
    let candidate = if region.is_none() && trimmed.starts_with("00") {
        format!("+{}", &trimmed[2..])
    } else if region.is_none() && !international && looks_like_digits(trimmed) {
        format!("+{trimmed}")
    } else {
        trimmed.to_owned()
    };
    let number = phonenumber::parse(region, &candidate).map_err(|error| {
        if region.is_none() && !international {
            PhoneError::NoCountry {
                input: trimmed.to_owned(),
            }
        } else {
            PhoneError::Unreadable {
                input: trimmed.to_owned(),
                reason: error.to_string(),
            }
        }
    })?;
    let country = number.country().id().map(|id| id.as_ref().to_owned());
    if !phonenumber::is_valid(&number) {
        return Err(PhoneError::Invalid {
            input: trimmed.to_owned(),
            country: country.unwrap_or_else(|| format!("+{}", number.code().value())),
        });
    }
    Ok(Phone {
        e164: number.format().mode(Mode::E164).to_string(),
        country,
    })
}

/// The country of a WhatsApp id (`wa_id`, E.164 digits without `+`), when it is a valid number.
pub fn country_of_wa_id(wa_id: &str) -> Option<String> {
    normalize_phone(&format!("+{wa_id}"), None).ok()?.country
}

/// Digits with the usual separators (spaces, dots, dashes, brackets) and nothing else.
fn looks_like_digits(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_from_many_countries_normalise_to_whatsapp_ids() {
        let cases = [
            ("+966 50 123 4567", None, "966501234567", "SA"),
            ("050 123 4567", Some("SA"), "966501234567", "SA"),
            ("00966501234567", None, "966501234567", "SA"),
            ("081 234 5678", Some("th"), "66812345678", "TH"),
            ("+1 (415) 555-2671", None, "14155552671", "US"),
            ("447400123456", None, "447400123456", "GB"),
            ("+49 1512 3456789", None, "4915123456789", "DE"),
            ("+20 10 1234 5678", None, "201012345678", "EG"),
            ("+971 50 123 4567", None, "971501234567", "AE"),
        ];
        for (input, region, wa_id, country) in cases {
            let phone = normalize_phone(input, region)
                .unwrap_or_else(|e| panic!("{input} should be valid: {e}"));
            assert_eq!(phone.wa_id(), wa_id, "{input}");
            assert_eq!(phone.country.as_deref(), Some(country), "{input}");
        }
        assert_eq!(country_of_wa_id("66812345678").as_deref(), Some("TH"));
        assert_eq!(country_of_wa_id("12"), None);
    }

    #[test]
    fn bad_numbers_say_what_to_fix() {
        assert_eq!(normalize_phone("  ", None), Err(PhoneError::Empty));
        let error = normalize_phone("050 123 4567", Some("Saudi")).unwrap_err();
        assert!(error.to_string().contains("two letters"), "{error}");
        let error = normalize_phone("+966 12", None).unwrap_err();
        assert!(
            matches!(
                error,
                PhoneError::Invalid { .. } | PhoneError::Unreadable { .. }
            ),
            "{error:?}"
        );
        let error = normalize_phone("call me", None).unwrap_err();
        assert!(error.to_string().contains("call me"), "{error}");
        let error = normalize_phone("+999 1234567", None).unwrap_err();
        assert!(error.to_string().contains("+999"), "{error}");
    }

    proptest! {
        /// Whatever is typed, normalising never panics, and a number it accepts normalises to
        /// itself again (so a re-import finds the same contact).
        #[test]
        fn normalising_is_idempotent(input in "[+0-9 ()\\-.a-z]{0,24}", region in prop_oneof![Just(None), Just(Some("SA")), Just(Some("TH")), Just(Some("US"))]) {
            if let Ok(phone) = normalize_phone(&input, region) {
                let again = normalize_phone(&phone.e164, None).expect("an E.164 number reads back");
                prop_assert_eq!(&again, &phone);
                prop_assert!(phone.e164.starts_with('+'));
                prop_assert!(phone.wa_id().chars().all(|c| c.is_ascii_digit()));
            }
        }
    }
}
