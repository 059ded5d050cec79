//! The canonical form: keywords in capitals, term names in lower case, values quoted only
//! when they must be, parentheses only where the tree needs them. Parsing it gives back the
//! same [`Expression`].

use super::{Expression, Span, SpanUnit, Term, Window};
use std::fmt;

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expression::Term(term) => write!(f, "{term}"),
            Expression::Not(inner) => {
                f.write_str("NOT ")?;
                operand(
                    f,
                    inner,
                    matches!(**inner, Expression::And(_) | Expression::Or(_)),
                )
            }
            Expression::And(operands) => {
                for (i, each) in operands.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" AND ")?;
                    }
                    // A nested AND keeps its parentheses so it stays its own node.
                    let grouped = matches!(each, Expression::And(_) | Expression::Or(_));
                    operand(f, each, grouped)?;
                }
                Ok(())
            }
            Expression::Or(operands) => {
                for (i, each) in operands.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    operand(f, each, matches!(each, Expression::Or(_)))?;
                }
                Ok(())
            }
        }
    }
}

fn operand(f: &mut fmt::Formatter<'_>, expression: &Expression, grouped: bool) -> fmt::Result {
    if grouped {
        write!(f, "({expression})")
    } else {
        write!(f, "{expression}")
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Tag(tag) => write!(f, "tag:{}", Value(tag)),
            Term::Country(code) => write!(f, "country:{code}"),
            Term::Region(region) => write!(f, "region:{}", region.name()),
            Term::Language(code) => write!(f, "language:{code}"),
            Term::Number(number) => write!(f, "number:{}", Value(number)),
            Term::InboundWithin(span) => write!(f, "inbound_within:{span}"),
            Term::NoInboundWithin(span) => write!(f, "no_inbound_within:{span}"),
            Term::LastInboundBefore(day) => write!(
                f,
                "last_inbound_before:{:04}-{:02}-{:02}",
                day.year, day.month, day.day
            ),
            Term::LastInboundAfter(day) => write!(
                f,
                "last_inbound_after:{:04}-{:02}-{:02}",
                day.year, day.month, day.day
            ),
            Term::Window(Window::Open) => f.write_str("window:open"),
            Term::Window(Window::Closed) => f.write_str("window:closed"),
            Term::OptedIn => f.write_str("opted_in"),
            Term::OptedOut => f.write_str("opted_out"),
            Term::Consent => f.write_str("consent"),
            Term::Attribute { key, value: None } => write!(f, "attr.{key}"),
            Term::Attribute {
                key,
                value: Some(value),
            } => write!(f, "attr.{key} = {}", Value(value)),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            SpanUnit::Minutes => 'm',
            SpanUnit::Hours => 'h',
            SpanUnit::Days => 'd',
            SpanUnit::Weeks => 'w',
        };
        write!(f, "{}{unit}", self.amount)
    }
}

/// A value, bare when it is letters, digits and a few safe marks, quoted otherwise.
struct Value<'a>(&'a str);

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bare = !self.0.is_empty()
            && self
                .0
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '+' | '/' | '@'));
        if bare {
            return f.write_str(self.0);
        }
        f.write_str("\"")?;
        for c in self.0.chars() {
            if matches!(c, '"' | '\\') {
                f.write_str("\\")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("\"")
    }
}
