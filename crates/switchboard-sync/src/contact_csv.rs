//! Contact lists as CSV from the desk (issue 9). An import uploads the file the admin chose
//! and reads the server's answer line by line as it comes (JSON Lines: progress, then the
//! report), passing progress on as [`DesktopEvent::ContactImportProgress`]. An export is
//! saved into the downloads folder like the other exports.

use crate::error::SyncError;
use crate::types::DesktopEvent;
use crate::{ExportSummary, Workstation};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::path::Path;
use switchboard_protocol::{
    ContactImportLine, ContactImportProgress, ContactImportReport, ExportFormat,
};
use ts_rs::TS;

/// `import_contacts`: the file's text and how to read it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactImportRequest {
    pub csv: String,
    /// Count what would change and list the problems; write nothing.
    pub dry_run: bool,
    /// Two letters (`SA`): the country of numbers written without a country code.
    #[serde(default)]
    #[ts(optional)]
    pub default_country: Option<String>,
    /// A tag put on every imported contact.
    #[serde(default)]
    #[ts(optional)]
    pub tag: Option<String>,
}

/// `export_contacts`: one saved segment, or one tag, or (neither) every contact.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactExportRequest {
    #[serde(default)]
    #[ts(optional)]
    pub segment: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub tag: Option<String>,
}

/// A text option as the admin meant it: trimmed, and absent when blank.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn import_query(request: &ContactImportRequest) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("dry_run", if request.dry_run { "true" } else { "false" });
    if let Some(country) = given(&request.default_country) {
        query.append_pair("default_country", &country.to_ascii_uppercase());
    }
    if let Some(tag) = given(&request.tag) {
        query.append_pair("tag", tag);
    }
    query.finish()
}

fn export_query(request: &ContactExportRequest) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(segment) = given(&request.segment) {
        query.append_pair("segment", segment);
    } else if let Some(tag) = given(&request.tag) {
        query.append_pair("tag", tag);
    }
    query.finish()
}

/// Splits the answer's bytes into its lines as they arrive, whatever the chunks' borders.
#[derive(Debug, Default)]
struct Lines {
    pending: Vec<u8>,
}

impl Lines {
    /// The lines `chunk` completes (without their line break; blank lines skipped).
    fn feed(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        self.pending.extend_from_slice(chunk);
        let mut lines = Vec::new();
        while let Some(at) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=at).collect();
            let line = line.trim_ascii();
            if !line.is_empty() {
                lines.push(line.to_vec());
            }
        }
        lines
    }

    /// What is left after the last line break: a last line the server did not end.
    fn rest(self) -> Option<Vec<u8>> {
        let rest = self.pending.trim_ascii();
        (!rest.is_empty()).then(|| rest.to_vec())
    }
}

impl Workstation {
    /// Imports (or with `dry_run` previews) a contact list, emitting
    /// [`DesktopEvent::ContactImportProgress`] as the server works through it. Answers with
    /// the server's report: counts and the rows it skipped, with line numbers.
    pub async fn import_contacts(
        &self,
        request: ContactImportRequest,
    ) -> Result<ContactImportReport, SyncError> {
        let (server_url, token, _) = self.signed_in_session()?;
        let path = format!("/contacts/import?{}", import_query(&request));
        let dry_run = request.dry_run;
        let response = self
            .api
            .upload(
                &server_url,
                &path,
                &token,
                "text/csv; charset=utf-8",
                request.csv.into_bytes(),
            )
            .await?;
        self.emit(DesktopEvent::ContactImportProgress {
            dry_run,
            progress: ContactImportProgress::default(),
        });
        let language = self.language();
        let mut chunks = response.chunks();
        let mut lines = Lines::default();
        let mut report = None;
        let mut read = |line: &[u8]| -> Result<(), SyncError> {
            let line: ContactImportLine = serde_json::from_slice(line).map_err(|e| {
                SyncError::Internal(say!(language,
                    en: "The server sent an import answer this app cannot read ({e}); is it a Switchboard server of a matching version?",
                    ar: "أرسل الخادم ردّ استيراد لا يستطيع هذا التطبيق قراءته ({e})؛ هل هو خادم Switchboard بإصدار متوافق؟",
                    th: "เซิร์ฟเวอร์ส่งคำตอบการนำเข้าที่แอปนี้อ่านไม่ได้ ({e}) เซิร์ฟเวอร์นี้เป็น Switchboard เวอร์ชันที่ตรงกันหรือไม่",
                ))
            })?;
            match line {
                ContactImportLine::Progress(progress) => {
                    self.emit(DesktopEvent::ContactImportProgress { dry_run, progress });
                }
                ContactImportLine::Report(done) => report = Some(done),
                ContactImportLine::Error(error) => {
                    let message = error.message;
                    return Err(SyncError::Unreachable(say!(language,
                        en: "The import stopped part way: {message} Contacts imported until then are kept; import the same file again to finish.",
                        ar: "توقّف الاستيراد في منتصفه: {message} جهات الاتصال التي استُوردت حتى ذلك الحين محفوظة؛ استورد الملف نفسه مرة أخرى لإكماله.",
                        th: "การนำเข้าหยุดกลางทาง: {message} รายชื่อที่นำเข้าแล้วจนถึงตอนนั้นยังอยู่ นำเข้าไฟล์เดิมอีกครั้งเพื่อให้เสร็จ",
                    )));
                }
            }
            Ok(())
        };
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|e| {
                let why = e.describe(language);
                SyncError::Unreachable(say!(language,
                    en: "The connection broke during the import ({why}). Contacts imported until then are kept; import the same file again to finish.",
                    ar: "انقطع الاتصال أثناء الاستيراد ({why}). جهات الاتصال التي استُوردت حتى ذلك الحين محفوظة؛ استورد الملف نفسه مرة أخرى لإكماله.",
                    th: "การเชื่อมต่อขาดระหว่างนำเข้า ({why}) รายชื่อที่นำเข้าแล้วจนถึงตอนนั้นยังอยู่ นำเข้าไฟล์เดิมอีกครั้งเพื่อให้เสร็จ",
                ))
            })?;
            for line in lines.feed(&chunk) {
                read(&line)?;
            }
        }
        if let Some(last) = lines.rest() {
            read(&last)?;
        }
        report.ok_or_else(|| {
            SyncError::Unreachable(say!(language,
                en: "The server ended the import without a report. Contacts imported until then are kept; import the same file again to finish.",
                ar: "أنهى الخادم الاستيراد دون تقرير. جهات الاتصال التي استُوردت حتى ذلك الحين محفوظة؛ استورد الملف نفسه مرة أخرى لإكماله.",
                th: "เซิร์ฟเวอร์จบการนำเข้าโดยไม่มีรายงาน รายชื่อที่นำเข้าแล้วจนถึงตอนนั้นยังอยู่ นำเข้าไฟล์เดิมอีกครั้งเพื่อให้เสร็จ",
            ))
        })
    }

    /// Saves contacts as CSV into `folder` (a file the import reads back), with
    /// [`DesktopEvent::ExportProgress`] while it downloads.
    pub async fn export_contacts(
        &self,
        request: &ContactExportRequest,
        folder: &Path,
    ) -> Result<ExportSummary, SyncError> {
        let query = export_query(request);
        let path = if query.is_empty() {
            "/contacts/export.csv".to_owned()
        } else {
            format!("/contacts/export.csv?{query}")
        };
        self.save_download(&path, "switchboard-contacts.csv", ExportFormat::Csv, folder)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn options_are_trimmed_and_blank_ones_left_out() {
        let request = ContactImportRequest {
            csv: String::new(),
            dry_run: true,
            default_country: Some(" sa ".into()),
            tag: Some("  ".into()),
        };
        assert_eq!(import_query(&request), "dry_run=true&default_country=SA");
        let request = ContactImportRequest {
            tag: Some("Spring fair 2027".into()),
            ..ContactImportRequest::default()
        };
        assert_eq!(import_query(&request), "dry_run=false&tag=Spring+fair+2027");
        assert_eq!(export_query(&ContactExportRequest::default()), "");
        let both = ContactExportRequest {
            segment: Some("gcc vip".into()),
            tag: Some("vip".into()),
        };
        assert_eq!(export_query(&both), "segment=gcc+vip");
    }

    #[test]
    fn progress_and_report_lines_are_read_as_they_come() {
        let answer = b"{\"progress\":{\"rows\":5000,\"created\":4990,\"updated\":0,\"unchanged\":0,\"problems\":10}}\n\
{\"report\":{\"dry_run\":false,\"rows\":5001,\"created\":4991,\"updated\":0,\"unchanged\":0,\"duplicates_in_file\":0,\"opt_outs_kept\":0,\"problems_total\":10,\"problems\":[]}}\n";
        let mut lines = Lines::default();
        let mut read = Vec::new();
        for chunk in answer.chunks(7) {
            read.extend(lines.feed(chunk));
        }
        assert!(lines.rest().is_none());
        let parsed: Vec<ContactImportLine> = read
            .iter()
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        assert!(
            matches!(parsed[0], ContactImportLine::Progress(p) if p.rows == 5000 && p.problems == 10)
        );
        assert!(matches!(&parsed[1], ContactImportLine::Report(r) if r.created == 4991));
    }

    proptest! {
        /// However the answer is cut into chunks, the same lines come out, in order.
        #[test]
        fn lines_do_not_depend_on_chunk_borders(
            texts in proptest::collection::vec("[a-z{}\":, ]{0,12}", 0..8),
            cuts in proptest::collection::vec(1usize..9, 1..20),
            unterminated in any::<bool>(),
        ) {
            let mut answer = texts.join("\n");
            if !unterminated {
                answer.push('\n');
            }
            let bytes = answer.as_bytes();
            let mut lines = Lines::default();
            let mut out = Vec::new();
            let (mut at, mut cut) = (0, cuts.iter().cycle());
            while at < bytes.len() {
                let end = (at + cut.next().unwrap()).min(bytes.len());
                out.extend(lines.feed(&bytes[at..end]));
                at = end;
            }
            out.extend(lines.rest());
            let expected: Vec<Vec<u8>> = texts
                .iter()
                .map(|t| t.trim().as_bytes().to_vec())
                .filter(|t| !t.is_empty())
                .collect();
            prop_assert_eq!(out, expected);
        }
    }
}
