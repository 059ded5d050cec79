//! Teams and queues come from the settings file; this writes them into the database, where
//! routing decisions read them inside their transaction.

use crate::settings::RoutingSettings;
use rusqlite::{params, Connection, OptionalExtension};

/// Makes the database's teams, memberships and queues match `settings`. Members are linked by
/// username; a username with no user yet is linked once that user is created (this runs again
/// then).
pub fn apply(conn: &Connection, settings: &RoutingSettings) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM queues", [])?;
    conn.execute("DELETE FROM priority_tags", [])?;
    for (tag, priority) in &settings.priority_tags {
        conn.execute(
            "INSERT INTO priority_tags (tag, priority) VALUES (?1, ?2)",
            params![tag.trim().to_lowercase(), priority],
        )?;
    }
    conn.execute("DELETE FROM team_members", [])?;
    conn.execute("DELETE FROM team_numbers", [])?;
    for team in &settings.teams {
        conn.execute(
            "INSERT INTO teams (name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
            [&team.name],
        )?;
        let team_id: i64 =
            conn.query_row("SELECT id FROM teams WHERE name = ?1", [&team.name], |r| {
                r.get(0)
            })?;
        for number in &team.numbers {
            conn.execute(
                "INSERT OR IGNORE INTO team_numbers (team_id, phone_number_id) VALUES (?1, ?2)",
                params![team_id, number],
            )?;
        }
        for username in &team.members {
            let user: Option<i64> = conn
                .query_row(
                    "SELECT id FROM users WHERE username = ?1",
                    [username],
                    |r| r.get(0),
                )
                .optional()?;
            match user {
                Some(user_id) => {
                    conn.execute(
                        "INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?1, ?2)",
                        params![team_id, user_id],
                    )?;
                }
                None => tracing::info!(
                    team = %team.name,
                    %username,
                    "team member has no account yet; linked when it is created"
                ),
            }
        }
    }
    for queue in &settings.queues {
        let team_id: Option<i64> = match &queue.team {
            Some(name) => conn
                .query_row("SELECT id FROM teams WHERE name = ?1", [name], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let action = match queue.sla_action {
            super::SlaAction::Reassign => "reassign",
            super::SlaAction::Escalate => "escalate",
        };
        conn.execute(
            "INSERT INTO queues (phone_number_id, team_id, strategy, sticky_days, sla_minutes,
                 sla_action, waiting_message, business_hours) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                queue.number,
                team_id,
                queue.strategy.as_str(),
                queue.sticky_days,
                queue.sla_minutes,
                action,
                queue.waiting_message,
                queue
                    .business_hours
                    .as_ref()
                    .map(|h| serde_json::to_string(h).expect("hours serialize"))
            ],
        )?;
    }
    Ok(())
}
