//! The parser: characters to tokens to an [`Expression`], with columns for every problem.
//! Recursion is bounded by [`MAX_DEPTH`] and input by [`MAX_LENGTH`], so hostile input gets
//! an error, never a stack overflow.

use super::error::{Expected, SegmentError};
use super::evaluate::number_matches;
use super::geography::{is_country, Region};
use super::{Day, Expression, Span, SpanUnit, Term, Window, MAX_DEPTH, MAX_LENGTH, MAX_TERMS};

/// A business number the server knows, for checking `number:` terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownNumber {
    pub phone_number_id: String,
    /// As people read it, for example `+966 11 555 0100`.
    pub display: String,
}

/// Parses an expression. `number:` values are not checked against any list.
pub fn parse(input: &str) -> Result<Expression, SegmentError> {
    Parser::new(input, None)?.run()
}

/// Parses an expression and refuses a `number:` that names none of `numbers`.
pub fn parse_for_numbers(input: &str, numbers: &[KnownNumber]) -> Result<Expression, SegmentError> {
    Parser::new(input, Some(numbers))?.run()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Colon,
    Equals,
    Word(String),
    Quoted(String),
}

impl Token {
    fn shown(&self) -> String {
        match self {
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Colon => ":".into(),
            Token::Equals => "=".into(),
            Token::Word(word) => word.clone(),
            Token::Quoted(text) => format!("\"{text}\""),
        }
    }

    fn keyword(&self, keyword: &str) -> bool {
        matches!(self, Token::Word(word) if word.eq_ignore_ascii_case(keyword))
    }
}

fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | ':' | '=' | '"')
}

/// Tokens with their 1-based columns.
fn tokens(input: &str) -> Result<Vec<(Token, usize)>, SegmentError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let column = at + 1;
        match c {
            c if c.is_whitespace() => at += 1,
            '(' | ')' | ':' | '=' => {
                tokens.push((
                    match c {
                        '(' => Token::Open,
                        ')' => Token::Close,
                        ':' => Token::Colon,
                        _ => Token::Equals,
                    },
                    column,
                ));
                at += 1;
            }
            '"' => {
                let mut text = String::new();
                at += 1;
                loop {
                    match chars.get(at) {
                        None => return Err(SegmentError::UnclosedQuote { column }),
                        Some('"') => break,
                        Some('\\') => match chars.get(at + 1) {
                            Some(&escaped @ ('"' | '\\')) => {
                                text.push(escaped);
                                at += 1;
                            }
                            Some(&found) => {
                                return Err(SegmentError::BadEscape {
                                    column: at + 1,
                                    found,
                                })
                            }
                            None => return Err(SegmentError::UnclosedQuote { column }),
                        },
                        Some(&other) => text.push(other),
                    }
                    at += 1;
                }
                at += 1;
                tokens.push((Token::Quoted(text), column));
            }
            _ => {
                let start = at;
                while at < chars.len() && !is_special(chars[at]) {
                    at += 1;
                }
                tokens.push((Token::Word(chars[start..at].iter().collect()), column));
            }
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: Vec<(Token, usize)>,
    at: usize,
    end_column: usize,
    terms: usize,
    numbers: Option<&'a [KnownNumber]>,
}

impl<'a> Parser<'a> {
    fn new(input: &str, numbers: Option<&'a [KnownNumber]>) -> Result<Self, SegmentError> {
        let length = input.chars().count();
        if length > MAX_LENGTH {
            return Err(SegmentError::TooLong {
                length,
                max: MAX_LENGTH,
            });
        }
        if input.trim().is_empty() {
            return Err(SegmentError::Empty);
        }
        Ok(Parser {
            tokens: tokens(input)?,
            at: 0,
            end_column: length + 1,
            terms: 0,
            numbers,
        })
    }

    fn run(mut self) -> Result<Expression, SegmentError> {
        let expression = self.or(0)?;
        match self.peek() {
            None => Ok(expression),
            Some((Token::Close, column)) => Err(SegmentError::UnmatchedParenthesis { column }),
            Some((token, column)) => Err(SegmentError::Unexpected {
                column,
                found: token.shown(),
                expected: Expected::Operator,
            }),
        }
    }

    fn peek(&self) -> Option<(Token, usize)> {
        self.tokens.get(self.at).cloned()
    }

    fn next(&mut self) -> Option<(Token, usize)> {
        let token = self.peek();
        self.at += 1;
        token
    }

    fn next_is_keyword(&self, keyword: &str) -> bool {
        matches!(self.tokens.get(self.at), Some((token, _)) if token.keyword(keyword))
    }

    fn or(&mut self, depth: usize) -> Result<Expression, SegmentError> {
        let mut operands = vec![self.and(depth)?];
        while self.next_is_keyword("OR") {
            self.at += 1;
            operands.push(self.and(depth)?);
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            Expression::Or(operands)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Expression, SegmentError> {
        let mut operands = vec![self.unary(depth)?];
        while self.next_is_keyword("AND") {
            self.at += 1;
            operands.push(self.unary(depth)?);
        }
        Ok(if operands.len() == 1 {
            operands.remove(0)
        } else {
            Expression::And(operands)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Expression, SegmentError> {
        match self.next() {
            None => Err(SegmentError::UnexpectedEnd {
                column: self.end_column,
                expected: Expected::Term,
            }),
            Some((token, column)) if token.keyword("NOT") => {
                if depth >= MAX_DEPTH {
                    return Err(SegmentError::TooDeep {
                        column,
                        max: MAX_DEPTH,
                    });
                }
                Ok(Expression::Not(Box::new(self.unary(depth + 1)?)))
            }
            Some((Token::Open, column)) => {
                if depth >= MAX_DEPTH {
                    return Err(SegmentError::TooDeep {
                        column,
                        max: MAX_DEPTH,
                    });
                }
                let inner = self.or(depth + 1)?;
                match self.next() {
                    Some((Token::Close, _)) => Ok(inner),
                    None => Err(SegmentError::UnclosedParenthesis { column }),
                    Some((token, column)) => Err(SegmentError::Unexpected {
                        column,
                        found: token.shown(),
                        expected: Expected::Operator,
                    }),
                }
            }
            Some((Token::Word(word), column))
                if !word.eq_ignore_ascii_case("AND") && !word.eq_ignore_ascii_case("OR") =>
            {
                self.terms += 1;
                if self.terms > MAX_TERMS {
                    return Err(SegmentError::TooManyTerms {
                        column,
                        max: MAX_TERMS,
                    });
                }
                Ok(Expression::Term(self.term(&word, column)?))
            }
            Some((token, column)) => Err(SegmentError::Unexpected {
                column,
                found: token.shown(),
                expected: Expected::Term,
            }),
        }
    }

    /// Whether `:` or `=` follows; consumes it.
    fn separator(&mut self) -> bool {
        let found = matches!(
            self.tokens.get(self.at),
            Some((Token::Colon | Token::Equals, _))
        );
        if found {
            self.at += 1;
        }
        found
    }

    /// The value after a separator, trimmed, with its column.
    fn value(&mut self, term: &str) -> Result<(String, usize), SegmentError> {
        match self.next() {
            Some((Token::Word(text) | Token::Quoted(text), column)) => {
                let value = text.trim();
                if value.is_empty() {
                    return Err(SegmentError::EmptyValue {
                        column,
                        term: term.to_owned(),
                    });
                }
                Ok((value.to_owned(), column))
            }
            Some((token, column)) => Err(SegmentError::Unexpected {
                column,
                found: token.shown(),
                expected: Expected::Value,
            }),
            None => Err(SegmentError::UnexpectedEnd {
                column: self.end_column,
                expected: Expected::Value,
            }),
        }
    }

    fn term(&mut self, word: &str, column: usize) -> Result<Term, SegmentError> {
        if let Some(key) = word
            .get(..5)
            .filter(|prefix| prefix.eq_ignore_ascii_case("attr."))
            .map(|_| &word[5..])
        {
            if key.is_empty() {
                return Err(SegmentError::BadAttributeKey {
                    column,
                    found: word.to_owned(),
                });
            }
            let value = if self.separator() {
                Some(self.value(word)?.0)
            } else {
                None
            };
            return Ok(Term::Attribute {
                key: key.to_owned(),
                value,
            });
        }
        let name = word.to_lowercase();
        match name.as_str() {
            "opted_in" | "opted_out" | "consent" => {
                if self.separator() {
                    return Err(SegmentError::TakesNoValue { column, term: name });
                }
                return Ok(match name.as_str() {
                    "opted_in" => Term::OptedIn,
                    "opted_out" => Term::OptedOut,
                    _ => Term::Consent,
                });
            }
            "tag"
            | "country"
            | "region"
            | "language"
            | "number"
            | "inbound_within"
            | "no_inbound_within"
            | "last_inbound_before"
            | "last_inbound_after"
            | "window" => {}
            _ => {
                return Err(SegmentError::UnknownTerm {
                    column,
                    suggestion: closest_term(&name),
                    found: word.to_owned(),
                })
            }
        }
        if !self.separator() {
            return Err(SegmentError::MissingValue { column, term: name });
        }
        let (value, column) = self.value(&name)?;
        let found = || value.clone();
        Ok(match name.as_str() {
            "tag" => Term::Tag(value),
            "country" => {
                let code = value.to_ascii_uppercase();
                if !is_country(&code) {
                    return Err(SegmentError::UnknownCountry {
                        column,
                        found: found(),
                    });
                }
                Term::Country(code)
            }
            "region" => {
                Term::Region(
                    Region::named(&value).ok_or_else(|| SegmentError::UnknownRegion {
                        column,
                        found: found(),
                    })?,
                )
            }
            "language" => {
                if !(2..=3).contains(&value.len())
                    || !value.chars().all(|c| c.is_ascii_alphabetic())
                {
                    return Err(SegmentError::BadLanguage {
                        column,
                        found: found(),
                    });
                }
                Term::Language(value.to_ascii_lowercase())
            }
            "number" => {
                if let Some(numbers) = self.numbers {
                    let known = numbers
                        .iter()
                        .any(|n| number_matches(&value, &n.phone_number_id, &n.display));
                    if !known {
                        return Err(SegmentError::UnknownNumber {
                            column,
                            found: found(),
                        });
                    }
                }
                Term::Number(value)
            }
            "inbound_within" | "no_inbound_within" => {
                let span = span(&value).ok_or_else(|| SegmentError::BadDuration {
                    column,
                    found: found(),
                })?;
                if name == "inbound_within" {
                    Term::InboundWithin(span)
                } else {
                    Term::NoInboundWithin(span)
                }
            }
            "last_inbound_before" | "last_inbound_after" => {
                let day = day(&value).ok_or_else(|| SegmentError::BadDate {
                    column,
                    found: found(),
                })?;
                if name == "last_inbound_before" {
                    Term::LastInboundBefore(day)
                } else {
                    Term::LastInboundAfter(day)
                }
            }
            _ => Term::Window(match value.to_ascii_lowercase().as_str() {
                "open" => Window::Open,
                "closed" => Window::Closed,
                _ => {
                    return Err(SegmentError::BadWindow {
                        column,
                        found: found(),
                    })
                }
            }),
        })
    }
}

/// `30d`: a whole number from 1 and a unit.
fn span(text: &str) -> Option<Span> {
    let unit = match text.chars().last()?.to_ascii_lowercase() {
        'm' => SpanUnit::Minutes,
        'h' => SpanUnit::Hours,
        'd' => SpanUnit::Days,
        'w' => SpanUnit::Weeks,
        _ => return None,
    };
    let digits = &text[..text.len() - 1];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let amount: u32 = digits.parse().ok()?;
    (amount > 0).then_some(Span { amount, unit })
}

/// `YYYY-MM-DD`.
fn day(text: &str) -> Option<Day> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape {
        return None;
    }
    Day::new(
        text[..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..].parse().ok()?,
    )
}

const TERMS: [&str; 13] = [
    "tag",
    "country",
    "region",
    "language",
    "number",
    "inbound_within",
    "no_inbound_within",
    "last_inbound_before",
    "last_inbound_after",
    "window",
    "opted_in",
    "opted_out",
    "consent",
];

/// The term `name` was probably meant to be: two edits away at most.
fn closest_term(name: &str) -> Option<&'static str> {
    if name.chars().count() > 40 {
        return None;
    }
    TERMS
        .iter()
        .map(|term| (edit_distance(name, term), *term))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, term)| term)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}
