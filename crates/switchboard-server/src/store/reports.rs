//! Reports over a period: every figure of `GET /reports` gathered in one pass over the
//! period's messages (found by primary key, as the key figures do: rows are appended in time
//! order and the time columns have no index) plus indexed reads of the conversations
//! resolved, the surveys answered, the filter blocks and the presence log in the period. Only
//! conversations opened before the period have their messages before it read one by one.
//! The definitions of the figures are on [`switchboard_protocol::ReportFigures`].

use super::kpis::first_row_since;
use super::reports_figures::{HourOfWeek, OpenTime, Tally};
use super::reports_presence;
use super::reports_resolutions::{self, Resolving};
use crate::off_hours::Calendars;
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use switchboard_audience::segment::Region;
use switchboard_protocol::{ReportFigures, ReportGrouping, ReportRow};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// A customer's clock may lag the order rows were stored in (see `kpis`).
const CLOCK_SLACK_MS: i64 = HOUR_MS;
/// A wait that starts in the period counts when an agent ends it within this long after the
/// period (or before now).
pub const ANSWER_HORIZON_MS: i64 = 7 * DAY_MS;

/// What to report on.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The period, milliseconds since the epoch: `start` included, `end` not.
    pub start: i64,
    pub end: i64,
    pub now: i64,
    /// The caller's time zone, for the heatmap.
    pub zone: Tz,
    pub group_by: ReportGrouping,
    /// The conversations the caller may read: an SQL condition on `c` as
    /// [`crate::access::Access::sql`] makes it (`"1"` for all).
    pub readable: String,
    pub number: Option<String>,
    pub team: Option<i64>,
    pub agent: Option<i64>,
}

/// The figures of a report, before the API adds the period's names.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub totals: ReportFigures,
    pub rows: Vec<ReportRow>,
    pub heatmap: Vec<Vec<u32>>,
}

/// A conversation's groups.
struct Conversation {
    number: Rc<str>,
    team: Option<i64>,
    agent: Option<i64>,
    country: Option<String>,
    created_at: i64,
    /// Its rows, worked out once: most facts count there.
    keys: Rc<[String]>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Author {
    Customer,
    /// An agent: a user of this server (`Some`) or an imported history's author (`None`).
    Agent(Option<i64>),
    Automatic,
    Broadcast,
}

/// A conversation as the scan goes through its messages.
#[derive(Default)]
struct Thread {
    /// Whether the last message from a person was the customer's; `None` until known.
    customer_spoke_last: Option<bool>,
    /// When the customer's current wait started.
    waiting_since: Option<i64>,
    /// Broadcast messages not yet replied to (indexes into `Gather::broadcasts`).
    unreplied: Vec<usize>,
}

struct BroadcastMessage {
    conversation: i64,
    status: String,
    replied: bool,
}

struct Gather<'a> {
    scope: &'a Scope,
    conversations: HashMap<i64, Conversation>,
    teams_of_number: HashMap<String, Vec<i64>>,
    calendars: Calendars,
    open_time: HashMap<String, Option<OpenTime>>,
    totals: Tally,
    rows: HashMap<String, Tally>,
    heatmap: Vec<Vec<u32>>,
    broadcasts: Vec<BroadcastMessage>,
    resolving: HashMap<i64, Resolving>,
}

/// Gathers the report for `scope`.
pub fn report(conn: &Connection, scope: &Scope) -> rusqlite::Result<Figures> {
    let mut gather = Gather {
        scope,
        conversations: HashMap::new(),
        teams_of_number: teams_of_numbers(conn)?,
        calendars: Calendars::load(conn)?,
        open_time: HashMap::new(),
        totals: Tally::default(),
        rows: HashMap::new(),
        heatmap: vec![vec![0; 24]; 7],
        broadcasts: Vec::new(),
        resolving: HashMap::new(),
    };
    gather.load_conversations(conn)?;
    gather.load_resolved(conn)?;
    gather.scan_messages(conn)?;
    gather.resolutions(conn)?;
    gather.surveys(conn)?;
    gather.filter_blocks(conn)?;
    gather.presence(conn)?;
    gather.finish(conn)
}

fn teams_of_numbers(conn: &Connection) -> rusqlite::Result<HashMap<String, Vec<i64>>> {
    let mut teams: HashMap<String, Vec<i64>> = HashMap::new();
    let mut stmt =
        conn.prepare_cached("SELECT phone_number_id, team_id FROM team_numbers ORDER BY 2")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (number, team) = row?;
        teams.entry(number).or_default().push(team);
    }
    Ok(teams)
}

impl Gather<'_> {
    /// The conversations the caller may read and the filters keep, with their groups.
    fn load_conversations(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut stmt = conn.prepare(&format!(
            "SELECT c.id, c.phone_number_id, c.team_id, COALESCE(c.assigned_user_id, c.last_agent_id),
                    UPPER(k.country), c.created_at
             FROM conversations c LEFT JOIN contacts k ON k.id = c.contact_id
             WHERE {}",
            self.scope.readable
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Conversation {
                    number: Rc::from(r.get::<_, String>(1)?),
                    team: r.get(2)?,
                    agent: r.get(3)?,
                    country: r.get(4)?,
                    created_at: r.get(5)?,
                    keys: Rc::from([]),
                },
            ))
        })?;
        for row in rows {
            let (id, mut conversation) = row?;
            if self.keeps(&conversation) {
                conversation.keys = Rc::from(self.keys(&conversation, None, None));
                self.conversations.insert(id, conversation);
            }
        }
        Ok(())
    }

    fn keeps(&self, c: &Conversation) -> bool {
        let scope = self.scope;
        scope.number.as_deref().is_none_or(|n| n == &*c.number)
            && scope.agent.is_none_or(|a| c.agent == Some(a))
            && scope
                .team
                .is_none_or(|t| self.teams_of(c, None).contains(&t))
    }

    /// A conversation's teams: the one it was transferred to, else those serving its number.
    fn teams_of(&self, c: &Conversation, team: Option<i64>) -> Vec<i64> {
        match team.or(c.team) {
            Some(team) => vec![team],
            None => self
                .teams_of_number
                .get(&*c.number)
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// The rows a fact about conversation `c` counts in; `agent` and `team` replace the
    /// conversation's own when the fact has its own (the agent who wrote a reply).
    fn keys(&self, c: &Conversation, agent: Option<Option<i64>>, team: Option<i64>) -> Vec<String> {
        match self.scope.group_by {
            ReportGrouping::Number => vec![c.number.to_string()],
            ReportGrouping::Team => {
                let teams = self.teams_of(c, team);
                if teams.is_empty() {
                    vec!["none".into()]
                } else {
                    teams.iter().map(i64::to_string).collect()
                }
            }
            ReportGrouping::Agent => vec![agent
                .unwrap_or(c.agent)
                .map_or_else(|| "none".into(), |a| a.to_string())],
            ReportGrouping::Country => vec![c.country.clone().unwrap_or_else(|| "unknown".into())],
            ReportGrouping::Region => {
                let regions: Vec<String> = c
                    .country
                    .as_deref()
                    .map(|country| {
                        Region::ALL
                            .into_iter()
                            .filter(|r| r.contains(country))
                            .map(|r| r.name().to_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                if regions.is_empty() {
                    vec!["other".into()]
                } else {
                    regions
                }
            }
        }
    }

    fn count(&mut self, keys: &[String], add: impl Fn(&mut Tally)) {
        add(&mut self.totals);
        for key in keys {
            match self.rows.get_mut(key) {
                Some(tally) => add(tally),
                None => add(self.rows.entry(key.clone()).or_default()),
            }
        }
    }

    /// Business milliseconds between `from` and `until` on `number`'s calendar (every hour
    /// when it has none).
    fn business_ms(&mut self, number: &str, from: i64, until: i64) -> i64 {
        if let Some(Some(open)) = self.open_time.get(number) {
            if from >= self.scope.start - DAY_MS && until <= self.horizon() {
                return open.between(from, until);
            }
        }
        let Some(hours) = self.calendars.of(number) else {
            return (until - from).max(0);
        };
        let (start, horizon) = (self.scope.start - DAY_MS, self.horizon());
        if from < start || until > horizon {
            // Outside the stretch prepared for the period (a conversation opened long ago).
            return OpenTime::of(&hours.calendar, from, until).between(from, until);
        }
        self.open_time
            .entry(number.to_owned())
            .or_insert_with(|| Some(OpenTime::of(&hours.calendar, start, horizon)))
            .as_ref()
            .map_or(0, |open| open.between(from, until))
    }

    /// Messages are read up to here: waits of the period may end after it.
    fn horizon(&self) -> i64 {
        (self.scope.end + ANSWER_HORIZON_MS).min(self.scope.now.max(self.scope.end))
    }

    fn scan_messages(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let (start, end) = (self.scope.start, self.scope.end);
        let first = first_row_since(conn, "messages", "id", start - CLOCK_SLACK_MS)?;
        let last = first_row_since(conn, "messages", "id", self.horizon() + CLOCK_SLACK_MS)?;
        let mut stmt = conn.prepare_cached(
            "SELECT m.conversation_id, m.direction, m.sender_user_id, m.author IS NOT NULL,
                    m.broadcast_id IS NOT NULL, m.status, m.created_at, m.id
             FROM messages m WHERE m.id >= ?1 AND m.id < ?2",
        )?;
        let mut before = conn.prepare_cached(
            "SELECT direction FROM messages WHERE conversation_id = ?1 AND id < ?2
               AND (direction = 'inbound' OR sender_user_id IS NOT NULL OR author IS NOT NULL)
             ORDER BY id DESC LIMIT 1",
        )?;
        let mut threads: HashMap<i64, Thread> = HashMap::new();
        let mut hour_of_week = HourOfWeek::new(self.scope.zone);
        let mut rows = stmt.query(params![first, last])?;
        while let Some(r) = rows.next()? {
            let conversation_id: i64 = r.get(0)?;
            let Some(conversation) = self.conversations.get(&conversation_id) else {
                continue;
            };
            let at: i64 = r.get(6)?;
            let inbound = r.get_ref(1)?.as_str()? == "inbound";
            let author = if inbound {
                Author::Customer
            } else if let Some(user) = r.get::<_, Option<i64>>(2)? {
                Author::Agent(Some(user))
            } else if r.get(3)? {
                Author::Agent(None)
            } else if r.get(4)? {
                Author::Broadcast
            } else {
                Author::Automatic
            };
            if let Some(resolving) = self.resolving.get_mut(&conversation_id) {
                if resolving.scanned {
                    resolving.see(author, at);
                }
            }
            let in_period = (start..end).contains(&at);
            let thread = threads.entry(conversation_id).or_default();
            let number = conversation.number.clone();
            let keys = match author {
                Author::Agent(user) if self.scope.group_by == ReportGrouping::Agent => {
                    Rc::from(self.keys(conversation, Some(user), None))
                }
                _ => conversation.keys.clone(),
            };
            match author {
                Author::Customer => {
                    if thread.customer_spoke_last.is_none() {
                        // Opened within the period: nothing was written before the scan.
                        let previous: Option<String> = if conversation.created_at >= start {
                            None
                        } else {
                            before
                                .query_row(params![conversation_id, r.get::<_, i64>(7)?], |p| {
                                    p.get(0)
                                })
                                .optional()?
                        };
                        thread.customer_spoke_last = Some(previous.as_deref() == Some("inbound"));
                    }
                    if thread.customer_spoke_last == Some(false) {
                        thread.waiting_since = Some(at);
                    }
                    thread.customer_spoke_last = Some(true);
                    for index in thread.unreplied.drain(..) {
                        self.broadcasts[index].replied = true;
                    }
                    if in_period {
                        let (day, hour) = hour_of_week.cell(at);
                        self.heatmap[day][hour] += 1;
                        self.count(&keys, |t| {
                            t.messages.inbound += 1;
                            t.conversations.insert(conversation_id);
                        });
                    }
                }
                Author::Agent(_) => {
                    thread.customer_spoke_last = Some(false);
                    let waited = thread.waiting_since.take();
                    if in_period {
                        self.count(&keys, |t| t.messages.outbound += 1);
                    }
                    if let Some(since) = waited.filter(|since| (start..end).contains(since)) {
                        let seconds = self.business_ms(&number, since, at) as f64 / 1000.0;
                        self.count(&keys, |t| t.waits.push(seconds));
                    }
                }
                Author::Automatic if in_period => {
                    self.count(&keys, |t| t.messages.automatic += 1);
                }
                Author::Broadcast if in_period => {
                    self.count(&keys, |t| t.messages.broadcast += 1);
                    thread.unreplied.push(self.broadcasts.len());
                    self.broadcasts.push(BroadcastMessage {
                        conversation: conversation_id,
                        status: r.get(5)?,
                        replied: false,
                    });
                }
                Author::Automatic | Author::Broadcast => {}
            }
        }
        for message in std::mem::take(&mut self.broadcasts) {
            let conversation = &self.conversations[&message.conversation];
            let keys = self.keys(conversation, None, None);
            let (sent, delivered, read, failed) = match message.status.as_str() {
                _ if message.replied => (true, true, true, false),
                "failed" => (false, false, false, true),
                "queued" => (false, false, false, false),
                "read" | "played" => (true, true, true, false),
                "delivered" => (true, true, false, false),
                _ => (true, false, false, false),
            };
            self.count(&keys, |t| {
                let b = &mut t.broadcasts;
                b.sent += u32::from(sent);
                b.delivered += u32::from(delivered);
                b.read += u32::from(read);
                b.replied += u32::from(message.replied);
                b.failed += u32::from(failed);
            });
        }
        let new: Vec<(i64, Vec<String>)> = self
            .conversations
            .iter()
            .filter(|(_, c)| (start..end).contains(&c.created_at))
            .map(|(id, c)| (*id, self.keys(c, None, None)))
            .collect();
        for (_, keys) in new {
            self.count(&keys, |t| t.new_conversations += 1);
        }
        Ok(())
    }

    /// The conversations resolved in the period, before the scan sees their messages.
    fn load_resolved(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let (start, end) = (self.scope.start, self.scope.end);
        let opened = |id| self.conversations.get(&id).map(|c| c.created_at);
        self.resolving = reports_resolutions::load(conn, start, end, opened)?;
        Ok(())
    }

    /// Conversations resolved in the period: resolution time and deflection.
    fn resolutions(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut resolving: Vec<(i64, Resolving)> =
            std::mem::take(&mut self.resolving).into_iter().collect();
        resolving.sort_unstable_by_key(|(id, _)| *id);
        for (id, mut r) in resolving {
            if !r.scanned {
                r.read_stretch(conn, id)?;
            }
            let conversation = &self.conversations[&id];
            let (number, keys) = (
                conversation.number.clone(),
                self.keys(conversation, None, None),
            );
            let seconds = r
                .first
                .map(|first| self.business_ms(&number, first, r.resolved_at) as f64 / 1000.0);
            let deflected = r.deflected();
            self.count(&keys, |t| {
                t.resolved += 1;
                t.deflected += u32::from(deflected);
                if let Some(seconds) = seconds {
                    t.resolutions.push(seconds);
                }
            });
        }
        Ok(())
    }

    /// Survey answers given in the period; they count for the agent and team the survey
    /// names.
    fn surveys(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached(
            "SELECT conversation_id, agent_id, team_id, score FROM csat_surveys
             WHERE answered_at >= ?1 AND answered_at < ?2 AND score IS NOT NULL",
        )?;
        let answers: Vec<(i64, Option<i64>, Option<i64>, f64)> = stmt
            .query_map(params![self.scope.start, self.scope.end], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, agent, team, score) in answers {
            if let Some(conversation) = self.conversations.get(&id) {
                let keys = self.keys(conversation, Some(agent), team);
                self.count(&keys, |t| t.scores.push(score));
            }
        }
        Ok(())
    }

    /// Outbound texts the filter refused in the period, in conversations of the report.
    fn filter_blocks(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached(
            "SELECT conversation_id, user_id FROM filter_blocks
             WHERE created_at >= ?1 AND created_at < ?2 AND conversation_id IS NOT NULL",
        )?;
        let blocks: Vec<(i64, Option<i64>)> = stmt
            .query_map(params![self.scope.start, self.scope.end], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, user) in blocks {
            if let Some(conversation) = self.conversations.get(&id) {
                let keys = self.keys(conversation, user.map(Some), None);
                self.count(&keys, |t| t.filter_blocks += 1);
            }
        }
        Ok(())
    }

    /// Agents' time online and away, for the agents the report covers: those serving the
    /// numbers of its conversations, narrowed by the agent and team filters.
    fn presence(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let scope = self.scope;
        let time = reports_presence::time_by_agent(conn, scope.start, scope.end, scope.now)?;
        let mut user_numbers: HashMap<i64, Vec<String>> = HashMap::new();
        let mut stmt = conn.prepare_cached("SELECT user_id, phone_number_id FROM user_numbers")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (user, number) = row?;
            user_numbers.entry(user).or_default().push(number);
        }
        let mut user_teams: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut stmt = conn.prepare_cached("SELECT user_id, team_id FROM team_members")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (user, team) = row?;
            user_teams.entry(user).or_default().push(team);
        }
        let limited = scope.readable != "1" || scope.number.is_some();
        let numbers: HashSet<String> = match &scope.number {
            Some(number) => HashSet::from([number.clone()]),
            None => self
                .conversations
                .values()
                .map(|c| c.number.to_string())
                .collect(),
        };
        for (user, (online, away)) in time {
            let teams = user_teams.get(&user).cloned().unwrap_or_default();
            let serves = user_numbers
                .get(&user)
                .is_some_and(|own| own.iter().any(|n| numbers.contains(n)));
            if scope.agent.is_some_and(|a| a != user)
                || scope.team.is_some_and(|t| !teams.contains(&t))
                || (limited && !serves)
            {
                continue;
            }
            let keys = match scope.group_by {
                ReportGrouping::Agent => vec![user.to_string()],
                ReportGrouping::Team => teams
                    .iter()
                    .filter(|t| scope.team.is_none_or(|only| only == **t))
                    .map(i64::to_string)
                    .collect(),
                _ => Vec::new(),
            };
            self.count(&keys, |t| {
                t.online_ms += online;
                t.away_ms += away;
            });
        }
        Ok(())
    }

    fn finish(self, conn: &Connection) -> rusqlite::Result<Figures> {
        let labels = labels(conn, self.scope.group_by)?;
        let mut rows: Vec<ReportRow> = self
            .rows
            .into_iter()
            .map(|(key, tally)| ReportRow {
                label: labels.get(&key).cloned().unwrap_or_else(|| key.clone()),
                key,
                figures: tally.finish(),
            })
            .collect();
        rows.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.key.cmp(&b.key)));
        Ok(Figures {
            totals: self.totals.finish(),
            rows,
            heatmap: self.heatmap,
        })
    }
}

/// What to show for each key of the grouping, where it has a name.
fn labels(
    conn: &Connection,
    grouping: ReportGrouping,
) -> rusqlite::Result<HashMap<String, String>> {
    let sql = match grouping {
        ReportGrouping::Number => "SELECT phone_number_id, name FROM numbers",
        ReportGrouping::Team => "SELECT CAST(id AS TEXT), name FROM teams",
        ReportGrouping::Agent => "SELECT CAST(id AS TEXT), display_name FROM users",
        ReportGrouping::Country | ReportGrouping::Region => return Ok(HashMap::new()),
    };
    conn.prepare_cached(sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

#[cfg(test)]
#[path = "reports_tests.rs"]
mod tests;
