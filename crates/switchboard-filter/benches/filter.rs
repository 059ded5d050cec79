//! Filter benchmark: policy compile time, check latency for 200-character messages in
//! English, Arabic, Thai and mixed text against 10,000 phrases, scan throughput, false
//! positives on a clean customer-support corpus, and how much disguised spam is caught.
//!
//! Run with `cargo bench -p switchboard-filter`.

use std::time::{Duration, Instant};
use switchboard_filter::{Action, Filter, MatchMode, Policy, PolicyEntry};

/// Phrases a real policy holds: spam, scams and abuse in English, Arabic and Thai.
const LISTED: &[(&str, Action, MatchMode)] = {
    use Action::*;
    use MatchMode::*;
    &[
        ("free money", Block, Substring),
        ("get rich quick", Block, Substring),
        ("double your money", Block, Substring),
        ("send your password", Block, Substring),
        ("verify your account now", Block, Substring),
        ("bitcoin giveaway", Block, Substring),
        ("crypto investment", Warn, Substring),
        ("forex signals", Block, Substring),
        ("binary options", Block, Substring),
        ("casino", Block, Substring),
        ("betting tips", Block, Substring),
        ("lottery winner", Block, Substring),
        ("you have won", Block, Substring),
        ("claim your prize", Block, Substring),
        ("100% guaranteed", Warn, Substring),
        ("western union", Warn, Substring),
        ("gift card code", Block, Substring),
        ("otp", Block, WholeWord),
        ("cvv", Block, WholeWord),
        ("ssn", Block, WholeWord),
        ("social security number", Block, Substring),
        ("credit card number", Block, Substring),
        ("payday loan", Block, Substring),
        ("no credit check", Block, Substring),
        ("whatsapp gold", Block, Substring),
        ("pyramid scheme", Block, Substring),
        ("scam", Warn, Substring),
        ("viagra", Block, Substring),
        ("escort service", Block, Substring),
        ("porn", Block, Substring),
        ("xxx", Block, WholeWord),
        ("nude", Block, WholeWord),
        ("sex", Block, WholeWord),
        ("cocaine", Block, Substring),
        ("fuck", Mask, Substring),
        ("shit", Mask, Substring),
        ("bitch", Mask, Substring),
        ("asshole", Mask, Substring),
        ("bastard", Mask, WholeWord),
        ("cunt", Block, Substring),
        ("dick", Mask, WholeWord),
        ("pussy", Mask, WholeWord),
        ("whore", Block, WholeWord),
        ("slut", Block, WholeWord),
        ("retard", Block, WholeWord),
        ("idiot", Warn, WholeWord),
        ("stupid", Warn, WholeWord),
        ("shut up", Warn, WholeWord),
        ("kill yourself", Block, Substring),
        ("ass", Mask, WholeWord),
        ("damn", Mask, WholeWord),
        ("anal", Block, WholeWord),
        // Arabic.
        ("اموال مجانية", Block, Substring),
        ("اربح الان", Block, Substring),
        ("ربح مضمون", Block, Substring),
        ("استثمار مضمون", Warn, Substring),
        ("قرض فوري", Block, Substring),
        ("ارسل كلمة السر", Block, Substring),
        ("كازينو", Block, Substring),
        ("قمار", Block, Substring),
        ("مراهنات", Block, Substring),
        ("سكس", Block, Substring),
        ("اباحي", Block, Substring),
        ("نيك", Block, WholeWord),
        ("شرموطة", Block, Substring),
        ("كس امك", Block, Substring),
        ("ابن الكلب", Mask, Substring),
        ("حمار", Warn, WholeWord),
        ("غبي", Warn, WholeWord),
        ("نصاب", Warn, WholeWord),
        ("حرامي", Warn, WholeWord),
        ("عملة رقمية مجانية", Block, Substring),
        ("بطاقة هدايا مجانية", Block, Substring),
        // Thai.
        ("เงินฟรี", Block, Substring),
        ("รวยเร็ว", Block, Substring),
        ("คาสิโน", Block, Substring),
        ("พนันออนไลน์", Block, Substring),
        ("บาคาร่า", Block, Substring),
        ("สล็อตออนไลน์", Block, Substring),
        ("เว็บพนัน", Block, Substring),
        ("แทงบอล", Block, Substring),
        ("หวยออนไลน์", Block, Substring),
        ("กู้เงินด่วน", Block, Substring),
        ("ลงทุนน้อยกำไรสูง", Warn, Substring),
        ("บอกรหัสโอทีพี", Block, Substring),
        ("ยาบ้า", Block, Substring),
        ("ควย", Block, Substring),
        ("เย็ด", Block, Substring),
        ("หี", Block, Substring),
        ("เหี้ย", Mask, Substring),
        ("ไอ้ควาย", Mask, Substring),
        ("ไอ้สัตว์", Mask, Substring),
        ("โง่", Warn, Substring),
    ]
};

/// Words that contain a listed phrase but are innocent.
const ALLOWED: &[&str] = &["Scunthorpe", "หีบ"];

/// A small, seeded pseudo-random generator, so every run measures the same texts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A made-up word of `len` letters from `alphabet`.
fn made_up(rng: &mut Rng, alphabet: &[char], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[rng.below(alphabet.len())])
        .collect()
}

/// The listed phrases plus made-up filler phrases up to 10,000 entries.
fn policy(rng: &mut Rng) -> Policy {
    let latin: Vec<char> = "abcdefghijklmnopqrstuvwxyz".chars().collect();
    let arabic: Vec<char> = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي".chars().collect();
    let thai: Vec<char> = "กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผพฟภมยรลวศษสหฬอฮ"
        .chars()
        .collect();
    let mut entries: Vec<PolicyEntry> = LISTED
        .iter()
        .map(|&(phrase, action, mode)| PolicyEntry::new(phrase, action, mode))
        .collect();
    while entries.len() < 10_000 {
        let (alphabet, min) = match entries.len() % 3 {
            0 => (&latin, 7),
            1 => (&arabic, 6),
            _ => (&thai, 6),
        };
        let len = min + rng.below(5);
        let mut phrase = made_up(rng, alphabet, len);
        if rng.chance(30) {
            phrase.push(' ');
            let len = 4 + rng.below(4);
            phrase.push_str(&made_up(rng, alphabet, len));
        }
        let mode = if rng.chance(50) {
            MatchMode::WholeWord
        } else {
            MatchMode::Substring
        };
        let action = [Action::Block, Action::Warn, Action::Mask][rng.below(3)];
        entries.push(PolicyEntry::new(phrase, action, mode));
    }
    Policy {
        version: 1,
        entries,
        allowlist: ALLOWED.iter().map(|s| s.to_string()).collect(),
    }
}

/// Fills `{}` slots in `template` one after another from `fill`.
fn render(template: &str, rng: &mut Rng, fill: &dyn Fn(&mut Rng, usize) -> String) -> String {
    let mut out = String::new();
    for (index, part) in template.split("{}").enumerate() {
        if index > 0 {
            out.push_str(&fill(rng, index - 1));
        }
        out.push_str(part);
    }
    out
}

const EN_TEMPLATES: &[&str] = &[
    "Hi {}, your order #{} has been shipped and will arrive on {}.",
    "Thank you for contacting {}! How can I help you today?",
    "The {} costs {} including delivery to {}.",
    "Your refund of {} was processed; it may take 3-5 business days to show up.",
    "Sorry for the delay, our courier will deliver your parcel to {} tomorrow.",
    "Could you please send a photo of the damaged {}? We will replace it right away.",
    "We are open from 9am to 6pm, Monday to Saturday, and closed on public holidays.",
    "Your appointment is confirmed for {} at {}. See you then, {}!",
    "You can reset your password from the app settings; we will never ask for it here.",
    "Is there anything else I can help you with, {}?",
    "Of course! The {} is back in stock in {}.",
    "Good news: the {} you asked about ships from our {} warehouse on {}.",
    "I have checked with the team and your order #{} is ready for pickup.",
    "Please confirm your delivery address in {} so we can book the courier.",
    "Our assistant will call you on {} to arrange the installation.",
    "The price of the {} dropped to {}, so we refunded the difference.",
    "Unfortunately the {} is out of stock; the next batch arrives on {}.",
    "Yes, we accept cash on delivery, bank transfer and card payments.",
    "If the {} does not fit, you can exchange it within 30 days.",
    "Thanks {}, I've passed your feedback to our manager.",
    "It's been a pleasure helping you, have a great {}!",
    "We'll send the invoice for order #{} by email within the hour.",
    "Your class starts on {} at {}; please arrive ten minutes early.",
    "The assessment of your claim is done and the replacement is on its way.",
    "Oscar's camera repair is finished and can be collected in {}.",
];
const EN_NAMES: &[&str] = &[
    "Sarah",
    "Oscar",
    "Ahmed",
    "Priya",
    "Tom",
    "Lina",
    "Dickson",
    "Cassie",
    "Hassan",
    "Essie",
    "Nok",
    "Grace",
    "Anna",
    "Mr. Jones",
];
const EN_PLACES: &[&str] = &[
    "London",
    "Essex",
    "Scunthorpe",
    "Middlesex",
    "Sussex",
    "Bangkok",
    "Dubai",
    "Riyadh",
    "Cairo",
    "Chiang Mai",
    "Penistone",
    "Manchester",
    "Jeddah",
    "Phuket",
];
const EN_PRODUCTS: &[&str] = &[
    "phone case",
    "wireless charger",
    "camera bag",
    "noise-cancelling headphones",
    "glass screen protector",
    "box of assorted snacks",
    "set of cocktail glasses",
    "wool scarf",
    "grass seed mix",
    "office chair",
    "rice cooker",
    "analysis report",
    "bass guitar",
    "passport holder",
    "class ring",
];
const EN_DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "12 March",
    "the 3rd",
    "weekend",
];
const EN_TIMES: &[&str] = &["9:30", "10am", "2:15 pm", "16:00", "noon"];

const AR_TEMPLATES: &[&str] = &[
    "مرحبا {}، تم شحن طلبك رقم {} وسيصل يوم {}.",
    "شكرا لتواصلك مع {}، كيف يمكنني مساعدتك اليوم؟",
    "سعر {} هو {} ريال شامل التوصيل إلى {}.",
    "تم استرداد مبلغ {} ريال إلى حسابك، قد يستغرق ذلك ثلاثة أيام عمل.",
    "نعتذر عن التأخير، سيصل المندوب إلى {} غدا إن شاء الله.",
    "يرجى إرسال صورة لـ{} التالف حتى نستبدله فورا.",
    "ساعات العمل من التاسعة صباحا حتى السادسة مساء من السبت إلى الخميس.",
    "موعدك مؤكد يوم {} الساعة {}، نراك قريبا يا {}.",
    "يمكنك تغيير كلمة السر من إعدادات التطبيق، ولن نطلبها منك أبدا.",
    "هل هناك أي شيء آخر يمكنني مساعدتك به يا {}؟",
    "بالتأكيد! {} متوفر الآن في فرع {}.",
    "نقبل الدفع عند الاستلام والتحويل البنكي والبطاقات.",
    "إذا لم يناسبك {} يمكنك استبداله خلال ثلاثين يوما.",
    "شكرًا جزيلًا {}، تمَّ تحويل ملاحظتك إلى المدير.",
    "طلبك رقم {} جاهز للاستلام من المستودع.",
    "عرض خاص: خصم عشرة بالمئة على {} حتى نهاية الأسبوع.",
    "الرجاء تأكيد عنوان التوصيل في {} لحجز المندوب.",
    "وصلت الشحنة الجديدة من {} ويمكنك الطلب الآن.",
    "المنتج مضمون لمدة سنة كاملة ضد عيوب التصنيع.",
    "تم إلغاء الطلب بناءً على طلبك وسيتم استرداد المبلغ.",
];
const AR_NAMES: &[&str] = &[
    "أحمد",
    "فاطمة",
    "محمد",
    "سارة",
    "خالد",
    "نورة",
    "عمر",
    "ليلى",
    "يوسف",
    "مريم",
];
const AR_PLACES: &[&str] = &[
    "الرياض",
    "جدة",
    "دبي",
    "القاهرة",
    "الدمام",
    "عمّان",
    "الكويت",
    "مكة",
];
const AR_PRODUCTS: &[&str] = &[
    "الهاتف",
    "الشاحن اللاسلكي",
    "سماعات الرأس",
    "الكرسي المكتبي",
    "طباخ الأرز",
    "حقيبة الكاميرا",
    "العطر",
    "الساعة الذكية",
    "غطاء الهاتف",
    "المكنسة الكهربائية",
];
const AR_DAYS: &[&str] = &[
    "السبت",
    "الأحد",
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
];
const AR_TIMES: &[&str] = &[
    "العاشرة صباحا",
    "الثانية ظهرا",
    "الرابعة عصرا",
    "8:30",
    "17:00",
];

const TH_TEMPLATES: &[&str] = &[
    "สวัสดีค่ะคุณ{} คำสั่งซื้อหมายเลข {} ของคุณจัดส่งแล้ว จะถึงภายในวัน{}",
    "ขอบคุณที่ติดต่อ{} มีอะไรให้เราช่วยไหมคะ",
    "{}ราคา {} บาท รวมค่าจัดส่งไปที่{}แล้วครับ",
    "เราได้คืนเงิน {} บาท เข้าบัญชีของคุณแล้ว อาจใช้เวลา 3-5 วันทำการ",
    "ขออภัยในความล่าช้า พนักงานจะนำส่งพัสดุที่{}พรุ่งนี้ค่ะ",
    "รบกวนส่งรูป{}ที่เสียหายมาให้หน่อยนะคะ เราจะเปลี่ยนให้ทันที",
    "สินค้าทุกชิ้นบรรจุในหีบห่ออย่างดี ไม่ต้องกังวลค่ะ",
    "ร้านเปิดทำการ 9 โมงเช้าถึง 6 โมงเย็น วันจันทร์ถึงวันเสาร์",
    "นัดหมายของคุณ{}ยืนยันแล้ววัน{} เวลา {} ค่ะ",
    "คุณสามารถเปลี่ยนรหัสผ่านได้ในการตั้งค่าแอป เราจะไม่ขอรหัสผ่านทางแชทเด็ดขาด",
    "มีอะไรให้ช่วยเพิ่มเติมไหมคะคุณ{}",
    "แน่นอนค่ะ {}มีสินค้าพร้อมส่งที่สาขา{}",
    "เรารับชำระเงินปลายทาง โอนผ่านธนาคาร และบัตรเครดิต",
    "ถ้า{}ไม่พอดี สามารถเปลี่ยนได้ภายใน 30 วัน",
    "ขอบคุณคุณ{}ที่ให้คำแนะนำ เราจะส่งต่อให้ผู้จัดการค่ะ",
    "คำสั่งซื้อ {} พร้อมให้รับที่หน้าร้านแล้วครับ",
    "โปรโมชั่นพิเศษ ลดราคา 10% สำหรับ{}ถึงสิ้นเดือนนี้",
    "กรุณายืนยันที่อยู่จัดส่งใน{}เพื่อให้เราจองขนส่ง",
    "สินค้ามีการรับประกันหนึ่งปีเต็ม",
    "ตอนนี้{}หมดชั่วคราว ล็อตใหม่จะเข้าวัน{}ค่ะ",
];
const TH_NAMES: &[&str] = &[
    "สมชาย",
    "สมหญิง",
    "นภา",
    "วิชัย",
    "ปราณี",
    "อรุณ",
    "มาลี",
    "ธนา",
    "กนกวรรณ",
    "ชัยวัฒน์",
];
const TH_PLACES: &[&str] = &[
    "กรุงเทพฯ",
    "เชียงใหม่",
    "ภูเก็ต",
    "ขอนแก่น",
    "หาดใหญ่",
    "พัทยา",
    "นนทบุรี",
    "อุดรธานี",
];
const TH_PRODUCTS: &[&str] = &[
    "เคสโทรศัพท์",
    "ที่ชาร์จไร้สาย",
    "หูฟัง",
    "เก้าอี้สำนักงาน",
    "หม้อหุงข้าว",
    "กระเป๋ากล้อง",
    "น้ำหอม",
    "นาฬิกาอัจฉริยะ",
    "พัดลม",
    "เครื่องดูดฝุ่น",
];
const TH_DAYS: &[&str] = &["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"];
const TH_TIMES: &[&str] = &["10:00", "บ่ายสองโมง", "14:30", "สี่โมงเย็น", "9 โมงเช้า"];

#[derive(Clone, Copy)]
enum Language {
    English,
    Arabic,
    Thai,
}

/// One customer-support sentence, its slots filled with names, places, products, days,
/// times, order numbers and prices.
fn sentence(rng: &mut Rng, language: Language) -> String {
    let (templates, names, places, products, days, times) = match language {
        Language::English => (
            EN_TEMPLATES,
            EN_NAMES,
            EN_PLACES,
            EN_PRODUCTS,
            EN_DAYS,
            EN_TIMES,
        ),
        Language::Arabic => (
            AR_TEMPLATES,
            AR_NAMES,
            AR_PLACES,
            AR_PRODUCTS,
            AR_DAYS,
            AR_TIMES,
        ),
        Language::Thai => (
            TH_TEMPLATES,
            TH_NAMES,
            TH_PLACES,
            TH_PRODUCTS,
            TH_DAYS,
            TH_TIMES,
        ),
    };
    let template = rng.pick(templates);
    render(template, rng, &|rng, _| match rng.below(7) {
        0 => rng.pick(names).to_string(),
        1 => rng.pick(places).to_string(),
        2 => rng.pick(products).to_string(),
        3 => rng.pick(days).to_string(),
        4 => rng.pick(times).to_string(),
        5 => format!("{}", 1000 + rng.below(900_000)),
        _ => match language {
            Language::English => format!("${}.{:02}", 5 + rng.below(995), rng.below(100)),
            _ => format!("{}", 10 + rng.below(9990)),
        },
    })
}

/// A message of one to three sentences; a mixed one has sentences in several languages.
fn message(rng: &mut Rng, language: Option<Language>) -> String {
    let count = 1 + rng.below(3);
    let mut parts = Vec::with_capacity(count);
    for _ in 0..count {
        let language = language
            .unwrap_or_else(|| [Language::English, Language::Arabic, Language::Thai][rng.below(3)]);
        parts.push(sentence(rng, language));
    }
    parts.join(" ")
}

/// A message of exactly `chars` characters (sentences appended, then cut).
fn sized_message(rng: &mut Rng, language: Option<Language>, chars: usize) -> String {
    let mut text = message(rng, language);
    while text.chars().count() < chars {
        text.push(' ');
        text.push_str(&message(rng, language));
    }
    text.chars().take(chars).collect()
}

/// Disguises `phrase` the way spammers do: spaced or dotted letters, leetspeak, invisible
/// characters, lookalike letters, changed case, Arabic tatweel.
fn disguise(rng: &mut Rng, phrase: &str) -> String {
    let mut out = String::new();
    let style = rng.below(6);
    let chars: Vec<char> = phrase.chars().collect();
    for (index, &ch) in chars.iter().enumerate() {
        let next_is_mark = chars.get(index + 1).is_some_and(
            |&c| matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'),
        );
        let mut written = match (style, ch) {
            (1, 'o') => '0'.to_string(),
            (1, 'e') => '3'.to_string(),
            (1, 'a') => '@'.to_string(),
            (1, 's') => '$'.to_string(),
            (1, 'i') => '1'.to_string(),
            (3, 'a') => 'а'.to_string(),
            (3, 'o') => 'о'.to_string(),
            (3, 'e') => 'е'.to_string(),
            (4, c) if index % 2 == 0 => c.to_uppercase().collect(),
            (_, c) => c.to_string(),
        };
        if index + 1 < chars.len() && ch != ' ' && chars[index + 1] != ' ' && !next_is_mark {
            match style {
                0 => written.push(' '),
                2 => written.push('\u{200B}'),
                5 if ('\u{0600}'..='\u{06FF}').contains(&ch) => written.push('\u{0640}'),
                5 => written.push('.'),
                _ => {}
            }
        }
        out.push_str(&written);
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let mut rng = Rng(0x5EED_F11E_2026);
    let policy = policy(&mut rng);

    // Compile.
    let mut compiles = Vec::new();
    let mut filter = Filter::new(&policy).expect("the bench policy compiles");
    for _ in 0..5 {
        let started = Instant::now();
        filter = Filter::new(&policy).expect("the bench policy compiles");
        compiles.push(started.elapsed());
    }
    compiles.sort();
    println!(
        "policy rebuild, {} phrases: median {:.1} ms (min {:.1}, max {:.1}); matcher memory {:.1} MiB",
        policy.entries.len(),
        compiles[2].as_secs_f64() * 1e3,
        compiles[0].as_secs_f64() * 1e3,
        compiles[4].as_secs_f64() * 1e3,
        filter.memory_usage() as f64 / (1024.0 * 1024.0)
    );

    // Check latency.
    println!(
        "check, 200-character messages, {} phrases:",
        policy.entries.len()
    );
    for (name, language) in [
        ("English", Some(Language::English)),
        ("Arabic", Some(Language::Arabic)),
        ("Thai", Some(Language::Thai)),
        ("mixed", None),
    ] {
        let texts: Vec<String> = (0..1000)
            .map(|_| sized_message(&mut rng, language, 200))
            .collect();
        // Warm up.
        let mut flagged = 0;
        for text in &texts {
            flagged += usize::from(!filter.check(text).matches.is_empty());
        }
        let mut times = Vec::with_capacity(texts.len() * 10);
        for _ in 0..10 {
            for text in &texts {
                let started = Instant::now();
                let report = filter.check(text);
                let elapsed = started.elapsed();
                std::hint::black_box(report);
                times.push(elapsed);
            }
        }
        times.sort();
        println!(
            "  {name:<8} median {:.2} µs, p99 {:.2} µs ({} checks; {flagged} of {} texts flagged, \
             cut at 200 characters mid-word)",
            micros(percentile(&times, 0.5)),
            micros(percentile(&times, 0.99)),
            times.len(),
            texts.len()
        );
    }

    // Throughput over one large text.
    let mut large = String::new();
    while large.len() < 4 << 20 {
        large.push_str(&message(&mut rng, None));
        large.push('\n');
    }
    let started = Instant::now();
    let rounds = 3;
    for _ in 0..rounds {
        std::hint::black_box(filter.check(&large));
    }
    let elapsed = started.elapsed();
    println!(
        "scan throughput: {:.0} MB/s over a {:.1} MB mixed text",
        (large.len() * rounds) as f64 / elapsed.as_secs_f64() / 1e6,
        large.len() as f64 / 1e6
    );

    // False positives on clean messages.
    let clean: Vec<String> = (0..12_000)
        .map(|i| {
            let language = match i % 4 {
                0 => Some(Language::English),
                1 => Some(Language::Arabic),
                2 => Some(Language::Thai),
                _ => None,
            };
            message(&mut rng, language)
        })
        .collect();
    let mut false_positives = 0;
    let mut examples = Vec::new();
    for text in &clean {
        let report = filter.check(text);
        if !report.matches.is_empty() {
            false_positives += 1;
            if examples.len() < 10 {
                let m = &report.matches[0];
                examples.push(format!(
                    "    “{}” matched {:?} in: {}",
                    &text[m.byte_start..m.byte_end],
                    m.phrase,
                    text
                ));
            }
        }
    }
    println!(
        "false positives: {false_positives} of {} clean messages (English, Arabic, Thai, mixed)",
        clean.len()
    );
    for example in examples {
        println!("{example}");
    }

    // Disguised spam caught.
    let mut caught = 0;
    let mut missed = Vec::new();
    let tries = 2000;
    for _ in 0..tries {
        let (phrase, ..) = LISTED[rng.below(LISTED.len())];
        let disguised = disguise(&mut rng, phrase);
        let text = format!(
            "{} {disguised} {}",
            sentence(&mut rng, Language::English),
            sentence(&mut rng, Language::Thai)
        );
        let report = filter.check(&text);
        if report.matches.iter().any(|m| m.phrase == phrase) {
            caught += 1;
        } else if missed.len() < 10 {
            missed.push(format!("    {phrase:?} written as “{disguised}”"));
        }
    }
    println!("disguised listed phrases caught: {caught} of {tries}");
    for example in missed {
        println!("{example}");
    }
}
