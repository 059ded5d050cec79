//! Greeting and survey settings, and the satisfaction surveys sent and answered.

use rusqlite::{params, Connection, OptionalExtension};
use switchboard_protocol::{CsatSettings, GreetingSettings};

/// The saved greetings (none saved: none).
pub fn greetings(conn: &Connection) -> rusqlite::Result<GreetingSettings> {
    setting(conn, "greetings")
}

/// The saved surveys (none saved: none).
pub fn surveys(conn: &Connection) -> rusqlite::Result<CsatSettings> {
    setting(conn, "csat")
}

pub fn save_greetings(
    conn: &Connection,
    value: &GreetingSettings,
    at: i64,
) -> rusqlite::Result<()> {
    save(
        conn,
        "greetings",
        &serde_json::to_string(value).expect("settings serialize"),
        at,
    )
}

pub fn save_surveys(conn: &Connection, value: &CsatSettings, at: i64) -> rusqlite::Result<()> {
    save(
        conn,
        "csat",
        &serde_json::to_string(value).expect("settings serialize"),
        at,
    )
}

fn setting<T: serde::de::DeserializeOwned + Default>(
    conn: &Connection,
    name: &str,
) -> rusqlite::Result<T> {
    let json: Option<String> = conn
        .prepare_cached("SELECT value FROM courtesy_settings WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    let Some(json) = json else {
        return Ok(T::default());
    };
    serde_json::from_str(&json).map_err(|error| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("the saved {name} settings are not readable: {error}").into(),
        )
    })
}

fn save(conn: &Connection, name: &str, json: &str, at: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO courtesy_settings (name, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )?
    .execute(params![name, json, at])?;
    Ok(())
}

/// A survey about to be recorded.
pub struct NewSurvey<'a> {
    pub conversation_id: i64,
    pub phone_number_id: &'a str,
    pub contact_id: i64,
    pub agent_id: Option<i64>,
    pub resolved_by: Option<i64>,
    pub team_id: Option<i64>,
    pub language: &'a str,
    pub sent_at: i64,
    pub skipped: Option<&'a str>,
}

/// Records a survey (sent or skipped); returns its id, which the list rows carry.
pub fn insert(conn: &Connection, survey: &NewSurvey<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO csat_surveys (conversation_id, phone_number_id, contact_id, agent_id,
            resolved_by, team_id, language, sent_at, skipped)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        survey.conversation_id,
        survey.phone_number_id,
        survey.contact_id,
        survey.agent_id,
        survey.resolved_by,
        survey.team_id,
        survey.language,
        survey.sent_at,
        survey.skipped,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The survey went out as message `message_id`, or (`None`) the filter held it back.
pub fn set_message(conn: &Connection, id: i64, message_id: Option<i64>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE csat_surveys SET message_id = ?2,
            skipped = CASE WHEN ?2 IS NULL THEN 'filtered' ELSE NULL END WHERE id = ?1",
    )?
    .execute(params![id, message_id])?;
    Ok(())
}

/// A survey a customer's message may answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    pub id: i64,
    pub conversation_id: i64,
    pub language: String,
    /// Already answered: a later answer changes nothing.
    pub answered: bool,
}

fn open_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Open> {
    Ok(Open {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        language: r.get(2)?,
        answered: r.get::<_, Option<i64>>(3)?.is_some(),
    })
}

/// Survey `id`, when it was sent to `contact_id` on `phone_number_id`.
pub fn sent_to(
    conn: &Connection,
    id: i64,
    phone_number_id: &str,
    contact_id: i64,
) -> rusqlite::Result<Option<Open>> {
    conn.prepare_cached(
        "SELECT id, conversation_id, language, score FROM csat_surveys
         WHERE id = ?1 AND phone_number_id = ?2 AND contact_id = ?3 AND skipped IS NULL",
    )?
    .query_row(params![id, phone_number_id, contact_id], open_row)
    .optional()
}

/// The latest survey sent to `contact_id` on `phone_number_id` since `since`, while its
/// conversation is still resolved: a lone digit from the customer answers it.
pub fn latest_while_resolved(
    conn: &Connection,
    phone_number_id: &str,
    contact_id: i64,
    since: i64,
) -> rusqlite::Result<Option<Open>> {
    conn.prepare_cached(
        "SELECT s.id, s.conversation_id, s.language, s.score FROM csat_surveys s
         JOIN conversations c ON c.id = s.conversation_id
         WHERE s.contact_id = ?2 AND s.phone_number_id = ?1 AND s.sent_at >= ?3
           AND s.skipped IS NULL AND c.status = 'resolved'
           AND (c.resolved_at IS NULL OR c.resolved_at <= s.sent_at)
         ORDER BY s.sent_at DESC, s.id DESC LIMIT 1",
    )?
    .query_row(params![phone_number_id, contact_id, since], open_row)
    .optional()
}

/// Records the first answer to survey `id`; false when it was already answered.
pub fn answer(
    conn: &Connection,
    id: i64,
    score: u8,
    message_id: i64,
    at: i64,
) -> rusqlite::Result<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE csat_surveys SET score = ?2, answered_at = ?3, answer_message_id = ?4
             WHERE id = ?1 AND score IS NULL",
        )?
        .execute(params![id, score, at, message_id])?;
    Ok(changed == 1)
}

/// The team a conversation's scores count for: the team it was transferred to, else the
/// lowest-numbered team of `agent` that serves its number.
pub fn team_of(
    conn: &Connection,
    team_id: Option<i64>,
    agent: Option<i64>,
    phone_number_id: &str,
) -> rusqlite::Result<Option<i64>> {
    if team_id.is_some() {
        return Ok(team_id);
    }
    let Some(agent) = agent else {
        return Ok(None);
    };
    conn.prepare_cached(
        "SELECT MIN(tm.team_id) FROM team_members tm
         JOIN team_numbers tn ON tn.team_id = tm.team_id
         WHERE tm.user_id = ?1 AND tn.phone_number_id = ?2",
    )?
    .query_row(params![agent, phone_number_id], |r| r.get(0))
}

/// The answers given between `from` and `to`, summarised per agent and team, counting only
/// surveys whose row `readable` (an [`crate::access::Access::sql`] condition over alias `c`)
/// admits; each survey is judged by its number, its team and its agent as holder.
pub fn report(
    conn: &Connection,
    from: i64,
    to: i64,
    number: Option<&str>,
    readable: &str,
) -> rusqlite::Result<switchboard_protocol::CsatReport> {
    use std::collections::BTreeMap;
    use switchboard_protocol::{AgentCsat, CsatAnswer, CsatReport, TeamCsat};
    let scoped = "(SELECT s.*, s.agent_id AS assigned_user_id FROM csat_surveys s
          WHERE ?3 IS NULL OR s.phone_number_id = ?3) c";
    let mut agents: BTreeMap<Option<i64>, [u64; 5]> = BTreeMap::new();
    let mut teams: BTreeMap<Option<i64>, [u64; 5]> = BTreeMap::new();
    let mut overall = [0u64; 5];
    let mut stmt = conn.prepare(&format!(
        "SELECT c.agent_id, c.team_id, c.score, COUNT(*) FROM {scoped}
         WHERE c.score IS NOT NULL AND c.answered_at >= ?1 AND c.answered_at < ?2 AND {readable}
         GROUP BY c.agent_id, c.team_id, c.score"
    ))?;
    let mut rows = stmt.query(params![from, to, number])?;
    while let Some(r) = rows.next()? {
        let (agent, team): (Option<i64>, Option<i64>) = (r.get(0)?, r.get(1)?);
        let (score, times): (u8, i64) = (r.get(2)?, r.get(3)?);
        let Some(slot) = score.checked_sub(1).map(usize::from).filter(|s| *s < 5) else {
            continue;
        };
        agents.entry(agent).or_default()[slot] += times as u64;
        teams.entry(team).or_default()[slot] += times as u64;
        overall[slot] += times as u64;
    }
    drop(rows);
    let (sent, skipped): (i64, i64) = conn.query_row(
        &format!(
            "SELECT COALESCE(SUM(c.skipped IS NULL), 0), COALESCE(SUM(c.skipped = 'window_closed'), 0)
             FROM {scoped} WHERE c.sent_at >= ?1 AND c.sent_at < ?2 AND {readable}"
        ),
        params![from, to, number],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut user_name = conn.prepare_cached("SELECT display_name FROM users WHERE id = ?1")?;
    let mut team_name = conn.prepare_cached("SELECT name FROM teams WHERE id = ?1")?;
    let mut agent_rows = Vec::new();
    for (user_id, distribution) in agents {
        let name = match user_id {
            Some(id) => user_name
                .query_row([id], |r| r.get::<_, String>(0))
                .optional()?
                .unwrap_or_else(|| format!("#{id}")),
            None => String::new(),
        };
        agent_rows.push(AgentCsat {
            user_id,
            name,
            figures: figures(distribution),
        });
    }
    let mut team_rows = Vec::new();
    for (team_id, distribution) in teams {
        let name = match team_id {
            Some(id) => team_name
                .query_row([id], |r| r.get::<_, String>(0))
                .optional()?
                .unwrap_or_else(|| format!("#{id}")),
            None => String::new(),
        };
        team_rows.push(TeamCsat {
            team_id,
            name,
            figures: figures(distribution),
        });
    }
    let answers = conn
        .prepare(&format!(
            "SELECT c.id, c.conversation_id, c.phone_number_id, c.agent_id, c.team_id, c.score,
                    c.sent_at, c.answered_at FROM {scoped}
             WHERE c.score IS NOT NULL AND c.answered_at >= ?1 AND c.answered_at < ?2 AND {readable}
             ORDER BY c.answered_at DESC, c.id DESC LIMIT 200"
        ))?
        .query_map(params![from, to, number], |r| {
            Ok(CsatAnswer {
                survey_id: r.get(0)?,
                conversation_id: r.get(1)?,
                phone_number_id: r.get(2)?,
                agent_id: r.get(3)?,
                team_id: r.get(4)?,
                score: r.get(5)?,
                sent_at: r.get(6)?,
                answered_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(CsatReport {
        from,
        to,
        overall: figures(overall),
        sent: sent as u64,
        skipped_window_closed: skipped as u64,
        agents: agent_rows,
        teams: team_rows,
        answers,
    })
}

fn figures(distribution: [u64; 5]) -> switchboard_protocol::CsatFigures {
    let summary = switchboard_automation::survey::ScoreSummary::from_distribution(distribution);
    switchboard_protocol::CsatFigures {
        count: summary.count,
        mean: summary.mean,
        std_dev: summary.std_dev,
        distribution: summary.distribution.to_vec(),
    }
}
