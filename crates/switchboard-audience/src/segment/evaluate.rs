//! Deciding whether one contact belongs to a segment.

use super::{Expression, Term, Window};
use std::collections::BTreeMap;

/// How long the customer-service window stays open after an inbound message.
const WINDOW_MILLIS: i64 = 24 * 3_600_000;

/// What the evaluator knows about one contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFacts {
    pub tags: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub language: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub opted_out: bool,
    pub has_consent: bool,
    /// The business numbers the contact has a conversation on.
    pub numbers: Vec<NumberActivity>,
}

/// The contact's conversation on one business number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberActivity {
    pub phone_number_id: String,
    /// The number as people read it.
    pub display: String,
    /// The latest inbound message there (ms since the epoch), if any.
    pub last_inbound_at: Option<i64>,
}

/// Whether `value` from a `number:` term names the number with this id and display: the id
/// exactly, or the same digits as the display (`+966 11 555 0100` = `966115550100`).
pub fn number_matches(value: &str, phone_number_id: &str, display: &str) -> bool {
    if value == phone_number_id {
        return true;
    }
    let wanted = value.chars().filter(char::is_ascii_digit);
    wanted.clone().next().is_some() && wanted.eq(display.chars().filter(char::is_ascii_digit))
}

/// Equal without regard to case, as tags and attribute values compare; without allocating,
/// as this runs for every contact.
pub fn same_text(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

impl ContactFacts {
    fn last_inbound(&self) -> Option<i64> {
        self.numbers.iter().filter_map(|n| n.last_inbound_at).max()
    }
}

impl Expression {
    /// Whether the contact belongs to the segment at `now` (ms since the epoch).
    pub fn matches(&self, facts: &ContactFacts, now: i64) -> bool {
        match self {
            Expression::Term(term) => term.matches(facts, now),
            Expression::Not(inner) => !inner.matches(facts, now),
            Expression::And(operands) => operands.iter().all(|each| each.matches(facts, now)),
            Expression::Or(operands) => operands.iter().any(|each| each.matches(facts, now)),
        }
    }
}

impl Term {
    pub fn matches(&self, facts: &ContactFacts, now: i64) -> bool {
        match self {
            Term::Tag(tag) => facts.tags.iter().any(|each| same_text(each, tag)),
            Term::Country(code) => facts
                .country
                .as_deref()
                .is_some_and(|country| country.eq_ignore_ascii_case(code)),
            Term::Region(region) => facts
                .country
                .as_deref()
                .is_some_and(|country| region.contains(country)),
            Term::Language(code) => facts
                .language
                .as_deref()
                .is_some_and(|language| language.eq_ignore_ascii_case(code)),
            Term::Number(number) => facts
                .numbers
                .iter()
                .any(|n| number_matches(number, &n.phone_number_id, &n.display)),
            Term::InboundWithin(span) => facts
                .last_inbound()
                .is_some_and(|at| at >= now.saturating_sub(span.millis())),
            Term::NoInboundWithin(span) => facts
                .last_inbound()
                .is_none_or(|at| at < now.saturating_sub(span.millis())),
            Term::LastInboundBefore(day) => facts
                .last_inbound()
                .is_some_and(|at| at < day.start_millis()),
            Term::LastInboundAfter(day) => facts
                .last_inbound()
                .is_some_and(|at| at >= day.start_millis() + 86_400_000),
            Term::Window(state) => {
                let open = facts
                    .last_inbound()
                    .is_some_and(|at| now.saturating_sub(at) < WINDOW_MILLIS);
                open == (*state == Window::Open)
            }
            Term::OptedIn => !facts.opted_out,
            Term::OptedOut => facts.opted_out,
            Term::Consent => facts.has_consent,
            Term::Attribute { key, value } => match (facts.attributes.get(key), value) {
                (Some(present), None) => !present.trim().is_empty(),
                (Some(present), Some(wanted)) => same_text(present.trim(), wanted),
                (None, _) => false,
            },
        }
    }
}
