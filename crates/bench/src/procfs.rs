//! `/proc`: a process's memory and CPU time, a CPU meter and a memory sampler over a phase, and
//! the machine description.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::SAMPLE_EVERY;

/// `VmRSS` and `VmHWM` of a process, in KiB.
pub fn proc_memory(pid: u32) -> Option<(u64, u64)> {
    proc_status(pid).map(|s| (s.rss_kib, s.hwm_kib))
}

pub struct ProcStatus {
    pub rss_kib: u64,
    /// Of `rss_kib`: anonymous memory (heap, stacks) and pages of mapped files (the search
    /// index, which the kernel can drop and re-read).
    pub anon_kib: u64,
    pub file_kib: u64,
    pub hwm_kib: u64,
    pub threads: u64,
}

pub fn proc_status(pid: u32) -> Option<ProcStatus> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some(ProcStatus {
        rss_kib: field("VmRSS:")?,
        anon_kib: field("RssAnon:").unwrap_or(0),
        file_kib: field("RssFile:").unwrap_or(0),
        hwm_kib: field("VmHWM:")?,
        threads: field("Threads:")?,
    })
}

/// User + system CPU time of a process, in clock ticks.
pub fn proc_cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start at field 3 (state).
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

pub fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|t| *t > 0.0)
        .unwrap_or(100.0)
}

/// CPU used by the server and by this process over a phase, as % of one core.
pub struct CpuMeter {
    server_pid: String,
    server0: u64,
    client0: u64,
    t0: Instant,
}

impl CpuMeter {
    pub fn start(pid: u32) -> Self {
        let server_pid = pid.to_string();
        CpuMeter {
            server0: proc_cpu_ticks(&server_pid).unwrap_or(0),
            client0: proc_cpu_ticks("self").unwrap_or(0),
            server_pid,
            t0: Instant::now(),
        }
    }

    pub fn finish(self, ticks_per_s: f64) -> (f64, f64) {
        let wall = self.t0.elapsed().as_secs_f64().max(1e-9);
        let server = proc_cpu_ticks(&self.server_pid).unwrap_or(self.server0) - self.server0;
        let client = proc_cpu_ticks("self").unwrap_or(self.client0) - self.client0;
        (
            100.0 * server as f64 / ticks_per_s / wall,
            100.0 * client as f64 / ticks_per_s / wall,
        )
    }
}

/// Samples the server's VmRSS every 100 ms on a thread; `finish` returns the peak (KiB).
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl RssSampler {
    pub fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            loop {
                if let Some((rss, _)) = proc_memory(pid) {
                    peak = peak.max(rss);
                }
                if flag.load(Ordering::Relaxed) {
                    return peak;
                }
                std::thread::sleep(SAMPLE_EVERY);
            }
        });
        RssSampler { stop, thread }
    }

    pub fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

pub struct Machine {
    pub cpus: usize,
    pub model: String,
    pub mem_total_kib: u64,
    pub kernel: String,
}

impl Machine {
    pub fn read() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_total_kib = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let cpus = Command::new("nproc")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
            .unwrap_or(1);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "unknown".into());
        Machine {
            cpus,
            model,
            mem_total_kib,
            kernel,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_proc_entries() {
        let (rss, hwm) = proc_memory(std::process::id()).expect("/proc/self/status");
        assert!(rss > 0 && hwm >= rss);
        assert!(proc_cpu_ticks("self").is_some());
    }
}
