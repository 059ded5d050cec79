//! Text normalization: what a phrase and a text are reduced to before they are compared.
//!
//! The result of [`normalize`] is a *skeleton*: the text's letters and digits only, folded
//! (compatibility forms, case, diacritics, homoglyphs, leetspeak), with separators and
//! invisible characters removed. What was removed is not forgotten: every skeleton byte knows
//! the original character it came from and whether a separator stood before it, which is what
//! the matching rules in the crate documentation are decided on.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A visible separator (space, punctuation, symbol) stood between the previous skeleton
/// character and this one.
pub(crate) const SOFT: u8 = 1;
/// Only an apostrophe stood between the previous skeleton character and this one: the two are
/// still one word ("don't", "it's"), but a match may not run across it unless its phrase
/// has a break there.
pub(crate) const JOIN: u8 = 2;
/// The character was written as a digit or symbol (`3`, `$`), not as a letter.
pub(crate) const NOT_LETTER: u8 = 4;
/// The character belongs to a script written without spaces between words (Thai, Lao,
/// Khmer, Myanmar).
pub(crate) const UNSPACED: u8 = 8;
/// The byte continues a character begun by an earlier byte.
const CONTINUATION: u8 = 16;
const BREAK: u8 = SOFT | JOIN;

/// A normalized text with a map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The skeleton matched against: letters and digits after NFKC, case folding, removal of
    /// invisible characters and diacritics, and folding of homoglyphs and leetspeak. Spaces
    /// and punctuation are not part of it.
    pub text: String,
    /// For each byte of `text`, the byte range of the original character it came from.
    origin: Vec<(u32, u32)>,
    /// For each byte of `text`, the flags above (the same for every byte of a character).
    flags: Vec<u8>,
    /// The skeleton in the compact encoding the matcher runs on (see [`encode_unit`]), when
    /// built by [`skeleton`]; `text` is then empty and all offsets refer to these bytes.
    units: Vec<u8>,
    /// Whether the original text was pure ASCII (UTF-16 offsets then equal byte offsets).
    pub(crate) ascii: bool,
}

impl Normalized {
    /// The bytes matched against: the compact units, or `text`.
    pub(crate) fn haystack(&self) -> &[u8] {
        if self.units.is_empty() {
            self.text.as_bytes()
        } else {
            &self.units
        }
    }

    /// The skeleton's length in bytes.
    pub(crate) fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether nothing of the text is left to match.
    pub(crate) fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// Whether a character of the skeleton starts at byte `at` (`at < len`).
    pub(crate) fn is_char_start(&self, at: usize) -> bool {
        self.flags[at] & CONTINUATION == 0
    }

    /// The byte span of the original text that produced `text[start..end]` (`start < end`).
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        (
            self.origin[start].0 as usize,
            self.origin[end - 1].1 as usize,
        )
    }

    /// Whether `text[start..end]` is a whole word (or words): a separator, an apostrophe or
    /// the edge of the text on both sides. An end made of Thai (or another script written
    /// without spaces) needs no boundary.
    pub fn is_word_bounded(&self, start: usize, end: usize) -> bool {
        let start_ok = start == 0 || self.flags[start] & BREAK != 0 || self.unspaced_at(start);
        let end_ok = end == self.len() || self.flags[end] & BREAK != 0 || self.unspaced_before(end);
        start_ok && end_ok
    }

    /// Whether `text[start..end]` starts where a word of the original starts and ends where a
    /// word ends (apostrophes do not end words here), or the end in question is in a script
    /// written without spaces.
    pub(crate) fn is_token_aligned(&self, start: usize, end: usize) -> bool {
        let start_ok = start == 0 || self.flags[start] & SOFT != 0 || self.unspaced_at(start);
        let end_ok = end == self.len() || self.flags[end] & SOFT != 0 || self.unspaced_before(end);
        start_ok && end_ok
    }

    /// The break flags (`SOFT`, `JOIN` or 0) before the character starting at skeleton byte
    /// `at`.
    pub(crate) fn break_before(&self, at: usize) -> u8 {
        self.flags[at] & BREAK
    }

    /// Whether every character of `text[start..end]` was written as a digit or symbol.
    pub(crate) fn all_not_letters(&self, start: usize, end: usize) -> bool {
        self.flags[start..end].iter().all(|f| f & NOT_LETTER != 0)
    }

    /// Whether the skeleton has a character written as a letter.
    pub(crate) fn has_letter(&self) -> bool {
        self.flags.iter().any(|f| f & NOT_LETTER == 0)
    }

    fn unspaced_at(&self, at: usize) -> bool {
        self.flags[at] & UNSPACED != 0
    }

    fn unspaced_before(&self, end: usize) -> bool {
        self.flags[end - 1] & UNSPACED != 0
    }
}

/// Normalizes `text` for matching, keeping a map back to the original bytes.
pub fn normalize(text: &str) -> Normalized {
    build(text, false)
}

/// Normalizes `text` into compact units (one byte for each ASCII, Arabic and Thai letter),
/// which is what the filter matches on.
pub(crate) fn skeleton(text: &str) -> Normalized {
    build(text, true)
}

fn build(text: &str, units: bool) -> Normalized {
    let mut builder = Builder::new(text.len(), units);
    if text.is_ascii() {
        builder.out.ascii = true;
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            builder.push_ascii(byte, at as u32, at as u32 + 1);
        }
    } else {
        for (start, ch) in text.char_indices() {
            let end = (start + ch.len_utf8()) as u32;
            builder.push_char(ch, start as u32, end);
        }
    }
    builder.finish()
}

/// What follows a run of leetspeak symbols.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    Letter,
    Digit,
    Separator,
}

struct Builder {
    out: Normalized,
    /// Whether to write compact units instead of `text`.
    units: bool,
    /// Break flags collected since the last skeleton character.
    pending_break: u8,
    /// Whether the last thing seen (ignoring invisible characters) was a letter or digit.
    after_alnum: bool,
    /// A run of `@ $ ! |` whose meaning (letter or punctuation) depends on what follows.
    leet: Vec<(u8, u32, u32)>,
}

impl Builder {
    fn new(capacity: usize, units: bool) -> Self {
        Builder {
            out: Normalized {
                text: String::with_capacity(if units { 0 } else { capacity }),
                origin: Vec::with_capacity(capacity),
                flags: Vec::with_capacity(capacity),
                units: Vec::with_capacity(if units { capacity } else { 0 }),
                ascii: false,
            },
            units,
            pending_break: SOFT,
            after_alnum: false,
            leet: Vec::new(),
        }
    }

    fn finish(mut self) -> Normalized {
        self.flush_leet(Next::Separator);
        self.out
    }

    #[inline]
    fn push_ascii(&mut self, byte: u8, start: u32, end: u32) {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' => {
                self.flush_leet(Next::Letter);
                self.emit(
                    fold_ascii_letter(byte.to_ascii_lowercase()) as char,
                    start,
                    end,
                    0,
                );
            }
            b'0'..=b'9' => {
                self.flush_leet(Next::Digit);
                self.emit(leet_digit(byte) as char, start, end, NOT_LETTER);
            }
            b'@' | b'$' | b'!' | b'|' => self.leet.push((byte, start, end)),
            b'\'' | b'`' => self.separator(JOIN),
            _ => self.separator(SOFT),
        }
    }

    fn push_char(&mut self, ch: char, start: u32, end: u32) {
        if ch.is_ascii() {
            return self.push_ascii(ch as u8, start, end);
        }
        // Thai and basic Arabic letters are already in their final form: skip the tables.
        match ch {
            '\u{0E01}'..='\u{0E32}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E40}'..='\u{0E4E}' => {
                self.flush_leet(Next::Letter);
                return self.emit(ch, start, end, UNSPACED);
            }
            '\u{0E50}'..='\u{0E59}' => {
                self.flush_leet(Next::Digit);
                return self.emit(ch, start, end, UNSPACED | NOT_LETTER);
            }
            '\u{0621}' | '\u{0627}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => {
                self.flush_leet(Next::Letter);
                return self.emit(fold_variant(ch), start, end, 0);
            }
            // Hamza and madda forms lose their mark, as in their decomposition.
            'آ' | 'أ' | 'إ' | 'ؤ' | 'ئ' => {
                let base = match ch {
                    'ؤ' => 'و',
                    'ئ' => 'ي',
                    _ => 'ا',
                };
                self.flush_leet(Next::Letter);
                return self.emit(base, start, end, 0);
            }
            // Sara am is nikhahit and sara aa in compatibility form.
            '\u{0E33}' => {
                self.flush_leet(Next::Letter);
                self.emit('\u{0E4D}', start, end, UNSPACED);
                return self.emit('\u{0E32}', start, end, UNSPACED);
            }
            _ => {}
        }
        if is_ignorable(ch) {
            return;
        }
        decompose_compatible(ch, |part| self.push_decomposed(part, start, end));
    }

    /// One character of the compatibility decomposition (NFKD) of an original character.
    fn push_decomposed(&mut self, part: char, start: u32, end: u32) {
        if part.is_ascii() {
            return self.push_ascii(part as u8, start, end);
        }
        if is_ignorable(part) {
            return;
        }
        if is_apostrophe(part) {
            return self.separator(JOIN);
        }
        if !(part.is_alphanumeric() || is_combining_mark(part)) {
            return self.separator(SOFT);
        }
        for lower in part.to_lowercase() {
            if lower.is_ascii() {
                self.push_ascii(lower as u8, start, end);
                continue;
            }
            if is_ignorable(lower) {
                continue;
            }
            if lower == 'ß' {
                self.push_ascii(b's', start, end);
                self.push_ascii(b's', start, end);
                continue;
            }
            let folded = fold_variant(lower);
            if folded.is_ascii() {
                self.push_ascii(folded as u8, start, end);
                continue;
            }
            let numeric = folded.is_numeric();
            self.flush_leet(if numeric { Next::Digit } else { Next::Letter });
            let mut flags = if numeric { NOT_LETTER } else { 0 };
            if is_unspaced_script(folded) {
                flags |= UNSPACED;
            }
            self.emit(folded, start, end, flags);
        }
    }

    #[inline]
    fn separator(&mut self, kind: u8) {
        self.flush_leet(Next::Separator);
        self.pending_break |= kind;
        self.after_alnum = false;
    }

    /// Decides what a run of `@ $ ! |` was: letters when it sits inside a word ("p@$$w0rd",
    /// "sh!t"), starts a word before a letter ("$ex"), or is a run of `$` and `@` ending a
    /// word ("pa$$", "v1@gr@"); otherwise punctuation ("free!", "$5", "hi |").
    #[inline]
    fn flush_leet(&mut self, next: Next) {
        if !self.leet.is_empty() {
            self.decide_leet(next);
        }
    }

    #[cold]
    fn decide_leet(&mut self, next: Next) {
        let letters = match next {
            Next::Letter => true,
            Next::Digit => self.after_alnum,
            Next::Separator => {
                self.after_alnum && self.leet.iter().all(|&(b, ..)| b == b'$' || b == b'@')
            }
        };
        let run = std::mem::take(&mut self.leet);
        if letters {
            for &(byte, start, end) in &run {
                self.emit(leet_symbol(byte) as char, start, end, NOT_LETTER);
            }
        } else {
            self.pending_break |= SOFT;
            self.after_alnum = false;
        }
        self.leet = run;
        self.leet.clear();
    }

    #[inline]
    fn emit(&mut self, ch: char, start: u32, end: u32, extra: u8) {
        let flags = self.pending_break | extra;
        self.pending_break = 0;
        self.after_alnum = true;
        let len = if self.units {
            encode_unit(ch, &mut self.out.units)
        } else {
            self.out.text.push(ch);
            ch.len_utf8()
        };
        self.out
            .origin
            .extend(std::iter::repeat_n((start, end), len));
        self.out.flags.push(flags);
        if len > 1 {
            self.out
                .flags
                .extend(std::iter::repeat_n(flags | CONTINUATION, len - 1));
        }
    }
}

/// Appends the compact encoding of a skeleton character to `out` and returns its length:
/// ASCII as itself, Arabic letters U+0621–U+064A as 0x80–0xA9, Thai U+0E01–U+0E4E as
/// 0xAA–0xF7, anything else as 0xF8 and its code point in three bytes. Texts and phrases are
/// encoded alike; a match that starts or ends inside a four-byte unit is discarded.
fn encode_unit(ch: char, out: &mut Vec<u8>) -> usize {
    let code = ch as u32;
    match ch {
        '\0'..='\u{7F}' => out.push(code as u8),
        '\u{0621}'..='\u{064A}' => out.push((0x80 + code - 0x0621) as u8),
        '\u{0E01}'..='\u{0E4E}' => out.push((0xAA + code - 0x0E01) as u8),
        _ => {
            out.extend_from_slice(&[0xF8, (code >> 16) as u8, (code >> 8) as u8, code as u8]);
            return 4;
        }
    }
    1
}

/// Lower-case ASCII letters as matched: `l` joins `i` (and `1`, `|`, `!`), since they are
/// written for one another.
fn fold_ascii_letter(byte: u8) -> u8 {
    match byte {
        b'l' => b'i',
        other => other,
    }
}

/// Digits written for letters: 0 o, 1 i, 3 e, 4 a, 5 s, 7 t, 8 b. Other digits stay digits.
fn leet_digit(byte: u8) -> u8 {
    match byte {
        b'0' => b'o',
        b'1' => b'i',
        b'3' => b'e',
        b'4' => b'a',
        b'5' => b's',
        b'7' => b't',
        b'8' => b'b',
        other => other,
    }
}

/// Symbols written for letters: @ a, $ s, ! and | i (the class of i, l and 1).
fn leet_symbol(byte: u8) -> u8 {
    match byte {
        b'@' => b'a',
        b'$' => b's',
        _ => b'i',
    }
}

/// Apostrophes (other than ASCII `'` and `` ` ``, handled with ASCII).
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02B9}' | '\u{2032}'
    )
}

/// Thai, Lao, Khmer and Myanmar are written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}')
}

/// Characters that change nothing a reader sees, or only decorate a letter, and are dropped
/// before matching: format characters (general category Cf: zero-width spaces and joiners,
/// direction marks, the byte-order mark, tags), soft hyphens, variation selectors, invisible
/// fillers, Latin/Greek/Cyrillic combining diacritics, Arabic tatweel and Arabic diacritics
/// (tashkeel, hamza and madda marks, Quranic marks).
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(c,
        // Cf.
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}'
        // Grapheme joiner, variation selectors, Hangul fillers that render as nothing.
        | '\u{034F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}'
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
        // Combining diacritics of Latin, Greek and Cyrillic.
        | '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}'
        // Arabic tatweel and diacritics.
        | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}' | '\u{06EA}'..='\u{06ED}')
}

/// Folds letter variants and lookalikes readers take for the same letter (input is lower
/// case, after decomposition).
fn fold_variant(c: char) -> char {
    match c {
        // Alef wasla reads as plain alef (the hamza and madda forms lose their mark in
        // decomposition).
        'ٱ' => 'ا',
        // Alef maqsura and Farsi yeh read as ya; Farsi keheh as kaf. Ta marbuta is left
        // alone (it changes meaning).
        'ى' | 'ی' => 'ي',
        'ک' => 'ك',
        // Cyrillic letters that look like Latin ones.
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' | 'һ' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'і' | 'ї' | 'ӏ' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        // Greek letters that look like Latin ones.
        'α' => 'a',
        'β' => 'b',
        'γ' => 'y',
        'ε' => 'e',
        'η' => 'n',
        'ι' => 'i',
        'κ' => 'k',
        'μ' | 'υ' => 'u',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'χ' => 'x',
        'ω' => 'w',
        // Latin lookalikes without a decomposition.
        'ı' | 'ɩ' => 'i',
        'ɑ' => 'a',
        'ɡ' => 'g',
        'ø' => 'o',
        'đ' => 'd',
        'ł' => 'i',
        other => other,
    }
}
