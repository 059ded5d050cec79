//! JSON Schemas for the OpenAPI document, generated from the same Rust types the handlers
//! serialize. Those types already describe themselves to the desk as TypeScript (ts-rs); the
//! TypeScript ts-rs writes for serde types is a small language (objects, unions, literals,
//! arrays, maps), translated here into JSON Schema, one component per named type.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use ts_rs::{Config, TypeVisitor, TS};

/// Where components live in the document.
pub const COMPONENTS: &str = "#/components/schemas/";

/// The named types met so far, as JSON Schemas.
pub struct Registry {
    cfg: Config,
    pub schemas: BTreeMap<String, Value>,
}

impl Default for Registry {
    fn default() -> Self {
        // `number` for 64-bit integers where a type does not say otherwise (`bigint` in the
        // desk's bindings): JSON carries them as numbers either way.
        Registry {
            cfg: Config::new().with_large_int("number"),
            schemas: BTreeMap::new(),
        }
    }
}

impl Registry {
    /// The schema of `T`, registering every named type it uses.
    pub fn schema_of<T: TS + 'static + ?Sized>(&mut self) -> Value {
        self.visit::<T>();
        let name = T::name(&self.cfg);
        parse(&name).unwrap_or_else(|error| panic!("schema of {name}: {error}"))
    }
}

impl TypeVisitor for Registry {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() {
            // A wrapper (Vec, Option, HashMap) or a primitive: what it holds.
            T::visit_generics(self);
            T::visit_dependencies(self);
            return;
        }
        let name = T::ident(&self.cfg);
        if self.schemas.contains_key(&name) {
            return;
        }
        // Claimed before its fields are visited, so recursive types end.
        self.schemas.insert(name.clone(), Value::Null);
        let decl = T::decl(&self.cfg);
        let mut schema = parse_decl(&decl).unwrap_or_else(|error| panic!("{decl}: {error}"));
        if let (Some(docs), Some(object)) = (T::docs(), schema.as_object_mut()) {
            object.insert("description".into(), Value::String(clean_docs(&docs)));
        }
        self.schemas.insert(name, schema);
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

fn clean_docs(docs: &str) -> String {
    docs.lines()
        .map(|line| {
            line.trim()
                .trim_start_matches("/**")
                .trim_end_matches("*/")
                .trim_start_matches('*')
                .trim()
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a TypeScript type could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("unexpected end of the type")]
    End,
    #[error("unexpected `{found}` at character {at}, expected {expected}")]
    Unexpected {
        found: String,
        at: usize,
        expected: &'static str,
    },
    #[error("a declaration must read `type Name = ...;`")]
    NotADeclaration,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Punct(char),
    Str(String),
    Word(String),
    Number(f64),
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, SchemaError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            // A doc comment: skip to its end.
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' || c == '\'' {
            let start = i;
            let mut value = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(SchemaError::End),
                    Some('\\') => {
                        if let Some(next) = chars.get(i + 1) {
                            value.push(*next);
                        }
                        i += 2;
                    }
                    Some(q) if *q == c => {
                        i += 1;
                        break;
                    }
                    Some(other) => {
                        value.push(*other);
                        i += 1;
                    }
                }
            }
            tokens.push((start, Token::Str(value)));
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let number = text.parse().map_err(|_| SchemaError::Unexpected {
                found: text.clone(),
                at: start,
                expected: "a number",
            })?;
            tokens.push((start, Token::Number(number)));
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            tokens.push((start, Token::Word(chars[start..i].iter().collect())));
        } else {
            tokens.push((i, Token::Punct(c)));
            i += 1;
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(_, t)| t)
    }

    fn next(&mut self) -> Result<Token, SchemaError> {
        let token = self.peek().cloned().ok_or(SchemaError::End)?;
        self.at += 1;
        Ok(token)
    }

    fn unexpected(&self, expected: &'static str) -> SchemaError {
        match self.tokens.get(self.at) {
            None => SchemaError::End,
            Some((at, token)) => SchemaError::Unexpected {
                found: format!("{token:?}"),
                at: *at,
                expected,
            },
        }
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Token::Punct(c)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char, expected: &'static str) -> Result<(), SchemaError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn union(&mut self) -> Result<Value, SchemaError> {
        self.eat('|');
        let mut branches = vec![self.intersection()?];
        while self.eat('|') {
            branches.push(self.intersection()?);
        }
        if branches.len() == 1 {
            return Ok(branches.pop().expect("one branch"));
        }
        let constants: Option<Vec<Value>> = branches
            .iter()
            .map(|b| {
                b.get("const")
                    .filter(|_| b.as_object().is_some_and(|o| o.len() == 1))
                    .cloned()
            })
            .collect();
        Ok(match constants {
            Some(values) => json!({ "enum": values }),
            None => json!({ "anyOf": branches }),
        })
    }

    fn intersection(&mut self) -> Result<Value, SchemaError> {
        let mut parts = vec![self.postfix()?];
        while self.eat('&') {
            parts.push(self.postfix()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            json!({ "allOf": parts })
        })
    }

    fn postfix(&mut self) -> Result<Value, SchemaError> {
        let mut schema = self.primary()?;
        while self.peek() == Some(&Token::Punct('['))
            && self.tokens.get(self.at + 1).map(|(_, t)| t) == Some(&Token::Punct(']'))
        {
            self.at += 2;
            schema = json!({ "type": "array", "items": schema });
        }
        Ok(schema)
    }

    fn primary(&mut self) -> Result<Value, SchemaError> {
        match self.next()? {
            Token::Punct('(') => {
                let inner = self.union()?;
                self.expect(')', "`)`")?;
                Ok(inner)
            }
            Token::Punct('{') => self.object(),
            Token::Punct('[') => {
                let mut items = Vec::new();
                while !self.eat(']') {
                    items.push(self.union()?);
                    if !self.eat(',') {
                        self.expect(']', "`,` or `]`")?;
                        break;
                    }
                }
                let count = items.len();
                Ok(
                    json!({ "type": "array", "prefixItems": items, "minItems": count, "maxItems": count }),
                )
            }
            Token::Str(value) => Ok(json!({ "const": value })),
            Token::Number(value) => Ok(json!({ "const": value })),
            Token::Word(word) => self.named(word),
            Token::Punct(_) => {
                self.at -= 1;
                Err(self.unexpected("a type"))
            }
        }
    }

    fn arguments(&mut self) -> Result<Vec<Value>, SchemaError> {
        let mut arguments = Vec::new();
        if self.eat('<') {
            loop {
                arguments.push(self.union()?);
                if self.eat('>') {
                    break;
                }
                self.expect(',', "`,` or `>`")?;
            }
        }
        Ok(arguments)
    }

    fn named(&mut self, word: String) -> Result<Value, SchemaError> {
        let mut arguments = self.arguments()?;
        Ok(match word.as_str() {
            "string" => json!({ "type": "string" }),
            "number" => json!({ "type": "number" }),
            "bigint" => json!({ "type": "integer" }),
            "boolean" => json!({ "type": "boolean" }),
            "true" => json!({ "const": true }),
            "false" => json!({ "const": false }),
            "null" | "undefined" => json!({ "type": "null" }),
            "unknown" | "any" => json!({}),
            "never" => json!({ "not": {} }),
            "Array" if arguments.len() == 1 => {
                json!({ "type": "array", "items": arguments.pop().expect("one argument") })
            }
            "Record" if arguments.len() == 2 => {
                json!({ "type": "object", "additionalProperties": arguments.pop().expect("two arguments") })
            }
            _ => json!({ "$ref": format!("{COMPONENTS}{word}") }),
        })
    }

    fn object(&mut self) -> Result<Value, SchemaError> {
        // `{ [key in K]?: V }`: a map.
        if self.eat('[') {
            self.next()?; // the key's name
            if self.next()? != Token::Word("in".into()) {
                self.at -= 1;
                return Err(self.unexpected("`in`"));
            }
            self.union()?;
            self.expect(']', "`]`")?;
            self.eat('?');
            self.expect(':', "`:`")?;
            let value = self.union()?;
            if !self.eat(',') {
                self.eat(';');
            }
            self.expect('}', "`}`")?;
            return Ok(json!({ "type": "object", "additionalProperties": value }));
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        while !self.eat('}') {
            let key = match self.next()? {
                Token::Word(key) | Token::Str(key) => key,
                _ => {
                    self.at -= 1;
                    return Err(self.unexpected("a field name"));
                }
            };
            let optional = self.eat('?');
            self.expect(':', "`:`")?;
            let value = self.union()?;
            if !optional {
                required.push(Value::String(key.clone()));
            }
            properties.insert(key, value);
            if !self.eat(',') && !self.eat(';') {
                self.expect('}', "`,` or `}`")?;
                break;
            }
        }
        let mut object = Map::new();
        object.insert("type".into(), json!("object"));
        object.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            object.insert("required".into(), Value::Array(required));
        }
        Ok(Value::Object(object))
    }
}

/// The JSON Schema of a TypeScript type expression.
pub fn parse(text: &str) -> Result<Value, SchemaError> {
    let mut parser = Parser {
        tokens: tokenize(text)?,
        at: 0,
    };
    let schema = parser.union()?;
    parser.eat(';');
    if parser.peek().is_some() {
        return Err(parser.unexpected("the end"));
    }
    Ok(schema)
}

/// The JSON Schema of a declaration `type Name = ...;`.
pub fn parse_decl(text: &str) -> Result<Value, SchemaError> {
    let tokens = tokenize(text)?;
    let start = tokens
        .iter()
        .position(|(_, t)| *t == Token::Punct('='))
        .ok_or(SchemaError::NotADeclaration)?;
    if !tokens.iter().any(|(_, t)| *t == Token::Word("type".into())) {
        return Err(SchemaError::NotADeclaration);
    }
    let mut parser = Parser {
        tokens: tokens[start + 1..].to_vec(),
        at: 0,
    };
    let schema = parser.union()?;
    parser.eat(';');
    if parser.peek().is_some() {
        return Err(parser.unexpected("the end"));
    }
    Ok(schema)
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
