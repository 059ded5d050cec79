//! The app's process tree (the app and the WebKit processes it starts) read from `/proc`:
//! proportional set size per process, and stopping the whole tree between runs.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// One process's memory, from `/proc/<pid>/smaps_rollup`, in KiB.
pub struct Footprint {
    pub pid: u32,
    pub name: String,
    pub pss: u64,
    pub rss: u64,
    /// Pages only this process maps: what closing it would give back.
    pub private: u64,
    pub pss_anon: u64,
    pub pss_file: u64,
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name is in parentheses and may hold spaces; the parent is the second field after it.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split(' ').nth(1)?.parse().ok()
}

fn is_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rfind(')')
            .and_then(|at| stat[at + 2..].chars().next())
            .is_some_and(|state| state == 'Z'),
    }
}

/// `root` and every process below it.
pub fn tree(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        if let Some(parent) = parent_of(pid) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut found = vec![root];
    let mut next = 0;
    while next < found.len() {
        if let Some(kids) = children.get(&found[next]) {
            found.extend(kids);
        }
        next += 1;
    }
    found
}

/// CPU time the process has used so far (user and system).
pub fn cpu_time(pid: u32) -> Duration {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return Duration::ZERO;
    };
    let Some(at) = stat.rfind(')') else {
        return Duration::ZERO;
    };
    // After the name: state is field 3, utime and stime are fields 14 and 15.
    let fields: Vec<&str> = stat[at + 2..].split(' ').collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    // Linux reports these in USER_HZ, which is 100 on every architecture it exports them.
    Duration::from_millis(ticks * 10)
}

pub fn footprint(pid: u32) -> Option<Footprint> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| -> u64 {
        rollup
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|value| value.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()?
        .trim()
        .to_owned();
    Some(Footprint {
        pid,
        name,
        pss: field("Pss"),
        rss: field("Rss"),
        private: field("Private_Clean") + field("Private_Dirty"),
        pss_anon: field("Pss_Anon"),
        pss_file: field("Pss_File"),
    })
}

/// Processes outside `ours` that map WebKitGTK. Pages of a library several processes map are
/// split between them in PSS, so another WebKit app running makes the app's figures read low.
pub fn other_webkit_processes(ours: &[u32]) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| !ours.contains(pid))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/maps"))
                .is_ok_and(|maps| maps.contains("libwebkit2gtk"))
        })
        .collect()
}

/// Stops the app and waits until the processes it started have gone too.
pub fn stop(app: &mut std::process::Child) {
    let members = tree(app.id());
    let _ = app.kill();
    let _ = app.wait();
    let deadline = Instant::now() + Duration::from_secs(10);
    while members.iter().any(|&pid| !is_gone(pid)) {
        if Instant::now() > deadline {
            for &pid in members.iter().filter(|&&pid| !is_gone(pid)) {
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
