//! Physical line numbers, and a limit on line length. The csv crate's own line counter misses
//! skipped blank lines and counts CRLF late, so the reader notes where each `\r` and `\n` is
//! as the bytes pass and counts lines itself from the records' byte offsets.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex};

/// The offsets of the `\r` and `\n` bytes read and not yet counted (`true`: a `\n`).
type Breaks = Arc<Mutex<VecDeque<(u64, bool)>>>;

/// `inner`, noting its line breaks for a [`LineCounter`], and refusing a line longer than
/// `max_line` bytes so a file without line breaks cannot fill memory.
pub(super) fn guard<R: Read>(inner: R, max_line: usize) -> (LineGuard<R>, LineCounter) {
    let breaks = Breaks::default();
    let guard = LineGuard {
        inner,
        max_line,
        since_newline: 0,
        offset: 0,
        breaks: breaks.clone(),
    };
    let counter = LineCounter {
        breaks,
        newlines_before: 0,
    };
    (guard, counter)
}

pub(super) struct LineGuard<R> {
    inner: R,
    max_line: usize,
    since_newline: usize,
    offset: u64,
    breaks: Breaks,
}

impl<R: Read> Read for LineGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        let mut breaks = self.breaks.lock().unwrap_or_else(|p| p.into_inner());
        for (at, &byte) in buf[..read].iter().enumerate() {
            match byte {
                b'\n' => {
                    breaks.push_back((self.offset + at as u64, true));
                    self.since_newline = 0;
                    continue;
                }
                b'\r' => breaks.push_back((self.offset + at as u64, false)),
                _ => {}
            }
            self.since_newline += 1;
            if self.since_newline > self.max_line {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "a line is longer than {} bytes; is it a CSV file?",
                        self.max_line
                    ),
                ));
            }
        }
        self.offset += read as u64;
        Ok(read)
    }
}

pub(super) struct LineCounter {
    breaks: Breaks,
    /// `\n`s before the end of the last record.
    newlines_before: u64,
}

impl LineCounter {
    /// The line (1-based) a record read from byte `start` up to byte `end` starts on: after
    /// the blank lines the reader skipped at its start.
    pub(super) fn record(&mut self, start: u64, end: u64) -> u64 {
        let mut breaks = self.breaks.lock().unwrap_or_else(|p| p.into_inner());
        let mut newlines = self.newlines_before;
        let mut count = |breaks: &mut VecDeque<(u64, bool)>, below: u64| {
            while let Some(&(at, newline)) = breaks.front() {
                if at >= below {
                    break;
                }
                newlines += u64::from(newline);
                breaks.pop_front();
            }
            newlines
        };
        let mut before = count(&mut breaks, start);
        // Line breaks right at the start are blank lines (or the rest of a CRLF) before it.
        let mut first = start;
        while breaks.front().is_some_and(|&(at, _)| at == first) {
            first += 1;
            before = count(&mut breaks, first);
        }
        self.newlines_before = count(&mut breaks, end);
        before + 1
    }

    /// The line reading has come to (for a failure between records).
    pub(super) fn current(&self) -> u64 {
        self.newlines_before + 1
    }
}
