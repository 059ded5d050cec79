//! Reading a rate card from Meta's published price list (CSV, or a spreadsheet saved as CSV)
//! and writing one back. The reader is tolerant of what such files look like: title lines
//! above the header, header spellings (`Authentication-International`, `Auth Intl`), a byte
//! order mark, CRLF, prices written `$0.0250`, `0,025` or `1,234.50`, and `n/a` or blank for a
//! category a market does not offer. Every other problem is reported with its line; the
//! lines that can be read are returned too, for the preview.

use super::markets;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::collections::{BTreeMap, HashMap};
use switchboard_protocol::{PricingCategory, RateCardEntry};

/// What is wrong with a line of a rate card file. English `Display` for logs and tools; the
/// API words each variant in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateCardProblem {
    #[error("the file is not UTF-8 text; save it as “CSV UTF-8”")]
    NotUtf8,
    #[error("the line cannot be read as CSV ({detail})")]
    Unreadable { detail: String },
    #[error("no header line: one line must name the columns, with “Market” and at least one category such as “Marketing”")]
    NoHeader,
    #[error("the column “{name}” appears twice in the header")]
    DuplicateColumn { name: String },
    #[error(
        "the line names no currency: add a “Currency” column or give the currency with the upload"
    )]
    NoCurrency,
    #[error("unknown market “{market}”; write a two-letter country code or one of Meta's market names such as “Rest of Middle East”")]
    UnknownMarket { market: String },
    #[error("currency “{currency}” is not a three-letter code such as USD")]
    BadCurrency { currency: String },
    #[error("“{value}” in the column “{column}” is not a price; write it as 0.0250 (a currency sign is fine), or leave it empty or n/a")]
    BadPrice { column: String, value: String },
    #[error("“{value}” is not a date; write the effective date as 2026-01-01")]
    BadDate { value: String },
    #[error("“{market}” has a second {category} price for the same date; the first is on line {first_line}")]
    Duplicate {
        market: String,
        category: String,
        first_line: usize,
    },
    #[error("the file holds no prices")]
    NoPrices,
}

/// A problem and the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    pub problem: RateCardProblem,
}

/// What a file holds: the prices read, the problems, and header columns not used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateCardFile {
    pub entries: Vec<RateCardEntry>,
    pub problems: Vec<LineProblem>,
    pub ignored_columns: Vec<String>,
}

/// The columns of a header line.
#[derive(Debug, Default)]
struct Columns {
    market: usize,
    currency: Option<usize>,
    effective: Option<usize>,
    prices: Vec<(usize, PricingCategory)>,
}

/// Reads a rate card file. `default_currency` prices lines of a file without a currency
/// column (or with the cell empty).
pub fn read(bytes: &[u8], default_currency: Option<&str>) -> RateCardFile {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut file = RateCardFile::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut columns: Option<Columns> = None;
    let mut seen: HashMap<(String, PricingCategory, i64), usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut last_line = 1;
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let problem = match error.kind() {
                    csv::ErrorKind::Utf8 { .. } => RateCardProblem::NotUtf8,
                    _ => RateCardProblem::Unreadable {
                        detail: error.to_string(),
                    },
                };
                let line = error.position().map_or(line, |p| p.line() as usize).max(1);
                file.problems.push(LineProblem { line, problem });
                // The reader cannot go on after an I/O error; a bad record it can skip.
                if matches!(error.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line() as usize);
        last_line = line;
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|cell| cell.is_empty()) {
            continue;
        }
        let Some(header) = &columns else {
            match read_header(&cells) {
                Ok(Some((found, ignored))) => {
                    columns = Some(found);
                    file.ignored_columns = ignored;
                }
                // Title and note lines above the table.
                Ok(None) => {}
                Err(problem) => {
                    file.problems.push(LineProblem { line, problem });
                    return file;
                }
            }
            continue;
        };
        read_row(header, &cells, line, default_currency, &mut seen, &mut file);
    }
    if columns.is_none() {
        file.problems.push(LineProblem {
            line: last_line,
            problem: RateCardProblem::NoHeader,
        });
    } else if file.entries.is_empty() && file.problems.is_empty() {
        file.problems.push(LineProblem {
            line: last_line,
            problem: RateCardProblem::NoPrices,
        });
    }
    file
}

/// The columns, when `cells` is the header line (a market column and a category column).
fn read_header(cells: &[&str]) -> Result<Option<(Columns, Vec<String>)>, RateCardProblem> {
    let mut market = None;
    let mut columns = Columns::default();
    let mut ignored = Vec::new();
    let mut named: BTreeMap<String, usize> = BTreeMap::new();
    for (index, cell) in cells.iter().enumerate() {
        let folded = fold(cell);
        let role = match folded.as_str() {
            "market" | "country" | "marketname" | "countrymarket" | "region" => Some("market"),
            "currency" => Some("currency"),
            "effectivefrom" | "effectivedate" | "effective" | "validfrom" | "from" => {
                Some("effective")
            }
            _ => None,
        };
        let category = category_column(&folded);
        let key = role
            .map(str::to_owned)
            .or_else(|| category.map(|c| c.as_str().to_owned()));
        if let Some(key) = key {
            if named.insert(key, index).is_some() {
                return Err(RateCardProblem::DuplicateColumn {
                    name: (*cell).to_owned(),
                });
            }
        }
        match (role, category) {
            (Some("market"), _) => market = Some(index),
            (Some("currency"), _) => columns.currency = Some(index),
            (Some(_), _) => columns.effective = Some(index),
            (None, Some(category)) => columns.prices.push((index, category)),
            (None, None) if !cell.is_empty() => ignored.push((*cell).to_owned()),
            (None, None) => {}
        }
    }
    match market {
        Some(market) if !columns.prices.is_empty() => {
            columns.market = market;
            Ok(Some((columns, ignored)))
        }
        _ => Ok(None),
    }
}

fn category_column(folded: &str) -> Option<PricingCategory> {
    Some(match folded {
        "marketing" => PricingCategory::Marketing,
        "utility" => PricingCategory::Utility,
        "authentication" | "auth" => PricingCategory::Authentication,
        "authenticationinternational" | "authinternational" | "authenticationintl" | "authintl" => {
            PricingCategory::AuthenticationInternational
        }
        "service" => PricingCategory::Service,
        _ => return None,
    })
}

fn read_row(
    columns: &Columns,
    cells: &[&str],
    line: usize,
    default_currency: Option<&str>,
    seen: &mut HashMap<(String, PricingCategory, i64), usize>,
    file: &mut RateCardFile,
) {
    let (entries, problems) = row_entries(columns, cells, default_currency);
    for problem in problems {
        file.problems.push(LineProblem { line, problem });
    }
    for entry in entries {
        let key = (entry.market.clone(), entry.category, entry.effective_from);
        if let Some(first_line) = seen.get(&key) {
            file.problems.push(LineProblem {
                line,
                problem: RateCardProblem::Duplicate {
                    market: cells.get(columns.market).copied().unwrap_or("").to_owned(),
                    category: header_name(entry.category).to_owned(),
                    first_line: *first_line,
                },
            });
            continue;
        }
        seen.insert(key, line);
        file.entries.push(entry);
    }
}

/// The prices of one line after the header, and what is wrong with it.
fn row_entries(
    columns: &Columns,
    cells: &[&str],
    default_currency: Option<&str>,
) -> (Vec<RateCardEntry>, Vec<RateCardProblem>) {
    let cell = |index: usize| cells.get(index).copied().unwrap_or("");
    let mut problems = Vec::new();
    let name = cell(columns.market);
    let has_prices = columns.prices.iter().any(|(i, _)| !cell(*i).is_empty());
    let Some(market) = markets::market_key(name) else {
        // A note below the table (no prices) is not a market.
        if has_prices {
            problems.push(RateCardProblem::UnknownMarket {
                market: name.to_owned(),
            });
        }
        return (Vec::new(), problems);
    };
    let written = columns.currency.map(cell).filter(|c| !c.is_empty());
    let currency = match written.or(default_currency) {
        None if has_prices => return (Vec::new(), vec![RateCardProblem::NoCurrency]),
        None => return (Vec::new(), problems),
        Some(code) if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) => {
            code.to_ascii_uppercase()
        }
        Some(code) => {
            let currency = code.to_owned();
            return (Vec::new(), vec![RateCardProblem::BadCurrency { currency }]);
        }
    };
    let effective_from = match columns.effective.map(cell).filter(|c| !c.is_empty()) {
        None => 0,
        Some(value) => match parse_date(value) {
            Some(at) => at,
            None => {
                let value = value.to_owned();
                return (Vec::new(), vec![RateCardProblem::BadDate { value }]);
            }
        },
    };
    let mut entries = Vec::new();
    for (index, category) in &columns.prices {
        let value = cell(*index);
        match parse_price(value) {
            Ok(None) => {}
            Ok(Some(amount_micros)) => entries.push(RateCardEntry {
                market: market.clone(),
                category: *category,
                amount_micros,
                currency: currency.clone(),
                effective_from,
            }),
            Err(()) => problems.push(RateCardProblem::BadPrice {
                column: header_name(*category).to_owned(),
                value: value.to_owned(),
            }),
        }
    }
    (entries, problems)
}

/// `2026-01-01` (midnight UTC) or an RFC 3339 time, as milliseconds since the epoch.
fn parse_date(value: &str) -> Option<i64> {
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis());
    }
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|at| at.timestamp_millis())
}

/// A price in millionths of the currency unit; `None` for a blank or "n/a" cell. Currency
/// signs and codes around the figure are ignored. A lone comma is a decimal comma unless it
/// is followed by exactly three digits after a non-zero whole part (`1,250` is a thousand);
/// beside a point, commas group thousands. Digits past the sixth decimal are rounded.
fn parse_price(cell: &str) -> Result<Option<i64>, ()> {
    let cell = cell.trim();
    let folded: String = cell
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if cell.is_empty() || matches!(cell, "-" | "–" | "—") {
        return Ok(None);
    }
    if matches!(
        folded.as_str(),
        "na" | "none" | "notapplicable" | "notavailable"
    ) {
        return Ok(None);
    }
    let figure: String = cell
        .chars()
        .filter(|c| !c.is_alphabetic() && !c.is_whitespace() && !"$€£₹¥\u{a0}".contains(*c))
        .collect();
    if figure.is_empty()
        || !figure
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(());
    }
    let commas = figure.matches(',').count();
    let points = figure.matches('.').count();
    let decimal = match (commas, points) {
        (_, 0) if commas == 1 => {
            let (whole, fraction) = figure.split_once(',').ok_or(())?;
            let thousands = fraction.len() == 3 && !whole.trim_start_matches('0').is_empty();
            if thousands {
                figure.replace(',', "")
            } else {
                figure.replace(',', ".")
            }
        }
        (_, 0) => figure.replace(',', ""),
        (_, 1) => figure.replace(',', ""),
        _ => return Err(()),
    };
    decimal_micros(&decimal).ok_or(())
}

/// `0.0250` → 25,000; at most a billion whole units.
fn decimal_micros(text: &str) -> Option<Option<i64>> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if whole.trim_start_matches('0').len() > 9 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut micros: i64 = 0;
    let digits: Vec<u32> = fraction
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    for (i, digit) in digits.iter().enumerate().take(6) {
        micros += *digit as i64 * 10_i64.pow(5 - i as u32);
    }
    if digits.get(6).is_some_and(|d| *d >= 5) {
        micros += 1;
    }
    Some(Some(whole * 1_000_000 + micros))
}

/// The header Meta's price lists use for a category.
pub fn header_name(category: PricingCategory) -> &'static str {
    match category {
        PricingCategory::Marketing => "Marketing",
        PricingCategory::Utility => "Utility",
        PricingCategory::Authentication => "Authentication",
        PricingCategory::AuthenticationInternational => "Authentication-International",
        PricingCategory::Service => "Service",
    }
}

/// The card as a file [`read`] reads back into the same entries: one line per market,
/// currency and period, in Meta's column order.
pub fn write(entries: &[RateCardEntry]) -> String {
    let mut lines: BTreeMap<(String, i64, String), BTreeMap<PricingCategory, i64>> =
        BTreeMap::new();
    for entry in entries {
        lines
            .entry((
                entry.market.clone(),
                entry.effective_from,
                entry.currency.clone(),
            ))
            .or_default()
            .insert(entry.category, entry.amount_micros);
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["Market", "Currency", "Effective from"];
    header.extend(PricingCategory::ALL.map(header_name));
    out.write_record(&header).expect("writing to memory");
    for ((market, effective_from, currency), prices) in lines {
        let mut row = vec![market, currency, date_text(effective_from)];
        row.extend(
            PricingCategory::ALL
                .map(|c| prices.get(&c).map(|m| price_text(*m)).unwrap_or_default()),
        );
        out.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}

fn date_text(at: i64) -> String {
    if at == 0 {
        return String::new();
    }
    match DateTime::<Utc>::from_timestamp_millis(at) {
        Some(time) if at % 86_400_000 == 0 => time.format("%Y-%m-%d").to_string(),
        Some(time) => time.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => String::new(),
    }
}

/// 25,000 micros → `0.025`.
pub fn price_text(micros: i64) -> String {
    let text = format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000);
    let text = text.trim_end_matches('0');
    let text = text.strip_suffix('.').unwrap_or(text);
    text.to_owned()
}

/// Lower case letters and digits only.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
#[path = "rate_card_csv_tests.rs"]
mod tests;
