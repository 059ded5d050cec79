//! Segment evaluation benchmark: typical expressions over 100,000 generated contacts, the work
//! behind a live count once the facts are loaded. Prints parse time and, per expression, the
//! median and slowest pass over all contacts and the time per contact.
//!
//! Run with `cargo bench -p switchboard-audience --bench segments`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};
use switchboard_audience::segment::{parse, ContactFacts, NumberActivity};

const CONTACTS: usize = 100_000;
const ROUNDS: usize = 15;
const NOW: i64 = 1_773_576_000_000;
const DAY: i64 = 86_400_000;

const EXPRESSIONS: &[&str] = &[
    r#"tag:vip AND NOT tag:"price list" AND (country:SA OR country:AE) AND window:open AND opted_in"#,
    "region:gcc AND inbound_within:30d AND language:ar",
    r#"number:"+966 11 555 0100" AND attr.city = "Riyadh""#,
    "no_inbound_within:90d OR tag:lapsed",
    "(tag:عميل_مميز OR tag:ลูกค้าใหม่) AND consent AND NOT opted_out AND last_inbound_after:2026-01-31",
];

const TAGS: &[&str] = &[
    "vip",
    "price list",
    "lapsed",
    "wholesale",
    "عميل_مميز",
    "ลูกค้าใหม่",
    "newsletter",
    "b2b",
];
const COUNTRIES: &[&str] = &["SA", "AE", "EG", "TH", "US", "KW", "ID", "DE"];
const CITIES: &[&str] = &["Riyadh", "Jeddah", "Dubai", "Bangkok", "Cairo"];

/// A small deterministic generator, so every run sees the same contacts.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn contacts() -> Vec<ContactFacts> {
    let mut random = Lcg(9);
    (0..CONTACTS)
        .map(|_| {
            let tags = (0..random.below(5))
                .map(|_| TAGS[random.below(TAGS.len())].to_owned())
                .collect();
            let numbers = (0..1 + random.below(2))
                .map(|i| NumberActivity {
                    phone_number_id: format!("10654035224292{i}"),
                    display: format!("+966 11 555 010{i}"),
                    last_inbound_at: (random.below(10) > 1)
                        .then(|| NOW - (random.below(200 * 24) as i64) * DAY / 24),
                })
                .collect();
            ContactFacts {
                tags,
                country: Some(COUNTRIES[random.below(COUNTRIES.len())].to_owned()),
                language: Some(["en", "ar", "th"][random.below(3)].to_owned()),
                attributes: BTreeMap::from([(
                    "city".to_owned(),
                    CITIES[random.below(CITIES.len())].to_owned(),
                )]),
                opted_out: random.below(20) == 0,
                has_consent: random.below(3) > 0,
                numbers,
            }
        })
        .collect()
}

fn main() {
    let contacts = contacts();
    println!("segment evaluation over {CONTACTS} contacts, {ROUNDS} rounds each");
    for text in EXPRESSIONS {
        let started = Instant::now();
        let expression = parse(text).expect("the benchmark's expressions parse");
        let parsed_in = started.elapsed();
        let mut rounds: Vec<Duration> = Vec::with_capacity(ROUNDS);
        let mut members = 0;
        for _ in 0..ROUNDS {
            let started = Instant::now();
            members = contacts
                .iter()
                .filter(|facts| expression.matches(black_box(facts), NOW))
                .count();
            rounds.push(started.elapsed());
        }
        rounds.sort();
        let median = rounds[ROUNDS / 2];
        println!(
            "{text}\n  parse {:.1} µs · members {members} · median {:.2} ms · slowest {:.2} ms · {:.0} ns per contact",
            parsed_in.as_secs_f64() * 1e6,
            median.as_secs_f64() * 1e3,
            rounds[ROUNDS - 1].as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e9 / CONTACTS as f64,
        );
    }
}
