//! The desktop cache at scale: 10,000 conversations and 1,000,000 messages in English, Arabic
//! and Thai, built once into a temporary folder. Prints how long building took, search latency
//! (p50/p99) for each query shape, the cold start the store controls (open + inbox), and the
//! file size. Figures only; nothing here asserts a time.
//!
//! `cargo bench -p switchboard-store` (set `CACHE_BENCH_MESSAGES` for a smaller run).

use std::time::{Duration, Instant};
use switchboard_domain::*;
use switchboard_store::{SearchQuery, Store};

const CONVERSATIONS: i64 = 10_000;
const QUERIES: usize = 250;
const START: i64 = 1_760_000_000_000;

const ENGLISH: &[&str] = &[
    "Hello, where is my order #{n}? It was supposed to arrive on {day}.",
    "Hi {name}, your order #{n} has shipped and should arrive {day}.",
    "I would like a refund for the {product}, it arrived broken.",
    "Can I change the delivery address for order #{n}?",
    "Thanks for waiting! The {product} is back in stock.",
    "Is the {product} available in blue? I need it by {day}.",
    "My payment for order #{n} failed twice, can you help?",
    "We have sent the tracking number for #{n} to your email.",
    "Please confirm your delivery time for {day} between 9 and 12.",
    "Good morning {name}, how can I help you today?",
    "The courier could not find the address, please call them back.",
    "Your refund of {n} baht has been approved.",
];
const ARABIC: &[&str] = &[
    "مرحبا، متى يصل طلبي رقم {n}؟",
    "أريد استرجاع الأموال مقابل {product} لأنه وصل مكسوراً",
    "شكرا لك {name}، تم شحن طلبك رقم {n} وسيصل يوم {day}",
    "هل يمكن تغيير عنوان التوصيل للطلب {n}؟",
    "لم تنجح عملية الدفع، هل يمكنكم المساعدة؟",
    "مَرْحَبًا بِكَ، كيف يمكنني مساعدتك اليوم؟",
    "المنتج {product} متوفر الآن في المتجر",
    "أرسلنا رقم التتبع إلى بريدك الإلكتروني",
    "الرجاء تأكيد موعد التسليم يوم {day}",
    "تمت الموافقة على استرداد مبلغ {n} ريال",
];
const THAI: &[&str] = &[
    "สวัสดีค่ะ อยากทราบสถานะการสั่งซื้อหมายเลข {n} ค่ะ",
    "ขอคืนเงินสำหรับ{product}ได้ไหมคะ สินค้าเสียหาย",
    "คำสั่งซื้อ {n} จัดส่งแล้ว จะถึงวัน{day}ค่ะ",
    "ขอเปลี่ยนที่อยู่จัดส่งสำหรับคำสั่งซื้อ {n} ได้ไหมครับ",
    "การชำระเงินไม่สำเร็จ ช่วยตรวจสอบให้หน่อยครับ",
    "ขอบคุณที่รอค่ะ {product}มีสินค้าแล้ว",
    "ส่งหมายเลขติดตามพัสดุไปที่อีเมลแล้วค่ะ",
    "กรุณายืนยันเวลาจัดส่งวัน{day}ค่ะ",
    "คุณ{name} ต้องการความช่วยเหลืออะไรเพิ่มเติมไหมคะ",
    "อนุมัติการคืนเงิน {n} บาทเรียบร้อยแล้วค่ะ",
];
const NAMES: &[&str] = &[
    "Sheena",
    "Omar",
    "سارة",
    "Niran",
    "สมชาย",
    "Amal",
    "Lena",
    "خالد",
];
const DAYS: &[&str] = &[
    "Monday",
    "Friday",
    "الأحد",
    "الخميس",
    "จันทร์",
    "ศุกร์",
    "tomorrow",
];
const PRODUCTS: &[&str] = &[
    "blender",
    "kettle",
    "خلاط",
    "غلاية",
    "หม้อหุงข้าว",
    "พัดลม",
    "headphones",
];

const TERMS: &[&str] = &[
    "refund",
    "courier",
    "tracking",
    "payment",
    "blender",
    "headphones",
    "طلبي",
    "الأموال",
    "أموال",
    "التوصيل",
    "غلاية",
    "address",
    "stock",
    "كيف",
];
const PHRASES: &[&str] = &[
    "\"where is my order\"",
    "\"has shipped\"",
    "\"delivery address\"",
    "\"متى يصل طلبي\"",
    "\"رقم التتبع\"",
    "\"payment for order\"",
    "\"back in stock\"",
];
const PREFIXES: &[&str] = &[
    "refu*",
    "deliv*",
    "track*",
    "cour*",
    "استر*",
    "الطلب*",
    "ship*",
    "pay*",
];
const THAI_SUBSTRINGS: &[&str] = &[
    "สั่งซื้อ",
    "คืนเงิน",
    "จัดส่ง",
    "ชำระเงิน",
    "ติดตามพัสดุ",
    "หม้อหุง",
    "ยืนยันเวลา",
    "ช่วยเหลือ",
];

/// Makes one query of a shape: its text and the conversation it is limited to.
type QueryMaker = dyn Fn(&mut Random) -> (String, Option<i64>);

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn text(random: &mut Random) -> String {
    let templates = match random.below(4) {
        0 | 1 => ENGLISH,
        2 => ARABIC,
        _ => THAI,
    };
    random
        .pick(templates)
        .replace("{n}", &(1000 + random.below(90_000)).to_string())
        .replace("{name}", random.pick(NAMES))
        .replace("{day}", random.pick(DAYS))
        .replace("{product}", random.pick(PRODUCTS))
}

fn conversation(id: i64, at: i64) -> Conversation {
    Conversation {
        id,
        phone_number_id: "1065".into(),
        business_number: "+15550783881".into(),
        business_name: "Support".into(),
        contact: ContactSummary {
            id,
            wa_id: Some(format!("1650555{id:04}")),
            user_id: None,
            name: Some(format!("Customer {id}")),
        },
        status: ConversationStatus::Open,
        assigned_user_id: Some(7),
        assigned_user_name: Some("Amal".into()),
        last_message_at: at,
        last_message_preview: "…".into(),
        last_inbound_at: Some(at),
        priority: 0,
        tags: Vec::new(),
        team_id: None,
        team_name: None,
        queued_at: None,
        assigned_at: Some(at),
        sla_due_at: None,
        snoozed_until: None,
    }
}

fn message(id: i64, conversation_id: i64, at: i64, text: String) -> Message {
    let inbound = id % 2 == 0;
    Message {
        key: Message::server_key(id),
        id: Some(id),
        conversation_id,
        direction: if inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        },
        wamid: Some(format!("wamid.{id}")),
        kind: "text".into(),
        body: MessageBody::Text { body: text.clone() },
        text,
        context: None,
        media: None,
        status: if inbound {
            DeliveryStatus::Received
        } else {
            DeliveryStatus::Read
        },
        error: None,
        sender_user_id: (!inbound).then_some(7),
        sender_name: (!inbound).then(|| "Amal".into()),
        created_at: at,
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    millis(sorted[at])
}

fn file_size(path: &std::path::Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            std::fs::metadata(format!("{}{suffix}", path.display()))
                .ok()
                .map(|m| m.len())
        })
        .sum()
}

fn main() {
    let total: i64 = std::env::var("CACHE_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("cache.db");
    let mut random = Random(0x5eed_cafe_f00d);

    let started = Instant::now();
    {
        let store = Store::open(&path).expect("the cache opens");
        let conversations: Vec<Conversation> = (1..=CONVERSATIONS)
            .map(|id| conversation(id, START + total * 1_000 - id * 7))
            .collect();
        store.upsert_conversations(&conversations).unwrap();
        let mut batch = Vec::with_capacity(10_000);
        for id in 1..=total {
            // Busy conversations get more messages than quiet ones.
            let conversation_id = if random.below(4) == 0 {
                1 + random.below(200) as i64
            } else {
                1 + random.below(CONVERSATIONS as usize) as i64
            };
            let at = START + id * 1_000 - random.below(900) as i64;
            batch.push(message(id, conversation_id, at, text(&mut random)));
            if batch.len() == 10_000 {
                store.apply_messages(&batch).unwrap();
                batch.clear();
            }
        }
        store.apply_messages(&batch).unwrap();
    }
    println!(
        "built {CONVERSATIONS} conversations and {total} messages in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let store = Store::open(&path).expect("the cache opens");
    let opened = started.elapsed();
    let inbox = store.inbox().unwrap();
    let loaded = started.elapsed();
    println!(
        "cold start: open {:.1} ms, open + inbox of {} conversations {:.1} ms",
        millis(opened),
        inbox.len(),
        millis(loaded)
    );

    let shapes: [(&str, &QueryMaker); 5] = [
        ("term", &|r| (r.pick(TERMS).to_owned(), None)),
        ("phrase", &|r| (r.pick(PHRASES).to_owned(), None)),
        ("prefix", &|r| (r.pick(PREFIXES).to_owned(), None)),
        ("Thai substring", &|r| {
            (r.pick(THAI_SUBSTRINGS).to_owned(), None)
        }),
        ("within one conversation", &|r| {
            let id = 1 + r.below(CONVERSATIONS as usize) as i64;
            (
                r.pick(&["order", "طلب", "สั่งซื้อ", "refund", "ok"]).to_owned(),
                Some(id),
            )
        }),
    ];
    println!("search, first page of 20 newest first, {QUERIES} queries each:");
    for (name, make) in shapes {
        let mut times = Vec::with_capacity(QUERIES);
        let mut hits = 0;
        for _ in 0..QUERIES {
            let (text, conversation_id) = make(&mut random);
            let started = Instant::now();
            let page = store
                .search(&SearchQuery {
                    text: &text,
                    conversation_id,
                    before: None,
                    limit: 20,
                })
                .unwrap();
            times.push(started.elapsed());
            hits += page.hits.len();
        }
        times.sort();
        println!(
            "  {name:<24} p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms  ({:.1} hits per query)",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            millis(*times.last().unwrap()),
            hits as f64 / QUERIES as f64
        );
    }

    // Paging deep into a common word: the fifth page of "order".
    let started = Instant::now();
    let mut before = None;
    for _ in 0..5 {
        before = store
            .search(&SearchQuery {
                text: "order",
                conversation_id: None,
                before,
                limit: 20,
            })
            .unwrap()
            .next;
    }
    println!(
        "  five pages of \"order\": {:.2} ms",
        millis(started.elapsed())
    );
    drop(store);
    println!(
        "file size: {:.0} MiB",
        file_size(&path) as f64 / (1024.0 * 1024.0)
    );
}
