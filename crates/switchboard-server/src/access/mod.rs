//! What a signed-in user may do and which conversations they may read: the permissions of
//! their role and, for a custom role, the numbers and teams it is scoped to. Every endpoint
//! and every sync event is judged by an [`Access`]; the same rule exists twice, once in Rust
//! for one conversation or live event and once as SQL for lists and the event log, and a
//! property test keeps the two in agreement.

pub mod roles;

use crate::settings::PrivacySettings;
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeSet;
use switchboard_domain::{Conversation, Permission, UserProfile};
use switchboard_protocol::SupervisorBoard;

/// A set of teams, with the numbers they serve: a conversation belongs to a team when it was
/// transferred to it, or when it was never transferred and is on one of the team's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamSet {
    pub ids: BTreeSet<i64>,
    pub numbers: BTreeSet<String>,
}

impl TeamSet {
    fn covers(&self, phone_number_id: &str, team_id: Option<i64>) -> bool {
        match team_id {
            Some(team) => self.ids.contains(&team),
            None => self.numbers.contains(phone_number_id),
        }
    }

    fn sql(&self, alias: &str) -> String {
        format!(
            "({alias}.team_id IN ({}) OR ({alias}.team_id IS NULL AND {alias}.phone_number_id IN ({})))",
            join(self.ids.iter().map(i64::to_string)),
            join(self.numbers.iter().map(|n| quote(n))),
        )
    }

    pub(crate) fn load(conn: &Connection, ids: BTreeSet<i64>) -> rusqlite::Result<Self> {
        let mut numbers = BTreeSet::new();
        let mut stmt =
            conn.prepare_cached("SELECT phone_number_id FROM team_numbers WHERE team_id = ?1")?;
        for id in &ids {
            for number in stmt.query_map([id], |r| r.get::<_, String>(0))? {
                numbers.insert(number?);
            }
        }
        Ok(TeamSet { ids, numbers })
    }
}

/// A user's rights, loaded once per request or live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub user_id: i64,
    permissions: BTreeSet<Permission>,
    /// The only numbers whose conversations the role reads (None: every number).
    numbers: Option<BTreeSet<String>>,
    /// The only teams whose conversations the role reads (None: every team).
    teams: Option<TeamSet>,
    /// With [`Permission::ReadTeam`]: the teams the user belongs to, within the role's teams.
    own_teams: Option<TeamSet>,
}

impl Access {
    /// Rights built from parts (the loader and tests).
    pub fn new(
        user_id: i64,
        permissions: impl IntoIterator<Item = Permission>,
        numbers: Option<BTreeSet<String>>,
        teams: Option<TeamSet>,
        own_teams: Option<TeamSet>,
    ) -> Self {
        let permissions: BTreeSet<Permission> = permissions.into_iter().collect();
        let own_teams = own_teams.filter(|_| permissions.contains(&Permission::ReadTeam));
        Access {
            user_id,
            permissions,
            numbers,
            teams,
            own_teams,
        }
    }

    /// The rights of `user`: their built-in role's (with unmasked numbers as the privacy
    /// settings say), or their custom role's with its scope. A custom role that no longer
    /// exists grants nothing.
    pub fn load(
        conn: &Connection,
        user: &UserProfile,
        privacy: &PrivacySettings,
    ) -> rusqlite::Result<Self> {
        let Some(name) = &user.custom_role else {
            let mut permissions = Permission::of_builtin(user.role).to_vec();
            if privacy.unmasked_roles.contains(&user.role) {
                permissions.push(Permission::SeeUnmaskedNumbers);
            }
            return Ok(Access::new(user.id, permissions, None, None, None));
        };
        let Some(role) = load_role(conn, name)? else {
            tracing::warn!(user = %user.username, role = %name, "user holds a role that no longer exists; granting nothing");
            return Ok(Access::new(user.id, [], None, None, None));
        };
        let teams = if role.teams.is_empty() {
            None
        } else {
            Some(TeamSet::load(conn, role.teams.iter().copied().collect())?)
        };
        let own_teams = if role.permissions.contains(&Permission::ReadTeam) {
            let mut ids = BTreeSet::new();
            let mut stmt =
                conn.prepare_cached("SELECT team_id FROM team_members WHERE user_id = ?1")?;
            for id in stmt.query_map([user.id], |r| r.get::<_, i64>(0))? {
                let id = id?;
                if role.teams.is_empty() || role.teams.contains(&id) {
                    ids.insert(id);
                }
            }
            Some(TeamSet::load(conn, ids)?)
        } else {
            None
        };
        let numbers = (!role.numbers.is_empty()).then(|| role.numbers.into_iter().collect());
        Ok(Access::new(
            user.id,
            role.permissions,
            numbers,
            teams,
            own_teams,
        ))
    }

    /// What an API token made by this user may do: the token's `permissions` that the user
    /// holds, within both the user's scope and the token's own `numbers` and `teams` (None:
    /// no narrower than the user's). Never wider than the user's own rights.
    pub fn narrowed(
        &self,
        permissions: &[Permission],
        numbers: Option<BTreeSet<String>>,
        teams: Option<TeamSet>,
    ) -> Access {
        let numbers = match (&self.numbers, numbers) {
            (Some(own), Some(asked)) => Some(own.intersection(&asked).cloned().collect()),
            (own, asked) => asked.or_else(|| own.clone()),
        };
        let teams = match (&self.teams, teams) {
            (Some(own), Some(asked)) => Some(TeamSet {
                ids: own.ids.intersection(&asked.ids).copied().collect(),
                numbers: own.numbers.intersection(&asked.numbers).cloned().collect(),
            }),
            (own, asked) => asked.or_else(|| own.clone()),
        };
        Access::new(
            self.user_id,
            permissions.iter().copied().filter(|p| self.may(*p)),
            numbers,
            teams,
            self.own_teams.clone(),
        )
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// The permissions, in a stable order (for the user's profile).
    pub fn permissions(&self) -> Vec<Permission> {
        self.permissions.iter().copied().collect()
    }

    /// Reads every conversation on every number.
    pub fn reads_everything(&self) -> bool {
        self.may(Permission::ReadAll) && self.numbers.is_none() && self.teams.is_none()
    }

    /// Reads nothing but the conversations assigned to the user.
    pub fn reads_only_assigned(&self) -> bool {
        !self.may(Permission::ReadAll) && self.own_teams.is_none()
    }

    /// Whether the user may read a conversation on `phone_number_id`, belonging to
    /// `team_id` (None: its number's own routing), held by `assignee`.
    pub fn reads(
        &self,
        phone_number_id: &str,
        team_id: Option<i64>,
        assignee: Option<i64>,
    ) -> bool {
        if self.may(Permission::ReadAssigned) && assignee == Some(self.user_id) {
            return true;
        }
        let in_scope = self
            .numbers
            .as_ref()
            .is_none_or(|numbers| numbers.contains(phone_number_id))
            && self
                .teams
                .as_ref()
                .is_none_or(|teams| teams.covers(phone_number_id, team_id));
        in_scope
            && (self.may(Permission::ReadAll)
                || self
                    .own_teams
                    .as_ref()
                    .is_some_and(|teams| teams.covers(phone_number_id, team_id)))
    }

    /// Whether the role's scope covers sending from business number `phone_number_id` on the
    /// business's own initiative (broadcasts): the role's numbers, and its teams' numbers when
    /// it is scoped to teams.
    pub fn sends_from(&self, phone_number_id: &str) -> bool {
        self.numbers
            .as_ref()
            .is_none_or(|numbers| numbers.contains(phone_number_id))
            && self
                .teams
                .as_ref()
                .is_none_or(|teams| teams.numbers.contains(phone_number_id))
    }

    /// Whether the board's line of a business number (`phone_number_id`) or of a team
    /// (`team_id`) is within what the user reads.
    pub fn sees_queue(&self, phone_number_id: Option<&str>, team_id: Option<i64>) -> bool {
        if self.reads_everything() {
            return true;
        }
        match (phone_number_id, team_id) {
            (Some(number), _) => self.reads(number, None, None),
            (None, Some(team)) => {
                self.teams.as_ref().is_none_or(|t| t.ids.contains(&team))
                    && (self.may(Permission::ReadAll)
                        || self
                            .own_teams
                            .as_ref()
                            .is_some_and(|t| t.ids.contains(&team)))
            }
            (None, None) => false,
        }
    }

    /// The supervisor board with only the lines the user reads.
    pub fn board(&self, board: &SupervisorBoard) -> SupervisorBoard {
        let mut board = board.clone();
        board
            .queues
            .retain(|q| self.sees_queue(q.phone_number_id.as_deref(), q.team_id));
        board
    }

    /// Whether the user may read `conversation`.
    pub fn reads_conversation(&self, conversation: &Conversation) -> bool {
        self.reads(
            &conversation.phone_number_id,
            conversation.team_id,
            conversation.assigned_user_id,
        )
    }

    /// The same rule as [`Access::reads`] as an SQL condition over the conversations row
    /// called `alias`. Values are inlined (ids are numbers, phone number ids are quoted), so
    /// the condition can be added to any query.
    pub fn sql(&self, alias: &str) -> String {
        if self.reads_everything() {
            return "1".into();
        }
        let assigned = if self.may(Permission::ReadAssigned) {
            format!("{alias}.assigned_user_id = {}", self.user_id)
        } else {
            "0".into()
        };
        let mut scope = Vec::new();
        if let Some(numbers) = &self.numbers {
            scope.push(format!(
                "{alias}.phone_number_id IN ({})",
                join(numbers.iter().map(|n| quote(n)))
            ));
        }
        if let Some(teams) = &self.teams {
            scope.push(teams.sql(alias));
        }
        let read = if self.may(Permission::ReadAll) {
            "1".to_owned()
        } else if let Some(teams) = &self.own_teams {
            teams.sql(alias)
        } else {
            "0".to_owned()
        };
        scope.push(read);
        format!("({assigned} OR ({}))", scope.join(" AND "))
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// `value` as an SQL string literal.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// A custom role's permissions as stored (a JSON array of names). A permission a newer build
/// wrote and this one does not know grants nothing.
pub fn parse_permissions(json: &str) -> Vec<Permission> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// A custom role as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRole {
    pub name: String,
    pub base: switchboard_domain::Role,
    pub description: String,
    pub permissions: Vec<Permission>,
    pub numbers: Vec<String>,
    pub teams: Vec<i64>,
}

/// The custom role called `name`, if it exists.
pub fn load_role(conn: &Connection, name: &str) -> rusqlite::Result<Option<StoredRole>> {
    conn.prepare_cached(
        "SELECT name, base, description, permissions, numbers, teams FROM roles WHERE name = ?1",
    )?
    .query_row([name], role_from_row)
    .optional()
}

/// Every custom role, by name.
pub fn list_roles(conn: &Connection) -> rusqlite::Result<Vec<StoredRole>> {
    conn.prepare(
        "SELECT name, base, description, permissions, numbers, teams FROM roles ORDER BY name",
    )?
    .query_map([], role_from_row)?
    .collect()
}

fn role_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRole> {
    let base: String = row.get(1)?;
    let json = |i: usize| -> rusqlite::Result<String> { row.get(i) };
    Ok(StoredRole {
        name: row.get(0)?,
        base: base.parse().unwrap_or(switchboard_domain::Role::Agent),
        description: row.get(2)?,
        permissions: parse_permissions(&json(3)?),
        numbers: serde_json::from_str(&json(4)?).unwrap_or_default(),
        teams: serde_json::from_str(&json(5)?).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests;
