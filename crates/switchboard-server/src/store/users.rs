use rusqlite::{params, Connection, OptionalExtension};
use switchboard_domain::{now_millis, Permission, Role, UserProfile};

/// A user row with the password hash, for sign-in.
pub struct UserRecord {
    pub profile: UserProfile,
    pub password_hash: String,
    /// Wrong passwords in a row since the last sign-in.
    pub failed_sign_ins: u32,
    /// Sign-in is refused until then (milliseconds since the epoch).
    pub locked_until: Option<i64>,
}

/// The columns [`profile_from_row`] reads, from `users u` joined with its custom role `r`.
const PROFILE: &str = "u.*, r.permissions AS role_permissions FROM users u
    LEFT JOIN roles r ON r.name = u.custom_role";

/// A profile with the permissions of the user's role. (Whether a built-in role sees unmasked
/// numbers is a server setting; [`crate::access::Access`] adds it for the signed-in user.)
fn profile_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<UserProfile> {
    let role: Role = row.get::<_, String>("role")?.parse().unwrap_or(Role::Agent);
    let custom_role: Option<String> = row.get("custom_role")?;
    let permissions = match (
        &custom_role,
        row.get::<_, Option<String>>("role_permissions")?,
    ) {
        (None, _) => Permission::of_builtin(role).to_vec(),
        (Some(_), Some(json)) => crate::access::parse_permissions(&json),
        (Some(_), None) => Vec::new(),
    };
    Ok(UserProfile {
        id: row.get("id")?,
        username: row.get("username")?,
        display_name: row.get("display_name")?,
        role,
        custom_role,
        permissions,
    })
}

pub fn insert(
    conn: &Connection,
    username: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
    numbers: &[String],
) -> rusqlite::Result<UserProfile> {
    conn.execute(
        "INSERT INTO users (username, display_name, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![username, display_name, password_hash, role.as_str(), now_millis()],
    )?;
    let id = conn.last_insert_rowid();
    for number in numbers {
        conn.execute(
            "INSERT OR IGNORE INTO user_numbers (user_id, phone_number_id) VALUES (?1, ?2)",
            params![id, number],
        )?;
    }
    Ok(UserProfile::builtin(id, username, display_name, role))
}

pub fn by_username(conn: &Connection, username: &str) -> rusqlite::Result<Option<UserRecord>> {
    conn.query_row(
        &format!("SELECT {PROFILE} WHERE u.username = ?1"),
        [username],
        |row| {
            Ok(UserRecord {
                profile: profile_from_row(row)?,
                password_hash: row.get("password_hash")?,
                failed_sign_ins: row.get("failed_sign_ins")?,
                locked_until: row.get("locked_until")?,
            })
        },
    )
    .optional()
}

/// The user with `id`, if any.
pub fn by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<UserProfile>> {
    conn.query_row(
        &format!("SELECT {PROFILE} WHERE u.id = ?1"),
        [id],
        profile_from_row,
    )
    .optional()
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<UserProfile>> {
    let mut stmt = conn.prepare(&format!("SELECT {PROFILE} ORDER BY u.id"))?;
    let rows = stmt.query_map([], profile_from_row)?;
    rows.collect()
}

pub fn insert_session(
    conn: &Connection,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, user_id, now_millis(), expires_at],
    )?;
    Ok(())
}

/// The user a live (unexpired, unrevoked) session token hash belongs to.
pub fn by_session(conn: &Connection, token_hash: &str) -> rusqlite::Result<Option<UserProfile>> {
    conn.query_row(
        "SELECT u.*, r.permissions AS role_permissions FROM sessions s
         JOIN users u ON u.id = s.user_id LEFT JOIN roles r ON r.name = u.custom_role
         WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2",
        params![token_hash, now_millis()],
        profile_from_row,
    )
    .optional()
}

/// Counts a wrong password for `user_id`; at `attempts` in a row the account is locked until
/// `now + lock_ms`, which is returned.
pub fn record_failed_sign_in(
    conn: &Connection,
    user_id: i64,
    attempts: u32,
    lock_ms: i64,
    now: i64,
) -> rusqlite::Result<Option<i64>> {
    let failed: u32 = conn.query_row(
        "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE id = ?1
         RETURNING failed_sign_ins",
        [user_id],
        |r| r.get(0),
    )?;
    if failed < attempts.max(1) {
        return Ok(None);
    }
    let until = now + lock_ms;
    conn.execute(
        "UPDATE users SET failed_sign_ins = 0, locked_until = ?2 WHERE id = ?1",
        params![user_id, until],
    )?;
    Ok(Some(until))
}

/// A successful sign-in: the count of wrong passwords starts again.
pub fn record_sign_in(conn: &Connection, user_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?1",
        [user_id],
    )?;
    Ok(())
}

/// Lifts a lock; whether `username` exists.
pub fn unlock(conn: &Connection, username: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE username = ?1",
        [username],
    )? == 1)
}

/// Ends every live session of `user_id`; how many there were.
pub fn revoke_sessions_of(conn: &Connection, user_id: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE sessions SET revoked_at = ?2
         WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2",
        params![user_id, now_millis()],
    )
}

pub fn revoke_session(conn: &Connection, token_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
        params![token_hash, now_millis()],
    )?;
    Ok(())
}
