//! Exports from the desk. Supervisors and admins export messages or conversations: the
//! server's answer is written into a file as it arrives (never held whole in memory), with
//! [`DesktopEvent::ExportProgress`] events so the UI can show how far it got. Anyone who may
//! read a conversation saves its HTML transcript, which a browser prints to PDF.

use crate::error::{FileStep, SyncError};
use crate::media::{free_path, safe_file_name};
use crate::types::DesktopEvent;
use crate::Workstation;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use switchboard_protocol::{ExportFilter, ExportFormat, ExportRecords, TOTAL_COUNT_HEADER};
use ts_rs::TS;

/// How often progress is reported while an export downloads.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// `export_records`: what to export and how.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportRequest {
    pub records: ExportRecords,
    pub format: ExportFormat,
    pub filter: ExportFilter,
}

/// A finished export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    /// The file written.
    pub path: String,
    /// Records in the file.
    #[ts(type = "number")]
    pub rows: u64,
    /// Records the server announced; `rows` differs only when conversations changed hands
    /// while the export ran.
    #[ts(type = "number | null")]
    pub expected: Option<u64>,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// `save_transcript`: a conversation's printable transcript.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TranscriptRequest {
    #[ts(type = "number")]
    pub conversation_id: i64,
    /// Include internal notes; leave them out for a transcript meant for the customer.
    pub include_notes: bool,
    /// The IANA time zone to show times in (the UI's own); UTC when absent.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// The query string of an export.
fn export_query(request: &ExportRequest) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("format", request.format.as_str());
    let filter = &request.filter;
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if let Some(number) = text(&filter.number) {
        query.append_pair("number", &number);
    }
    if let Some(contact) = text(&filter.contact) {
        query.append_pair("contact", &contact);
    }
    for (name, value) in [
        ("from", filter.from),
        ("until", filter.until),
        ("agent", filter.agent),
        ("contact_id", filter.contact_id),
    ] {
        if let Some(value) = value {
            query.append_pair(name, &value.to_string());
        }
    }
    query.finish()
}

/// The query string of a transcript.
fn transcript_query(request: &TranscriptRequest) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("format", "html");
    let notes = if request.include_notes {
        "true"
    } else {
        "false"
    };
    query.append_pair("notes", notes);
    if let Some(zone) = request.time_zone.as_deref().filter(|z| !z.is_empty()) {
        query.append_pair("tz", zone);
    }
    query.finish()
}

/// Counts the records in an export as its bytes go by: lines of JSON, or CSV rows (a line
/// break inside a quoted field does not end a row; a doubled quote toggles twice).
#[derive(Debug)]
struct RecordCounter {
    format: ExportFormat,
    in_quotes: bool,
    lines: u64,
}

impl RecordCounter {
    fn new(format: ExportFormat) -> Self {
        RecordCounter {
            format,
            in_quotes: false,
            lines: 0,
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        match self.format {
            ExportFormat::Jsonl => {
                self.lines += bytes.iter().filter(|b| **b == b'\n').count() as u64;
            }
            ExportFormat::Csv => {
                for byte in bytes {
                    match byte {
                        b'"' => self.in_quotes = !self.in_quotes,
                        b'\n' if !self.in_quotes => self.lines += 1,
                        _ => {}
                    }
                }
            }
        }
    }

    /// Records so far (the CSV header is not one).
    fn records(&self) -> u64 {
        match self.format {
            ExportFormat::Jsonl => self.lines,
            ExportFormat::Csv => self.lines.saturating_sub(1),
        }
    }
}

/// The name the server suggests in `Content-Disposition`, made safe.
fn suggested_name(headers: &reqwest::header::HeaderMap, fallback: &str) -> String {
    let suggested = headers
        .get(reqwest::header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split("filename=\"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap_or("");
    safe_file_name(suggested, fallback)
}

impl Workstation {
    /// Exports messages or conversations into a new file in `folder` (an existing file is
    /// never replaced), reporting progress as [`DesktopEvent::ExportProgress`]. The file appears
    /// under its final name only when the whole export arrived; a cut-off download leaves
    /// nothing behind.
    pub async fn export(
        &self,
        request: &ExportRequest,
        folder: &Path,
    ) -> Result<ExportSummary, SyncError> {
        let path = format!(
            "/export/{}?{}",
            request.records.as_str(),
            export_query(request)
        );
        let fallback = format!(
            "switchboard-{}.{}",
            request.records.as_str(),
            request.format.as_str()
        );
        self.save_download(&path, &fallback, request.format, folder)
            .await
    }

    /// Downloads `path` into a new file in `folder` as [`Workstation::export`] does (the
    /// server's suggested name, else `fallback`; progress events; nothing left of a cut-off
    /// download). Contact lists are saved the same way.
    pub(crate) async fn save_download(
        &self,
        path: &str,
        fallback: &str,
        format: ExportFormat,
        folder: &Path,
    ) -> Result<ExportSummary, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let response = self.api.download(&server_url, path, &token).await?;
        let expected = response
            .headers
            .get(TOTAL_COUNT_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let name = suggested_name(&response.headers, fallback);
        std::fs::create_dir_all(folder).map_err(|e| self.io_error(FileStep::Create, folder, e))?;
        let target = free_path(folder, &name);
        let partial = target.with_file_name(format!("{name}.partial"));
        let file = std::fs::File::create(&partial)
            .map_err(|e| self.io_error(FileStep::Create, &partial, e))?;
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(name);
        let written = self
            .write_export(response, file, format, expected, &file_name)
            .await;
        let (rows, bytes) = match written {
            Ok(done) => done,
            Err(error) => {
                let _ = std::fs::remove_file(&partial);
                return Err(error);
            }
        };
        std::fs::rename(&partial, &target)
            .map_err(|e| self.io_error(FileStep::Write, &target, e))?;
        self.emit(DesktopEvent::ExportProgress {
            file: file_name,
            rows,
            total: expected,
            done: true,
        });
        Ok(ExportSummary {
            path: target.display().to_string(),
            rows,
            expected,
            bytes,
        })
    }

    /// Writes the body into `file` chunk by chunk; returns the records and bytes written.
    async fn write_export(
        &self,
        response: crate::transport::HttpResponse,
        file: std::fs::File,
        format: ExportFormat,
        total: Option<u64>,
        file_name: &str,
    ) -> Result<(u64, u64), SyncError> {
        let mut out = std::io::BufWriter::new(file);
        let mut counter = RecordCounter::new(format);
        let mut bytes = 0u64;
        let mut reported = Instant::now();
        let mut chunks = response.chunks();
        self.emit(DesktopEvent::ExportProgress {
            file: file_name.to_owned(),
            rows: 0,
            total,
            done: false,
        });
        let language = self.language();
        let unwritable = |e: std::io::Error| {
            SyncError::Internal(say!(language,
                en: "Could not write the export to {file_name}: {e}",
                ar: "تعذّرت كتابة ملف التصدير {file_name}: {e}",
                th: "เขียนไฟล์ส่งออก {file_name} ไม่สำเร็จ: {e}",
            ))
        };
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|e| {
                let why = e.describe(language);
                SyncError::Unreachable(say!(language,
                    en: "The export was cut off ({why}). Nothing was saved; try again.",
                    ar: "انقطع التصدير قبل اكتماله ({why}). لم يُحفظ شيء؛ حاول مرة أخرى.",
                    th: "การส่งออกขาดหายกลางทาง ({why}) ไม่มีการบันทึกใดๆ กรุณาลองอีกครั้ง",
                ))
            })?;
            out.write_all(&chunk).map_err(unwritable)?;
            counter.feed(&chunk);
            bytes += chunk.len() as u64;
            if reported.elapsed() >= PROGRESS_EVERY {
                reported = Instant::now();
                self.emit(DesktopEvent::ExportProgress {
                    file: file_name.to_owned(),
                    rows: counter.records(),
                    total,
                    done: false,
                });
            }
        }
        out.flush().map_err(unwritable)?;
        Ok((counter.records(), bytes))
    }

    /// Saves a conversation's HTML transcript into `folder` (never replacing a file there).
    pub async fn save_transcript(
        &self,
        request: &TranscriptRequest,
        folder: &Path,
    ) -> Result<PathBuf, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let id = request.conversation_id;
        let path = format!(
            "/conversations/{id}/transcript?{}",
            transcript_query(request)
        );
        let (_, html) = self.api.call_bytes(&server_url, &path, &token).await?;
        std::fs::create_dir_all(folder).map_err(|e| self.io_error(FileStep::Create, folder, e))?;
        let target = free_path(folder, &format!("transcript-conversation-{id}.html"));
        std::fs::write(&target, html).map_err(|e| self.io_error(FileStep::Write, &target, e))?;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_counted_across_quoted_line_breaks_and_chunks() {
        let csv = "\u{FEFF}id,text\r\n1,\"two\r\nlines, \"\"quoted\"\"\"\r\n2,plain\r\n";
        let mut counter = RecordCounter::new(ExportFormat::Csv);
        for chunk in csv.as_bytes().chunks(3) {
            counter.feed(chunk);
        }
        assert_eq!(counter.records(), 2);
        let mut lines = RecordCounter::new(ExportFormat::Jsonl);
        lines.feed(b"{\"text\":\"a\\nb\"}\n{}\n");
        assert_eq!(lines.records(), 2);
    }

    #[test]
    fn the_query_carries_only_the_filters_set() {
        let request = ExportRequest {
            records: ExportRecords::Messages,
            format: ExportFormat::Csv,
            filter: ExportFilter {
                number: Some(" +15550001111 ".into()),
                from: Some(10),
                agent: Some(4),
                contact: Some("  ".into()),
                ..ExportFilter::default()
            },
        };
        assert_eq!(
            export_query(&request),
            "format=csv&number=%2B15550001111&from=10&agent=4"
        );
    }

    #[test]
    fn the_servers_file_name_is_used_when_safe() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::CONTENT_DISPOSITION,
            "attachment; filename=\"switchboard-messages-20260101-120000.csv\""
                .parse()
                .unwrap(),
        );
        assert_eq!(
            suggested_name(&headers, "x.csv"),
            "switchboard-messages-20260101-120000.csv"
        );
        headers.insert(
            reqwest::header::CONTENT_DISPOSITION,
            "attachment; filename=\"../../evil\"".parse().unwrap(),
        );
        assert_eq!(suggested_name(&headers, "x.csv"), "_.._evil");
        assert_eq!(
            suggested_name(&reqwest::header::HeaderMap::new(), "x.csv"),
            "x.csv"
        );
    }
}
