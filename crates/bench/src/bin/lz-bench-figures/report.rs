//! The report: Markdown or JSON, each figure beside the target.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use lz_bench::{errors_cell, mib, ms, Machine, Phase};

use crate::measure::{Imports, Load, MARKER, PLACE};
use crate::options::Args;

/// The targets.
const PARSE_ROWS_PER_S: f64 = 50_000.0;
const SAVE_ROWS_PER_S: f64 = 10_000.0;
/// 200 MB (decimal) in KiB.
const PEAK_KIB: u64 = 200_000_000 / 1024;
const PLACE_P99: Duration = Duration::from_millis(20);
const PLACE_CONNECTIONS: u64 = 64;

pub(crate) struct Report<'a> {
    pub(crate) args: &'a Args,
    pub(crate) machine: Machine,
    pub(crate) server_bin: PathBuf,
    pub(crate) demo_time: Duration,
    pub(crate) imports: Imports,
    pub(crate) load: Load,
    pub(crate) clean_exit: bool,
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Rows per second over `d` (`None` when `d` is not positive: start-up took it all).
fn rate(rows: u64, d: Option<Duration>) -> Option<f64> {
    d.filter(|d| !d.is_zero())
        .map(|d| rows as f64 / d.as_secs_f64())
}

fn rate_cell(r: Option<f64>) -> String {
    r.map_or("n/a".into(), |r| format!("{r:.0} rows/s"))
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "FAIL"
    }
}

/// `postgres://user:secret@host:5432/db?x=y` → `postgres://host:5432/db`.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(unparsed URL)".into();
    };
    let rest = rest.split('?').next().unwrap_or("");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    format!(
        "{scheme}://{}{path}",
        authority.rsplit('@').next().unwrap_or("")
    )
}

impl Report<'_> {
    fn rows(&self) -> u64 {
        self.args.rows
    }

    /// Parse rates: raw (rows / dry-run time) and net of the small file's start-up.
    fn parse_rates(&self) -> (Option<f64>, Option<f64>) {
        let i = &self.imports;
        let net = i.dry_run.time.checked_sub(i.startup);
        (
            rate(self.rows(), Some(i.dry_run.time)),
            rate(self.rows(), net),
        )
    }

    /// Save rates: raw (rows / import time) and net of the dry run (the import parses first).
    fn save_rates(&self) -> (Option<f64>, Option<f64>) {
        let i = &self.imports;
        let net = i.save.time.checked_sub(i.dry_run.time);
        (rate(self.rows(), Some(i.save.time)), rate(self.rows(), net))
    }

    fn peak_kib(&self) -> u64 {
        let i = &self.imports;
        i.dry_run.hwm_kib.max(i.save.hwm_kib).max(i.again.hwm_kib)
    }

    fn place_pass(&self) -> bool {
        let p = &self.load.place;
        p.ok > 0
            && p.errors.count == 0
            && p.with_marker == p.ok
            && p.latencies.pct(99.0) < PLACE_P99
    }

    fn database(&self) -> String {
        match &self.args.database_url {
            Some(url) => format!("PostgreSQL ({})", redact_url(url)),
            None => "SQLite (fresh file in a temporary data directory)".into(),
        }
    }

    /// The targets: (what, measured, verdict, pass).
    fn targets(&self) -> Vec<(String, String, String, bool)> {
        let (i, p) = (&self.imports, &self.load.place);
        let rates = |what: &str, (raw, net): (Option<f64>, Option<f64>), target: f64, note| {
            let ok = |r: Option<f64>| r.is_some_and(|r| r >= target);
            let measured = format!("net {}, raw {}", rate_cell(net), rate_cell(raw));
            let (net_v, raw_v) = (verdict(ok(net)), verdict(ok(raw)));
            let v = format!("{net_v} (net), {raw_v} (raw){note}");
            (what.to_string(), measured, v, ok(net))
        };
        let pg = self.args.database_url.is_some();
        let (peak, idem, place) = (
            self.peak_kib() < PEAK_KIB,
            i.again_counts == (0, 0),
            self.place_pass(),
        );
        let other = self.args.connections != PLACE_CONNECTIONS;
        vec![
            rates(
                "parsed ≥ 50,000 rows/s",
                self.parse_rates(),
                PARSE_ROWS_PER_S,
                "",
            ),
            rates(
                "saved ≥ 10,000 rows/s (SQLite)",
                self.save_rates(),
                SAVE_ROWS_PER_S,
                if pg {
                    " (the target is for SQLite)"
                } else {
                    ""
                },
            ),
            (
                "peak memory < 200 MB".into(),
                format!(
                    "{} (VmHWM: dry run {}, save {}, re-import {})",
                    mib(self.peak_kib()),
                    mib(i.dry_run.hwm_kib),
                    mib(i.save.hwm_kib),
                    mib(i.again.hwm_kib)
                ),
                verdict(peak).into(),
                peak,
            ),
            (
                "re-import is idempotent".into(),
                format!("{} added, {} replaced", i.again_counts.0, i.again_counts.1),
                verdict(idem).into(),
                idem,
            ),
            (
                format!("place page p99 < 20 ms at {PLACE_CONNECTIONS} connections"),
                format!(
                    "p99 {} at {} connections, {} errors, {} of {} with the figures",
                    ms(p.latencies.pct(99.0)),
                    self.args.connections,
                    p.errors.count,
                    p.with_marker,
                    p.ok
                ),
                format!(
                    "{}{}",
                    verdict(place),
                    if other {
                        " (measured at other connections)"
                    } else {
                        ""
                    }
                ),
                place,
            ),
        ]
    }

    pub(crate) fn markdown(&self) -> String {
        let (m, i, l) = (&self.machine, &self.imports, &self.load);
        let mut o =
            String::from("# Learning Zone benchmark: shared intelligence (lz-bench-figures)\n\n");
        o.push_str("| setting | value |\n|---|---|\n");
        let _ = writeln!(
            o,
            "| machine | {} CPUs, {}, {} RAM, Linux {} |",
            m.cpus,
            m.model,
            mib(m.mem_total_kib),
            m.kernel
        );
        let _ = writeln!(o, "| server | `{}` |", self.server_bin.display());
        let _ = writeln!(o, "| database | {} |", self.database());
        let _ = writeln!(o, "| data | `learning-zone demo` in {}; a Fingertips export of 93015: {} rows, 400 new districts, {:.1} MiB |", secs(self.demo_time), self.rows(), i.file_bytes as f64 / 1048576.0);
        let _ = writeln!(
            o,
            "| server exit | {} |\n",
            if self.clean_exit {
                "clean (SIGTERM)"
            } else {
                "NOT clean"
            }
        );

        o.push_str("## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (what, measured, verdict, _) in self.targets() {
            let _ = writeln!(o, "| {what} | {measured} | {verdict} |");
        }

        o.push_str("\n## `learning-zone indicators import`\n\n| step | wall time | VmHWM | result |\n|---|---|---|---|\n");
        let _ = writeln!(
            o,
            "| `--dry-run`, 10 rows (start-up; median of 3) | {} | | |",
            secs(i.startup)
        );
        let _ = writeln!(
            o,
            "| `--dry-run`, {} rows (parse) | {} | {} | {} rows flagged (the new areas) |",
            self.rows(),
            secs(i.dry_run.time),
            mib(i.dry_run.hwm_kib),
            i.flagged
        );
        let _ = writeln!(
            o,
            "| `--accept-flags` (parse + save) | {} | {} | {} added |",
            secs(i.save.time),
            mib(i.save.hwm_kib),
            self.rows()
        );
        let _ = writeln!(
            o,
            "| `--accept-flags` again | {} | {} | {} added, {} replaced |\n",
            secs(i.again.time),
            mib(i.again.hwm_kib),
            i.again_counts.0,
            i.again_counts.1
        );

        let _ = writeln!(
            o,
            "## Under load: {} connections, {} s measured after {} s warm-up\n",
            self.args.connections, self.args.seconds, self.args.warmup_seconds
        );
        o.push_str("| request | requests/s | p50 | p99 | max | errors | server CPU | server peak RSS |\n|---|---|---|---|---|---|---|---|\n");
        for (what, p) in [
            ("`GET /healthz`", &l.healthz),
            (
                &*format!(
                    "`GET {PLACE}` ({} of {} with \"{MARKER}\")",
                    l.place.with_marker, l.place.ok
                ),
                &l.place,
            ),
        ] {
            let _ = writeln!(
                o,
                "| {what} | {:.0} | {} | {} | {} | {} | {:.0} % | {} |",
                p.rate(),
                ms(p.latencies.pct(50.0)),
                ms(p.latencies.pct(99.0)),
                ms(p.latencies.max()),
                errors_cell(&p.errors),
                p.server_cpu_pct,
                mib(p.peak_rss_kib)
            );
        }
        let _ = writeln!(
            o,
            "\nPlace page p99 / healthz p99: {:.1}.",
            self.p99_ratio()
        );
        o
    }

    fn p99_ratio(&self) -> f64 {
        let l = &self.load;
        l.place.latencies.pct(99.0).as_secs_f64()
            / l.healthz.latencies.pct(99.0).as_secs_f64().max(1e-9)
    }

    pub(crate) fn json(&self) -> Value {
        let (m, i) = (&self.machine, &self.imports);
        let phase = |p: &Phase| {
            json!({
                "requests_per_s": p.rate(), "ok": p.ok, "with_marker": p.with_marker,
                "p50_ms": p.latencies.pct(50.0).as_secs_f64() * 1e3,
                "p99_ms": p.latencies.pct(99.0).as_secs_f64() * 1e3,
                "max_ms": p.latencies.max().as_secs_f64() * 1e3,
                "errors": { "count": p.errors.count, "first": p.errors.first },
                "server_cpu_pct": p.server_cpu_pct, "server_peak_rss_kib": p.peak_rss_kib,
            })
        };
        let step =
            |s: &crate::child::Step| json!({ "s": s.time.as_secs_f64(), "hwm_kib": s.hwm_kib });
        let ((parse_raw, parse_net), (save_raw, save_net)) =
            (self.parse_rates(), self.save_rates());
        json!({
            "machine": { "cpus": m.cpus, "model": m.model, "mem_total_kib": m.mem_total_kib, "kernel": m.kernel },
            "server": self.server_bin.display().to_string(),
            "database": self.database(),
            "demo_load_s": self.demo_time.as_secs_f64(),
            "rows": self.rows(),
            "file_bytes": i.file_bytes,
            "startup_s": i.startup.as_secs_f64(),
            "dry_run": step(&i.dry_run),
            "flagged": i.flagged,
            "save": step(&i.save),
            "reimport": step(&i.again),
            "reimport_added": i.again_counts.0,
            "reimport_replaced": i.again_counts.1,
            "parse_rows_per_s": { "raw": parse_raw, "net_of_startup": parse_net },
            "save_rows_per_s": { "raw": save_raw, "net_of_dry_run": save_net },
            "peak_hwm_kib": self.peak_kib(),
            "load": {
                "connections": self.args.connections,
                "healthz": phase(&self.load.healthz),
                "place": phase(&self.load.place),
                "place_p99_over_healthz_p99": self.p99_ratio(),
            },
            "targets": self.targets().into_iter().map(|(what, measured, _, pass)| json!({ "target": what, "measured": measured, "pass": pass })).collect::<Vec<_>>(),
            "clean_exit": self.clean_exit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_urls_and_rates() {
        assert_eq!(
            redact_url("postgres://u:secret@127.0.0.1:5432/lzbenchfig?sslmode=disable"),
            "postgres://127.0.0.1:5432/lzbenchfig"
        );
        assert_eq!(rate(100, Some(Duration::from_secs(2))), Some(50.0));
        assert_eq!(rate(100, Some(Duration::ZERO)), None);
        assert_eq!(rate(100, None), None);
        assert_eq!(PEAK_KIB, 195_312);
    }
}
