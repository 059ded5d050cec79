//! Choosing an agent for a conversation: pure functions over a snapshot of the eligible agents,
//! so every strategy is property-tested without a database.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How a queue picks among its eligible agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The agent whose last assignment is the oldest.
    #[default]
    RoundRobin,
    /// The fewest open conversations across every number; ties go to the agent idle longest.
    LeastLoad,
    /// Only agents holding every skill the conversation needs, at its level; the best match
    /// first, then the least loaded.
    Skills,
    /// The agent who last helped this customer, while they are available with room;
    /// otherwise round robin.
    Sticky,
    /// Nobody is assigned: agents claim conversations from the shared queue.
    Manual,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::RoundRobin => "round_robin",
            Strategy::LeastLoad => "least_load",
            Strategy::Skills => "skills",
            Strategy::Sticky => "sticky",
            Strategy::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Strategy> {
        Some(match s {
            "round_robin" => Strategy::RoundRobin,
            "least_load" => Strategy::LeastLoad,
            "skills" => Strategy::Skills,
            "sticky" => Strategy::Sticky,
            "manual" => Strategy::Manual,
            _ => return None,
        })
    }
}

/// An agent who may take conversations of the queue, as things stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub user_id: i64,
    /// Open conversations the agent holds, on every number.
    pub open: u32,
    /// How many they may hold at once.
    pub capacity: u32,
    /// Global turn of their last assignment: lower is longer ago.
    pub last_turn: i64,
    /// Skill → level (1–10).
    pub skills: HashMap<String, u8>,
}

/// What one conversation asks of its agent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Need {
    /// Skills required, with the minimum level of each.
    pub skills: Vec<(String, u8)>,
    /// The agent who helped this customer last, within the queue's sticky period.
    pub sticky: Option<i64>,
    /// An agent who must not get it (the one whose time to answer ran out).
    pub exclude: Option<i64>,
}

/// Picks an agent among `agents` who is available (online and not away), has room, and is
/// not excluded; `None` when nobody qualifies or the queue is manual.
pub fn choose(
    strategy: Strategy,
    agents: &[Agent],
    available: &HashSet<i64>,
    need: &Need,
) -> Option<i64> {
    let eligible = agents.iter().filter(|a| {
        available.contains(&a.user_id) && a.open < a.capacity && need.exclude != Some(a.user_id)
    });
    let round_robin = |agents: &mut dyn Iterator<Item = &Agent>| {
        agents
            .min_by_key(|a| (a.last_turn, a.user_id))
            .map(|a| a.user_id)
    };
    match strategy {
        Strategy::Manual => None,
        Strategy::RoundRobin => round_robin(&mut eligible.into_iter()),
        Strategy::Sticky => {
            let mut eligible: Vec<&Agent> = eligible.collect();
            match need.sticky {
                Some(id) if eligible.iter().any(|a| a.user_id == id) => Some(id),
                _ => round_robin(&mut eligible.drain(..)),
            }
        }
        Strategy::LeastLoad => eligible
            .min_by_key(|a| (a.open, a.last_turn, a.user_id))
            .map(|a| a.user_id),
        Strategy::Skills => eligible
            .filter_map(|a| match_score(a, &need.skills).map(|score| (a, score)))
            .min_by_key(|(a, score)| (std::cmp::Reverse(*score), a.open, a.last_turn, a.user_id))
            .map(|(a, _)| a.user_id),
    }
}

/// How well `agent` covers `required`: the sum of their levels in the required skills, or
/// `None` when they lack one or hold it below the level asked.
fn match_score(agent: &Agent, required: &[(String, u8)]) -> Option<u32> {
    required.iter().try_fold(0u32, |sum, (skill, level)| {
        let held = *agent.skills.get(skill)?;
        (held >= *level).then_some(sum + u32::from(held))
    })
}

#[cfg(test)]
mod tests {
    use super::Strategy;
    use super::*;
    use proptest::prelude::*;

    fn agent(user_id: i64, open: u32, capacity: u32, last_turn: i64) -> Agent {
        Agent {
            user_id,
            open,
            capacity,
            last_turn,
            skills: HashMap::new(),
        }
    }

    fn all(agents: &[Agent]) -> HashSet<i64> {
        agents.iter().map(|a| a.user_id).collect()
    }

    #[test]
    fn least_load_prefers_fewest_open_then_longest_idle() {
        let agents = [agent(1, 3, 7, 0), agent(2, 1, 7, 9), agent(3, 1, 7, 4)];
        let pick = choose(
            Strategy::LeastLoad,
            &agents,
            &all(&agents),
            &Need::default(),
        );
        assert_eq!(pick, Some(3));
    }

    #[test]
    fn skills_take_the_best_match_and_never_an_unqualified_agent() {
        let mut arabic_expert = agent(1, 5, 7, 0);
        arabic_expert.skills.insert("ar".into(), 9);
        let mut arabic_novice = agent(2, 0, 7, 0);
        arabic_novice.skills.insert("ar".into(), 2);
        let thai_only = agent(3, 0, 7, 0);
        let agents = [arabic_expert, arabic_novice, thai_only];
        let need = Need {
            skills: vec![("ar".into(), 1)],
            ..Need::default()
        };
        assert_eq!(
            choose(Strategy::Skills, &agents, &all(&agents), &need),
            Some(1)
        );
        let need = Need {
            skills: vec![("ar".into(), 10)],
            ..Need::default()
        };
        assert_eq!(
            choose(Strategy::Skills, &agents, &all(&agents), &need),
            None
        );
    }

    #[test]
    fn sticky_returns_to_the_last_agent_only_while_they_have_room() {
        let agents = [agent(1, 0, 7, 0), agent(2, 7, 7, 5)];
        let need = Need {
            sticky: Some(2),
            ..Need::default()
        };
        assert_eq!(
            choose(Strategy::Sticky, &agents, &all(&agents), &need),
            Some(1),
            "full: routed normally"
        );
        let agents = [agent(1, 0, 7, 0), agent(2, 6, 7, 5)];
        assert_eq!(
            choose(Strategy::Sticky, &agents, &all(&agents), &need),
            Some(2)
        );
        let online: HashSet<i64> = [1].into();
        assert_eq!(
            choose(Strategy::Sticky, &agents, &online, &need),
            Some(1),
            "offline: routed normally"
        );
    }

    #[test]
    fn manual_queues_assign_nobody() {
        let agents = [agent(1, 0, 7, 0)];
        assert_eq!(
            choose(Strategy::Manual, &agents, &all(&agents), &Need::default()),
            None
        );
    }

    fn strategies() -> impl proptest::strategy::Strategy<Value = Strategy> {
        prop_oneof![
            Just(super::Strategy::RoundRobin),
            Just(super::Strategy::LeastLoad),
            Just(super::Strategy::Skills),
            Just(super::Strategy::Sticky),
        ]
    }

    proptest! {
        /// Whatever the strategy, the pick is available, has room, is not excluded, and holds
        /// the skills asked for; and when nobody is picked, nobody qualified.
        #[test]
        fn the_pick_always_qualifies(
            strategy in strategies(),
            agents in proptest::collection::vec((0u32..9, 1u32..9, 0i64..20, proptest::bool::ANY, 0u8..4), 0..8),
            needs_skill in 0u8..4,
            sticky in proptest::option::of(0i64..8),
            exclude in proptest::option::of(0i64..8),
        ) {
            let agents: Vec<Agent> = agents.iter().enumerate().map(|(i, (open, capacity, turn, _, level))| {
                let mut a = agent(i as i64, *open, *capacity, *turn);
                if *level > 0 { a.skills.insert("ar".into(), *level); }
                a
            }).collect();
            let available: HashSet<i64> = agents.iter().zip(0..)
                .filter(|(_, i)| i % 3 != 1).map(|(a, _)| a.user_id).collect();
            let need = Need {
                skills: if needs_skill > 0 { vec![("ar".into(), needs_skill)] } else { vec![] },
                sticky,
                exclude,
            };
            let qualifies = |a: &Agent| available.contains(&a.user_id) && a.open < a.capacity
                && exclude != Some(a.user_id)
                && (strategy != super::Strategy::Skills || match_score(a, &need.skills).is_some());
            match choose(strategy, &agents, &available, &need) {
                Some(id) => {
                    let picked = agents.iter().find(|a| a.user_id == id).unwrap();
                    prop_assert!(qualifies(picked), "picked {:?}", picked);
                }
                None => prop_assert!(!agents.iter().any(qualifies), "nobody picked though someone qualified"),
            }
        }
    }
}
