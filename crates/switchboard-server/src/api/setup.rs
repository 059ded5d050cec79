//! What admins read about the server's setup: routing as configured (`GET /routing`) and the
//! business numbers (`GET /numbers`). Both are read-only: routing is edited in the settings
//! file, and a number's access token never leaves the server.

use super::{ApiFailure, AuthUser};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::Arc;
use switchboard_domain::Permission;
use switchboard_protocol::{AgentRouting, NumberSummary, QueueRules, RoutingOverview, SkillLevel};

/// `GET /routing` (admins).
pub async fn routing(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<RoutingOverview>, ApiFailure> {
    caller.require(Permission::ManageNumbers)?;
    let settings = state.settings.routing.clone();
    let (queues, agents) = state
        .db
        .call(|conn| -> Result<_, ApiFailure> { Ok((queues(conn)?, agents(conn)?)) })
        .await?;
    Ok(Json(RoutingOverview {
        default_capacity: settings.default_capacity,
        max_capacity: settings.max_capacity,
        grace_seconds: settings.grace_seconds,
        heartbeat_timeout_seconds: settings.heartbeat_timeout_seconds,
        queues,
        priority_tags: settings.priority_tags,
        agents,
    }))
}

/// Queues as the database holds them (the settings file, applied at start).
fn queues(conn: &Connection) -> rusqlite::Result<Vec<QueueRules>> {
    conn.prepare(
        "SELECT q.phone_number_id, q.team_id, COALESCE(n.name, t.name, q.phone_number_id, ''),
                q.strategy, q.sticky_days, q.sla_minutes, q.sla_action, q.waiting_message,
                json_extract(q.business_hours, '$.time_zone')
         FROM queues q
         LEFT JOIN numbers n ON n.phone_number_id = q.phone_number_id
         LEFT JOIN teams t ON t.id = q.team_id
         ORDER BY q.team_id IS NOT NULL, 3",
    )?
    .query_map([], |r| {
        Ok(QueueRules {
            phone_number_id: r.get(0)?,
            team_id: r.get(1)?,
            name: r.get(2)?,
            strategy: r.get(3)?,
            sticky_days: r.get(4)?,
            sla_minutes: r.get(5)?,
            sla_action: r.get(6)?,
            waiting_message: r.get(7)?,
            business_hours_time_zone: r.get(8)?,
        })
    })?
    .collect()
}

fn agents(conn: &Connection) -> rusqlite::Result<Vec<AgentRouting>> {
    let mut skills: HashMap<i64, Vec<SkillLevel>> = HashMap::new();
    for row in conn
        .prepare("SELECT user_id, skill, level FROM agent_skills ORDER BY user_id, skill")?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
            ))
        })?
    {
        let (user, skill, level) = row?;
        skills
            .entry(user)
            .or_default()
            .push(SkillLevel { skill, level });
    }
    let mut numbers: HashMap<i64, Vec<String>> = HashMap::new();
    for row in conn
        .prepare(
            "SELECT user_id, phone_number_id FROM user_numbers ORDER BY user_id, phone_number_id",
        )?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
    {
        let (user, number) = row?;
        numbers.entry(user).or_default().push(number);
    }
    conn.prepare("SELECT id, max_open, open_count FROM users WHERE role = 'agent' ORDER BY id")?
        .query_map([], |r| {
            let user_id: i64 = r.get(0)?;
            Ok(AgentRouting {
                user_id,
                max_open: r.get(1)?,
                open: r.get(2)?,
                skills: skills.remove(&user_id).unwrap_or_default(),
                numbers: numbers.remove(&user_id).unwrap_or_default(),
            })
        })?
        .collect()
}

/// `GET /numbers` (admins): the configured numbers, without their access tokens.
pub async fn numbers(
    State(state): State<Arc<AppState>>,
    caller: AuthUser,
) -> Result<Json<Vec<NumberSummary>>, ApiFailure> {
    caller.require(Permission::ManageNumbers)?;
    let mut list: Vec<NumberSummary> = state
        .settings
        .numbers
        .iter()
        .map(|n| NumberSummary {
            phone_number_id: n.phone_number_id.clone(),
            display_number: format!("+{}", n.display_phone_number.trim_start_matches('+')),
            name: n.name.clone(),
            waba_id: n.waba_id.clone(),
            throughput_per_second: n.throughput(),
            shared_with_business_app: n.shared_with_business_app,
        })
        .collect();
    list.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.phone_number_id.cmp(&b.phone_number_id))
    });
    Ok(Json(list))
}
