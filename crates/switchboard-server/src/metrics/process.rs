//! The process's own figures, the `process_*` metrics every Prometheus client library
//! exports (read from `/proc` on Linux; absent elsewhere), and the free space under the data
//! directory for readiness.

use std::path::Path;

/// What `/proc/self` says about this process.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcessFigures {
    pub cpu_seconds: f64,
    pub resident_memory_bytes: u64,
    pub virtual_memory_bytes: u64,
    pub start_time_seconds: f64,
    pub open_fds: u64,
    pub max_fds: Option<u64>,
}

/// This process's figures, or `None` where `/proc` is not there to read.
pub fn figures() -> Option<ProcessFigures> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let boot_time = std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|text| boot_time(&text))?;
    let (ticks_per_second, page_size) = system_units();
    let mut figures = parse_stat(&stat, boot_time, ticks_per_second, page_size)?;
    figures.open_fds = std::fs::read_dir("/proc/self/fd")
        .map(|entries| entries.count() as u64)
        .unwrap_or(0);
    figures.max_fds = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| max_open_files(&text));
    Some(figures)
}

#[cfg(unix)]
fn system_units() -> (f64, u64) {
    // SAFETY: sysconf only reads a system constant.
    let (ticks, page) = unsafe {
        (
            libc::sysconf(libc::_SC_CLK_TCK),
            libc::sysconf(libc::_SC_PAGESIZE),
        )
    };
    (
        if ticks > 0 { ticks as f64 } else { 100.0 },
        if page > 0 { page as u64 } else { 4096 },
    )
}

#[cfg(not(unix))]
fn system_units() -> (f64, u64) {
    (100.0, 4096)
}

/// Reads `/proc/self/stat`. The command name (field 2) may hold spaces and parentheses, so
/// fields are counted from the last `)`.
fn parse_stat(
    stat: &str,
    boot_time: u64,
    ticks_per_second: f64,
    page_size: u64,
) -> Option<ProcessFigures> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Field n of proc(5) is at index n - 3 here.
    let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    let user = field(14)?;
    let system = field(15)?;
    let start_ticks = field(22)?;
    Some(ProcessFigures {
        cpu_seconds: (user + system) as f64 / ticks_per_second,
        virtual_memory_bytes: field(23)?,
        resident_memory_bytes: field(24)? * page_size,
        start_time_seconds: boot_time as f64 + start_ticks as f64 / ticks_per_second,
        open_fds: 0,
        max_fds: None,
    })
}

fn boot_time(proc_stat: &str) -> Option<u64> {
    proc_stat
        .lines()
        .find_map(|line| line.strip_prefix("btime "))
        .and_then(|value| value.trim().parse().ok())
}

fn max_open_files(limits: &str) -> Option<u64> {
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Bytes an unprivileged writer may still use on the file system holding `path`.
#[cfg(unix)]
pub fn free_disk_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: `path` is a valid C string and `stats` a plain struct statvfs fills in.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    Some((stats.f_bavail as u64).saturating_mul(stats.f_frsize as u64))
}

#[cfg(not(unix))]
pub fn free_disk_bytes(_path: &Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_stat_line_with_a_troublesome_name_is_read_by_field_number() {
        let stat =
            "4242 (sw (a) b) S 1 4242 4242 0 -1 4194560 1500 0 3 0 250 50 0 0 20 0 9 0 1000 \
                    123456789 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        let figures = parse_stat(stat, 1_700_000_000, 100.0, 4096).unwrap();
        assert_eq!(figures.cpu_seconds, 3.0);
        assert_eq!(figures.start_time_seconds, 1_700_000_010.0);
        assert_eq!(figures.virtual_memory_bytes, 123_456_789);
        assert_eq!(figures.resident_memory_bytes, 300 * 4096);
    }

    #[test]
    fn boot_time_and_the_open_files_limit_are_found() {
        assert_eq!(
            boot_time("cpu 1 2 3\nbtime 1700000000\nprocesses 5\n"),
            Some(1_700_000_000)
        );
        let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                      Max open files            1024                 524288               files\n";
        assert_eq!(max_open_files(limits), Some(1024));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_has_figures() {
        let figures = figures().expect("/proc is readable on Linux");
        assert!(figures.resident_memory_bytes > 0);
        assert!(figures.open_fds > 0);
        assert!(free_disk_bytes(Path::new("/")).is_some());
    }

    proptest! {
        /// `/proc` is outside input: whatever it holds, reading it never panics.
        #[test]
        fn reading_any_stat_text_never_panics(text in ".{0,300}") {
            let _ = parse_stat(&text, 0, 100.0, 4096);
            let _ = boot_time(&text);
            let _ = max_open_files(&text);
        }
    }
}
