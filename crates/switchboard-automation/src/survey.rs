//! Customer satisfaction surveys: reading a customer's answer (a picked list row, or a reply
//! that is just a digit from 1 to 5 in Latin, Arabic-Indic or Thai digits) and summarising
//! scores (count, mean, standard deviation, distribution).

use crate::CustomerLanguage;

/// The lowest and highest score.
pub const SCORES: std::ops::RangeInclusive<u8> = 1..=5;

/// The id of the list row for `score` in survey `survey_id`; it comes back when the customer
/// picks that row.
pub fn row_id(survey_id: i64, score: u8) -> String {
    format!("csat:{survey_id}:{score}")
}

/// The survey and score a picked row's id names, if it is a survey row.
pub fn parse_row_id(id: &str) -> Option<(i64, u8)> {
    let rest = id.strip_prefix("csat:")?;
    let (survey, score) = rest.split_once(':')?;
    let survey = survey.parse::<i64>().ok().filter(|id| *id > 0)?;
    let score = parse_digit(score)?;
    Some((survey, score))
}

/// The score a typed reply gives: a single digit 1–5 (`5`, `٥`, `۵`, `๕`), with nothing else
/// but spaces and invisible direction marks around it. Anything else is not an answer.
pub fn score_of_text(text: &str) -> Option<u8> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    parse_digit(trimmed)
}

fn parse_digit(text: &str) -> Option<u8> {
    let mut chars = text.chars();
    let digit = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let value = match digit {
        '0'..='9' => digit as u32 - '0' as u32,
        // Arabic-Indic, Extended Arabic-Indic (Persian, Urdu) and Thai digits.
        '\u{0660}'..='\u{0669}' => digit as u32 - 0x0660,
        '\u{06F0}'..='\u{06F9}' => digit as u32 - 0x06F0,
        '\u{0E50}'..='\u{0E59}' => digit as u32 - 0x0E50,
        _ => return None,
    } as u8;
    SCORES.contains(&value).then_some(value)
}

/// Marks phones put around a digit typed in a right-to-left keyboard.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// The title of a score's list row: as many stars as the score (WhatsApp allows 24
/// characters).
pub fn row_title(score: u8) -> String {
    "★".repeat(score as usize)
}

/// The words under a score's stars, in the customer's language.
pub fn row_description(score: u8, language: CustomerLanguage) -> &'static str {
    const EN: [&str; 5] = [
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ];
    const AR: [&str; 5] = ["غير راضٍ إطلاقًا", "غير راضٍ", "محايد", "راضٍ", "راضٍ جدًا"];
    const TH: [&str; 5] = ["ไม่พอใจมาก", "ไม่พอใจ", "เฉย ๆ", "พอใจ", "พอใจมาก"];
    let index = (score.clamp(1, 5) - 1) as usize;
    match language {
        CustomerLanguage::En => EN[index],
        CustomerLanguage::Ar => AR[index],
        CustomerLanguage::Th => TH[index],
    }
}

/// Scores summarised: how many, their mean and standard deviation, and how many of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreSummary {
    pub count: u64,
    /// `None` without scores.
    pub mean: Option<f64>,
    /// The population standard deviation (every answer counts, none is a sample of others);
    /// `None` without scores.
    pub std_dev: Option<f64>,
    /// How many answers gave 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
}

impl ScoreSummary {
    /// The summary of answers counted per score (`distribution[0]` answers gave 1).
    pub fn from_distribution(distribution: [u64; 5]) -> Self {
        let count: u64 = distribution.iter().sum();
        if count == 0 {
            return ScoreSummary {
                distribution,
                ..Default::default()
            };
        }
        let n = count as f64;
        let scored = || {
            distribution
                .iter()
                .enumerate()
                .map(|(index, times)| ((index + 1) as f64, *times as f64))
        };
        let mean = scored().map(|(score, times)| score * times).sum::<f64>() / n;
        let variance = scored()
            .map(|(score, times)| times * (score - mean).powi(2))
            .sum::<f64>()
            / n;
        ScoreSummary {
            count,
            mean: Some(mean),
            std_dev: Some(variance.sqrt()),
            distribution,
        }
    }

    /// The summary of `scores`; values outside 1–5 are not scores and are left out.
    pub fn of_scores(scores: impl IntoIterator<Item = u8>) -> Self {
        let mut distribution = [0u64; 5];
        for score in scores.into_iter().filter(|s| SCORES.contains(s)) {
            distribution[(score - 1) as usize] += 1;
        }
        Self::from_distribution(distribution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn digits_in_every_script_are_scores() {
        for (text, score) in [
            ("1", 1),
            (" 5 ", 5),
            ("٥", 5),
            ("\u{200F}٤\u{200F}", 4),
            ("۳", 3),
            ("๕", 5),
            ("๑\n", 1),
        ] {
            assert_eq!(score_of_text(text), Some(score), "{text:?}");
        }
        for text in [
            "0", "6", "٠", "٩", "๐", "๖", "10", "5 stars", "five", "", " ", "٥٥", "5.", "-5", "５",
        ] {
            assert_eq!(score_of_text(text), None, "{text:?}");
        }
    }

    #[test]
    fn row_ids_round_trip_and_strangers_are_refused() {
        for score in SCORES {
            assert_eq!(parse_row_id(&row_id(42, score)), Some((42, score)));
            assert!(row_title(score).chars().count() <= 24);
        }
        for id in [
            "csat:42:6",
            "csat:42:0",
            "csat:-1:3",
            "csat:x:3",
            "csat:42",
            "order:42:3",
            "csat:42:3:1",
            "",
        ] {
            assert_eq!(parse_row_id(id), None, "{id:?}");
        }
    }

    #[test]
    fn a_known_example() {
        // 7 and 9 are not scores. The six scores sum to 24 (mean 4); their squared
        // distances from 4 sum to 4 + 0 + 0 + 0 + 1 + 1 = 6, and 6 / 6 = 1.
        let summary = ScoreSummary::of_scores([2, 4, 4, 4, 5, 5, 7, 9]);
        assert_eq!(summary.count, 6);
        assert_eq!(summary.mean, Some(4.0));
        assert_eq!(summary.std_dev, Some(1.0));
        assert_eq!(summary.distribution, [0, 1, 0, 3, 2]);
        assert_eq!(ScoreSummary::of_scores([]).mean, None);
    }

    proptest! {
        /// Any digit in any script, wrapped in spaces and marks, reads back as its value.
        #[test]
        fn every_digit_reads_back(score in 1u8..=5, script in 0usize..4, pad in "[ \u{200F}\u{200E}\t]{0,3}") {
            let base = [0x30u32, 0x0660, 0x06F0, 0x0E50][script];
            let digit = char::from_u32(base + score as u32).unwrap();
            prop_assert_eq!(score_of_text(&format!("{pad}{digit}{pad}")), Some(score));
        }

        /// Nothing longer than one digit, or outside 1–5, is ever a score.
        #[test]
        fn only_a_lone_digit_counts(text in "\\PC{0,6}") {
            if let Some(score) = score_of_text(&text) {
                prop_assert!(SCORES.contains(&score));
                let visible: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && !is_invisible(*c)).collect();
                prop_assert_eq!(visible.len(), 1);
            }
        }

        /// The summary agrees with the definitions computed directly from the scores, and
        /// always lies within the scale.
        #[test]
        fn summary_matches_the_definitions(scores in proptest::collection::vec(1u8..=5, 1..200)) {
            let summary = ScoreSummary::of_scores(scores.iter().copied());
            let n = scores.len() as f64;
            let mean = scores.iter().map(|s| *s as f64).sum::<f64>() / n;
            let variance = scores.iter().map(|s| (*s as f64 - mean).powi(2)).sum::<f64>() / n;
            prop_assert_eq!(summary.count, scores.len() as u64);
            prop_assert!((summary.mean.unwrap() - mean).abs() < 1e-9);
            prop_assert!((summary.std_dev.unwrap() - variance.sqrt()).abs() < 1e-9);
            prop_assert!((1.0..=5.0).contains(&summary.mean.unwrap()));
            prop_assert!(summary.std_dev.unwrap() <= 2.0 + 1e-9);
            prop_assert_eq!(summary.distribution.iter().sum::<u64>(), summary.count);
        }
    }
}
