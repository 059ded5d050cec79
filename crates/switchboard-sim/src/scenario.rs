//! Demo customers who write on their own, in English, Arabic and Thai.

use crate::config::{Customer, SimNumber};
use crate::state::Simulator;
use rand::seq::SliceRandom;
use std::time::Duration;

/// Every `every`, one customer (in turn, starting with each customer once) says their next line.
pub fn start_chatter(sim: Simulator, every: Duration) {
    tokio::spawn(async move {
        let customers = sim.config().customers.clone();
        if customers.is_empty() {
            return;
        }
        let mut turn = 0usize;
        loop {
            let customer = if turn < customers.len() {
                &customers[turn]
            } else {
                customers
                    .choose(&mut rand::thread_rng())
                    .expect("not empty")
            };
            let line = &customer.lines[(turn / customers.len()) % customer.lines.len()];
            sim.customer_says(
                &customer.phone_number_id,
                &customer.wa_id,
                &customer.name,
                line,
            );
            turn += 1;
            tokio::time::sleep(every).await;
        }
    });
}

/// Two business numbers and customers writing in English, Arabic and Thai.
pub fn demo() -> (Vec<SimNumber>, Vec<Customer>) {
    let numbers = vec![
        SimNumber {
            phone_number_id: "106540352242922".into(),
            display_phone_number: "15550783881".into(),
            waba_id: "102290129340398".into(),
        },
        SimNumber {
            phone_number_id: "107655329452912".into(),
            display_phone_number: "966555012345".into(),
            waba_id: "102290129340398".into(),
        },
    ];
    let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let customers = vec![
        Customer {
            wa_id: "16505551234".into(),
            name: "Sheena Nelson".into(),
            phone_number_id: numbers[0].phone_number_id.clone(),
            lines: lines(&[
                "Hi! Does the blue jacket come in size M?",
                "Great, how long does shipping to Ohio take?",
                "Thanks, I'll order today.",
            ]),
        },
        Customer {
            wa_id: "966501234567".into(),
            name: "سارة العتيبي".into(),
            phone_number_id: numbers[1].phone_number_id.clone(),
            lines: lines(&[
                "مرحبا، متى يصل طلبي رقم 4521؟",
                "هل يمكنني تغيير عنوان التوصيل؟",
                "شكرا جزيلا لمساعدتك",
            ]),
        },
        Customer {
            wa_id: "66812345678".into(),
            name: "สมชาย ใจดี".into(),
            phone_number_id: numbers[1].phone_number_id.clone(),
            lines: lines(&[
                "สวัสดีครับ สินค้าชิ้นนี้มีสีดำไหมครับ",
                "ส่งไปเชียงใหม่กี่วันครับ",
                "ขอบคุณมากครับ",
            ]),
        },
        Customer {
            wa_id: "447700900123".into(),
            name: "Oliver Smith".into(),
            phone_number_id: numbers[0].phone_number_id.clone(),
            lines: lines(&[
                "Hello, I was charged twice for order 8812.",
                "Can you refund the second payment?",
                "Perfect, thank you!",
            ]),
        },
    ];
    (numbers, customers)
}
