//! The hook's answer: reading what the endpoint returned, and filling the reply template with
//! it. Both take outside input, so neither panics on anything.

use serde_json::Value;
use std::fmt;

/// A reply text with `{placeholder}`s naming fields of the hook's answer: `{status}`,
/// `{order.eta}` (a field inside an object), `{items.0.name}` (an array element). `{{` and
/// `}}` stand for braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(String),
}

/// Why a text is not a usable template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "a “{{” at character {at} is never closed: close it with “}}” or write “{{{{” for a brace"
    )]
    Unclosed { at: usize },
    #[error("a “}}” at character {at} closes nothing: write “}}}}” for a brace")]
    Unopened { at: usize },
    #[error("the placeholder at character {at} is empty or has an empty part: name a field, such as {{order.status}}")]
    EmptyName { at: usize },
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().enumerate().peekable();
        while let Some((at, ch)) = chars.next() {
            match ch {
                '{' if chars.peek().is_some_and(|&(_, next)| next == '{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().is_some_and(|&(_, next)| next == '}') => {
                    chars.next();
                    literal.push('}');
                }
                '}' => return Err(TemplateError::Unopened { at }),
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some((_, '}')) => break,
                            Some((_, '{')) | None => return Err(TemplateError::Unclosed { at }),
                            Some((_, ch)) => name.push(ch),
                        }
                    }
                    let name = name.trim().to_owned();
                    if name.is_empty() || name.split('.').any(|part| part.trim().is_empty()) {
                        return Err(TemplateError::EmptyName { at });
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Field(name));
                }
                ch => literal.push(ch),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template { parts })
    }

    /// The placeholders in the order they are written.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Field(name) => Some(name.as_str()),
            Part::Text(_) => None,
        })
    }

    /// The text with every placeholder replaced by its value in `answer`, or the first
    /// placeholder the answer has no usable value for.
    pub fn fill(&self, answer: &Value) -> Result<String, Missing> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Field(name) => {
                    out.push_str(&value_at(answer, name).ok_or_else(|| Missing {
                        placeholder: name.clone(),
                    })?)
                }
            }
        }
        Ok(out)
    }
}

/// A placeholder the hook's answer does not fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub placeholder: String,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the answer has no value for {{{}}}", self.placeholder)
    }
}

/// The text a placeholder stands for: a string that is not blank, a number or a boolean at
/// that path. Null, objects, arrays and blank strings are no value, so a reply never reads
/// "arriving null".
pub fn value_at(answer: &Value, path: &str) -> Option<String> {
    let mut here = answer;
    for part in path.split('.') {
        let part = part.trim();
        here = match here {
            Value::Object(fields) => fields.get(part)?,
            Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match here {
        Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// What a hook's answer body says.
#[derive(Debug, Clone, PartialEq)]
pub enum HookAnswer {
    /// A JSON object with something in it, to fill the template from.
    Found(Value),
    /// The endpoint has nothing for this customer: an empty body, `null`, `{}`, or an object
    /// with `"found": false`.
    NotFound,
}

/// Why a hook's answer body cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is not JSON: {0}")]
    NotJson(String),
    #[error("the answer is JSON but not an object (it is {0})")]
    NotAnObject(&'static str),
}

/// Reads the body of a successful (2xx) answer.
pub fn read_answer(body: &[u8]) -> Result<HookAnswer, AnswerError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(HookAnswer::NotFound);
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|error| AnswerError::NotJson(error.to_string()))?;
    match &value {
        Value::Null => Ok(HookAnswer::NotFound),
        Value::Object(fields) if fields.is_empty() => Ok(HookAnswer::NotFound),
        Value::Object(fields) if fields.get("found") == Some(&Value::Bool(false)) => {
            Ok(HookAnswer::NotFound)
        }
        Value::Object(_) => Ok(HookAnswer::Found(value)),
        Value::Array(_) => Err(AnswerError::NotAnObject("an array")),
        Value::String(_) => Err(AnswerError::NotAnObject("a string")),
        Value::Number(_) => Err(AnswerError::NotAnObject("a number")),
        Value::Bool(_) => Err(AnswerError::NotAnObject("a boolean")),
    }
}
