//! Scenarios: the numbers the simulator plays Meta for and the customers who write to them,
//! built in (English, Arabic and Thai demo customers) or read from a TOML file.

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

/// A scenario file.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub numbers: Vec<SimNumber>,
    #[serde(default)]
    pub customers: Vec<Customer>,
    /// Approved templates; the demo templates when absent.
    #[serde(default)]
    pub templates: Option<Vec<crate::content::SimTemplate>>,
}

/// Why a scenario file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("could not read the scenario {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the scenario {path} is not valid: {source}")]
    Invalid {
        path: String,
        source: toml::de::Error,
    },
    #[error("in {path}: customer {wa_id} writes to {phone_number_id}, which is not one of the scenario's [[numbers]]")]
    UnknownNumber {
        path: String,
        wa_id: String,
        phone_number_id: String,
    },
    #[error("in {path}: customer {wa_id} has no lines to say")]
    Silent { path: String, wa_id: String },
}

impl Scenario {
    pub fn load(path: &std::path::Path) -> Result<Scenario, ScenarioError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: shown.clone(),
            source,
        })?;
        let scenario: Scenario =
            toml::from_str(&text).map_err(|source| ScenarioError::Invalid {
                path: shown.clone(),
                source,
            })?;
        for customer in &scenario.customers {
            if !scenario
                .numbers
                .iter()
                .any(|n| n.phone_number_id == customer.phone_number_id)
            {
                return Err(ScenarioError::UnknownNumber {
                    path: shown,
                    wa_id: customer.wa_id.clone(),
                    phone_number_id: customer.phone_number_id.clone(),
                });
            }
            if customer.lines.is_empty() {
                return Err(ScenarioError::Silent {
                    path: shown,
                    wa_id: customer.wa_id.clone(),
                });
            }
        }
        Ok(scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_scenario_loads() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/two-numbers.toml");
        let scenario = Scenario::load(&path).unwrap();
        assert_eq!((scenario.numbers.len(), scenario.customers.len()), (2, 3));
        assert_eq!(scenario.templates.unwrap()[0].name, "order_update");
    }

    #[test]
    fn a_customer_of_an_unknown_number_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, "[[numbers]]\nphone_number_id = \"1\"\ndisplay_phone_number = \"1\"\nwaba_id = \"1\"\n[[customers]]\nwa_id = \"9\"\nname = \"x\"\nphone_number_id = \"2\"\nlines = [\"hi\"]\n").unwrap();
        let error = Scenario::load(&path).unwrap_err().to_string();
        assert!(error.contains("customer 9 writes to 2"), "{error}");
    }
}
