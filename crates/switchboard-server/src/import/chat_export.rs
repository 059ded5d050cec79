//! Reading the text file WhatsApp writes with "Export chat", in the shapes its phone apps use:
//!
//! - Android: `31/12/2020, 21:41 - Name: text` (or `12/31/20, 9:41 PM - …`)
//! - iPhone: `[31/12/2020, 21:41:05] Name: text`, often with invisible direction marks
//!
//! A line without a date continues the message before it. Lines with a date but no `Name:`
//! are notices from WhatsApp itself (encryption, number changes) and are kept as such. Days
//! and months are told apart from the file itself when any date shows it (a first number above
//! 12 means day first); otherwise the caller says, and day first is the default. Arabic-Indic
//! and Thai digits, narrow spaces and `a.m.`/`p.m.` spellings are accepted.

use chrono::NaiveDate;

/// Whether dates in the file put the day or the month first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    #[default]
    DayFirst,
    MonthFirst,
}

/// One message of the chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatLine {
    /// Local time as written (no time zone in the file), milliseconds since the epoch as if UTC.
    pub at: i64,
    /// Who wrote it; none for WhatsApp's own notices.
    pub sender: Option<String>,
    pub text: String,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ChatExportError {
    #[error("no line of the file starts with a date and time as WhatsApp's \"Export chat\" writes them (for example \"31/12/2020, 21:41 - Name: text\"); is it a chat export?")]
    NotAChatExport,
    #[error("line {line}: the date {date} does not exist{hint}")]
    BadDate {
        line: usize,
        date: String,
        hint: &'static str,
    },
}

/// A line's date, time and the rest, before the day/month order is known.
struct Stamp<'a> {
    numbers: [u32; 3],
    hour: u32,
    minute: u32,
    second: u32,
    rest: &'a str,
}

/// Reads a whole export. `order` is used only when the dates themselves do not tell.
pub fn parse(text: &str, order: DateOrder) -> Result<Vec<ChatLine>, ChatExportError> {
    let cleaned = normalize(text);
    let mut stamped: Vec<(usize, Stamp<'_>)> = Vec::new();
    let mut continuations: Vec<(usize, &str)> = Vec::new();
    // Continuation lines are joined to the stamped line before them, by index.
    let mut owners: Vec<Option<usize>> = Vec::new();
    for (number, line) in cleaned.lines().enumerate() {
        match stamp(line) {
            Some(found) => {
                stamped.push((number + 1, found));
                owners.push(Some(stamped.len() - 1));
            }
            None => {
                continuations.push((stamped.len(), line));
                owners.push(None);
            }
        }
    }
    if stamped.is_empty() {
        return Err(ChatExportError::NotAChatExport);
    }
    let order = detect_order(&stamped).unwrap_or(order);
    let mut out: Vec<ChatLine> = Vec::with_capacity(stamped.len());
    for (line, stamp) in &stamped {
        let [a, b, c] = stamp.numbers;
        let (day, month) = match order {
            DateOrder::DayFirst => (a, b),
            DateOrder::MonthFirst => (b, a),
        };
        let year = if c < 100 { 2000 + c as i32 } else { c as i32 };
        let date = NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|d| d.and_hms_opt(stamp.hour, stamp.minute, stamp.second))
            .ok_or_else(|| ChatExportError::BadDate {
                line: *line,
                date: format!("{a}/{b}/{c} {:02}:{:02}", stamp.hour, stamp.minute),
                hint: match order {
                    DateOrder::DayFirst => " (read as day/month/year)",
                    DateOrder::MonthFirst => " (read as month/day/year)",
                },
            })?;
        let (sender, text) = split_sender(stamp.rest);
        out.push(ChatLine {
            at: date.and_utc().timestamp_millis(),
            sender,
            text: text.to_owned(),
        });
    }
    for (owner, line) in continuations {
        // Lines before the first date (a header some exports carry) belong to nobody.
        if let Some(message) = owner.checked_sub(1).and_then(|i| out.get_mut(i)) {
            message.text.push('\n');
            message.text.push_str(line);
        }
    }
    Ok(out)
}

/// Removes what phones add that is not text: direction marks, BOM, and odd spaces.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200E}' | '\u{200F}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}'
            )
        })
        .map(|c| match c {
            '\u{202F}' | '\u{00A0}' | '\u{2009}' => ' ',
            '\r' => '\n',
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0E50}'..='\u{0E59}' => char::from(b'0' + (c as u32 - 0x0E50) as u8),
            other => other,
        })
        .collect::<String>()
        .replace("\n\n", "\n")
}

/// The date, time and rest of a line that starts a message, if it does.
fn stamp(line: &str) -> Option<Stamp<'_>> {
    let (inner, rest) = if let Some(bracketed) = line.strip_prefix('[') {
        let close = bracketed.find(']')?;
        (&bracketed[..close], bracketed[close + 1..].trim_start())
    } else {
        let dash = line.find(" - ")?;
        (&line[..dash], &line[dash + 3..])
    };
    let (date, time) = inner.split_once(',').or_else(|| inner.split_once(' '))?;
    let numbers: Vec<u32> = date
        .trim()
        .split(['/', '.', '-'])
        .map(|n| n.trim().parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, c]: [u32; 3] = numbers.try_into().ok()?;
    let (hour, minute, second) = clock(time.trim())?;
    Some(Stamp {
        numbers: [a, b, c],
        hour,
        minute,
        second,
        rest,
    })
}

/// `21:41`, `21:41:05`, `9:41 PM`, `9:41 p.m.` as 24-hour time.
fn clock(text: &str) -> Option<(u32, u32, u32)> {
    let lower = text.to_lowercase().replace('.', "");
    let (digits, afternoon) = if let Some(d) = lower.strip_suffix("pm") {
        (d.trim(), Some(true))
    } else if let Some(d) = lower.strip_suffix("am") {
        (d.trim(), Some(false))
    } else {
        (lower.trim(), None)
    };
    let parts: Vec<u32> = digits
        .split(':')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let (mut hour, minute, second) = match parts.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    match afternoon {
        Some(pm) if (1..=12).contains(&hour) => {
            hour %= 12;
            if pm {
                hour += 12;
            }
        }
        Some(_) => return None,
        None => {}
    }
    (hour < 24 && minute < 60 && second < 60).then_some((hour, minute, second))
}

/// Day first or month first, when some date shows it.
fn detect_order(stamped: &[(usize, Stamp<'_>)]) -> Option<DateOrder> {
    for (_, stamp) in stamped {
        let [a, b, _] = stamp.numbers;
        if a > 12 && b <= 12 {
            return Some(DateOrder::DayFirst);
        }
        if b > 12 && a <= 12 {
            return Some(DateOrder::MonthFirst);
        }
    }
    None
}

/// `Name: text` into its parts; a notice from WhatsApp has no name.
fn split_sender(rest: &str) -> (Option<String>, &str) {
    match rest.split_once(": ") {
        Some((name, text)) if !name.is_empty() && name.chars().count() <= 80 => {
            (Some(name.trim().to_owned()), text)
        }
        _ => (None, rest.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn android_and_iphone_exports_read_the_same() {
        let android = "31/12/2020, 21:41 - Messages and calls are end-to-end encrypted.\n\
            31/12/2020, 21:41 - Sara: Where is my order?\n\
            It was due Monday\n\
            31/12/2020, 21:45 - Acme Support: It ships tomorrow.";
        let iphone =
            "\u{200E}[31/12/2020, 21:41:00] Messages and calls are end-to-end encrypted.\n\
            [31/12/2020, 21:41:00] Sara: Where is my order?\n\
            It was due Monday\n\
            [31/12/2020, 21:45:00] Acme Support: It ships tomorrow.";
        let a = parse(android, DateOrder::DayFirst).unwrap();
        let b = parse(iphone, DateOrder::DayFirst).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].sender, None, "WhatsApp's own notice");
        assert_eq!(a[1].sender.as_deref(), Some("Sara"));
        assert_eq!(a[1].text, "Where is my order?\nIt was due Monday");
        assert_eq!(a[2].at - a[1].at, 4 * 60_000);
        let expected = NaiveDate::from_ymd_opt(2020, 12, 31)
            .unwrap()
            .and_hms_opt(21, 41, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        assert_eq!(a[1].at, expected);
    }

    #[test]
    fn month_first_twelve_hour_clocks_and_local_digits() {
        let us = "12/31/20, 9:41 PM - Sam: hi\n1/2/21, 12:05 a.m. - Sam: late";
        let lines = parse(us, DateOrder::DayFirst).unwrap();
        let first = chrono::DateTime::from_timestamp_millis(lines[0].at).unwrap();
        assert_eq!(
            first.format("%Y-%m-%d %H:%M").to_string(),
            "2020-12-31 21:41"
        );
        let second = chrono::DateTime::from_timestamp_millis(lines[1].at).unwrap();
        assert_eq!(
            second.format("%Y-%m-%d %H:%M").to_string(),
            "2021-01-02 00:05"
        );
        // Nothing in the dates tells: the caller's order decides.
        let ambiguous = "02/03/2021, 10:00 - A: x";
        let day = parse(ambiguous, DateOrder::DayFirst).unwrap()[0].at;
        let month = parse(ambiguous, DateOrder::MonthFirst).unwrap()[0].at;
        assert_ne!(day, month);
        // Arabic-Indic digits and a Thai name.
        let arabic = "٣١/١٢/٢٠٢٠, ٢١:٤١ - สมชาย: สวัสดีครับ";
        let line = &parse(arabic, DateOrder::DayFirst).unwrap()[0];
        assert_eq!(line.sender.as_deref(), Some("สมชาย"));
        assert_eq!(line.text, "สวัสดีครับ");
    }

    #[test]
    fn what_is_not_an_export_says_so() {
        assert_eq!(
            parse("hello\nworld", DateOrder::DayFirst),
            Err(ChatExportError::NotAChatExport)
        );
        let impossible = parse("31/31/2020, 10:00 - A: x", DateOrder::DayFirst).unwrap_err();
        assert!(impossible
            .to_string()
            .starts_with("line 1: the date 31/31/2020"));
    }

    proptest! {
        /// Whatever bytes arrive, the reader answers without panicking.
        #[test]
        fn any_text_is_read_or_refused(text in "\\PC{0,400}") {
            let _ = parse(&text, DateOrder::DayFirst);
        }

        /// A chat written out in Android's shape reads back as the same messages.
        #[test]
        fn written_chats_read_back(messages in proptest::collection::vec(
            (0u32..28, 0u32..12, 0u32..24, 0u32..60, "[A-Za-zء-يก-ฮ]{1,12}", "[^\\n\\r\\u{200E}\\u{200F}\\u{202A}-\\u{202E}\\u{FEFF}]{0,60}"),
            1..20,
        )) {
            let mut text = String::new();
            for (day, month, hour, minute, name, body) in &messages {
                text.push_str(&format!("{:02}/{:02}/2021, {:02}:{:02} - {name}: {body}\n", day + 1, month + 1, hour, minute));
            }
            let read = parse(&text, DateOrder::DayFirst).unwrap();
            prop_assert_eq!(read.len(), messages.len());
            for (line, (_, _, _, _, name, body)) in read.iter().zip(&messages) {
                prop_assert_eq!(line.sender.as_deref(), Some(name.as_str()));
                let normalized: String = normalize(body);
                prop_assert_eq!(line.text.trim_end(), normalized.trim_end());
            }
        }
    }
}
