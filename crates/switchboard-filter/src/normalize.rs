use unicode_normalization::UnicodeNormalization;

/// A normalized text with a map back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The text matched against: NFKC, lower case, without invisible characters or diacritics.
    pub text: String,
    /// For each byte of `text`, the byte range of the original character it came from.
    origin: Vec<(usize, usize)>,
}

impl Normalized {
    /// The byte span of the original text that produced `text[start..end]`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.origin[start].0, self.origin[end - 1].1)
    }

    /// Whether `text[start..end]` is not glued to letters or digits on either side.
    pub fn is_word_bounded(&self, start: usize, end: usize) -> bool {
        let matched = &self.text[start..end];
        // Scripts written without spaces between words have no boundaries to check.
        if matched.chars().any(is_unspaced_script) {
            return true;
        }
        let before = self.text[..start].chars().next_back();
        let after = self.text[end..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    }
}

/// Thai, Lao, Khmer and Myanmar are written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}')
}

/// Characters that change nothing a reader sees and are dropped before matching: zero-width
/// spaces and joiners, soft hyphens, direction marks, the byte-order mark, Arabic tatweel and
/// Arabic diacritics (tashkeel).
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{0640}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}' | '\u{FEFF}'
        | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Folds letter variants readers treat as the same letter.
fn fold_variant(c: char) -> char {
    match c {
        // Alef with madda or hamza above/below, and alef wasla, read as plain alef.
        'آ' | 'أ' | 'إ' | 'ٱ' => 'ا',
        // Alef maqsura reads as ya; ta marbuta is left alone (it changes meaning).
        'ى' => 'ي',
        other => other,
    }
}

/// Normalizes `text` for matching, keeping a map back to the original bytes.
pub fn normalize(text: &str) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for (start, ch) in text.char_indices() {
        let end = start + ch.len_utf8();
        if is_ignorable(ch) {
            continue;
        }
        for compat in std::iter::once(ch).nfkc() {
            if is_ignorable(compat) {
                continue;
            }
            for lower in compat.to_lowercase() {
                let folded = fold_variant(lower);
                let encoded = folded.encode_utf8(&mut buf);
                out.push_str(encoded);
                origin.extend(std::iter::repeat_n((start, end), encoded.len()));
            }
        }
    }
    Normalized { text: out, origin }
}
