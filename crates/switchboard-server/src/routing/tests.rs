//! Routing against a real database, driven by random sequences of customers writing, agents
//! coming and going, resolutions and transfers. After every step the rules that must always
//! hold are checked with SQL against what is stored.

use super::Strategy;
use super::*;
use crate::db::Db;
use crate::ingest;
use proptest::prelude::*;
use proptest::strategy::Strategy as _;
use switchboard_domain::Role;
use switchboard_whatsapp::webhook::WebhookPayload;

const NUMBERS: [&str; 2] = ["1001", "1002"];

struct World {
    _dir: tempfile::TempDir,
    db: Db,
    agents: Vec<i64>,
    available: HashSet<i64>,
    away: HashSet<i64>,
    now: i64,
    next_wamid: u64,
}

impl World {
    /// Agents with their capacities and the numbers (indexes into NUMBERS) they answer.
    fn new(agents: &[(u32, Vec<usize>)], queue: Strategy) -> World {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("routing.db")).unwrap();
        let ids = db.call_blocking(|conn| {
            for number in NUMBERS {
                conn.execute(
                    "INSERT INTO numbers VALUES (?1, ?1, 'n' || ?1, 'w')",
                    [number],
                )
                .unwrap();
                conn.execute(
                    "INSERT INTO queues (phone_number_id, strategy) VALUES (?1, ?2)",
                    params![number, queue.as_str()],
                )
                .unwrap();
            }
            agents
                .iter()
                .enumerate()
                .map(|(i, (capacity, numbers))| {
                    let numbers: Vec<String> =
                        numbers.iter().map(|n| NUMBERS[*n].to_owned()).collect();
                    let id = crate::store::users::insert(
                        conn,
                        &format!("agent{i}"),
                        &format!("Agent {i}"),
                        "x",
                        Role::Agent,
                        &numbers,
                    )
                    .unwrap()
                    .id;
                    conn.execute(
                        "UPDATE users SET max_open = ?2 WHERE id = ?1",
                        params![id, capacity],
                    )
                    .unwrap();
                    id
                })
                .collect()
        });
        World {
            _dir: dir,
            db,
            agents: ids,
            available: HashSet::new(),
            away: HashSet::new(),
            now: 1_000,
            next_wamid: 0,
        }
    }

    fn ctx(&self) -> Ctx {
        Ctx {
            available: std::sync::Arc::new(self.available.clone()),
            default_capacity: 7,
            now: self.now,
            filter: std::sync::Arc::new(crate::screen::ActiveFilter::none()),
            auto_replies: std::sync::Arc::new(
                switchboard_automation::RuleSet::compile(Vec::new()).expect("no rules compile"),
            ),
            courtesy: Default::default(),
            calendars: Default::default(),
            opt_out: Default::default(),
        }
    }

    /// Runs `f` in a transaction, committing only when it succeeds.
    fn step<T>(&mut self, f: impl FnOnce(&Connection, &Ctx) -> Result<T, RoutingError>) {
        self.now += 1_000;
        let ctx = self.ctx();
        self.db.call_blocking(|conn| {
            let tx = conn.transaction().unwrap();
            if f(&tx, &ctx).is_ok() {
                tx.commit().unwrap();
            }
        });
    }

    /// A customer writes to a number, through the real webhook ingest.
    fn customer_writes(&mut self, customer: usize, number: usize) {
        self.next_wamid += 1;
        let payload = serde_json::json!({ "object": "whatsapp_business_account", "entry": [{ "id": "w",
            "changes": [{ "field": "messages", "value": { "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "1", "phone_number_id": NUMBERS[number] },
            "contacts": [{ "profile": { "name": "C" }, "wa_id": format!("55{customer}") }],
            "messages": [{ "from": format!("55{customer}"), "id": format!("wamid.{}", self.next_wamid),
                "timestamp": "1", "type": "text", "text": { "body": "hi" } }] } }] }] });
        let raw = serde_json::to_vec(&payload).unwrap();
        let payload: WebhookPayload = serde_json::from_slice(&raw).unwrap();
        let known: HashSet<String> = NUMBERS.iter().map(|n| n.to_string()).collect();
        self.step(|conn, ctx| Ok(ingest::apply(conn, "t", &raw, &payload, &known, ctx)?));
    }

    fn query<T: rusqlite::types::FromSql>(&self, sql: &str) -> Vec<Vec<T>> {
        self.db.call_blocking(|conn| {
            let mut stmt = conn.prepare(sql).unwrap();
            let columns = stmt.column_count();
            stmt.query_map([], |r| (0..columns).map(|i| r.get(i)).collect())
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        })
    }

    /// The rules that must hold whatever happened.
    fn check(&self, strategy: Strategy) -> Result<(), TestCaseError> {
        // Nobody holds more than their limit.
        for row in self.query::<i64>(
            "SELECT u.id, u.max_open, (SELECT COUNT(*) FROM conversations c
                 WHERE c.assigned_user_id = u.id AND c.status = 'open') FROM users u",
        ) {
            prop_assert!(
                row[2] <= row[1],
                "agent {} holds {} of {}",
                row[0],
                row[2],
                row[1]
            );
        }
        // The kept count routing reads matches what is stored.
        let drift = self.query::<i64>(
            "SELECT id FROM users u WHERE open_count <> (SELECT COUNT(*) FROM conversations c
                 WHERE c.assigned_user_id = u.id AND c.status = 'open')",
        );
        prop_assert!(drift.is_empty(), "open counts drifted for {:?}", drift);
        // Whoever holds an open conversation answers its number.
        let foreign = self.query::<i64>(
            "SELECT c.id FROM conversations c WHERE c.status = 'open' AND c.assigned_user_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM user_numbers un WHERE un.user_id = c.assigned_user_id
                               AND un.phone_number_id = c.phone_number_id)",
        );
        prop_assert!(
            foreign.is_empty(),
            "held by agents who do not answer the number: {:?}",
            foreign
        );
        // Offline agents hold nothing (their grace period is over at once here).
        for row in self.query::<i64>(
            "SELECT assigned_user_id FROM conversations WHERE status = 'open' AND assigned_user_id IS NOT NULL",
        ) {
            prop_assert!(self.available.contains(&row[0]) || self.away.contains(&row[0]),
                "offline agent {} still holds a conversation", row[0]);
        }
        // No available agent with room is idle while someone waits for their number.
        if strategy != Strategy::Manual {
            let idle = self.query::<i64>(
                "SELECT c.id, u.id, COALESCE(u.max_open, 7), (SELECT COUNT(*) FROM conversations o
                     WHERE o.assigned_user_id = u.id AND o.status = 'open')
                 FROM conversations c JOIN user_numbers un ON un.phone_number_id = c.phone_number_id
                 JOIN users u ON u.id = un.user_id
                 WHERE c.status = 'open' AND c.assigned_user_id IS NULL",
            );
            for row in idle {
                prop_assert!(
                    !(self.available.contains(&row[1]) && row[3] < row[2]),
                    "conversation {} waits while agent {} is available with {} of {}",
                    row[0],
                    row[1],
                    row[3],
                    row[2]
                );
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
enum Op {
    Writes {
        customer: usize,
        number: usize,
    },
    Online(usize),
    Away(usize),
    /// Offline past the grace period.
    Gone(usize),
    Resolve(usize),
    Transfer {
        conversation: usize,
        to: usize,
    },
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..12, 0usize..2).prop_map(|(customer, number)| Op::Writes { customer, number }),
        2 => (0usize..5).prop_map(Op::Online),
        1 => (0usize..5).prop_map(Op::Away),
        1 => (0usize..5).prop_map(Op::Gone),
        2 => (0usize..30).prop_map(Op::Resolve),
        1 => (0usize..30, 0usize..5).prop_map(|(conversation, to)| Op::Transfer { conversation, to }),
    ]
}

fn agents() -> impl proptest::strategy::Strategy<Value = Vec<(u32, Vec<usize>)>> {
    proptest::collection::vec(
        (
            1u32..4,
            prop_oneof![Just(vec![0]), Just(vec![1]), Just(vec![0, 1])],
        ),
        5,
    )
}

fn strategy() -> impl proptest::strategy::Strategy<Value = Strategy> {
    prop_oneof![
        Just(Strategy::RoundRobin),
        Just(Strategy::LeastLoad),
        Just(Strategy::Sticky),
    ]
}

impl World {
    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Writes { customer, number } => self.customer_writes(customer, number),
            Op::Online(i) => {
                let agent = self.agents[i];
                self.away.remove(&agent);
                self.available.insert(agent);
                self.step(|conn, ctx| Ok(drain(conn, ctx)?));
            }
            Op::Away(i) => {
                let agent = self.agents[i];
                if self.available.remove(&agent) {
                    self.away.insert(agent);
                }
            }
            Op::Gone(i) => {
                let agent = self.agents[i];
                self.available.remove(&agent);
                self.away.remove(&agent);
                self.step(|conn, ctx| Ok(release(conn, ctx, agent)?));
            }
            Op::Resolve(k) => {
                let ids = self
                    .query::<i64>("SELECT id FROM conversations WHERE status = 'open' ORDER BY id");
                if let Some(id) = ids.get(k % ids.len().max(1)).map(|r| r[0]) {
                    self.step(|conn, ctx| resolve(conn, ctx, id));
                }
            }
            Op::Transfer { conversation, to } => {
                let agent = self.agents[to];
                if !self.available.contains(&agent) {
                    return;
                }
                // Only to an agent who answers the conversation's number.
                let ids = self.query::<i64>(&format!(
                    "SELECT c.id FROM conversations c JOIN user_numbers un
                       ON un.phone_number_id = c.phone_number_id AND un.user_id = {agent}
                     WHERE c.status = 'open' AND c.assigned_user_id IS NOT NULL ORDER BY c.id"
                ));
                if let Some(id) = ids.get(conversation % ids.len().max(1)).map(|r| r[0]) {
                    self.step(|conn, ctx| transfer_to_agent(conn, ctx, id, agent, false));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever happens: no agent over their limit, only agents of the number hold its
    /// conversations, offline agents hold nothing, and no available agent with room stays
    /// idle while a conversation of their number waits.
    #[test]
    fn routing_rules_always_hold(
        agents in agents(),
        strategy in strategy(),
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let mut world = World::new(&agents, strategy);
        for op in &ops {
            world.apply(op);
            world.check(strategy)?;
        }
    }

    /// One queue, everyone online with room to spare, only new customers: round robin hands
    /// out conversations evenly, within one.
    #[test]
    fn round_robin_is_even_within_one(agent_count in 1usize..5, customers in 1usize..25) {
        let agents: Vec<(u32, Vec<usize>)> = (0..agent_count).map(|_| (30, vec![0])).collect();
        let mut world = World::new(&agents, Strategy::RoundRobin);
        for i in 0..agent_count {
            world.apply(&Op::Online(i));
        }
        for customer in 0..customers {
            world.customer_writes(customer, 0);
        }
        let counts: Vec<i64> = world
            .query::<i64>("SELECT (SELECT COUNT(*) FROM conversations c WHERE c.assigned_user_id = u.id) FROM users u")
            .into_iter()
            .map(|r| r[0])
            .collect();
        let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
        prop_assert!(max - min <= 1, "counts {:?}", counts);
        prop_assert_eq!(counts.iter().sum::<i64>(), customers as i64);
    }
}

#[test]
fn manual_queues_wait_for_a_claim() {
    let mut world = World::new(&[(3, vec![0])], Strategy::Manual);
    world.apply(&Op::Online(0));
    world.customer_writes(1, 0);
    let waiting = world.query::<i64>("SELECT id FROM conversations WHERE assigned_user_id IS NULL");
    assert_eq!(waiting.len(), 1, "nobody is assigned from a manual queue");
    let agent = world.agents[0];
    let id = waiting[0][0];
    world.step(|conn, ctx| claim(conn, ctx, id, agent));
    let held = world.query::<i64>("SELECT assigned_user_id FROM conversations");
    assert_eq!(held, vec![vec![agent]]);
}

#[test]
fn a_returning_customer_goes_back_to_their_agent_when_sticky() {
    let mut world = World::new(&[(5, vec![0]), (5, vec![0])], Strategy::Sticky);
    world.apply(&Op::Online(0));
    world.apply(&Op::Online(1));
    world.customer_writes(1, 0);
    let first: i64 = world.query::<i64>("SELECT assigned_user_id FROM conversations")[0][0];
    world.apply(&Op::Resolve(0));
    // Round robin alone would now pick the other agent.
    world.customer_writes(1, 0);
    let again: i64 = world.query::<i64>("SELECT assigned_user_id FROM conversations")[0][0];
    assert_eq!(again, first);
}

#[test]
fn priority_goes_first_then_longest_waiting() {
    let mut world = World::new(&[(1, vec![0])], Strategy::RoundRobin);
    for customer in 0..3 {
        world.customer_writes(customer, 0);
    }
    let ids: Vec<i64> = world
        .query::<i64>("SELECT id FROM conversations ORDER BY id")
        .into_iter()
        .map(|r| r[0])
        .collect();
    world.step(|conn, _| set_priority(conn, ids[2], 5));
    world.apply(&Op::Online(0));
    let held =
        world.query::<i64>("SELECT id FROM conversations WHERE assigned_user_id IS NOT NULL");
    assert_eq!(held, vec![vec![ids[2]]], "the urgent one first");
    world.step(|conn, ctx| resolve(conn, ctx, ids[2]));
    let held = world.query::<i64>(
        "SELECT id FROM conversations WHERE assigned_user_id IS NOT NULL AND status = 'open'",
    );
    assert_eq!(held, vec![vec![ids[0]]], "then the one waiting longest");
}

#[test]
fn an_unanswered_conversation_moves_on_when_its_time_runs_out() {
    let mut world = World::new(&[(5, vec![0]), (5, vec![0])], Strategy::RoundRobin);
    world.db.call_blocking(|conn| {
        conn.execute(
            "UPDATE queues SET sla_minutes = 5, sla_action = 'reassign' WHERE phone_number_id = ?1",
            [NUMBERS[0]],
        )
        .unwrap();
    });
    world.apply(&Op::Online(0));
    world.customer_writes(1, 0);
    world.apply(&Op::Online(1));
    let first: i64 = world.query::<i64>("SELECT assigned_user_id FROM conversations")[0][0];
    world.now += 6 * 60_000;
    world.step(|conn, ctx| Ok(timers::run_due(conn, ctx)?));
    let now_held: i64 = world.query::<i64>("SELECT assigned_user_id FROM conversations")[0][0];
    assert_ne!(now_held, first, "reassigned to the other agent");
    let alerts = world.query::<String>("SELECT payload FROM events WHERE payload LIKE '%alert%'");
    assert_eq!(alerts.len(), 1, "supervisors were told");
    let breaches =
        world.query::<i64>("SELECT user_id FROM conversation_marks WHERE kind = 'sla_breach'");
    assert_eq!(
        breaches,
        vec![vec![first]],
        "the breach is counted against the first agent"
    );
}

#[test]
fn time_to_answer_counts_only_business_hours() {
    let mut world = World::new(&[(5, vec![0]), (5, vec![0])], Strategy::RoundRobin);
    let hours = serde_json::json!({ "time_zone": "UTC",
        "openings": [{ "days": ["mon"], "from": "09:00", "until": "17:00" }] });
    world.db.call_blocking(|conn| {
        conn.execute(
            "UPDATE queues SET sla_minutes = 5, business_hours = ?2 WHERE phone_number_id = ?1",
            params![NUMBERS[0], hours.to_string()],
        )
        .unwrap();
    });
    world.apply(&Op::Online(0));
    world.apply(&Op::Online(1));
    // The world's clock starts on Thursday 1 January 1970: the five minutes start on Monday.
    world.customer_writes(1, 0);
    let due: i64 = world.query::<i64>("SELECT sla_due_at FROM conversations")[0][0];
    let monday_nine_oh_five = (4 * 24 * 60 + 9 * 60 + 5) * 60_000;
    assert_eq!(due, monday_nine_oh_five);
    let first: i64 = world.query::<i64>("SELECT assigned_user_id FROM conversations")[0][0];
    world.now += 60 * 60_000; // an hour of wall time, none of business time
    world.step(|conn, ctx| Ok(timers::run_due(conn, ctx)?));
    let held: i64 = world.query::<i64>("SELECT assigned_user_id FROM conversations")[0][0];
    assert_eq!(held, first, "closed hours do not count");
}

#[test]
fn customers_who_wait_are_told_their_place_in_line() {
    let mut world = World::new(&[(5, vec![0])], Strategy::RoundRobin);
    world.db.call_blocking(|conn| {
        conn.execute(
            "UPDATE queues SET waiting_message = 'You are number {position} in line.' WHERE phone_number_id = ?1",
            [NUMBERS[0]],
        )
        .unwrap();
    });
    world.customer_writes(1, 0);
    world.customer_writes(2, 0);
    world.customer_writes(1, 0); // writing again in the same wait says nothing new
    let told = world.query::<String>(
        "SELECT text FROM messages WHERE direction = 'outbound' AND sender_user_id IS NULL ORDER BY id",
    );
    assert_eq!(
        told,
        vec![
            vec!["You are number 1 in line.".to_string()],
            vec!["You are number 2 in line.".to_string()]
        ]
    );
    // With an agent available nobody waits, so nobody is told anything.
    world.apply(&Op::Online(0));
    world.customer_writes(3, 0);
    let told = world.query::<i64>("SELECT COUNT(*) FROM messages WHERE direction = 'outbound'");
    assert_eq!(told, vec![vec![2]]);
}

#[test]
fn a_priority_tag_moves_a_conversation_up_the_line_and_off_it_again() {
    let mut world = World::new(&[(1, vec![0])], Strategy::RoundRobin);
    world.db.call_blocking(|conn| {
        conn.execute(
            "INSERT INTO priority_tags (tag, priority) VALUES ('vip', 10)",
            [],
        )
        .unwrap();
    });
    for customer in 0..3 {
        world.customer_writes(customer, 0);
    }
    let ids: Vec<i64> = world
        .query::<i64>("SELECT id FROM conversations ORDER BY id")
        .into_iter()
        .map(|r| r[0])
        .collect();
    world.step(|conn, ctx| set_tags(conn, ctx, ids[1], &[" VIP ".into(), "refund".into()]));
    let stored = world.query::<String>(&format!(
        "SELECT tags FROM conversations WHERE id = {}",
        ids[1]
    ));
    assert_eq!(stored, vec![vec![r#"["refund","vip"]"#.to_string()]]);
    world.step(|conn, ctx| set_tags(conn, ctx, ids[2], &["refund".into()]));
    let priorities = world.query::<i64>("SELECT priority FROM conversations ORDER BY id");
    assert_eq!(priorities, vec![vec![0], vec![10], vec![0]]);
    world.apply(&Op::Online(0));
    let held =
        world.query::<i64>("SELECT id FROM conversations WHERE assigned_user_id IS NOT NULL");
    assert_eq!(held, vec![vec![ids[1]]], "the VIP goes first");
    // Without the tag it is back to the ordinary line.
    world.step(|conn, ctx| set_tags(conn, ctx, ids[1], &[]));
    assert_eq!(
        world.query::<i64>(&format!(
            "SELECT priority FROM conversations WHERE id = {}",
            ids[1]
        )),
        vec![vec![0]]
    );
}
