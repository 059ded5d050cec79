use crate::settings::BusinessNumber;
use rusqlite::{params, Connection};

/// Makes the `numbers` table match the configured numbers (added or renamed; never deleted,
/// because conversations refer to them).
pub fn sync_configured(conn: &Connection, numbers: &[BusinessNumber]) -> rusqlite::Result<()> {
    for n in numbers {
        conn.execute(
            "INSERT INTO numbers (phone_number_id, display_phone_number, name, waba_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(phone_number_id) DO UPDATE SET display_phone_number = excluded.display_phone_number,
               name = excluded.name, waba_id = excluded.waba_id",
            params![n.phone_number_id, n.display_phone_number, n.name, n.waba_id],
        )?;
    }
    Ok(())
}
