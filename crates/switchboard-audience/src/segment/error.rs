//! Why an expression was refused: one variant per kind of problem, each with the 1-based
//! column (in characters) where it starts, so an editor can point at it and the server can
//! word it in the admin's language from the variant and its fields.

/// The term names, for messages that list them.
pub const TERM_NAMES: &str = "tag, country, region, language, number, inbound_within, \
no_inbound_within, last_inbound_before, last_inbound_after, window, opted_in, opted_out, \
consent or attr.<key>";

/// What the parser wanted where it found something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A term, `NOT` or `(`.
    Term,
    /// `AND`, `OR`, `)` or the end.
    Operator,
    /// A value after `:` or `=`.
    Value,
}

impl Expected {
    pub fn describe(self) -> &'static str {
        match self {
            Expected::Term => "a term such as tag:vip, NOT or (",
            Expected::Operator => "AND, OR, ) or the end",
            Expected::Value => "a value",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    #[error("the expression is empty: write a term such as tag:vip or opted_in")]
    Empty,
    #[error("the expression has {length} characters; shorten it to at most {max}")]
    TooLong { length: usize, max: usize },
    #[error(
        "column {column}: parentheses and NOT nest deeper than {max}; simplify the expression"
    )]
    TooDeep { column: usize, max: usize },
    #[error("column {column}: the expression has more than {max} terms; split it into segments")]
    TooManyTerms { column: usize, max: usize },
    #[error("column {column}: found `{found}` where {} was expected", expected.describe())]
    Unexpected {
        column: usize,
        found: String,
        expected: Expected,
    },
    #[error("column {column}: the expression ends where {} was expected", expected.describe())]
    UnexpectedEnd { column: usize, expected: Expected },
    #[error(
        "column {column}: `{found}` is not a term: use {TERM_NAMES}{}",
        suggestion_text(suggestion)
    )]
    UnknownTerm {
        column: usize,
        found: String,
        suggestion: Option<&'static str>,
    },
    #[error(
        "column {column}: `{term}` needs a value, for example {term}:{}",
        example(term)
    )]
    MissingValue { column: usize, term: String },
    #[error("column {column}: `{term}` takes no value; write just {term}")]
    TakesNoValue { column: usize, term: String },
    #[error("column {column}: the value of `{term}` is empty")]
    EmptyValue { column: usize, term: String },
    #[error("column {column}: unclosed parenthesis opened here; add a )")]
    UnclosedParenthesis { column: usize },
    #[error("column {column}: this ) closes no parenthesis; remove it")]
    UnmatchedParenthesis { column: usize },
    #[error("column {column}: the quoted value starting here has no closing \"")]
    UnclosedQuote { column: usize },
    #[error("column {column}: `\\{found}` is not an escape: inside quotes write \\\" or \\\\")]
    BadEscape { column: usize, found: char },
    #[error("column {column}: unknown country `{found}`: use a two-letter ISO code such as SA, AE or TH")]
    UnknownCountry { column: usize, found: String },
    #[error("column {column}: unknown region `{found}`: use gcc, mena, asean, eu, north_america or latam")]
    UnknownRegion { column: usize, found: String },
    #[error("column {column}: `{found}` is not a language code: use two or three letters such as en, ar or th")]
    BadLanguage { column: usize, found: String },
    #[error("column {column}: `{found}` is not a duration: write a whole number and m, h, d or w, for example 30d")]
    BadDuration { column: usize, found: String },
    #[error("column {column}: `{found}` is not a date: write YYYY-MM-DD, for example 2026-03-31")]
    BadDate { column: usize, found: String },
    #[error("column {column}: `{found}` is not a window state: use window:open or window:closed")]
    BadWindow { column: usize, found: String },
    #[error(
        "column {column}: `{found}` names no attribute: write attr.<key>, for example attr.city"
    )]
    BadAttributeKey { column: usize, found: String },
    #[error("column {column}: `{found}` is not one of this server's business numbers: use its phone number id or its number as shown")]
    UnknownNumber { column: usize, found: String },
}

fn suggestion_text(suggestion: &Option<&'static str>) -> String {
    suggestion
        .map(|name| format!(" (did you mean {name}?)"))
        .unwrap_or_default()
}

/// An example value for a term, for messages.
pub fn example(term: &str) -> &'static str {
    match term {
        "tag" => "vip",
        "country" => "SA",
        "region" => "gcc",
        "language" => "ar",
        "number" => "\"+966 11 555 0100\"",
        "inbound_within" | "no_inbound_within" => "30d",
        "last_inbound_before" | "last_inbound_after" => "2026-03-31",
        "window" => "open",
        _ => "\"value\"",
    }
}

impl SegmentError {
    /// A stable code per kind, for clients and for wording the problem elsewhere.
    pub fn code(&self) -> &'static str {
        match self {
            SegmentError::Empty => "empty",
            SegmentError::TooLong { .. } => "too_long",
            SegmentError::TooDeep { .. } => "too_deep",
            SegmentError::TooManyTerms { .. } => "too_many_terms",
            SegmentError::Unexpected { .. } => "unexpected",
            SegmentError::UnexpectedEnd { .. } => "unexpected_end",
            SegmentError::UnknownTerm { .. } => "unknown_term",
            SegmentError::MissingValue { .. } => "missing_value",
            SegmentError::TakesNoValue { .. } => "takes_no_value",
            SegmentError::EmptyValue { .. } => "empty_value",
            SegmentError::UnclosedParenthesis { .. } => "unclosed_parenthesis",
            SegmentError::UnmatchedParenthesis { .. } => "unmatched_parenthesis",
            SegmentError::UnclosedQuote { .. } => "unclosed_quote",
            SegmentError::BadEscape { .. } => "bad_escape",
            SegmentError::UnknownCountry { .. } => "unknown_country",
            SegmentError::UnknownRegion { .. } => "unknown_region",
            SegmentError::BadLanguage { .. } => "bad_language",
            SegmentError::BadDuration { .. } => "bad_duration",
            SegmentError::BadDate { .. } => "bad_date",
            SegmentError::BadWindow { .. } => "bad_window",
            SegmentError::BadAttributeKey { .. } => "bad_attribute_key",
            SegmentError::UnknownNumber { .. } => "unknown_number",
        }
    }

    /// The 1-based column (in characters) the problem starts at; 1 for the whole expression.
    pub fn column(&self) -> usize {
        match self {
            SegmentError::Empty | SegmentError::TooLong { .. } => 1,
            SegmentError::TooDeep { column, .. }
            | SegmentError::TooManyTerms { column, .. }
            | SegmentError::Unexpected { column, .. }
            | SegmentError::UnexpectedEnd { column, .. }
            | SegmentError::UnknownTerm { column, .. }
            | SegmentError::MissingValue { column, .. }
            | SegmentError::TakesNoValue { column, .. }
            | SegmentError::EmptyValue { column, .. }
            | SegmentError::UnclosedParenthesis { column }
            | SegmentError::UnmatchedParenthesis { column }
            | SegmentError::UnclosedQuote { column }
            | SegmentError::BadEscape { column, .. }
            | SegmentError::UnknownCountry { column, .. }
            | SegmentError::UnknownRegion { column, .. }
            | SegmentError::BadLanguage { column, .. }
            | SegmentError::BadDuration { column, .. }
            | SegmentError::BadDate { column, .. }
            | SegmentError::BadWindow { column, .. }
            | SegmentError::BadAttributeKey { column, .. }
            | SegmentError::UnknownNumber { column, .. } => *column,
        }
    }
}
