//! Simulated media endpoints: upload (multipart) → media id; media id → a download URL that
//! expires after five minutes; download with the bearer token; delete. Sizes and MIME types
//! are checked like Meta's (131053).

use crate::graph::{bearer_ok, graph_error, unauthorized, unknown_number};
use crate::state::Simulator;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a download URL works.
const URL_LIFETIME: Duration = Duration::from_secs(300);

struct Item {
    bytes: Vec<u8>,
    mime_type: String,
}

#[derive(Default)]
pub(crate) struct MediaStore {
    items: Mutex<HashMap<String, Item>>,
    /// Download tokens: media id and expiry.
    urls: Mutex<HashMap<String, (String, Instant)>>,
    /// Downloads still to fail with a 500, for retry tests.
    failures_left: Mutex<u32>,
}

fn random_id(digits: usize) -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(b'0' + b % 10))
        .take(digits)
        .collect()
}

/// Meta's size limits per MIME type; `None` if the type is not accepted at all.
fn max_size(mime: &str) -> Option<usize> {
    const MB: usize = 1024 * 1024;
    match mime {
        "image/jpeg" | "image/png" => Some(5 * MB),
        "image/webp" => Some(500 * 1024),
        "audio/aac" | "audio/amr" | "audio/mpeg" | "audio/mp4" | "audio/ogg" => Some(16 * MB),
        "video/mp4" | "video/3gpp" => Some(16 * MB),
        "application/pdf"
        | "text/plain"
        | "application/msword"
        | "application/vnd.ms-excel"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some(100 * MB),
        _ => None,
    }
}

impl MediaStore {
    /// Stores content and returns its media id.
    pub fn put(&self, bytes: Vec<u8>, mime_type: &str) -> String {
        let id = random_id(16);
        self.items.lock().unwrap_or_else(|p| p.into_inner()).insert(
            id.clone(),
            Item {
                bytes,
                mime_type: mime_type.to_owned(),
            },
        );
        id
    }

    pub fn fail_next_downloads(&self, count: u32) {
        *self.failures_left.lock().unwrap_or_else(|p| p.into_inner()) = count;
    }
}

/// Meta's base64 SHA-256 of the content.
pub fn sha256_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

/// `POST /{version}/{phone_number_id}/media`.
pub async fn upload(
    State(sim): State<Simulator>,
    Path((_version, number)): Path<(String, String)>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    if let Some(refused) = unauthorized(&sim, &headers) {
        return refused;
    }
    if let Some(refused) = unknown_number(&sim, &number) {
        return refused;
    }
    if let Some(refused) = crate::quota::over_waba_limit(&sim, &number) {
        return refused;
    }
    let mut file: Option<(Vec<u8>, String)> = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("file") {
            let mime = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            match field.bytes().await {
                Ok(bytes) => file = Some((bytes.to_vec(), mime)),
                Err(_) => {
                    return graph_error(
                        StatusCode::BAD_REQUEST,
                        131053,
                        "OAuthException",
                        "Media upload error",
                        Some("The file could not be read."),
                        None,
                    )
                }
            }
        }
    }
    let Some((bytes, mime)) = file else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            131008,
            "OAuthException",
            "Required parameter is missing",
            Some("The parameter file is required."),
            None,
        );
    };
    match max_size(&mime) {
        None => graph_error(
            StatusCode::BAD_REQUEST,
            131053,
            "OAuthException",
            "Media upload error",
            Some(&format!("Unsupported file type {mime}.")),
            None,
        ),
        Some(max) if bytes.len() > max => graph_error(
            StatusCode::BAD_REQUEST,
            131053,
            "OAuthException",
            "Media upload error",
            Some(&format!(
                "The file is larger than the {max} bytes allowed for {mime}."
            )),
            None,
        ),
        Some(_) => Json(json!({ "id": sim.inner.media.put(bytes, &mime) })).into_response(),
    }
}

/// `GET /{version}/{media_id}`: where to download the content, for five minutes.
pub async fn info(
    State(sim): State<Simulator>,
    Path((_version, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = unauthorized(&sim, &headers) {
        return refused;
    }
    let items = sim
        .inner
        .media
        .items
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let Some(item) = items.get(&id) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "GraphMethodException",
            &format!("Unsupported get request. Object with ID '{id}' does not exist"),
            None,
            Some(33),
        );
    };
    let token = random_id(12);
    sim.inner
        .media
        .urls
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(token.clone(), (id.clone(), Instant::now() + URL_LIFETIME));
    Json(json!({
        "messaging_product": "whatsapp",
        "url": format!("{}/sim/media/{token}", sim.graph_base_url()),
        "mime_type": item.mime_type,
        "sha256": sha256_base64(&item.bytes),
        "file_size": item.bytes.len(),
        "id": id,
    }))
    .into_response()
}

/// `DELETE /{version}/{media_id}`.
pub async fn delete(
    State(sim): State<Simulator>,
    Path((_version, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = unauthorized(&sim, &headers) {
        return refused;
    }
    let removed = sim
        .inner
        .media
        .items
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id)
        .is_some();
    Json(json!({ "success": removed })).into_response()
}

/// The download URL: needs the bearer token too; 404 once expired.
pub async fn download(
    State(sim): State<Simulator>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !bearer_ok(&sim, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    {
        let mut left = sim
            .inner
            .media
            .failures_left
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if *left > 0 {
            *left -= 1;
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let target = sim
        .inner
        .media
        .urls
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&token)
        .cloned();
    let Some((id, expires)) = target.filter(|(_, expires)| *expires > Instant::now()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let _ = expires;
    let items = sim
        .inner
        .media
        .items
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    match items.get(&id) {
        Some(item) => (
            [(header::CONTENT_TYPE, item.mime_type.clone())],
            item.bytes.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
