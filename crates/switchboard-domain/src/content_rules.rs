//! WhatsApp's rules on what an outbound message may hold, checked before anything is stored.
//! A broken rule is a [`ContentProblem`] carrying the figures it names (limits, counts, section
//! and card numbers, the offending text), so the server can word it in the reader's language;
//! its `Display` is the English wording logs and tools use.

use crate::contact_card::contacts_problem;
use crate::interactive::{cta_url_problem, list_problem};
use crate::location::location_problem;
use crate::OutboundContent;
use std::fmt;

/// WhatsApp's limits on what a message may hold.
pub const MAX_TEXT_CHARS: usize = 4096;
const MAX_CAPTION_CHARS: usize = 1024;
const MAX_BUTTONS: usize = 3;
const MAX_BUTTON_TITLE_CHARS: usize = 20;

/// One rule of WhatsApp's an outbound message breaks, with what it takes to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ContentProblem {
    #[error("The message is empty; write something first.")]
    EmptyText,
    #[error("The {part} is longer than WhatsApp's {max} characters; shorten it.")]
    TooLong { part: TextPart, max: usize },
    #[error("A template needs its name and language code (for example en_US).")]
    TemplateIncomplete,
    #[error("Media needs an uploaded media id or an https link.")]
    MediaWithoutSource,
    #[error("Give media either an uploaded media id or a link, not both.")]
    MediaWithTwoSources,
    #[error("A media link must start with https://.")]
    MediaLinkNotWeb,
    #[error("An interactive message has one to {max} reply buttons; this one has {count}.")]
    ReplyButtonCount { max: usize, count: usize },
    #[error("Each button needs a title of 1 to {max} characters.")]
    ReplyButtonTitle { max: usize },
    #[error("Each button needs its own id; “{id}” is used more than once.")]
    ReplyButtonIdRepeated { id: String },
    #[error("An interactive message needs body text.")]
    BodyMissing,
    #[error("The header is empty; write one or leave it out.")]
    HeaderEmpty,
    #[error("The footer is empty; write one or leave it out.")]
    FooterEmpty,
    #[error("A reaction needs the WhatsApp id of the message it reacts to.")]
    ReactionTargetMissing,
    #[error("A list needs the text of the button that opens it.")]
    ListButtonMissing,
    #[error("A list has one to {max} sections; this one has {count}.")]
    SectionCount { max: usize, count: usize },
    #[error(
        "A list holds at most {max} rows across all its sections; this one has {count}. Remove some."
    )]
    RowCount { max: usize, count: usize },
    #[error("Section {section} has an empty title; write one or leave it out.")]
    SectionTitleEmpty { section: usize },
    #[error("Section {section} needs a title: a list with several sections names each one.")]
    SectionTitleMissing { section: usize },
    #[error("Section {section} has no rows; give it at least one.")]
    SectionWithoutRows { section: usize },
    #[error("Each row needs an id, which comes back when the customer picks it.")]
    RowIdMissing,
    #[error("The row “{id}” needs a title.")]
    RowTitleMissing { id: String },
    #[error("Each row needs its own id; “{id}” is used more than once.")]
    RowIdRepeated { id: String },
    #[error("The button needs text that says where it leads.")]
    LinkButtonTextMissing,
    #[error(
        "The button's URL must be a web address starting with https:// (or http://), without spaces."
    )]
    LinkNotWeb,
    #[error("The latitude must be between -90 and 90 degrees, not {value}.")]
    Latitude { value: f64 },
    #[error("The longitude must be between -180 and 180 degrees, not {value}.")]
    Longitude { value: f64 },
    #[error("The place's name is empty; write one or leave it out.")]
    PlaceNameEmpty,
    #[error("The address is empty; write one or leave it out.")]
    AddressEmpty,
    #[error("Share one to {max} contact cards at a time; this message has {count}.")]
    ContactCardCount { max: usize, count: usize },
    #[error("Contact card {card} needs a name to show (formatted_name).")]
    ContactNameMissing { card: usize },
    #[error("Contact card {card} has an empty phone number; fill it in or remove it.")]
    ContactPhoneEmpty { card: usize },
    #[error("Contact card {card} has “{email}”, which is not an email address.")]
    ContactEmailInvalid { card: usize, email: String },
}

/// The piece of a message a length limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPart {
    /// The text of a message, or the body of an interactive one.
    Message,
    Caption,
    Header,
    Footer,
    /// The text of the button that opens a list.
    ListButton,
    /// The title of a list's section, counted from 1.
    SectionTitle {
        section: usize,
    },
    RowId,
    RowTitle,
    RowDescription,
    /// The text of a call-to-action button.
    LinkButton,
}

impl fmt::Display for TextPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextPart::Message => f.write_str("message"),
            TextPart::Caption => f.write_str("caption"),
            TextPart::Header => f.write_str("header"),
            TextPart::Footer => f.write_str("footer"),
            TextPart::ListButton => f.write_str("list button text"),
            TextPart::SectionTitle { section } => write!(f, "title of section {section}"),
            TextPart::RowId => f.write_str("row id"),
            TextPart::RowTitle => f.write_str("row title"),
            TextPart::RowDescription => f.write_str("row description"),
            TextPart::LinkButton => f.write_str("button text"),
        }
    }
}

/// [`ContentProblem::TooLong`] when `text` has more than `max` characters.
pub(crate) fn too_long(part: TextPart, text: &str, max: usize) -> Option<ContentProblem> {
    (text.chars().count() > max).then_some(ContentProblem::TooLong { part, max })
}

impl OutboundContent {
    /// Checks WhatsApp's rules before anything is stored; the problem says what to fix.
    pub fn validate(&self) -> Result<(), ContentProblem> {
        let problem = match self {
            OutboundContent::Text { text } if text.trim().is_empty() => {
                Some(ContentProblem::EmptyText)
            }
            OutboundContent::Text { text } => too_long(TextPart::Message, text, MAX_TEXT_CHARS),
            OutboundContent::Template { name, language, .. }
                if name.trim().is_empty() || language.trim().is_empty() =>
            {
                Some(ContentProblem::TemplateIncomplete)
            }
            OutboundContent::Template { .. } => None,
            OutboundContent::Media {
                media_id: None,
                link: None,
                ..
            } => Some(ContentProblem::MediaWithoutSource),
            OutboundContent::Media {
                media_id: Some(_),
                link: Some(_),
                ..
            } => Some(ContentProblem::MediaWithTwoSources),
            OutboundContent::Media {
                link: Some(link), ..
            } if !link.starts_with("https://") && !link.starts_with("http://") => {
                Some(ContentProblem::MediaLinkNotWeb)
            }
            OutboundContent::Media {
                caption: Some(caption),
                ..
            } => too_long(TextPart::Caption, caption, MAX_CAPTION_CHARS),
            OutboundContent::Media { .. } => None,
            OutboundContent::Buttons { body, buttons } => buttons_problem(body, buttons),
            OutboundContent::Reaction { message_id, .. } if message_id.trim().is_empty() => {
                Some(ContentProblem::ReactionTargetMissing)
            }
            OutboundContent::Reaction { .. } => None,
            OutboundContent::List {
                header,
                body,
                footer,
                button,
                sections,
            } => list_problem(header.as_deref(), body, footer.as_deref(), button, sections),
            OutboundContent::CtaUrl {
                header,
                body,
                footer,
                display_text,
                url,
            } => cta_url_problem(
                header.as_deref(),
                body,
                footer.as_deref(),
                display_text,
                url,
            ),
            OutboundContent::Location {
                latitude,
                longitude,
                name,
                address,
            } => location_problem(*latitude, *longitude, name, address),
            OutboundContent::Contacts { contacts } => contacts_problem(contacts),
        };
        problem.map_or(Ok(()), Err)
    }
}

/// What is wrong with a message of reply buttons, if anything.
fn buttons_problem(body: &str, buttons: &[crate::ReplyButton]) -> Option<ContentProblem> {
    if buttons.is_empty() || buttons.len() > MAX_BUTTONS {
        return Some(ContentProblem::ReplyButtonCount {
            max: MAX_BUTTONS,
            count: buttons.len(),
        });
    }
    if buttons
        .iter()
        .any(|b| b.title.trim().is_empty() || b.title.chars().count() > MAX_BUTTON_TITLE_CHARS)
    {
        return Some(ContentProblem::ReplyButtonTitle {
            max: MAX_BUTTON_TITLE_CHARS,
        });
    }
    if let Some(twice) =
        (1..buttons.len()).find(|&i| buttons[..i].iter().any(|b| b.id == buttons[i].id))
    {
        return Some(ContentProblem::ReplyButtonIdRepeated {
            id: buttons[twice].id.clone(),
        });
    }
    if body.trim().is_empty() {
        return Some(ContentProblem::BodyMissing);
    }
    too_long(TextPart::Message, body, MAX_TEXT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MediaKind, ReplyButton};

    fn buttons(n: usize) -> OutboundContent {
        OutboundContent::Buttons {
            body: "Pick one".into(),
            buttons: (0..n)
                .map(|i| ReplyButton {
                    id: format!("b{i}"),
                    title: format!("Option {i}"),
                })
                .collect(),
        }
    }

    #[test]
    fn validation_says_what_to_fix() {
        assert_eq!(buttons(3).validate(), Ok(()));
        assert_eq!(
            buttons(4).validate(),
            Err(ContentProblem::ReplyButtonCount { max: 3, count: 4 })
        );
        assert_eq!(
            buttons(0).validate(),
            Err(ContentProblem::ReplyButtonCount { max: 3, count: 0 })
        );
        let same_ids = OutboundContent::Buttons {
            body: "x".into(),
            buttons: vec![
                ReplyButton {
                    id: "a".into(),
                    title: "A".into(),
                },
                ReplyButton {
                    id: "a".into(),
                    title: "B".into(),
                },
            ],
        };
        let problem = same_ids.validate().unwrap_err();
        assert_eq!(
            problem,
            ContentProblem::ReplyButtonIdRepeated { id: "a".into() }
        );
        assert!(problem.to_string().contains("own id"), "{problem}");
        let media = OutboundContent::Media {
            media: MediaKind::Document,
            media_id: None,
            link: None,
            caption: None,
            filename: None,
        };
        assert_eq!(media.validate(), Err(ContentProblem::MediaWithoutSource));
        assert_eq!(
            OutboundContent::Text { text: " \n".into() }.validate(),
            Err(ContentProblem::EmptyText)
        );
        let long = OutboundContent::Text {
            text: "x".repeat(MAX_TEXT_CHARS + 1),
        };
        let problem = long.validate().unwrap_err();
        assert_eq!(
            problem,
            ContentProblem::TooLong {
                part: TextPart::Message,
                max: 4096
            }
        );
        // The English wording logs and tools see names the part and the limit.
        assert_eq!(
            problem.to_string(),
            "The message is longer than WhatsApp's 4096 characters; shorten it."
        );
    }

    #[test]
    fn locations_are_checked_and_figures_reach_the_english_wording() {
        let nowhere = OutboundContent::Location {
            latitude: 91.0,
            longitude: 0.0,
            name: None,
            address: None,
        };
        assert_eq!(
            nowhere.validate(),
            Err(ContentProblem::Latitude { value: 91.0 })
        );
        let rows = ContentProblem::RowCount { max: 10, count: 11 };
        assert_eq!(
            rows.to_string(),
            "A list holds at most 10 rows across all its sections; this one has 11. Remove some."
        );
        let section = ContentProblem::TooLong {
            part: TextPart::SectionTitle { section: 2 },
            max: 24,
        };
        assert!(
            section.to_string().contains("title of section 2"),
            "{section}"
        );
    }
}
