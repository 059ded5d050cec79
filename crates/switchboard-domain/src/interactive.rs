//! Interactive messages beyond reply buttons: a list of options grouped in sections, and a
//! call-to-action button that opens a URL. WhatsApp refuses either when a limit is broken, so
//! each is checked here first, with a message that says what to fix.

use crate::outbound::too_long;
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
) -> Option<String> {
    if body.trim().is_empty() {
        return Some("An interactive message needs body text.".into());
    }
    if header.is_some_and(|h| h.trim().is_empty()) {
        return Some("The header is empty; write one or leave it out.".into());
    }
    if footer.is_some_and(|f| f.trim().is_empty()) {
        return Some("The footer is empty; write one or leave it out.".into());
    }
    too_long("message", body, max_body)
        .or_else(|| header.and_then(|h| too_long("header", h, MAX_HEADER_CHARS)))
        .or_else(|| footer.and_then(|f| too_long("footer", f, MAX_FOOTER_CHARS)))
}

/// What is wrong with a list message, if anything.
pub(crate) fn list_problem(
    header: Option<&str>,
    body: &str,
    footer: Option<&str>,
    button: &str,
    sections: &[ListSection],
) -> Option<String> {
    if let Some(problem) = frame_problem(header, body, footer, crate::MAX_TEXT_CHARS) {
        return Some(problem);
    }
    if button.trim().is_empty() {
        return Some("A list needs the text of the button that opens it.".into());
    }
    if let Some(problem) = too_long("list button text", button, MAX_LIST_BUTTON_CHARS) {
        return Some(problem);
    }
    if sections.is_empty() || sections.len() > MAX_SECTIONS {
        return Some(format!(
            "A list has one to {MAX_SECTIONS} sections; this one has {}.",
            sections.len()
        ));
    }
    let rows: Vec<&ListRow> = sections.iter().flat_map(|s| &s.rows).collect();
    if rows.len() > MAX_ROWS {
        return Some(format!(
            "A list holds at most {MAX_ROWS} rows across all its sections; this one has {}. Remove some.",
            rows.len()
        ));
    }
    for (index, section) in sections.iter().enumerate() {
        let number = index + 1;
        match section.title.as_deref() {
            Some(title) if title.trim().is_empty() => {
                return Some(format!(
                    "Section {number} has an empty title; write one or leave it out."
                ))
            }
            Some(title) => {
                if let Some(problem) = too_long(
                    &format!("title of section {number}"),
                    title,
                    MAX_SECTION_TITLE_CHARS,
                ) {
                    return Some(problem);
                }
            }
            None if sections.len() > 1 => {
                return Some(format!(
                    "Section {number} needs a title: a list with several sections names each one."
                ))
            }
            None => {}
        }
        if section.rows.is_empty() {
            return Some(format!(
                "Section {number} has no rows; give it at least one."
            ));
        }
    }
    for row in &rows {
        if row.id.trim().is_empty() {
            return Some(
                "Each row needs an id, which comes back when the customer picks it.".into(),
            );
        }
        if row.title.trim().is_empty() {
            return Some(format!("The row “{}” needs a title.", row.id));
        }
        let problem = too_long("row id", &row.id, MAX_ROW_ID_CHARS)
            .or_else(|| too_long("row title", &row.title, MAX_ROW_TITLE_CHARS))
            .or_else(|| {
                row.description
                    .as_deref()
                    .and_then(|d| too_long("row description", d, MAX_ROW_DESCRIPTION_CHARS))
            });
        if problem.is_some() {
            return problem;
        }
    }
    if let Some(twice) = (1..rows.len()).find(|&i| rows[..i].iter().any(|r| r.id == rows[i].id)) {
        return Some(format!(
            "Each row needs its own id; “{}” is used more than once.",
            rows[twice].id
        ));
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
) -> Option<String> {
    if let Some(problem) = frame_problem(header, body, footer, MAX_CTA_BODY_CHARS) {
        return Some(problem);
    }
    if display_text.trim().is_empty() {
        return Some("The button needs text that says where it leads.".into());
    }
    if let Some(problem) = too_long("button text", display_text, MAX_CTA_DISPLAY_TEXT_CHARS) {
        return Some(problem);
    }
    let web = ["https://", "http://"].iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
            && url.len() > scheme.len()
    });
    if !web || url.chars().any(char::is_whitespace) {
        return Some("The button's URL must be a web address starting with https:// (or http://), without spaces.".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn list(sections: &[ListSection]) -> Option<String> {
        list_problem(Some("Shipping"), "Pick one", None, "Options", sections)
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
        assert!(problem(&[]).contains("one to 10 sections"));
        let eleven: Vec<ListSection> = (0..11)
            .map(|s| {
                let id = format!("r{s}");
                section(Some("S"), &[id.as_str()])
            })
            .collect();
        assert!(problem(&eleven).contains("one to 10 sections"));
        let many_rows: Vec<String> = (0..11).map(|i| format!("r{i}")).collect();
        let many_rows: Vec<&str> = many_rows.iter().map(String::as_str).collect();
        assert!(problem(&[section(None, &many_rows)]).contains("at most 10 rows"));
        // Ten rows in one section are fine, eleven across two are not.
        assert_eq!(list(&[section(None, &many_rows[..10])]), None);
        assert!(problem(&[
            section(Some("A"), &many_rows[..6]),
            section(Some("B"), &many_rows[6..])
        ])
        .contains("at most 10 rows"));
        assert!(
            problem(&[section(Some("A"), &["a"]), section(None, &["b"])])
                .contains("Section 2 needs a title")
        );
        assert!(problem(&[section(Some(&"T".repeat(25)), &["a"])]).contains("24 characters"));
        assert!(problem(&[section(None, &[])]).contains("no rows"));
        assert!(
            problem(&[section(None, &["same", "same"])]).contains("“same” is used more than once")
        );
        assert!(
            problem(&[section(Some("A"), &["x"]), section(Some("B"), &["x"])])
                .contains("its own id")
        );
        let with_row = |row: ListRow| {
            problem(&[ListSection {
                title: None,
                rows: vec![row],
            }])
        };
        assert!(with_row(ListRow {
            id: "i".repeat(201),
            ..row("a")
        })
        .contains("row id is longer than WhatsApp's 200"));
        assert!(with_row(ListRow {
            title: "t".repeat(25),
            ..row("a")
        })
        .contains("row title is longer than WhatsApp's 24"));
        assert!(with_row(ListRow {
            description: Some("d".repeat(73)),
            ..row("a")
        })
        .contains("row description is longer than WhatsApp's 72"));
        assert!(with_row(ListRow {
            title: " ".into(),
            ..row("a")
        })
        .contains("needs a title"));
        assert!(with_row(ListRow {
            id: "".into(),
            ..row("a")
        })
        .contains("needs an id"));
    }

    #[test]
    fn the_frame_and_button_of_a_list_are_checked() {
        let one = [section(None, &["a"])];
        let check = |header: Option<&str>, body: &str, footer: Option<&str>, button: &str| {
            list_problem(header, body, footer, button, &one).expect("refused")
        };
        assert!(check(None, " ", None, "Open").contains("needs body text"));
        assert!(check(None, &"b".repeat(4097), None, "Open").contains("4096"));
        assert!(check(Some(&"h".repeat(61)), "Body", None, "Open").contains("header is longer"));
        assert!(check(Some(""), "Body", None, "Open").contains("header is empty"));
        assert!(check(None, "Body", Some(&"f".repeat(61)), "Open").contains("footer is longer"));
        assert!(check(None, "Body", None, "").contains("button that opens it"));
        assert!(check(None, "Body", None, &"o".repeat(21)).contains("20 characters"));
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
        assert!(check("", "See", "https://example.com")
            .unwrap()
            .contains("body text"));
        assert!(check(&"b".repeat(1025), "See", "https://example.com")
            .unwrap()
            .contains("1024"));
        assert!(check("Body", "", "https://example.com")
            .unwrap()
            .contains("needs text"));
        assert!(check("Body", &"s".repeat(21), "https://example.com")
            .unwrap()
            .contains("20 characters"));
        for url in [
            "ftp://example.com",
            "javascript:alert(1)",
            "example.com",
            "https://",
            "https://a b.com",
        ] {
            assert!(
                check("Body", "See", url).unwrap().contains("https://"),
                "{url} should be refused"
            );
        }
        assert!(cta_url_problem(
            Some(&"h".repeat(61)),
            "Body",
            None,
            "See",
            "https://example.com"
        )
        .unwrap()
        .contains("header"));
    }
}
