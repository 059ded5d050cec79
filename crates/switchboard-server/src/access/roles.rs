//! Storing custom roles and the roles users hold. Every change keeps at least one user who
//! can manage users, and records an [`SyncEvent::AccessChanged`] for each user whose rights
//! changed, so their live sessions restart with the new rights and a fresh snapshot.

use super::load_role;
use crate::store::events::{self, StoredEvent};
use rusqlite::{params, Connection};
use std::collections::HashSet;
use switchboard_domain::{now_millis, Permission, Role};
use switchboard_protocol::{RoleDefinition, SyncEvent};

/// Why a role change was refused, in words an admin can act on.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error("A role name must be 1 to 40 characters without control characters.")]
    BadName,
    #[error("\"{0}\" is a built-in role; choose another name for a custom role.")]
    BuiltInName(String),
    #[error("Give the role at least one permission.")]
    NoPermissions,
    #[error("Business number {0} is not configured on this server; use a phone_number_id from the settings.")]
    UnknownNumber(String),
    #[error("There is no team with id {0}.")]
    UnknownTeam(i64),
    #[error("A role named \"{0}\" already exists.")]
    Exists(String),
    #[error("There is no custom role named \"{0}\".")]
    NoRole(String),
    #[error("There is no user with id {0}.")]
    NoUser(i64),
    #[error("{users} user(s) hold the role \"{name}\"; give them another role first.")]
    InUse { name: String, users: u32 },
    #[error("Nobody would be left who can manage users (the \"manage users\" permission). Give that permission to someone else first.")]
    LastManager,
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

/// Checks a definition from an admin and returns it cleaned (trimmed name, permissions
/// without repeats, in a stable order).
pub fn validate(
    conn: &Connection,
    known_numbers: &HashSet<String>,
    mut definition: RoleDefinition,
) -> Result<RoleDefinition, RoleError> {
    definition.name = definition.name.trim().to_owned();
    let name = &definition.name;
    if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err(RoleError::BadName);
    }
    if ["admin", "supervisor", "agent"]
        .iter()
        .any(|b| b.eq_ignore_ascii_case(name))
    {
        return Err(RoleError::BuiltInName(name.clone()));
    }
    definition.permissions.sort();
    definition.permissions.dedup();
    if definition.permissions.is_empty() {
        return Err(RoleError::NoPermissions);
    }
    definition.description = definition.description.trim().to_owned();
    definition.numbers.sort();
    definition.numbers.dedup();
    if let Some(number) = definition
        .numbers
        .iter()
        .find(|n| !known_numbers.contains(*n))
    {
        return Err(RoleError::UnknownNumber(number.clone()));
    }
    definition.teams.sort();
    definition.teams.dedup();
    for team in &definition.teams {
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM teams WHERE id = ?1)",
            [team],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(RoleError::UnknownTeam(*team));
        }
    }
    Ok(definition)
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("role parts serialize")
}

fn permissions_json(permissions: &[Permission]) -> String {
    json(&permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>())
}

/// Stores a new custom role (already validated).
pub fn create(conn: &Connection, definition: &RoleDefinition) -> Result<(), RoleError> {
    if load_role(conn, &definition.name)?.is_some() {
        return Err(RoleError::Exists(definition.name.clone()));
    }
    let now = now_millis();
    conn.execute(
        "INSERT INTO roles (name, base, description, permissions, numbers, teams, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            definition.name,
            definition.base.as_str(),
            definition.description,
            permissions_json(&definition.permissions),
            json(&definition.numbers),
            json(&definition.teams),
            now
        ],
    )?;
    Ok(())
}

/// Replaces a custom role (already validated); its holders' rights change at once.
pub fn update(
    conn: &Connection,
    definition: &RoleDefinition,
) -> Result<Vec<StoredEvent>, RoleError> {
    if load_role(conn, &definition.name)?.is_none() {
        return Err(RoleError::NoRole(definition.name.clone()));
    }
    conn.execute(
        "UPDATE roles SET base = ?2, description = ?3, permissions = ?4, numbers = ?5, teams = ?6,
             updated_at = ?7 WHERE name = ?1",
        params![
            definition.name,
            definition.base.as_str(),
            definition.description,
            permissions_json(&definition.permissions),
            json(&definition.numbers),
            json(&definition.teams),
            now_millis()
        ],
    )?;
    conn.execute(
        "UPDATE users SET role = ?2 WHERE custom_role = ?1",
        params![definition.name, definition.base.as_str()],
    )?;
    ensure_manager(conn)?;
    let holders: Vec<i64> = conn
        .prepare("SELECT id FROM users WHERE custom_role = ?1")?
        .query_map([&definition.name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    changed(conn, holders)
}

/// Deletes a custom role nobody holds.
pub fn delete(conn: &Connection, name: &str) -> Result<(), RoleError> {
    if load_role(conn, name)?.is_none() {
        return Err(RoleError::NoRole(name.to_owned()));
    }
    let users = holders(conn, name)?;
    if users > 0 {
        return Err(RoleError::InUse {
            name: name.to_owned(),
            users,
        });
    }
    conn.execute("DELETE FROM roles WHERE name = ?1", [name])?;
    Ok(())
}

/// How many users hold the custom role `name`.
pub fn holders(conn: &Connection, name: &str) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT COUNT(*) FROM users WHERE custom_role = ?1",
        [name],
        |r| r.get(0),
    )
}

/// How many users hold the built-in `role` (without a custom role).
pub fn builtin_holders(conn: &Connection, role: Role) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT COUNT(*) FROM users WHERE custom_role IS NULL AND role = ?1",
        [role.as_str()],
        |r| r.get(0),
    )
}

/// Gives `user_id` the built-in `role`, or the custom role `custom` (whose base replaces
/// `role`). Returns the built-in role stored and the events to publish.
pub fn assign(
    conn: &Connection,
    user_id: i64,
    role: Role,
    custom: Option<&str>,
) -> Result<(Role, Vec<StoredEvent>), RoleError> {
    let base = match custom {
        Some(name) => {
            load_role(conn, name)?
                .ok_or_else(|| RoleError::NoRole(name.to_owned()))?
                .base
        }
        None => role,
    };
    let updated = conn.execute(
        "UPDATE users SET role = ?2, custom_role = ?3 WHERE id = ?1",
        params![user_id, base.as_str(), custom],
    )?;
    if updated == 0 {
        return Err(RoleError::NoUser(user_id));
    }
    ensure_manager(conn)?;
    Ok((base, changed(conn, vec![user_id])?))
}

/// Refuses a change that leaves nobody able to manage users (and so to undo it).
fn ensure_manager(conn: &Connection) -> Result<(), RoleError> {
    let managers: i64 = conn.query_row(
        "SELECT COUNT(*) FROM users u LEFT JOIN roles r ON r.name = u.custom_role
         WHERE (u.custom_role IS NULL AND u.role = 'admin')
            OR EXISTS (SELECT 1 FROM json_each(r.permissions) WHERE value = 'manage_users')",
        [],
        |r| r.get(0),
    )?;
    if managers == 0 {
        return Err(RoleError::LastManager);
    }
    Ok(())
}

/// Records that the rights of `users` changed.
fn changed(conn: &Connection, users: Vec<i64>) -> Result<Vec<StoredEvent>, RoleError> {
    let mut out = Vec::with_capacity(users.len());
    for user_id in users {
        let event = events::append(conn, None, None, SyncEvent::AccessChanged { user_id })?;
        conn.execute(
            "UPDATE users SET access_changed_seq = ?2 WHERE id = ?1",
            params![user_id, event.envelope.seq],
        )?;
        out.push(event);
    }
    Ok(out)
}
