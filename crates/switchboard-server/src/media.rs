//! Fetching customers' media from WhatsApp: media id → short-lived URL (bearer token) →
//! content, stored by its SHA-256 under `data_dir/media`, checked against the hash Meta gave.
//! Failures are recorded on the message and retried with backoff; after the last attempt the
//! agent sees why.

use crate::db::{Db, DbError};
use crate::hub::Hub;
use crate::settings::BusinessNumber;
use crate::store::{conversations, events, messages};
use base64::Engine;
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use switchboard_domain::now_millis;
use switchboard_protocol::SyncEvent;
use switchboard_whatsapp::GraphClient;
use tokio::sync::mpsc;

/// Attempts before a media download is given up.
const MAX_ATTEMPTS: i64 = 5;

/// Hands message ids whose media should be fetched to the fetcher.
#[derive(Clone)]
pub struct MediaFetcher {
    queue: mpsc::UnboundedSender<i64>,
}

struct Fetcher {
    db: Db,
    hub: Hub,
    graph: GraphClient,
    numbers: HashMap<String, BusinessNumber>,
    dir: PathBuf,
    retry_base: Duration,
    queue: mpsc::UnboundedSender<i64>,
}

impl MediaFetcher {
    pub fn enqueue(&self, message_id: i64) {
        let _ = self.queue.send(message_id);
    }

    /// Starts the fetcher and queues every download a previous run left pending.
    pub fn start(
        db: Db,
        hub: Hub,
        graph: GraphClient,
        numbers: HashMap<String, BusinessNumber>,
        dir: PathBuf,
        retry_base: Duration,
    ) -> MediaFetcher {
        let (queue, mut receiver) = mpsc::unbounded_channel();
        let pending: Vec<i64> = db
            .call_blocking(|c| {
                let mut stmt =
                    c.prepare("SELECT message_id FROM message_media WHERE status = 'pending'")?;
                let rows = stmt.query_map([], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<Vec<i64>>>()
            })
            .unwrap_or_default();
        for id in pending {
            let _ = queue.send(id);
        }
        let fetcher = Arc::new(Fetcher {
            db,
            hub,
            graph,
            numbers,
            dir,
            retry_base,
            queue: queue.clone(),
        });
        tokio::spawn(async move {
            while let Some(id) = receiver.recv().await {
                let fetcher = fetcher.clone();
                tokio::spawn(async move { fetcher.fetch(id).await });
            }
        });
        MediaFetcher { queue }
    }
}

/// Where content with this SHA-256 (hex) is kept.
pub fn content_path(dir: &Path, sha256_hex: &str) -> PathBuf {
    dir.join(&sha256_hex[..2]).join(sha256_hex)
}

impl Fetcher {
    async fn fetch(&self, message_id: i64) {
        let row = self
            .db
            .call(move |c| -> Result<_, DbError> {
                Ok(c.query_row(
                    "SELECT phone_number_id, media_id, attempts FROM message_media WHERE message_id = ?1 AND status = 'pending'",
                    [message_id],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)),
                )
                .optional()?)
            })
            .await;
        let Ok(Some((number, media_id, attempts))) = row else {
            return;
        };
        match self.download(&number, &media_id).await {
            Ok((bytes, mime_type)) => match self.keep(&bytes) {
                Ok(hex) => {
                    let size = bytes.len() as i64;
                    self.update(message_id, move |c| {
                        c.execute(
                            "UPDATE message_media SET status = 'ready', mime_type = ?2, sha256 = ?3, size = ?4, attempts = attempts + 1, error = NULL, updated_at = ?5 WHERE message_id = ?1",
                            params![message_id, mime_type, hex, size, now_millis()],
                        )
                    })
                    .await
                }
                Err(error) => {
                    tracing::error!(message_id, %error, "media could not be written to disk; will retry on restart")
                }
            },
            Err(why) => {
                let last = attempts + 1 >= MAX_ATTEMPTS;
                tracing::warn!(message_id, attempt = attempts + 1, %why, "media download failed");
                let status = if last { "failed" } else { "pending" };
                // The last reason is shown to agents, worded in their language; the technical
                // cause is in the log above.
                let shown = if last {
                    switchboard_protocol::FailureReason::MediaUnavailable.english()
                } else {
                    why
                };
                self.update(message_id, move |c| {
                    c.execute(
                        "UPDATE message_media SET status = ?2, attempts = attempts + 1, error = ?3, updated_at = ?4 WHERE message_id = ?1",
                        params![message_id, status, shown, now_millis()],
                    )
                })
                .await;
                if !last {
                    let delay = self.retry_base * 2u32.pow(attempts.clamp(0, 10) as u32);
                    let queue = self.queue.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(delay).await;
                        let _ = queue.send(message_id);
                    });
                }
            }
        }
    }

    async fn download(&self, number: &str, media_id: &str) -> Result<(Vec<u8>, String), String> {
        let token = self
            .numbers
            .get(number)
            .ok_or_else(|| format!("business number {number} is no longer configured"))?
            .access_token
            .expose()
            .to_owned();
        let info = self
            .graph
            .media_info(media_id, &token)
            .await
            .map_err(|e| e.to_string())?;
        let bytes = self
            .graph
            .download_media(&info.url, &token)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(expected) = &info.sha256 {
            let actual = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&bytes));
            if &actual != expected {
                return Err("the downloaded content does not match WhatsApp's checksum".into());
            }
        }
        Ok((bytes, info.mime_type))
    }

    /// Writes the content under its hash (once; the same content is stored once).
    fn keep(&self, bytes: &[u8]) -> std::io::Result<String> {
        let hex = hex::encode(Sha256::digest(bytes));
        let path = content_path(&self.dir, &hex);
        if !path.exists() {
            std::fs::create_dir_all(path.parent().expect("content paths have a parent"))?;
            let tmp = path.with_extension("partial");
            std::fs::write(&tmp, bytes)?;
            std::fs::File::open(&tmp)?.sync_all()?;
            std::fs::rename(&tmp, &path)?;
        }
        Ok(hex)
    }

    /// Applies `change` and tells the desktops about the message's new media state.
    async fn update(
        &self,
        message_id: i64,
        change: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<usize> + Send + 'static,
    ) {
        let result = self
            .db
            .call_publishing(&self.hub, move |conn| -> Result<_, DbError> {
                let tx = conn.transaction()?;
                change(&tx)?;
                let message = messages::get(&tx, message_id)?.expect("media belongs to a message");
                let assignee = conversations::get(&tx, message.conversation_id)?
                    .and_then(|c| c.assigned_user_id);
                let event = events::append(
                    &tx,
                    Some(message.conversation_id),
                    assignee,
                    SyncEvent::MessageUpserted { message },
                )?;
                tx.commit()?;
                Ok(((), vec![event]))
            })
            .await;
        match result {
            Ok(()) => {}
            Err(error) => tracing::error!(message_id, %error, "media state could not be saved"),
        }
    }
}
