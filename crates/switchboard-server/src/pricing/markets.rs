//! Meta's pricing markets: which countries Meta prices on their own and which share a
//! regional price. Taken from Meta's per-message pricing page (July 2025 list) as an
//! approximation: Meta moves countries between markets now and then, and a rate card row for
//! a country's own code always beats its market's, so an admin corrects a country by adding
//! its row to the card.

/// Meta's market names for groups of countries; every country not listed anywhere is `Other`.
pub const GROUPS: [&str; 8] = [
    NORTH_AMERICA,
    LATIN_AMERICA,
    WESTERN_EUROPE,
    EASTERN_EUROPE,
    ASIA_PACIFIC,
    MIDDLE_EAST,
    AFRICA,
    OTHER,
];

pub const NORTH_AMERICA: &str = "North America";
pub const LATIN_AMERICA: &str = "Rest of Latin America";
pub const WESTERN_EUROPE: &str = "Rest of Western Europe";
pub const EASTERN_EUROPE: &str = "Rest of Central & Eastern Europe";
pub const ASIA_PACIFIC: &str = "Rest of Asia Pacific";
pub const MIDDLE_EAST: &str = "Rest of Middle East";
pub const AFRICA: &str = "Rest of Africa";
pub const OTHER: &str = "Other";

/// Countries Meta prices on their own, with the names its rate cards use.
pub const PRICED_ALONE: [(&str, &str); 24] = [
    ("AR", "Argentina"),
    ("BR", "Brazil"),
    ("CL", "Chile"),
    ("CO", "Colombia"),
    ("EG", "Egypt"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("IN", "India"),
    ("ID", "Indonesia"),
    ("IL", "Israel"),
    ("IT", "Italy"),
    ("MY", "Malaysia"),
    ("MX", "Mexico"),
    ("NL", "Netherlands"),
    ("NG", "Nigeria"),
    ("PK", "Pakistan"),
    ("PE", "Peru"),
    ("RU", "Russia"),
    ("SA", "Saudi Arabia"),
    ("ZA", "South Africa"),
    ("ES", "Spain"),
    ("TR", "Turkey"),
    ("AE", "United Arab Emirates"),
    ("GB", "United Kingdom"),
];

/// The countries of each group (ISO 3166-1 alpha-2).
const MEMBERS: [(&str, &[&str]); 7] = [
    (NORTH_AMERICA, &["US", "CA"]),
    (
        LATIN_AMERICA,
        &[
            "BO", "CR", "DO", "EC", "SV", "GT", "HT", "HN", "JM", "NI", "PA", "PY", "PR", "UY",
            "VE",
        ],
    ),
    (
        WESTERN_EUROPE,
        &["AT", "BE", "DK", "FI", "IE", "NO", "PT", "SE", "CH"],
    ),
    (
        EASTERN_EUROPE,
        &[
            "AL", "AM", "AZ", "BY", "BG", "HR", "CZ", "GE", "GR", "HU", "LV", "LT", "MD", "MK",
            "PL", "RO", "RS", "SK", "SI", "UA",
        ],
    ),
    (
        ASIA_PACIFIC,
        &[
            "AF", "AU", "BD", "KH", "CN", "HK", "JP", "LA", "MN", "NP", "NZ", "PG", "PH", "SG",
            "LK", "TW", "TJ", "TH", "TM", "UZ", "VN",
        ],
    ),
    (
        MIDDLE_EAST,
        &["BH", "IQ", "JO", "KW", "LB", "OM", "QA", "YE"],
    ),
    (
        AFRICA,
        &[
            "DZ", "AO", "BJ", "BW", "BF", "BI", "CM", "TD", "CG", "ER", "ET", "GA", "GM", "GH",
            "GW", "CI", "KE", "LS", "LR", "LY", "MG", "MW", "ML", "MR", "MA", "MZ", "NA", "NE",
            "RW", "SN", "SL", "SO", "SS", "SD", "SZ", "TZ", "TG", "TN", "UG", "ZM",
        ],
    ),
];

/// The group whose price a country pays when the card has no row of its own: `None` for a
/// country Meta prices alone (only its own row prices it), else the group's market name.
pub fn group_of(country: &str) -> Option<&'static str> {
    if PRICED_ALONE.iter().any(|(code, _)| *code == country) {
        return None;
    }
    Some(
        MEMBERS
            .iter()
            .find(|(_, members)| members.contains(&country))
            .map_or(OTHER, |(group, _)| group),
    )
}

/// The rate card key for a market as a price list names it: a two-letter country code (any
/// case), the name of a country Meta prices alone (`Brazil` → `BR`), or a group's name,
/// also in the shorter spellings people use (`Middle East`, `Central and Eastern Europe`).
pub fn market_key(name: &str) -> Option<String> {
    let name = name.trim();
    if name.len() == 2 && name.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(name.to_ascii_uppercase());
    }
    let folded = fold(name);
    if folded.is_empty() {
        return None;
    }
    if let Some((code, _)) = PRICED_ALONE.iter().find(|(_, n)| fold(n) == folded) {
        return Some((*code).to_owned());
    }
    let alias = match folded.as_str() {
        "uk" | "greatbritain" => Some("GB"),
        "uae" => Some("AE"),
        "turkiye" | "trkiye" => Some("TR"),
        "russianfederation" => Some("RU"),
        "usandcanada" | "northamerica" => Some(NORTH_AMERICA),
        "latinamerica" => Some(LATIN_AMERICA),
        "westerneurope" => Some(WESTERN_EUROPE),
        "centralandeasterneurope" | "easterneurope" | "centraleasterneurope" => {
            Some(EASTERN_EUROPE)
        }
        "asiapacific" | "apac" => Some(ASIA_PACIFIC),
        "middleeast" => Some(MIDDLE_EAST),
        "africa" => Some(AFRICA),
        "others" | "restofworld" | "restoftheworld" => Some(OTHER),
        _ => None,
    };
    if let Some(key) = alias {
        return Some(key.to_owned());
    }
    GROUPS
        .iter()
        .find(|group| fold(group) == folded)
        .map(|group| (*group).to_owned())
}

/// Lower case letters and digits only, `&` read as "and".
fn fold(name: &str) -> String {
    name.replace('&', "and")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_fall_in_their_markets() {
        assert_eq!(group_of("TH"), Some(ASIA_PACIFIC));
        assert_eq!(group_of("QA"), Some(MIDDLE_EAST));
        assert_eq!(group_of("US"), Some(NORTH_AMERICA));
        assert_eq!(group_of("KE"), Some(AFRICA));
        assert_eq!(group_of("PL"), Some(EASTERN_EUROPE));
        assert_eq!(group_of("SE"), Some(WESTERN_EUROPE));
        assert_eq!(group_of("UY"), Some(LATIN_AMERICA));
        assert_eq!(
            group_of("IS"),
            Some(OTHER),
            "Iceland is in no listed market"
        );
        assert_eq!(group_of("SA"), None, "Saudi Arabia is priced alone");
        assert_eq!(group_of("BR"), None);
    }

    #[test]
    fn no_country_is_in_two_markets() {
        let mut seen = std::collections::BTreeSet::new();
        for code in PRICED_ALONE.iter().map(|(code, _)| *code).chain(
            MEMBERS
                .iter()
                .flat_map(|(_, members)| members.iter().copied()),
        ) {
            assert!(seen.insert(code), "{code} is listed twice");
        }
    }

    #[test]
    fn market_names_as_price_lists_spell_them() {
        for (name, key) in [
            ("Brazil", "BR"),
            ("  united kingdom ", "GB"),
            ("UAE", "AE"),
            ("th", "TH"),
            ("Rest of Middle East", MIDDLE_EAST),
            ("Middle East", MIDDLE_EAST),
            ("Rest of Central & Eastern Europe", EASTERN_EUROPE),
            ("Central and Eastern Europe", EASTERN_EUROPE),
            ("Latin America", LATIN_AMERICA),
            ("REST OF ASIA PACIFIC", ASIA_PACIFIC),
            ("Other", OTHER),
        ] {
            assert_eq!(market_key(name).as_deref(), Some(key), "{name}");
        }
        assert_eq!(market_key("Atlantis"), None);
        assert_eq!(market_key(""), None);
        for group in GROUPS {
            assert_eq!(market_key(group).as_deref(), Some(group));
        }
    }
}
