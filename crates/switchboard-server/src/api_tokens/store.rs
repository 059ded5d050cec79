//! The `api_tokens` table.

use super::TokenGrant;
use rusqlite::{params, Connection, OptionalExtension, Row};
use switchboard_domain::Permission;
use switchboard_protocol::ApiToken;

fn permissions_from(text: &str) -> Vec<Permission> {
    // Names this build does not know (a downgrade) grant nothing.
    serde_json::from_str::<Vec<String>>(text)
        .unwrap_or_default()
        .iter()
        .filter_map(|name| name.parse().ok())
        .collect()
}

fn json_list<T: serde::de::DeserializeOwned>(text: &str) -> Vec<T> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The live (not revoked) token whose secret hashes to `hash`; expired ones are returned so
/// the caller can say so.
pub fn by_hash(conn: &Connection, hash: &str) -> rusqlite::Result<Option<TokenGrant>> {
    conn.prepare_cached(
        "SELECT id, name, created_by, permissions, numbers, teams, expires_at, rate_per_second,
                last_used_at
         FROM api_tokens WHERE token_hash = ?1 AND revoked_at IS NULL",
    )?
    .query_row([hash], |r| {
        Ok(TokenGrant {
            id: r.get(0)?,
            name: r.get(1)?,
            created_by: r.get(2)?,
            permissions: permissions_from(&r.get::<_, String>(3)?),
            numbers: json_list(&r.get::<_, String>(4)?),
            teams: json_list(&r.get::<_, String>(5)?),
            expires_at: r.get(6)?,
            rate_per_second: r.get(7)?,
            last_used_at: r.get(8)?,
        })
    })
    .optional()
}

/// A new token for `request`'s details, stored as `hash`; returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &Connection,
    name: &str,
    hash: &str,
    prefix: &str,
    permissions: &[Permission],
    numbers: &[String],
    teams: &[i64],
    created_by: i64,
    created_at: i64,
    expires_at: Option<i64>,
    rate_per_second: Option<u32>,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO api_tokens (name, token_hash, prefix, permissions, numbers, teams,
             created_by, created_at, expires_at, rate_per_second)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            name,
            hash,
            prefix,
            serde_json::to_string(&permissions.iter().map(|p| p.as_str()).collect::<Vec<_>>())
                .expect("names serialize"),
            serde_json::to_string(numbers).expect("numbers serialize"),
            serde_json::to_string(teams).expect("teams serialize"),
            created_by,
            created_at,
            expires_at,
            rate_per_second,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const SELECT: &str = "SELECT t.id, t.name, t.prefix, t.permissions, t.numbers, t.teams,
        COALESCE(u.username, ''), t.created_at, t.last_used_at, t.expires_at, t.rate_per_second
    FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by";

fn token_from_row(r: &Row<'_>) -> rusqlite::Result<ApiToken> {
    Ok(ApiToken {
        id: r.get(0)?,
        name: r.get(1)?,
        prefix: r.get(2)?,
        permissions: permissions_from(&r.get::<_, String>(3)?),
        numbers: json_list(&r.get::<_, String>(4)?),
        teams: json_list(&r.get::<_, String>(5)?),
        created_by: r.get(6)?,
        created_at: r.get(7)?,
        last_used_at: r.get(8)?,
        expires_at: r.get(9)?,
        rate_per_second: r.get(10)?,
    })
}

/// Token `id` if it is not revoked.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<ApiToken>> {
    conn.query_row(
        &format!("{SELECT} WHERE t.id = ?1 AND t.revoked_at IS NULL"),
        [id],
        token_from_row,
    )
    .optional()
}

/// Every token not revoked, newest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<ApiToken>> {
    conn.prepare(&format!(
        "{SELECT} WHERE t.revoked_at IS NULL ORDER BY t.id DESC"
    ))?
    .query_map([], token_from_row)?
    .collect()
}

/// Revokes token `id`; false when there is no such live token.
pub fn revoke(conn: &Connection, id: i64, at: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, at],
    )? == 1)
}

pub fn touch(conn: &Connection, id: i64, at: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1")?
        .execute(params![id, at])?;
    Ok(())
}
