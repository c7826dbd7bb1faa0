//! The report: Markdown (one function per section) or JSON.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use lz_bench::{errors_cell, mib, ms, Machine, Phase};

use crate::accounts::ACCOUNTS;
use crate::measure::Results;
use crate::options::Args;

pub(crate) struct Settings {
    pub(crate) server_bin: PathBuf,
    pub(crate) database: String,
    pub(crate) argon2_memory_kib: Option<u32>,
    pub(crate) argon2_iterations: Option<u32>,
    pub(crate) accounts_time: Duration,
    pub(crate) client_threads: usize,
}

impl Settings {
    pub(crate) fn new(
        args: &Args,
        machine: &Machine,
        server_bin: PathBuf,
        accounts_time: Duration,
    ) -> Self {
        Settings {
            server_bin,
            database: match &args.database_url {
                Some(url) => format!("PostgreSQL ({})", redact_url(url)),
                None => "SQLite (fresh file in a temporary data directory)".into(),
            },
            argon2_memory_kib: args.argon2_memory_kib,
            argon2_iterations: args.argon2_iterations,
            accounts_time,
            client_threads: args
                .client_threads
                .map(|n| n as usize)
                .unwrap_or(machine.cpus),
        }
    }

    fn argon2(&self) -> String {
        let m = self.argon2_memory_kib.unwrap_or(19456);
        let t = self.argon2_iterations.unwrap_or(2);
        let source = if self.argon2_memory_kib.is_none() && self.argon2_iterations.is_none() {
            "server defaults, OWASP baseline"
        } else {
            "set with --argon2-*"
        };
        format!("argon2id m = {m} KiB, t = {t}, p = 1 ({source})")
    }
}

/// `postgres://user:secret@host:5432/db?x=y` → `postgres://host:5432/db`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(unparsed URL)".into();
    };
    let rest = rest.split('?').next().unwrap_or("");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit('@').next().unwrap_or("");
    format!("{scheme}://{host}{path}")
}

pub(crate) fn to_markdown(args: &Args, m: &Machine, s: &Settings, r: &Results) -> String {
    let mut o = String::new();
    settings_table(&mut o, args, m, s, r);
    signin_section(&mut o, &r.signin);
    page_load_section(&mut o, args, &r.load);
    memory_section(&mut o, args, r);
    o
}

fn settings_table(o: &mut String, args: &Args, m: &Machine, s: &Settings, r: &Results) {
    o.push_str("# Learning Zone benchmark (lz-bench)\n\n");
    o.push_str("| setting | value |\n|---|---|\n");
    o.push_str(&format!(
        "| machine | {} CPUs (nproc), {}, {} RAM, Linux {} |\n",
        m.cpus,
        m.model,
        mib(m.mem_total_kib),
        m.kernel
    ));
    o.push_str(&format!("| server | `{}` |\n", s.server_bin.display()));
    o.push_str(&format!("| database | {} |\n", s.database));
    o.push_str(&format!("| password hashing | {} |\n", s.argon2()));
    o.push_str(&format!(
        "| load generator | lz-bench on the same machine, {} runtime threads, loopback HTTP/1.1 |\n",
        s.client_threads
    ));
    o.push_str(&format!(
        "| sign-in phase | {} s, {} concurrent workers, {ACCOUNTS} accounts |\n",
        args.signin_seconds, args.signin_concurrency
    ));
    o.push_str(&format!(
        "| page-load phase | `GET {}`, {} connections, {} s warm-up + {} s measured |\n",
        args.page, args.connections, args.warmup_seconds, args.load_seconds
    ));
    o.push_str(&format!(
        "| set-up | {ACCOUNTS} accounts via `user create` in {:.1} s; {} load clients signed in in {:.1} s |\n",
        s.accounts_time.as_secs_f64(),
        args.connections,
        r.prepare_time.as_secs_f64()
    ));
}

fn signin_section(o: &mut String, si: &Phase) {
    o.push_str("\n## Sign-in (browser form: GET /sign-in, POST /sign-in → 303)\n\n");
    o.push_str("| measure | value |\n|---|---|\n");
    o.push_str(&format!(
        "| **sign-ins/s** | **{:.1}** ({} in {:.1} s) |\n",
        si.rate(),
        si.ok,
        si.elapsed.as_secs_f64()
    ));
    o.push_str(&format!(
        "| POST latency p50 / p99 / max | {} / {} / {} |\n",
        ms(si.latencies.pct(50.0)),
        ms(si.latencies.pct(99.0)),
        ms(si.latencies.max())
    ));
    o.push_str(&format!("| errors | {} |\n", errors_cell(&si.errors)));
    o.push_str(&format!(
        "| CPU: server / load generator | {:.0} % / {:.0} % (of one core) |\n",
        si.server_cpu_pct, si.client_cpu_pct
    ));
}

fn page_load_section(o: &mut String, args: &Args, ld: &Phase) {
    o.push_str(&format!(
        "\n## Authenticated page under load (`GET {}`, {} connections)\n\n",
        args.page, args.connections
    ));
    o.push_str("| measure | value |\n|---|---|\n");
    o.push_str(&format!(
        "| requests/s | {:.0} ({} in {:.1} s) |\n",
        ld.rate(),
        ld.ok,
        ld.elapsed.as_secs_f64()
    ));
    o.push_str(&format!(
        "| **p50** | **{}** |\n",
        ms(ld.latencies.pct(50.0))
    ));
    o.push_str(&format!("| p90 | {} |\n", ms(ld.latencies.pct(90.0))));
    o.push_str(&format!(
        "| **p99** | **{}** |\n",
        ms(ld.latencies.pct(99.0))
    ));
    o.push_str(&format!("| max | {} |\n", ms(ld.latencies.max())));
    o.push_str(&format!("| mean | {} |\n", ms(ld.latencies.mean())));
    o.push_str(&format!("| errors | {} |\n", errors_cell(&ld.errors)));
    o.push_str(&format!(
        "| CPU: server / load generator | {:.0} % / {:.0} % (of one core) |\n",
        ld.server_cpu_pct, ld.client_cpu_pct
    ));
}

fn memory_section(o: &mut String, args: &Args, r: &Results) {
    o.push_str("\n## Server resident memory (VmRSS, sampled every 100 ms)\n\n");
    o.push_str("| when | RSS | threads |\n|---|---|---|\n");
    o.push_str(&format!(
        "| **idle** (started, migrated, 2 s settle) | **{}** | {} |\n",
        mib(r.idle.rss_kib),
        r.idle.threads
    ));
    o.push_str(&format!(
        "| peak during sign-ins | {} | |\n",
        mib(r.signin.peak_rss_kib)
    ));
    o.push_str(&format!(
        "| before the page load (after all sign-ins) | {} | {} |\n",
        mib(r.before_load.rss_kib),
        r.before_load.threads
    ));
    o.push_str(&format!(
        "| **peak under page load** ({} connections) | **{}** | |\n",
        args.connections,
        mib(r.load.peak_rss_kib)
    ));
    o.push_str(&format!(
        "| after the load | {} | {} |\n",
        mib(r.after.rss_kib),
        r.after.threads
    ));
    o.push_str(&format!(
        "| high-water mark (VmHWM) at idle / at the end | {} / {} | |\n",
        mib(r.idle.hwm_kib),
        mib(r.after.hwm_kib)
    ));
    o.push_str(&format!(
        "\nServer stopped with SIGTERM: {}.\n",
        if r.clean_exit {
            "clean exit"
        } else {
            "NOT a clean exit"
        }
    ));
}

fn phase_json(p: &Phase) -> serde_json::Value {
    let l = &p.latencies;
    let f = |d: Duration| d.as_secs_f64() * 1000.0;
    json!({
        "completed": p.ok,
        "seconds": p.elapsed.as_secs_f64(),
        "per_second": p.rate(),
        "latency_ms": {
            "p50": f(l.pct(50.0)),
            "p90": f(l.pct(90.0)),
            "p99": f(l.pct(99.0)),
            "max": f(l.max()),
            "mean": f(l.mean()),
        },
        "errors": p.errors.count,
        "first_error": p.errors.first,
        "peak_rss_mib": p.peak_rss_kib as f64 / 1024.0,
        "server_cpu_percent": p.server_cpu_pct,
        "client_cpu_percent": p.client_cpu_pct,
    })
}

pub(crate) fn to_json(args: &Args, m: &Machine, s: &Settings, r: &Results) -> serde_json::Value {
    json!({
        "machine": {
            "nproc": m.cpus,
            "cpu_model": m.model,
            "mem_total_mib": m.mem_total_kib as f64 / 1024.0,
            "kernel": m.kernel,
        },
        "settings": {
            "server": s.server_bin.display().to_string(),
            "database": s.database,
            "argon2_memory_kib": s.argon2_memory_kib.unwrap_or(19456),
            "argon2_iterations": s.argon2_iterations.unwrap_or(2),
            "argon2_server_defaults": s.argon2_memory_kib.is_none() && s.argon2_iterations.is_none(),
            "client_threads": s.client_threads,
            "accounts": ACCOUNTS,
            "accounts_setup_seconds": s.accounts_time.as_secs_f64(),
            "load_clients_setup_seconds": r.prepare_time.as_secs_f64(),
        },
        "signin": {
            "seconds_requested": args.signin_seconds,
            "concurrency": args.signin_concurrency,
            "result": phase_json(&r.signin),
        },
        "page_load": {
            "page": args.page,
            "connections": args.connections,
            "warmup_seconds": args.warmup_seconds,
            "seconds_requested": args.load_seconds,
            "result": phase_json(&r.load),
        },
        "memory_mib": {
            "idle_rss": r.idle.rss_kib as f64 / 1024.0,
            "idle_hwm": r.idle.hwm_kib as f64 / 1024.0,
            "signin_peak_rss": r.signin.peak_rss_kib as f64 / 1024.0,
            "before_load_rss": r.before_load.rss_kib as f64 / 1024.0,
            "load_peak_rss": r.load.peak_rss_kib as f64 / 1024.0,
            "after_load_rss": r.after.rss_kib as f64 / 1024.0,
            "hwm_at_end": r.after.hwm_kib as f64 / 1024.0,
        },
        "server_threads": {
            "idle": r.idle.threads,
            "before_load": r.before_load.threads,
            "after_load": r.after.threads,
        },
        "server_clean_exit": r.clean_exit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_credentials() {
        assert_eq!(
            redact_url("postgres://u:secret@127.0.0.1:5432/db?sslmode=disable"),
            "postgres://127.0.0.1:5432/db"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1:5432/lzbench"),
            "postgres://127.0.0.1:5432/lzbench"
        );
    }
}
