//! Interactive messages beyond reply buttons: a list of options grouped in sections, and a
//! call-to-action button that opens a URL. WhatsApp refuses either when a limit is broken, so
//! each is checked here first, with a message that says what to fix.

use crate::content_rules::{too_long, ContentProblem, TextPart};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An option of a list message; its `id` comes back when the customer picks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListRow {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// A group of rows in a list message; it needs a title when the list has several sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListSection {
    #[serde(default)]
    pub title: Option<String>,
    pub rows: Vec<ListRow>,
}

// WhatsApp's limits on interactive messages (Meta's interactive list and CTA URL references).
const MAX_HEADER_CHARS: usize = 60;
const MAX_FOOTER_CHARS: usize = 60;
const MAX_LIST_BUTTON_CHARS: usize = 20;
const MAX_SECTIONS: usize = 10;
const MAX_ROWS: usize = 10;
const MAX_SECTION_TITLE_CHARS: usize = 24;
const MAX_ROW_ID_CHARS: usize = 200;
const MAX_ROW_TITLE_CHARS: usize = 24;
const MAX_ROW_DESCRIPTION_CHARS: usize = 72;
const MAX_CTA_BODY_CHARS: usize = 1024;
const MAX_CTA_DISPLAY_TEXT_CHARS: usize = 20;

/// The header, body and footer every interactive message shares.
fn frame_problem(
    header: Option<&str>,
    body: &str,
    footer: Option<&str>,
    max_body: usize,
) -> Option<ContentProblem> {
    if body.trim().is_empty() {
        return Some(ContentProblem::BodyMissing);
    }
    if header.is_some_and(|h| h.trim().is_empty()) {
        return Some(ContentProblem::HeaderEmpty);
    }
    if footer.is_some_and(|f| f.trim().is_empty()) {
        return Some(ContentProblem::FooterEmpty);
    }
    too_long(TextPart::Message, body, max_body)
        .or_else(|| header.and_then(|h| too_long(TextPart::Header, h, MAX_HEADER_CHARS)))
        .or_else(|| footer.and_then(|f| too_long(TextPart::Footer, f, MAX_FOOTER_CHARS)))
}

/// What is wrong with a list message, if anything.
pub(crate) fn list_problem(
    header: Option<&str>,
    body: &str,
    footer: Option<&str>,
    button: &str,
    sections: &[ListSection],
) -> Option<ContentProblem> {
    if let Some(problem) = frame_problem(header, body, footer, crate::MAX_TEXT_CHARS) {
        return Some(problem);
    }
    if button.trim().is_empty() {
        return Some(ContentProblem::ListButtonMissing);
    }
    if let Some(problem) = too_long(TextPart::ListButton, button, MAX_LIST_BUTTON_CHARS) {
        return Some(problem);
    }
    if sections.is_empty() || sections.len() > MAX_SECTIONS {
        return Some(ContentProblem::SectionCount {
            max: MAX_SECTIONS,
            count: sections.len(),
        });
    }
    let rows: Vec<&ListRow> = sections.iter().flat_map(|s| &s.rows).collect();
    if rows.len() > MAX_ROWS {
        return Some(ContentProblem::RowCount {
            max: MAX_ROWS,
            count: rows.len(),
        });
    }
    for (index, section) in sections.iter().enumerate() {
        let number = index + 1;
        match section.title.as_deref() {
            Some(title) if title.trim().is_empty() => {
                return Some(ContentProblem::SectionTitleEmpty { section: number })
            }
            Some(title) => {
                let part = TextPart::SectionTitle { section: number };
                if let Some(problem) = too_long(part, title, MAX_SECTION_TITLE_CHARS) {
                    return Some(problem);
                }
            }
            None if sections.len() > 1 => {
                return Some(ContentProblem::SectionTitleMissing { section: number })
            }
            None => {}
        }
        if section.rows.is_empty() {
            return Some(ContentProblem::SectionWithoutRows { section: number });
        }
    }
    for row in &rows {
        if row.id.trim().is_empty() {
            return Some(ContentProblem::RowIdMissing);
        }
        if row.title.trim().is_empty() {
            return Some(ContentProblem::RowTitleMissing { id: row.id.clone() });
        }
        let problem = too_long(TextPart::RowId, &row.id, MAX_ROW_ID_CHARS)
            .or_else(|| too_long(TextPart::RowTitle, &row.title, MAX_ROW_TITLE_CHARS))
            .or_else(|| {
                row.description
                    .as_deref()
                    .and_then(|d| too_long(TextPart::RowDescription, d, MAX_ROW_DESCRIPTION_CHARS))
            });
        if problem.is_some() {
            return problem;
        }
    }
    if let Some(twice) = (1..rows.len()).find(|&i| rows[..i].iter().any(|r| r.id == rows[i].id)) {
        return Some(ContentProblem::RowIdRepeated {
            id: rows[twice].id.clone(),
        });
    }
    None
}

/// What is wrong with a call-to-action URL message, if anything.
pub(crate) fn cta_url_problem(
    header: Option<&str>,
    body: &str,
    footer: Option<&str>,
    display_text: &str,
    url: &str,
) -> Option<ContentProblem> {
    if let Some(problem) = frame_problem(header, body, footer, MAX_CTA_BODY_CHARS) {
        return Some(problem);
    }
    if display_text.trim().is_empty() {
        return Some(ContentProblem::LinkButtonTextMissing);
    }
    if let Some(problem) = too_long(
        TextPart::LinkButton,
        display_text,
        MAX_CTA_DISPLAY_TEXT_CHARS,
    ) {
        return Some(problem);
    }
    let web = ["https://", "http://"].iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
            && url.len() > scheme.len()
    });
    if !web || url.chars().any(char::is_whitespace) {
        return Some(ContentProblem::LinkNotWeb);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContentProblem as P;

    fn row(id: &str) -> ListRow {
        ListRow {
            id: id.into(),
            title: format!("Row {id}"),
            description: None,
        }
    }

    fn section(title: Option<&str>, ids: &[&str]) -> ListSection {
        ListSection {
            title: title.map(str::to_owned),
            rows: ids.iter().map(|id| row(id)).collect(),
        }
    }

    fn list(sections: &[ListSection]) -> Option<ContentProblem> {
        list_problem(Some("Shipping"), "Pick one", None, "Options", sections)
    }

    fn too_long(part: TextPart, max: usize) -> ContentProblem {
        P::TooLong { part, max }
    }

    #[test]
    fn a_list_within_every_limit_passes() {
        let full: Vec<ListSection> = (0..10)
            .map(|s| {
                let id = format!("r{s}");
                section(Some(&"T".repeat(24)), &[id.as_str()])
            })
            .collect();
        assert_eq!(list(&full), None);
        let long_row = ListSection {
            title: None,
            rows: vec![ListRow {
                id: "i".repeat(200),
                title: "t".repeat(24),
                description: Some("d".repeat(72)),
            }],
        };
        assert_eq!(list(&[long_row]), None);
    }

    #[test]
    fn each_list_limit_can_fail() {
        let problem = |sections: &[ListSection]| list(sections).expect("refused");
        assert_eq!(problem(&[]), P::SectionCount { max: 10, count: 0 });
        let eleven: Vec<ListSection> = (0..11)
            .map(|s| {
                let id = format!("r{s}");
                section(Some("S"), &[id.as_str()])
            })
            .collect();
        assert_eq!(problem(&eleven), P::SectionCount { max: 10, count: 11 });
        let many_rows: Vec<String> = (0..11).map(|i| format!("r{i}")).collect();
        let many_rows: Vec<&str> = many_rows.iter().map(String::as_str).collect();
        assert_eq!(
            problem(&[section(None, &many_rows)]),
            P::RowCount { max: 10, count: 11 }
        );
        // Ten rows in one section are fine, eleven across two are not.
        assert_eq!(list(&[section(None, &many_rows[..10])]), None);
        assert_eq!(
            problem(&[
                section(Some("A"), &many_rows[..6]),
                section(Some("B"), &many_rows[6..])
            ]),
            P::RowCount { max: 10, count: 11 }
        );
        assert_eq!(
            problem(&[section(Some("A"), &["a"]), section(None, &["b"])]),
            P::SectionTitleMissing { section: 2 }
        );
        assert_eq!(
            problem(&[section(Some("A"), &["a"]), section(Some(" "), &["b"])]),
            P::SectionTitleEmpty { section: 2 }
        );
        assert_eq!(
            problem(&[section(Some(&"T".repeat(25)), &["a"])]),
            too_long(TextPart::SectionTitle { section: 1 }, 24)
        );
        assert_eq!(
            problem(&[section(None, &[])]),
            P::SectionWithoutRows { section: 1 }
        );
        assert_eq!(
            problem(&[section(None, &["same", "same"])]),
            P::RowIdRepeated { id: "same".into() }
        );
        assert_eq!(
            problem(&[section(Some("A"), &["x"]), section(Some("B"), &["x"])]),
            P::RowIdRepeated { id: "x".into() }
        );
        let with_row = |row: ListRow| {
            problem(&[ListSection {
                title: None,
                rows: vec![row],
            }])
        };
        assert_eq!(
            with_row(ListRow {
                id: "i".repeat(201),
                ..row("a")
            }),
            too_long(TextPart::RowId, 200)
        );
        assert_eq!(
            with_row(ListRow {
                title: "t".repeat(25),
                ..row("a")
            }),
            too_long(TextPart::RowTitle, 24)
        );
        assert_eq!(
            with_row(ListRow {
                description: Some("d".repeat(73)),
                ..row("a")
            }),
            too_long(TextPart::RowDescription, 72)
        );
        assert_eq!(
            with_row(ListRow {
                title: " ".into(),
                ..row("a")
            }),
            P::RowTitleMissing { id: "a".into() }
        );
        assert_eq!(
            with_row(ListRow {
                id: "".into(),
                ..row("a")
            }),
            P::RowIdMissing
        );
    }

    #[test]
    fn the_frame_and_button_of_a_list_are_checked() {
        let one = [section(None, &["a"])];
        let check = |header: Option<&str>, body: &str, footer: Option<&str>, button: &str| {
            list_problem(header, body, footer, button, &one).expect("refused")
        };
        assert_eq!(check(None, " ", None, "Open"), P::BodyMissing);
        assert_eq!(
            check(None, &"b".repeat(4097), None, "Open"),
            too_long(TextPart::Message, 4096)
        );
        assert_eq!(
            check(Some(&"h".repeat(61)), "Body", None, "Open"),
            too_long(TextPart::Header, 60)
        );
        assert_eq!(check(Some(""), "Body", None, "Open"), P::HeaderEmpty);
        assert_eq!(
            check(None, "Body", Some(&"f".repeat(61)), "Open"),
            too_long(TextPart::Footer, 60)
        );
        assert_eq!(check(None, "Body", Some(" "), "Open"), P::FooterEmpty);
        assert_eq!(check(None, "Body", None, ""), P::ListButtonMissing);
        assert_eq!(
            check(None, "Body", None, &"o".repeat(21)),
            too_long(TextPart::ListButton, 20)
        );
        assert_eq!(
            list_problem(
                Some(&"h".repeat(60)),
                "Body",
                Some(&"f".repeat(60)),
                &"o".repeat(20),
                &one
            ),
            None
        );
    }

    #[test]
    fn each_call_to_action_limit_can_fail() {
        let check = |body: &str, display_text: &str, url: &str| {
            cta_url_problem(None, body, None, display_text, url)
        };
        assert_eq!(
            check("See dates", "See Dates", "https://example.com/d?x=1"),
            None
        );
        assert_eq!(
            check("See dates", &"s".repeat(20), "HTTP://example.com"),
            None
        );
        assert_eq!(
            check("", "See", "https://example.com"),
            Some(P::BodyMissing)
        );
        assert_eq!(
            check(&"b".repeat(1025), "See", "https://example.com"),
            Some(too_long(TextPart::Message, 1024))
        );
        assert_eq!(
            check("Body", "", "https://example.com"),
            Some(P::LinkButtonTextMissing)
        );
        assert_eq!(
            check("Body", &"s".repeat(21), "https://example.com"),
            Some(too_long(TextPart::LinkButton, 20))
        );
        for url in [
            "ftp://example.com",
            "javascript:alert(1)",
            "example.com",
            "https://",
            "https://a b.com",
        ] {
            assert_eq!(
                check("Body", "See", url),
                Some(P::LinkNotWeb),
                "{url} should be refused"
            );
        }
        assert_eq!(
            cta_url_problem(
                Some(&"h".repeat(61)),
                "Body",
                None,
                "See",
                "https://example.com"
            ),
            Some(too_long(TextPart::Header, 60))
        );
    }
}
