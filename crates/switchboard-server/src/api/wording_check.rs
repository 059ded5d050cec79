//! The check every table of worded problems shares in its tests: the English wording is the
//! problem's `Display` text, and the Arabic and Thai wordings are in their script and keep the
//! English text's figures and quoted names.

use crate::api::language::{within_blocking, Language};

/// Asserts that `word` (called once per language) words a problem whose `Display` text is
/// `display` in every language, keeping its figures and names.
pub fn assert_worded_in_every_language(display: &str, word: impl Fn() -> String) {
    let english = within_blocking(Language::En, &word);
    assert_eq!(english, display, "English is the Display text");
    for (language, script) in [
        (Language::Ar, '\u{0600}'..='\u{06FF}'),
        (Language::Th, '\u{0E00}'..='\u{0E7F}'),
    ] {
        let text = within_blocking(language, &word);
        assert!(
            text.chars().any(|c| script.contains(&c)),
            "{language:?}: {text}"
        );
        for part in kept_parts(&english) {
            assert!(text.contains(&part), "{language:?} keeps {part:?}: {text}");
        }
    }
}

/// The figures and quoted names of an English text: runs of digits, and what stands between
/// “ and ”.
fn kept_parts(english: &str) -> Vec<String> {
    let mut parts: Vec<String> = english
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(str::to_owned)
        .collect();
    let mut rest = english;
    while let Some(open) = rest.find('“') {
        let after = &rest[open + '“'.len_utf8()..];
        let Some(close) = after.find('”') else {
            break;
        };
        parts.push(after[..close].to_owned());
        rest = &after[close..];
    }
    parts
}
