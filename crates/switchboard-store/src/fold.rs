//! What message text and search queries are reduced to before they are compared, so that case,
//! Latin accents, Arabic diacritics, tatweel and Arabic letter variants do not decide whether a
//! message is found ("أموال" finds "اموال", "CAFÉ" finds "cafe").
//!
//! Lighter than the outbound filter's normalization on purpose: search keeps word breaks (a
//! phrase must stay a phrase, a prefix must start a word), keeps digits as digits and does not
//! fold homoglyphs. Every run of spaces and punctuation becomes one space, and the folded text
//! starts and ends with a space, so " ord" (with its space) only matches where a word starts.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// A folded text with, for each of its bytes, the UTF-16 range of the original character it
/// came from (what the UI highlights).
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    origin: Vec<(u32, u32)>,
}

impl Folded {
    /// The UTF-16 range of the original text that produced `text[start..end]`, without the
    /// spaces folding put at either end.
    pub fn original_span(&self, start: usize, end: usize) -> Option<(u32, u32)> {
        let bytes = self.text.as_bytes();
        let (mut start, mut end) = (start, end);
        while start < end && bytes[start] == b' ' {
            start += 1;
        }
        while end > start && bytes[end - 1] == b' ' {
            end -= 1;
        }
        (start < end).then(|| (self.origin[start].0, self.origin[end - 1].1))
    }
}

/// Folds `text`, remembering where each folded character came from.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len() + 2),
        origin: Vec::with_capacity(text.len() + 2),
    };
    let mut at: u32 = 0;
    push(&mut out, ' ', (0, 0));
    for ch in text.chars() {
        let width = ch.len_utf16() as u32;
        let range = (at, at + width);
        at += width;
        if is_ignored(ch) {
            continue;
        }
        if !(ch.is_alphanumeric() || is_combining_mark(ch)) {
            if !out.text.ends_with(' ') {
                push(&mut out, ' ', range);
            }
            continue;
        }
        decompose_canonical(ch, |part| {
            if is_ignored(part) {
                return;
            }
            for lower in fold_letter(part).to_lowercase() {
                push(&mut out, lower, range);
            }
        });
    }
    if !out.text.ends_with(' ') {
        push(&mut out, ' ', (at, at));
    }
    out
}

/// Only the folded text, as stored in the index.
pub fn fold_text(text: &str) -> String {
    fold(text).text
}

fn push(out: &mut Folded, ch: char, range: (u32, u32)) {
    out.text.push(ch);
    out.origin.extend(std::iter::repeat_n(range, ch.len_utf8()));
}

/// Characters that change nothing a reader would search for: Latin combining accents (after
/// decomposition), Arabic harakat, Quranic marks and tatweel, and invisible formatting
/// characters. Thai vowel and tone marks are letters of the word and stay.
fn is_ignored(ch: char) -> bool {
    matches!(ch,
        '\u{0300}'..='\u{036F}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{0640}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{00AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2060}'
        | '\u{FEFF}')
}

/// Letters written in more than one way in everyday Arabic (and Persian keyboards), and
/// Eastern Arabic digits.
fn fold_letter(ch: char) -> char {
    match ch {
        'ٱ' | 'أ' | 'إ' | 'آ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (ch as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (ch as u32 - 0x06F0) as u8),
        _ => ch,
    }
}

/// Whether `ch` belongs to a script written without spaces between words, where any position
/// may start a word.
pub fn is_unspaced(ch: char) -> bool {
    matches!(ch,
        '\u{0E00}'..='\u{0EFF}'      // Thai, Lao
        | '\u{1000}'..='\u{109F}'    // Myanmar
        | '\u{1780}'..='\u{17FF}'    // Khmer
        | '\u{3040}'..='\u{30FF}'    // Japanese kana
        | '\u{4E00}'..='\u{9FFF}') // CJK ideographs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_arabic_variants() {
        assert_eq!(fold_text("Café  CRÈME!"), " cafe creme ");
        assert_eq!(fold_text("أموال"), fold_text("اموال"));
        assert_eq!(fold_text("مَرْحَبًا"), " مرحبا ");
        assert_eq!(fold_text("مـــرحبا"), " مرحبا ");
        assert_eq!(fold_text("رقم ٤٥٢١"), " رقم 4521 ");
        // Thai keeps its vowel and tone marks.
        assert_eq!(fold_text("สั่งซื้อ"), " สั่งซื้อ ");
    }

    #[test]
    fn maps_back_to_utf16() {
        let folded = fold("😀 Order");
        let at = folded.text.find("order").unwrap();
        assert_eq!(folded.original_span(at, at + 5), Some((3, 8)));
        let folded = fold("أموال");
        let at = folded.text.find("اموال").unwrap();
        assert_eq!(folded.original_span(at, at + "اموال".len()), Some((0, 5)));
    }
}
