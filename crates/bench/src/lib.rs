//! Shared pieces of the `lz-bench` binaries: the server as a child process, `/proc` sampling
//! (memory, CPU), the machine description, browser-style HTTP clients and sign-in, latency
//! percentiles and small report helpers.
//!
//! Used by `lz-bench` (sign-ins and an authenticated page, `src/bin/lz-bench/`) and
//! `lz-bench-library` (the learning library: pages, search, reindex, `src/bin/lz-bench-library/`).
//! See `crates/bench/README.md`.

use std::time::Duration;

mod http;
mod load;
mod process;
mod procfs;

pub use http::{browser, csrf_in, sign_in, wait_ready};
pub use load::{closed_loop, join_all, Errors, Latencies, Phase};
pub use process::{
    drain, parse_running_line, runtime, server_binary, server_command, wait_timeout, Lz, Server,
    TempDir,
};
pub use procfs::{
    clock_ticks_per_second, proc_cpu_ticks, proc_memory, proc_status, CpuMeter, Machine,
    ProcStatus, RssSampler,
};

/// Upper bound for any one HTTP request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound for each CLI step (account creation, start-up, shutdown).
pub const STEP_TIMEOUT: Duration = Duration::from_secs(120);
/// Memory sampling interval.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(100);

/// Progress goes to stderr, so that the report (and `--json`) alone is on stdout.
pub fn progress(msg: &str) {
    eprintln!("lz-bench: {msg}");
}

// ---------------------------------------------------------------------------------------------
// Report helpers
// ---------------------------------------------------------------------------------------------

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

pub fn errors_cell(e: &Errors) -> String {
    match &e.first {
        None => e.count.to_string(),
        Some(first) => format!("{} (first: {})", e.count, first.replace('|', "\\|")),
    }
}
