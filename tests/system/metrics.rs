//! `GET /metrics`: counters that move by exactly what happened, a WebSocket gauge that follows
//! desks, a scrape any Prometheus can read, and no customer's number in any label.

use crate::WAIT;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use switchboard_domain::{DeliveryStatus, Role};
use switchboard_sync::SendReplyRequest;
use switchboard_testkit::{eventually, Harness};
use switchboard_whatsapp::encoding::to_meta_json;

/// A series' labels other than `le`, in order.
type Labels = Vec<(String, String)>;

/// One sample line of a scrape.
#[derive(Debug, Clone)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// A scrape read as Prometheus reads the text format (0.0.4); panics, naming the line, on
/// anything it could not read.
#[derive(Debug, Default)]
pub struct Scrape {
    pub samples: Vec<Sample>,
    pub help: HashMap<String, String>,
    pub kinds: HashMap<String, String>,
}

impl Scrape {
    pub fn parse(text: &str) -> Scrape {
        let mut scrape = Scrape::default();
        for (index, line) in text.lines().enumerate() {
            let at = index + 1;
            if line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix("# HELP ") {
                let (name, help) = rest.split_once(' ').unwrap_or((rest, ""));
                assert!(valid_name(name), "line {at}: bad metric name in {line:?}");
                assert!(
                    scrape.help.insert(name.into(), help.into()).is_none(),
                    "line {at}: second HELP for {name}"
                );
                continue;
            }
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').expect("TYPE has a name and a type");
                assert!(
                    ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                    "line {at}: unknown type {kind:?}"
                );
                assert!(
                    scrape.kinds.insert(name.into(), kind.into()).is_none(),
                    "line {at}: second TYPE for {name}"
                );
                continue;
            }
            assert!(
                !line.starts_with('#') || line.starts_with("# "),
                "line {at}: {line:?}"
            );
            if line.starts_with('#') {
                continue;
            }
            let sample =
                parse_sample(line).unwrap_or_else(|why| panic!("line {at}: {why}: {line:?}"));
            let family = scrape.family_of(&sample.name);
            assert!(
                scrape.help.contains_key(&family) && scrape.kinds.contains_key(&family),
                "line {at}: {} has no HELP and TYPE before it",
                sample.name
            );
            scrape.samples.push(sample);
        }
        scrape
    }

    /// The family a sample belongs to: a histogram's `_bucket`, `_sum` and `_count` are its.
    fn family_of(&self, name: &str) -> String {
        for suffix in ["_bucket", "_sum", "_count"] {
            if let Some(base) = name.strip_suffix(suffix) {
                if self.kinds.get(base).map(String::as_str) == Some("histogram") {
                    return base.into();
                }
            }
        }
        name.into()
    }

    /// The value of `name` with exactly these labels (a histogram's `le` aside).
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let wanted: BTreeMap<String, String> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.samples
            .iter()
            .find(|s| s.name == name && s.labels == wanted)
            .map(|s| s.value)
    }

    pub fn get(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.value(name, labels)
            .unwrap_or_else(|| panic!("{name}{labels:?} is in the scrape"))
    }

    /// Prometheus' own rules beyond the syntax: counters end in `_total`, and each histogram
    /// series has increasing `le` bounds, cumulative counts and `+Inf` equal to `_count`.
    pub fn check_conventions(&self) {
        for (family, kind) in &self.kinds {
            if kind == "counter" {
                assert!(
                    family.ends_with("_total"),
                    "counter {family} ends in _total"
                );
            }
            if kind != "histogram" {
                continue;
            }
            let mut series: BTreeMap<Labels, Vec<(f64, f64)>> = BTreeMap::new();
            for sample in self
                .samples
                .iter()
                .filter(|s| s.name == format!("{family}_bucket"))
            {
                let le = sample.labels.get("le").expect("a bucket has le");
                let bound = if le == "+Inf" {
                    f64::INFINITY
                } else {
                    le.parse().expect("le is a number")
                };
                let key = sample
                    .labels
                    .iter()
                    .filter(|(k, _)| *k != "le")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                series.entry(key).or_default().push((bound, sample.value));
            }
            assert!(
                family.ends_with("_seconds"),
                "histogram {family} is in seconds"
            );
            for (labels, buckets) in series {
                assert!(
                    buckets
                        .windows(2)
                        .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1),
                    "{family}{labels:?}: {buckets:?}"
                );
                let (last_bound, last_count) = *buckets.last().unwrap();
                assert_eq!(
                    last_bound,
                    f64::INFINITY,
                    "{family}{labels:?} ends with +Inf"
                );
                let borrowed: Vec<(&str, &str)> = labels
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                assert_eq!(
                    self.get(&format!("{family}_count"), &borrowed),
                    last_count,
                    "{family}{labels:?}"
                );
                assert!(self.value(&format!("{family}_sum"), &borrowed).is_some());
            }
        }
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn parse_sample(line: &str) -> Result<Sample, &'static str> {
    let name_end = line.find(['{', ' ']).ok_or("no value")?;
    let name = &line[..name_end];
    if !valid_name(name) {
        return Err("bad metric name");
    }
    let mut rest = &line[name_end..];
    let mut labels = BTreeMap::new();
    if let Some(mut inner) = rest.strip_prefix('{') {
        loop {
            if let Some(after) = inner.strip_prefix('}') {
                rest = after;
                break;
            }
            let (label, after) = inner.split_once("=\"").ok_or("label without =\"")?;
            if !valid_name(label) || label.contains(':') {
                return Err("bad label name");
            }
            let mut value = String::new();
            let mut escaped = false;
            let mut end = None;
            for (i, c) in after.char_indices() {
                match (escaped, c) {
                    (true, 'n') => value.push('\n'),
                    (true, '\\' | '"') => value.push(c),
                    (true, _) => return Err("bad escape"),
                    (false, '\\') => {}
                    (false, '"') => {
                        end = Some(i + 1);
                        break;
                    }
                    (false, c) => value.push(c),
                }
                escaped = !escaped && c == '\\';
            }
            let end = end.ok_or("unterminated label value")?;
            if labels.insert(label.to_string(), value).is_some() {
                return Err("label twice");
            }
            inner = &after[end..];
            if let Some(next) = inner.strip_prefix(',') {
                inner = next;
            } else if !inner.starts_with('}') {
                return Err("labels not separated by commas");
            }
        }
    }
    let mut parts = rest
        .strip_prefix(' ')
        .ok_or("no space before the value")?
        .split(' ');
    let raw = parts.next().ok_or("no value")?;
    let value = match raw {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        "NaN" => f64::NAN,
        number => number.parse().map_err(|_| "value is not a number")?,
    };
    if let Some(timestamp) = parts.next() {
        timestamp.parse::<i64>().map_err(|_| "bad timestamp")?;
    }
    if parts.next().is_some() {
        return Err("trailing text");
    }
    Ok(Sample {
        name: name.into(),
        labels,
        value,
    })
}

/// Scrapes `server` from loopback, as a Prometheus on the same machine does.
pub async fn scrape(server: &switchboard_testkit::TestServer) -> Scrape {
    let response = reqwest::get(format!("{}/metrics", server.url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let scrape = Scrape::parse(&response.text().await.unwrap());
    scrape.check_conventions();
    scrape
}

const CUSTOMERS: [&str; 4] = ["16505550101", "447700900202", "966501234303", "66812345404"];

#[tokio::test(flavor = "multi_thread")]
async fn counters_move_by_what_happened_and_labels_name_no_customer() {
    let h = Harness::start().await;
    let number = switchboard_testkit::numbers()[0].clone();
    h.server
        .create_user("ann", Role::Agent, &[&number.phone_number_id])
        .await;
    let before = scrape(&h.server).await;
    assert_eq!(before.get("switchboard_websocket_clients", &[]), 0.0);
    assert_eq!(
        before.get("switchboard_messages_ingested_total", &[("outcome", "new")]),
        0.0
    );

    let network = h.server.in_memory_transport();
    let desk = h.desk_over(&network, "ann").await;
    desk.online().await;
    assert_eq!(
        scrape(&h.server)
            .await
            .get("switchboard_websocket_clients", &[]),
        1.0
    );

    for (i, customer) in CUSTOMERS.iter().enumerate() {
        h.sim.customer_says(
            &number.phone_number_id,
            customer,
            "Customer",
            &format!("question {i}"),
        );
    }
    // One more, delivered twice: Meta redelivers what it thinks was not acknowledged.
    let again = to_meta_json(&h.sim.envelope(
        &number.phone_number_id,
        json!({ "contacts": [{ "profile": { "name": "Twice" }, "wa_id": "16505550999" }],
                "messages": [{ "from": "16505550999", "id": "wamid.metrics-twice", "timestamp": "1760000000",
                               "type": "text", "text": { "body": "hello?" } }] }),
    ));
    assert_eq!(h.sim.sender().post_once(&again, None).await.unwrap(), 200);
    assert_eq!(h.sim.sender().post_once(&again, None).await.unwrap(), 200);
    assert_eq!(
        h.sim
            .sender()
            .post_once(&again, Some("sha256=00"))
            .await
            .unwrap(),
        401
    );
    let customers = CUSTOMERS.len() as f64;
    let after = eventually(WAIT, "every webhook acknowledged and counted", || async {
        let scrape = scrape(&h.server).await;
        let acknowledged = h.sim.sender().stats().acknowledged as f64;
        let stored = scrape.get(
            "switchboard_webhook_requests_total",
            &[("outcome", "stored")],
        );
        (acknowledged == customers && stored == acknowledged + 2.0).then_some(scrape)
    })
    .await;
    assert_eq!(
        after.get("switchboard_messages_ingested_total", &[("outcome", "new")]),
        customers + 1.0
    );
    assert_eq!(
        after.get(
            "switchboard_messages_ingested_total",
            &[("outcome", "duplicate")]
        ),
        1.0
    );
    assert_eq!(
        after.get(
            "switchboard_webhook_requests_total",
            &[("outcome", "bad_signature")]
        ),
        1.0
    );
    assert_eq!(
        h.server.count("SELECT COUNT(*) FROM messages") as f64,
        customers + 1.0,
        "the counter and the database agree"
    );
    assert_eq!(after.get("switchboard_intake_queue_depth", &[]), 0.0);
    assert!(
        after.get(
            "switchboard_http_request_duration_seconds_count",
            &[
                ("route", "/webhooks/whatsapp"),
                ("method", "POST"),
                ("status", "2xx")
            ]
        ) >= customers + 2.0
    );
    assert_eq!(
        after.get(
            "switchboard_http_request_duration_seconds_count",
            &[
                ("route", "/webhooks/whatsapp"),
                ("method", "POST"),
                ("status", "4xx")
            ]
        ),
        1.0
    );

    // A reply goes through the governor's agent lane and one Graph call.
    let ws = desk.workstation.clone();
    let id = desk.first_conversation().await;
    let pending = ws
        .send_reply(SendReplyRequest {
            conversation_id: id,
            text: "On its way.".into(),
        })
        .unwrap();
    eventually(WAIT, "the reply accepted by Meta", || async {
        ws.messages(id).unwrap().into_iter().find(|m| {
            m.key == pending.key
                && (DeliveryStatus::Accepted..=DeliveryStatus::Played).contains(&m.status)
        })
    })
    .await;
    let replied = scrape(&h.server).await;
    assert_eq!(h.sim.sent().len(), 1);
    assert_eq!(
        replied.get(
            "switchboard_send_duration_seconds_count",
            &[("outcome", "accepted")]
        ),
        1.0
    );
    assert_eq!(
        replied.get(
            "switchboard_send_duration_seconds_count",
            &[("outcome", "refused")]
        ),
        0.0
    );
    assert_eq!(
        replied.get(
            "switchboard_governor_wait_seconds_count",
            &[("lane", "agent")]
        ),
        1.0
    );
    assert_eq!(
        replied.get(
            "switchboard_governor_wait_seconds_count",
            &[("lane", "broadcast")]
        ),
        0.0
    );
    for lane in ["agent", "automatic", "broadcast"] {
        assert_eq!(
            replied.get("switchboard_outbound_queue_depth", &[("lane", lane)]),
            0.0
        );
        assert_eq!(
            replied.get("switchboard_governor_waiting", &[("lane", lane)]),
            0.0
        );
    }
    assert_eq!(
        replied.get("switchboard_meta_rate_limited_total", &[("code", "130429")]),
        0.0
    );
    assert!(replied.get("switchboard_statuses_ingested_total", &[]) >= 1.0);
    assert_eq!(
        replied.get("switchboard_broadcast_recipients_pending", &[]),
        0.0
    );
    assert_eq!(replied.get("switchboard_bot_hook_calls_pending", &[]), 0.0);
    assert!(replied.get("switchboard_db_wait_seconds_count", &[]) > 0.0);
    // Routes are templates: the conversation's id is not a label.
    assert_eq!(
        replied.get(
            "switchboard_http_request_duration_seconds_count",
            &[
                ("route", "/api/v1/conversations/{id}/messages"),
                ("method", "POST"),
                ("status", "2xx")
            ]
        ),
        1.0
    );
    if cfg!(target_os = "linux") {
        assert!(replied.get("process_resident_memory_bytes", &[]) > 0.0);
        assert!(replied.get("process_open_fds", &[]) > 0.0);
        assert!(replied.get("process_start_time_seconds", &[]) > 1.6e9);
    }

    // No customer, business number or id in any label.
    let mut personal: Vec<String> = CUSTOMERS.iter().map(|c| c.to_string()).collect();
    personal.push("16505550999".into());
    for n in switchboard_testkit::numbers() {
        personal.push(n.phone_number_id.clone());
        personal.push(
            n.display_phone_number
                .chars()
                .filter(char::is_ascii_digit)
                .collect(),
        );
    }
    for sample in &replied.samples {
        for (label, value) in &sample.labels {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            for number in &personal {
                assert!(
                    !digits.contains(number.as_str()),
                    "{}{{{label}={value:?}}} holds {number}",
                    sample.name
                );
            }
        }
    }

    // The desk loses its network, then finds it again.
    network.go_offline();
    eventually(WAIT, "the gauge to drop when the desk goes", || async {
        (scrape(&h.server)
            .await
            .get("switchboard_websocket_clients", &[])
            == 0.0)
            .then_some(())
    })
    .await;
    network.go_online();
    eventually(WAIT, "the gauge to count the desk back", || async {
        (scrape(&h.server)
            .await
            .get("switchboard_websocket_clients", &[])
            == 1.0)
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_are_for_loopback_or_the_token_never_through_a_proxy() {
    let h = Harness::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/metrics", h.server.url());
    // A reverse proxy on this machine forwards the world's requests from loopback.
    let proxied = http
        .get(&url)
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), 403);
    assert!(proxied.text().await.unwrap().contains("[metrics]"));
    // /readyz and /healthz are for load balancers: open to anyone.
    let ready = http
        .get(format!("{}/readyz", h.server.url()))
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);

    let h = Harness::start_adjusted(
        |_| {},
        |settings| {
            settings.metrics.token = Some(switchboard_server::settings::Secret::new(
                "scrape-me-0123456789",
            ));
            settings.metrics.allow = Vec::new();
        },
    )
    .await;
    let url = format!("{}/metrics", h.server.url());
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        403,
        "loopback alone no longer enough"
    );
    let wrong = http
        .get(&url)
        .bearer_auth("scrape-me")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = http
        .get(&url)
        .bearer_auth("scrape-me-0123456789")
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    Scrape::parse(&right.text().await.unwrap()).check_conventions();

    let h = Harness::start_adjusted(|_| {}, |settings| settings.metrics.enabled = false).await;
    let off = http
        .get(format!("{}/metrics", h.server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 404);
}
