//! Rule evaluation benchmark: 1,000 rules of about 50 keywords each (English, Arabic and Thai,
//! all four match modes), evaluated against customer messages in each language and mixed.
//! Prints compile time and per-message median and p99 for `evaluate` and `explain`.
//!
//! Run with `cargo bench -p switchboard-automation`. Target: ≤ 50 µs per message.

use std::hint::black_box;
use std::time::{Duration, Instant};
use switchboard_automation::{MatchMode, NoCooldowns, Reply, Rule, RuleSet};

const RULES: usize = 1_000;
const KEYWORDS_PER_RULE: usize = 50;
const REGEX_RULES: usize = 10;
const ROUNDS: usize = 20;

const ENGLISH: &[&str] = &[
    "ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "qui", "ro", "su",
    "ta", "ve", "wi", "xo", "yu", "ze", "ar", "en", "or",
];
const ARABIC: &[&str] = &[
    "سا", "لم", "كت", "بو", "رح", "مد", "فق", "نع", "هي", "تج", "زي", "شر", "قل", "ود", "جم", "عل",
];
const THAI: &[&str] = &[
    "กา",
    "ขอ",
    "คน",
    "งาน",
    "จะ",
    "ชื่อ",
    "ดู",
    "ตอ",
    "ทำ",
    "นี้",
    "บาง",
    "ปี",
    "พอ",
    "มา",
    "ยัง",
    "รัก",
    "ลง",
    "วัน",
    "สอง",
    "หา",
];

const MESSAGES_EN: &[&str] = &[
    "Hello, I ordered a phone last week and it still has not arrived. Can you tell me where my order is? Order #48213.",
    "What is the price of the blue jacket in size M, and do you deliver to Riyadh on weekends?",
    "Hi! I want to return these shoes, they are too small. How do I get a refund or exchange them?",
    "Is the store on King Fahd road open today? What are your opening hours during Ramadan please",
];
const MESSAGES_AR: &[&str] = &[
    "السلام عليكم، طلبت جوالاً الأسبوع الماضي ولم يصل بعد. أين طلبي؟ رقم الطلب ٤٨٢١٣",
    "كم سِعْر الجاكيت الأزرق مقاس M؟ وهل يوجد توصيل إلى الرياض في عطلة نهاية الأسبوع؟",
    "مرحبا، أريد إرجاع هذا الحذاء لأنه صغير. كيف أسترد المبلغ أو أستبدله؟",
    "هل الفرع في طريق الملك فهد مفتوح اليوم؟ ما هي ساعات العمل في رمضان من فضلكم",
];
const MESSAGES_TH: &[&str] = &[
    "สวัสดีครับ สั่งโทรศัพท์ไปเมื่อสัปดาห์ที่แล้วยังไม่ได้รับของเลย ช่วยเช็คให้หน่อยได้ไหมครับ เลขที่คำสั่งซื้อ 48213",
    "เสื้อแจ็คเก็ตสีน้ำเงินไซส์เอ็มราคาเท่าไหร่คะ ส่งถึงเชียงใหม่วันเสาร์อาทิตย์ได้ไหม",
    "อยากคืนรองเท้าคู่นี้เพราะเล็กไปค่ะ ต้องทำอย่างไรถึงจะได้เงินคืนหรือเปลี่ยนไซส์",
    "ร้านสาขาสีลมเปิดวันนี้ไหมครับ เวลาทำการช่วงวันหยุดยาวเป็นอย่างไร",
];
const MESSAGES_MIXED: &[&str] = &[
    "Hi مرحبا สวัสดี, order #48213 where is it? أين طلبي ยังไม่ได้รับของ price please",
    "كم price ราคา for the blue jacket مقاس M ไซส์เอ็ม? delivery توصيล ส่งของ",
    "refund please أريد استرداد المبلغ อยากได้เงินคืน thank you شكرا ขอบคุณครับ",
    "opening hours ساعات العمل เวลาทำการ today اليوم วันนี้ ok?",
];

/// A small deterministic generator, so every run benchmarks the same rules.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// A made-up word of three or four syllables; some are real words of the messages, so rules
/// fire.
fn keyword(random: &mut Xorshift, rule: usize, index: usize) -> String {
    let real = [
        "order",
        "price",
        "refund",
        "opening hours",
        "delivery",
        "طلبي",
        "سعر",
        "استرداد",
        "ساعات العمل",
        "توصيل",
        "ราคา",
        "เงินคืน",
        "เวลาทำการ",
        "ส่งของ",
        "สวัสดี",
    ];
    if index == 0 && rule % 40 == 0 {
        return real[(rule / 40) % real.len()].to_owned();
    }
    let syllables = match (rule + index) % 3 {
        0 => ENGLISH,
        1 => ARABIC,
        _ => THAI,
    };
    let count = 3 + (random.next() % 2) as usize;
    (0..count).map(|_| random.pick(syllables)).collect()
}

fn rules() -> Vec<Rule> {
    let mut random = Xorshift(0x5eed_1234_abcd_9876);
    (0..RULES)
        .map(|i| {
            let mode = if i < REGEX_RULES {
                MatchMode::Regex
            } else {
                [MatchMode::Contains, MatchMode::WholeWord, MatchMode::Exact][i % 3]
            };
            let keywords = if mode == MatchMode::Regex {
                vec![
                    format!(r"order\s*#?\d{{{}}}", 4 + i % 3),
                    format!(r"\b(?:track|status){i}\b"),
                ]
            } else {
                (0..KEYWORDS_PER_RULE)
                    .map(|k| keyword(&mut random, i, k))
                    .collect()
            };
            Rule {
                id: i as i64 + 1,
                name: format!("rule {i}"),
                numbers: if i % 5 == 0 {
                    vec!["15550001111".into()]
                } else {
                    Vec::new()
                },
                keywords,
                mode,
                priority: (i % 7) as i32,
                stop_on_match: i % 50 == 0,
                cooldown_minutes: 0,
                reply: Reply::Text {
                    text: format!("answer {i}"),
                },
                enabled: i % 17 != 0,
            }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let rules = rules();
    let keywords: usize = rules.iter().map(|r| r.keywords.len()).sum();
    let started = Instant::now();
    let set = RuleSet::compile(rules.clone()).expect("benchmark rules compile");
    println!(
        "compile: {} rules, {keywords} keywords in {:.1} ms",
        rules.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let suites = [
        ("english", MESSAGES_EN),
        ("arabic", MESSAGES_AR),
        ("thai", MESSAGES_TH),
        ("mixed", MESSAGES_MIXED),
    ];
    for (name, messages) in suites {
        // Warm up caches and the regex lazy DFAs.
        for text in messages {
            black_box(set.evaluate("15550001111", "contact", text, 0, &NoCooldowns));
        }
        let mut evaluate = Vec::new();
        let mut explain = Vec::new();
        let mut fired = 0;
        for round in 0..ROUNDS * 50 {
            for text in messages {
                let number = if round % 2 == 0 {
                    "15550001111"
                } else {
                    "15550002222"
                };
                let started = Instant::now();
                let decision = set.evaluate(number, "contact", text, 0, &NoCooldowns);
                evaluate.push(started.elapsed());
                fired += decision.fired.len();
                black_box(decision);
                if round % 10 == 0 {
                    let started = Instant::now();
                    black_box(set.explain(number, "contact", text, 0, &NoCooldowns));
                    explain.push(started.elapsed());
                }
            }
        }
        evaluate.sort();
        explain.sort();
        let chars: usize =
            messages.iter().map(|m| m.chars().count()).sum::<usize>() / messages.len();
        println!(
            "  {name:<8} evaluate median {:.2} µs, p99 {:.2} µs ({} messages of ~{chars} chars, \
             {:.1} rules fire per message); explain median {:.2} µs, p99 {:.2} µs",
            micros(percentile(&evaluate, 0.5)),
            micros(percentile(&evaluate, 0.99)),
            evaluate.len(),
            fired as f64 / evaluate.len() as f64,
            micros(percentile(&explain, 0.5)),
            micros(percentile(&explain, 0.99)),
        );
    }
}
