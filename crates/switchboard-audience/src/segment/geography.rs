//! Countries and the named regions a segment may use.

/// ISO 3166-1 alpha-2 codes, plus XK (Kosovo), which phone numbering uses.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM \
PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

/// Whether `code` (upper case) is a country code.
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|known| known == code)
}

/// A named group of countries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// The Gulf Cooperation Council.
    Gcc,
    /// The Middle East and North Africa as the World Bank draws it.
    Mena,
    /// The member states of ASEAN, Timor-Leste included.
    Asean,
    /// The 27 member states of the European Union.
    Eu,
    /// The United States, Canada and Mexico.
    NorthAmerica,
    /// Latin America: the Spanish-, Portuguese- and French-speaking countries of the Americas.
    Latam,
}

impl Region {
    pub const ALL: [Region; 6] = [
        Region::Gcc,
        Region::Mena,
        Region::Asean,
        Region::Eu,
        Region::NorthAmerica,
        Region::Latam,
    ];

    /// The name written in an expression.
    pub fn name(self) -> &'static str {
        match self {
            Region::Gcc => "gcc",
            Region::Mena => "mena",
            Region::Asean => "asean",
            Region::Eu => "eu",
            Region::NorthAmerica => "north_america",
            Region::Latam => "latam",
        }
    }

    /// The region called `name` (any case).
    pub fn named(name: &str) -> Option<Region> {
        Region::ALL
            .into_iter()
            .find(|region| region.name().eq_ignore_ascii_case(name))
    }

    /// Its countries, ISO 3166-1 alpha-2.
    pub fn countries(self) -> &'static [&'static str] {
        match self {
            Region::Gcc => &["AE", "BH", "KW", "OM", "QA", "SA"],
            Region::Mena => &[
                "AE", "BH", "DJ", "DZ", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "LY", "MA", "MT",
                "OM", "PS", "QA", "SA", "SY", "TN", "YE",
            ],
            Region::Asean => &[
                "BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN",
            ],
            Region::Eu => &[
                "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
                "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
            ],
            Region::NorthAmerica => &["CA", "MX", "US"],
            Region::Latam => &[
                "AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "HN", "HT", "MX", "NI",
                "PA", "PE", "PR", "PY", "SV", "UY", "VE",
            ],
        }
    }

    /// Whether `country` (either case) lies in the region.
    pub fn contains(self, country: &str) -> bool {
        self.countries()
            .iter()
            .any(|member| member.eq_ignore_ascii_case(country))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_list_is_iso_3166_with_kosovo() {
        let codes: Vec<&str> = COUNTRIES.split(' ').collect();
        assert_eq!(codes.len(), 250);
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, codes, "sorted and without repeats");
        assert!(codes.iter().all(|c| c.len() == 2));
    }

    #[test]
    fn every_region_member_is_a_country() {
        for region in Region::ALL {
            for country in region.countries() {
                assert!(is_country(country), "{country} in {}", region.name());
            }
            assert_eq!(Region::named(&region.name().to_uppercase()), Some(region));
        }
        assert_eq!(Region::Eu.countries().len(), 27);
        assert!(Region::Gcc.contains("sa"));
        assert!(!Region::Gcc.contains("EG"));
    }
}
