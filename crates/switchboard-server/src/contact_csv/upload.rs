//! An upload as a blocking `Read`: the request body's chunks arrive over a channel from the
//! async side, so the CSV reader starts on the first chunk and never holds the whole file.

use axum::body::{Body, Bytes};
use futures_util::StreamExt;
use std::io::Read;
use tokio::sync::mpsc;

/// Chunks in flight between the connection and the reader.
const CHUNKS_IN_FLIGHT: usize = 16;

/// Starts forwarding `body` and returns the reader of it. A connection that breaks off
/// makes the reader fail (never end as if the file were complete).
pub fn reader(body: Body) -> UploadReader {
    let (chunks, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    tokio::spawn(async move {
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| error.to_string());
            let stop = chunk.is_err();
            if chunks.send(chunk).await.is_err() || stop {
                break;
            }
        }
    });
    UploadReader {
        receiver,
        current: Bytes::new(),
        failed: None,
    }
}

pub struct UploadReader {
    receiver: mpsc::Receiver<Result<Bytes, String>>,
    current: Bytes,
    failed: Option<String>,
}

impl Read for UploadReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            if let Some(error) = &self.failed {
                return Err(std::io::Error::other(error.clone()));
            }
            match self.receiver.blocking_recv() {
                None => return Ok(0),
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(error)) => {
                    self.failed = Some(format!("the upload broke off: {error}"));
                }
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}
