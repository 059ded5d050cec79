//! Meta's webhook JSON is pure ASCII: every non-ASCII character is written as a lowercase
//! `\uXXXX` escape (astral characters as UTF-16 surrogate pairs) and `/` as `\/`. The simulator
//! sends exactly these bytes so a connector that re-serializes before checking the signature
//! fails here as it would against Meta.

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};
use std::io::{self, Write};

/// A serde_json formatter that writes Meta's ASCII-only escaping.
struct MetaFormatter;

impl Formatter for MetaFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        writer.write_all(escape_non_ascii(fragment).as_bytes())
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        let s: &[u8] = match char_escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            CharEscape::Solidus => b"\\/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => {
                return write!(writer, "\\u{:04x}", byte);
            }
        };
        writer.write_all(s)
    }
}

/// Escapes `/` and every non-ASCII character of an already JSON-safe fragment.
pub fn escape_non_ascii(fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len());
    for ch in fragment.chars() {
        match ch {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", unit));
                }
            }
        }
    }
    out
}

/// Serializes `value` the way Meta does on the wire.
pub fn to_meta_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, MetaFormatter);
    value
        .serialize(&mut serializer)
        .expect("serializing to memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_like_meta() {
        let v = serde_json::json!({"body": "Café 👍 https://example.com/x \"q\"\n"});
        assert_eq!(
            String::from_utf8(to_meta_json(&v)).unwrap(),
            r#"{"body":"Caf\u00e9 \ud83d\udc4d https:\/\/example.com\/x \"q\"\n"}"#
        );
    }

    proptest! {
        /// Whatever the text, the output is ASCII and parses back to the same value.
        #[test]
        fn round_trips_any_text(text in "\\PC*") {
            let v = serde_json::json!({"t": text});
            let bytes = to_meta_json(&v);
            prop_assert!(bytes.is_ascii());
            let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            prop_assert_eq!(back, v);
        }
    }
}
