//! The spend report as CSV (`GET /api/v1/costs/export.csv`): a header, then one row per line
//! of the report. Text cells that a spreadsheet would run as a formula start with `'`.

use super::budgets::amount;
use switchboard_protocol::CostReport;

/// The report as a CSV document.
pub fn write(report: &CostReport) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "key", "label", "currency", "messages", "billable", "unpriced", "amount",
    ];
    out.write_record(header).expect("writing to memory");
    for line in &report.lines {
        out.write_record([
            text(&line.key),
            text(line.label.as_deref().unwrap_or("")),
            text(line.currency.as_deref().unwrap_or("")),
            line.messages.to_string(),
            line.billable.to_string(),
            line.unpriced.to_string(),
            amount(line.amount_micros),
        ])
        .expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("writing to memory")).expect("cells are text")
}

/// A text cell no spreadsheet runs as a formula.
fn text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use switchboard_protocol::{CostGrouping, CostLine};

    fn report(lines: Vec<CostLine>) -> CostReport {
        CostReport {
            from: 0,
            until: 1,
            group_by: CostGrouping::Campaign,
            lines,
            totals: Vec::new(),
            messages: 0,
            billable: 0,
            unpriced: 0,
            undelivered: 0,
            rate_card: true,
        }
    }

    proptest! {
        /// Whatever a broadcast or team is named, the file parses back to the same cells and
        /// no cell starts a formula.
        #[test]
        fn rows_parse_back_without_formulas(label in any::<String>(), micros in any::<i64>()) {
            let csv = write(&report(vec![CostLine {
                key: "7".into(),
                label: Some(label.clone()),
                currency: Some("USD".into()),
                messages: 3,
                billable: 2,
                unpriced: 0,
                amount_micros: micros,
            }]));
            let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
            let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
            prop_assert_eq!(rows.len(), 1);
            let expected = text(&label);
            prop_assert_eq!(&rows[0][1], expected.as_str());
            prop_assert!(!rows[0][1].starts_with(['=', '+', '-', '@']));
            let back: f64 = rows[0][6].parse().unwrap();
            prop_assert!((back - micros as f64 / 1e6).abs() <= 1e-6 * (micros as f64).abs().max(1.0));
        }
    }

    #[test]
    fn amounts_are_in_currency_units() {
        assert_eq!(amount(12_500_000), "12.50");
        assert_eq!(amount(25_000), "0.025");
        assert_eq!(amount(-1), "-0.000001");
        assert_eq!(amount(0), "0.00");
    }
}
