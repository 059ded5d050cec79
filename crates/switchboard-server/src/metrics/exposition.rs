//! Prometheus' text exposition format, version 0.0.4: each family's `# HELP` and `# TYPE`
//! lines, then its samples, `name{label="value"} number`.

use super::histogram::HistogramSnapshot;
use std::fmt::Write;

/// The `Content-Type` of a scrape's answer.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// What a family's samples are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Counter,
    Gauge,
    Histogram,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        }
    }
}

/// Writes one scrape's text.
#[derive(Default)]
pub struct Exposition {
    out: String,
}

impl Exposition {
    /// Starts a family: its help text and type. Its samples follow.
    pub fn family(&mut self, name: &str, help: &str, kind: Kind) {
        let help = help.replace('\\', "\\\\").replace('\n', "\\n");
        let _ = writeln!(self.out, "# HELP {name} {help}");
        let _ = writeln!(self.out, "# TYPE {name} {}", kind.word());
    }

    /// One sample of a counter or gauge.
    pub fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.out.push_str(name);
        write_labels(&mut self.out, labels, None);
        let _ = writeln!(self.out, " {}", number(value));
    }

    /// A family with one sample and no labels.
    pub fn single(&mut self, name: &str, help: &str, kind: Kind, value: f64) {
        self.family(name, help, kind);
        self.sample(name, &[], value);
    }

    /// The `_bucket`, `_sum` and `_count` samples of one histogram.
    pub fn histogram(&mut self, name: &str, labels: &[(&str, &str)], snapshot: &HistogramSnapshot) {
        for &(bound, count) in &snapshot.buckets {
            let _ = write!(self.out, "{name}_bucket");
            write_labels(&mut self.out, labels, Some(&number(bound)));
            let _ = writeln!(self.out, " {count}");
        }
        let _ = write!(self.out, "{name}_sum");
        write_labels(&mut self.out, labels, None);
        let _ = writeln!(self.out, " {}", number(snapshot.sum_seconds));
        let _ = write!(self.out, "{name}_count");
        write_labels(&mut self.out, labels, None);
        let _ = writeln!(self.out, " {}", snapshot.count);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

fn write_labels(out: &mut String, labels: &[(&str, &str)], le: Option<&str>) {
    if labels.is_empty() && le.is_none() {
        return;
    }
    out.push('{');
    let all = labels.iter().copied().chain(le.map(|le| ("le", le)));
    for (index, (name, value)) in all.enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(name);
        out.push_str("=\"");
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push('}');
}

/// A sample value as Prometheus reads it: whole numbers without a fraction, `+Inf` spelled so.
fn number(value: f64) -> String {
    if value == f64::INFINITY {
        "+Inf".into()
    } else if value == f64::NEG_INFINITY {
        "-Inf".into()
    } else if value.is_nan() {
        "NaN".into()
    } else {
        // `Display` for f64 never uses an exponent and prints whole numbers without `.0`.
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::histogram::Histogram;
    use std::time::Duration;

    #[test]
    fn a_histogram_is_written_as_buckets_sum_and_count() {
        let histogram = Histogram::new(&[0.1, 1.0]);
        histogram.observe(Duration::from_millis(50));
        histogram.observe(Duration::from_millis(1500));
        let mut text = Exposition::default();
        text.family("x_seconds", "How long x took.", Kind::Histogram);
        text.histogram("x_seconds", &[("lane", "agent")], &histogram.snapshot());
        assert_eq!(
            text.finish(),
            "# HELP x_seconds How long x took.\n\
             # TYPE x_seconds histogram\n\
             x_seconds_bucket{lane=\"agent\",le=\"0.1\"} 1\n\
             x_seconds_bucket{lane=\"agent\",le=\"1\"} 1\n\
             x_seconds_bucket{lane=\"agent\",le=\"+Inf\"} 2\n\
             x_seconds_sum{lane=\"agent\"} 1.55\n\
             x_seconds_count{lane=\"agent\"} 2\n"
        );
    }

    #[test]
    fn label_values_are_escaped() {
        let mut text = Exposition::default();
        text.sample("y_total", &[("route", "a\"b\\c\nd")], 3.0);
        assert_eq!(text.finish(), "y_total{route=\"a\\\"b\\\\c\\nd\"} 3\n");
    }
}
