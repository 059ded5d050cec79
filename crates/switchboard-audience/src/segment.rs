//! Segment expressions: parsing, printing and evaluating.
//!
//! An admin types a boolean expression over what Switchboard knows about a contact, for example
//! `tag:vip AND NOT tag:"price list" AND (country:SA OR region:gcc) AND window:open`.
//! [`parse`] turns it into an [`Expression`] or a [`SegmentError`] naming the column and what
//! to fix; `Display` prints the canonical form, which parses back to the same expression;
//! [`Expression::matches`] decides one contact from its [`ContactFacts`] at an instant.
//!
//! Time terms (`inbound_within`, `no_inbound_within`, `last_inbound_before/after`, `window`)
//! look at the contact's latest inbound message on any business number, also when the
//! expression names a `number:` too: `number:` only says the contact has a conversation on
//! that number. Dates are whole days in UTC.

mod error;
mod evaluate;
mod geography;
mod parse;
mod print;

pub use error::{example, Expected, SegmentError, TERM_NAMES};
pub use evaluate::{number_matches, same_text, ContactFacts, NumberActivity};
pub use geography::{is_country, Region};
pub use parse::{parse, parse_for_numbers, KnownNumber};

/// The longest expression accepted, in characters.
pub const MAX_LENGTH: usize = 4_000;
/// How deep parentheses and `NOT`s may nest.
pub const MAX_DEPTH: usize = 32;
/// How many terms one expression may hold.
pub const MAX_TERMS: usize = 200;

/// A parsed segment expression. `And` and `Or` hold two or more operands; a chain written
/// without parentheses (`a AND b AND c`) is one node, a parenthesised group stays a node of
/// its own, so printing and parsing again gives the same tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expression {
    Term(Term),
    Not(Box<Expression>),
    And(Vec<Expression>),
    Or(Vec<Expression>),
}

/// One fact about a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// The contact carries this tag (compared without regard to case).
    Tag(String),
    /// ISO 3166-1 alpha-2, upper case.
    Country(String),
    Region(Region),
    /// A language code such as `ar`, lower case.
    Language(String),
    /// The contact has a conversation on this business number: its phone_number_id or its
    /// display number as people read it (only the digits count).
    Number(String),
    /// An inbound message on any number within this long before now.
    InboundWithin(Span),
    /// No inbound message on any number within this long (also true for a contact who never
    /// wrote).
    NoInboundWithin(Span),
    /// The latest inbound message (any number) came before this day began (UTC).
    LastInboundBefore(Day),
    /// The latest inbound message (any number) came after this day ended (UTC).
    LastInboundAfter(Day),
    /// `window:open`: an inbound message on any number within the last 24 hours;
    /// `window:closed` is the opposite.
    Window(Window),
    /// Not opted out.
    OptedIn,
    /// Opted out (`opted_out_at` set).
    OptedOut,
    /// A consent source is recorded.
    Consent,
    /// `attr.<key> = "value"` (value compared without regard to case) or `attr.<key>`
    /// (the attribute is present and not empty).
    Attribute {
        key: String,
        value: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Open,
    Closed,
}

/// A length of time as written: an amount and a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub amount: u32,
    pub unit: SpanUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanUnit {
    Minutes,
    Hours,
    Days,
    Weeks,
}

impl Span {
    pub fn millis(self) -> i64 {
        let unit: i64 = match self.unit {
            SpanUnit::Minutes => 60_000,
            SpanUnit::Hours => 3_600_000,
            SpanUnit::Days => 86_400_000,
            SpanUnit::Weeks => 7 * 86_400_000,
        };
        i64::from(self.amount) * unit
    }
}

/// A calendar day (proleptic Gregorian), checked when parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Day {
    /// A valid day, or `None` (month 13, 30 February, ...). Years 1970 to 9999.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Day> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1970..=9999).contains(&year) && (1..=days_in_month).contains(&day)).then_some(Day {
            year,
            month,
            day,
        })
    }

    /// Milliseconds since the epoch at 00:00 UTC of this day.
    pub fn start_millis(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) * 86_400_000
    }
}

impl Expression {
    /// Every term, left to right.
    pub fn terms(&self) -> Vec<&Term> {
        let mut terms = Vec::new();
        self.collect_terms(&mut terms);
        terms
    }

    fn collect_terms<'a>(&'a self, into: &mut Vec<&'a Term>) {
        match self {
            Expression::Term(term) => into.push(term),
            Expression::Not(inner) => inner.collect_terms(into),
            Expression::And(operands) | Expression::Or(operands) => {
                for operand in operands {
                    operand.collect_terms(into);
                }
            }
        }
    }

    /// Whether the expression looks at inbound times, so a caller can skip loading them.
    pub fn needs_activity(&self) -> bool {
        self.terms().iter().any(|term| {
            matches!(
                term,
                Term::Number(_)
                    | Term::InboundWithin(_)
                    | Term::NoInboundWithin(_)
                    | Term::LastInboundBefore(_)
                    | Term::LastInboundAfter(_)
                    | Term::Window(_)
            )
        })
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
