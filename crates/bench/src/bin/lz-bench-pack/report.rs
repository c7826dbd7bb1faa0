//! The report: Markdown (one function per section) or JSON.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use lz_bench::{errors_cell, mib, ms, Errors, Latencies, Machine};

use crate::measure::{FormatResult, PackResult, Reference, Results};
use crate::options::Args;

/// The targets: all three formats of the demo pack, and of a 200-record pack.
const DEMO_TARGET: Duration = Duration::from_secs(1);
const LARGE_TARGET: Duration = Duration::from_secs(5);
const LARGE_TARGET_RECORDS: u64 = 200;
/// "Memory stays bounded": RSS after the last all-three round at most this much above the RSS
/// after the first (KiB), or 10 % of it if that is more.
const GROWTH_ALLOWED_KIB: u64 = 8 * 1024;

pub(crate) struct Setup {
    pub(crate) server_bin: PathBuf,
    pub(crate) demo_time: Duration,
    pub(crate) tokens_time: Duration,
}

pub(crate) struct Report<'a> {
    pub(crate) args: &'a Args,
    pub(crate) machine: Machine,
    pub(crate) setup: Setup,
    pub(crate) results: Results,
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn ratio(d: Duration, reference: Duration) -> f64 {
    d.as_secs_f64() / reference.as_secs_f64().max(1e-9)
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

/// The verdict on a time target: the p50 of the measured rounds of all three in sequence.
fn time_verdict(all: &Latencies, errors: &Errors, target: Duration) -> (bool, String) {
    if all.is_empty() || errors.count > 0 {
        return (false, "FAIL (errors)".into());
    }
    let pass = all.pct(50.0) < target;
    let max = if all.max() < target {
        "max also under".to_string()
    } else {
        format!("max {} over", secs(all.max()))
    };
    (
        pass,
        format!("{} ({max})", if pass { "PASS" } else { "FAIL" }),
    )
}

/// Growth of RSS from the first all-three round to the last (KiB), and whether it is within
/// the allowance; `None` with one round.
fn growth(p: &PackResult) -> Option<(i64, bool)> {
    let (first, last) = (*p.rss_rounds_kib.first()?, *p.rss_rounds_kib.last()?);
    if p.rss_rounds_kib.len() < 2 {
        return None;
    }
    let grew = last as i64 - first as i64;
    let allowed = GROWTH_ALLOWED_KIB.max(first / 10) as i64;
    Some((grew, grew <= allowed))
}

/// What the structure column says: the check, and slides or pages against the claims.
fn structure(f: &FormatResult, claims: usize) -> (String, bool) {
    if let Some(p) = &f.look.problem {
        return (format!("**{p}**"), false);
    }
    match (f.ext, f.look.units) {
        ("pptx", Some(slides)) if slides <= claims => (
            format!("**{slides} slides, fewer than the {claims} claims + title**"),
            false,
        ),
        ("pptx", Some(slides)) => (format!("ok, {slides} slides"), true),
        ("pdf", Some(pages)) => (format!("ok, {pages} pages"), true),
        _ => ("ok".into(), true),
    }
}

impl Report<'_> {
    fn reference(&self) -> Duration {
        self.results.healthz_start.latencies.pct(50.0)
    }

    fn database(&self) -> String {
        match &self.args.database_url {
            Some(url) => format!("PostgreSQL ({})", redact_url(url)),
            None => "SQLite (fresh file in a temporary data directory)".into(),
        }
    }

    pub(crate) fn markdown(&self) -> String {
        let mut o = String::new();
        self.settings(&mut o);
        self.reference_section(&mut o);
        let r = &self.results;
        self.pack_section(&mut o, "Demo manifesto", &r.demo);
        if let Some((_, large)) = &r.large {
            self.pack_section(&mut o, "Large collection", large);
        }
        self.targets_section(&mut o);
        self.memory_section(&mut o);
        o
    }

    fn settings(&self, o: &mut String) {
        let m = &self.machine;
        let r = &self.results;
        o.push_str("# Learning Zone benchmark: advocacy packs (lz-bench-pack)\n\n");
        o.push_str("| setting | value |\n|---|---|\n");
        let _ = writeln!(
            o,
            "| machine | {} CPUs, {}, {} RAM, Linux {} |",
            m.cpus,
            m.model,
            mib(m.mem_total_kib),
            m.kernel
        );
        let _ = writeln!(o, "| server | `{}` |", self.setup.server_bin.display());
        let _ = writeln!(o, "| database | {} |", self.database());
        let _ = writeln!(
            o,
            "| data | `learning-zone demo` in {}; API tokens for Amanda (moderator) and Beth \
             (network admin) with `token create` in {} |",
            secs(self.setup.demo_time),
            secs(self.setup.tokens_time)
        );
        if let Some((made, _)) = &r.large {
            let _ = writeln!(
                o,
                "| large collection | {} public records recorded by Beth, checked and published \
                 by Amanda through the API in {} ({} requests, one at a time); the pack \
                 created by Beth in {} |",
                made.records,
                secs(made.evidence_time),
                made.records * 3,
                ms(made.collection_time)
            );
        }
        let _ = writeln!(
            o,
            "| requests | `GET /api/v1/collections/{{id}}/pack.{{docx,pdf,pptx}}` with the \
             curator's token, one at a time on one kept-alive loopback connection; time = send \
             → end of body; nearest-rank percentiles; one unrecorded request per format first |"
        );
        let _ = writeln!(
            o,
            "| server exit | {} |\n",
            if r.clean_exit {
                "clean (SIGTERM)"
            } else {
                "NOT clean"
            }
        );
    }

    fn reference_section(&self, o: &mut String) {
        let r = &self.results;
        o.push_str("## Reference: `GET /healthz`\n\n");
        o.push_str("| when | requests | p50 | p99 | max | errors |\n|---|---|---|---|---|---|\n");
        for (when, h) in [
            ("before the packs", &r.healthz_start),
            ("after the packs", &r.healthz_end),
        ] {
            let l = &h.latencies;
            let _ = writeln!(
                o,
                "| {when} | {} | {} | {} | {} | {} |",
                l.len(),
                ms(l.pct(50.0)),
                ms(l.pct(99.0)),
                ms(l.max()),
                errors_cell(&h.errors)
            );
        }
        let _ = writeln!(
            o,
            "\n\"× healthz\" below is a latency divided by the p50 of `/healthz` before the \
             packs ({}): the request round trip on this machine, in this run.\n",
            ms(self.reference())
        );
    }

    fn pack_section(&self, o: &mut String, what: &str, p: &PackResult) {
        let c = &p.collection;
        let reference = self.reference();
        let _ = writeln!(
            o,
            "## {what}: \"{}\" ({} sections, {} claims), {} runs\n",
            c.title, c.sections, c.claims, p.runs
        );
        o.push_str(
            "| format | p50 | p99 | max | p50 × healthz | size | structure | errors |\n\
             |---|---|---|---|---|---|---|---|\n",
        );
        for f in &p.formats {
            let l = &f.latencies;
            let size = if f.bytes_min == f.bytes_max {
                kib(f.bytes_max)
            } else {
                format!("{} – {}", kib(f.bytes_min), kib(f.bytes_max))
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {:.0} | {size} | {} | {} |",
                f.ext.to_uppercase(),
                ms(l.pct(50.0)),
                ms(l.pct(99.0)),
                ms(l.max()),
                ratio(l.pct(50.0), reference),
                structure(f, c.claims).0,
                errors_cell(&f.errors)
            );
        }
        let sum = p.sum_of_p50s();
        let _ = writeln!(
            o,
            "| **all three**, sum of the p50s | {} | | | {:.0} | | | |",
            ms(sum),
            ratio(sum, reference)
        );
        let a = &p.all_three;
        let _ = writeln!(
            o,
            "| **all three in sequence**, {} rounds | {} | {} | {} | {:.0} | | | {} |\n",
            a.len(),
            ms(a.pct(50.0)),
            ms(a.pct(99.0)),
            ms(a.max()),
            ratio(a.pct(50.0), reference),
            errors_cell(&p.all_three_errors)
        );
    }

    fn targets_section(&self, o: &mut String) {
        let r = &self.results;
        o.push_str("## Targets\n\n");
        o.push_str("| target | measured (all three in sequence) | verdict |\n|---|---|---|\n");
        let row = |o: &mut String, target: &str, p: &PackResult, limit: Duration, applies: bool| {
            let (_, verdict) = time_verdict(&p.all_three, &p.all_three_errors, limit);
            let verdict = if applies {
                verdict
            } else {
                format!("n/a (the target is for {LARGE_TARGET_RECORDS} records)")
            };
            let _ = writeln!(
                o,
                "| {target} | p50 {}, max {} ({:.0} × healthz p50) | {verdict} |",
                secs(p.all_three.pct(50.0)),
                secs(p.all_three.max()),
                ratio(p.all_three.pct(50.0), self.reference())
            );
        };
        row(
            o,
            "demo pack, all three formats < 1 s",
            &r.demo,
            DEMO_TARGET,
            true,
        );
        if let Some((made, large)) = &r.large {
            let target = format!("{}-record pack, all three formats < 5 s", made.records);
            let applies = made.records as u64 == LARGE_TARGET_RECORDS;
            row(o, &target, large, LARGE_TARGET, applies);
        }
        for (what, p) in self.packs() {
            let cell = match growth(p) {
                None => "n/a (one round)".to_string(),
                Some((grew, ok)) => format!(
                    "{} (RSS after round 1 → round {}: {} → {}, {:+.1} MiB)",
                    if ok { "PASS" } else { "FAIL" },
                    p.rss_rounds_kib.len(),
                    mib(p.rss_rounds_kib[0]),
                    mib(*p.rss_rounds_kib.last().unwrap_or(&0)),
                    grew as f64 / 1024.0
                ),
            };
            let _ = writeln!(
                o,
                "| memory stays bounded ({what}): no growth over repeated rounds (≤ {} or 10 %) \
                 | peak {} while making them, {} before | {cell} |",
                mib(GROWTH_ALLOWED_KIB),
                mib(p.rss_peak_kib),
                mib(p.rss_before_kib)
            );
        }
        o.push('\n');
    }

    fn packs(&self) -> Vec<(&'static str, &PackResult)> {
        let mut v = vec![("demo", &self.results.demo)];
        if let Some((_, large)) = &self.results.large {
            v.push(("large", large));
        }
        v
    }

    fn memory_section(&self, o: &mut String) {
        let packs = self.packs();
        o.push_str("## Server memory (VmRSS)\n\n| | ");
        o.push_str(&packs.iter().map(|p| p.0).collect::<Vec<_>>().join(" | "));
        o.push_str(" |\n|---|");
        o.push_str(&"---|".repeat(packs.len()));
        o.push('\n');
        let line = |o: &mut String, label: &str, f: &dyn Fn(&PackResult) -> String| {
            let cells: Vec<String> = packs.iter().map(|(_, p)| f(p)).collect();
            let _ = writeln!(o, "| {label} | {} |", cells.join(" | "));
        };
        let idle = self.results.idle_rss_kib;
        line(o, "idle, after start-up", &|_| mib(idle));
        line(o, "before the collection's first pack", &|p| {
            mib(p.rss_before_kib)
        });
        line(
            o,
            "peak while making its packs (sampled every 100 ms)",
            &|p| mib(p.rss_peak_kib),
        );
        line(o, "after its last pack", &|p| mib(p.rss_after_kib));
        line(o, "VmHWM (the kernel's peak since start) after it", &|p| {
            mib(p.hwm_after_kib)
        });
        line(o, "after each all-three round", &|p| {
            p.rss_rounds_kib
                .iter()
                .map(|k| format!("{:.0}", *k as f64 / 1024.0))
                .collect::<Vec<_>>()
                .join(", ")
                + " MiB"
        });
        o.push('\n');
    }

    pub(crate) fn json(&self) -> Value {
        let m = &self.machine;
        let r = &self.results;
        let lat = |l: &Latencies| {
            json!({
                "n": l.len(),
                "p50_ms": l.pct(50.0).as_secs_f64() * 1e3,
                "p99_ms": l.pct(99.0).as_secs_f64() * 1e3,
                "max_ms": l.max().as_secs_f64() * 1e3,
            })
        };
        let errors = |e: &Errors| json!({ "count": e.count, "first": e.first });
        let reference =
            |h: &Reference| json!({ "latency": lat(&h.latencies), "errors": errors(&h.errors) });
        let pack = |p: &PackResult, target: Option<Duration>| {
            let (pass, _) = target
                .map(|t| time_verdict(&p.all_three, &p.all_three_errors, t))
                .unwrap_or((false, String::new()));
            json!({
                "id": p.collection.id,
                "title": p.collection.title,
                "sections": p.collection.sections,
                "claims": p.collection.claims,
                "runs": p.runs,
                "formats": p.formats.iter().map(|f| json!({
                    "format": f.ext,
                    "latency": lat(&f.latencies),
                    "p50_over_healthz_p50": ratio(f.latencies.pct(50.0), self.reference()),
                    "bytes_min": f.bytes_min,
                    "bytes_max": f.bytes_max,
                    "structure_ok": structure(f, p.collection.claims).1,
                    "structure_problem": f.look.problem,
                    "slides_or_pages": f.look.units,
                    "errors": errors(&f.errors),
                })).collect::<Vec<_>>(),
                "all_three_sum_of_p50s_ms": p.sum_of_p50s().as_secs_f64() * 1e3,
                "all_three_in_sequence": lat(&p.all_three),
                "all_three_errors": errors(&p.all_three_errors),
                "all_three_p50_over_healthz_p50": ratio(p.all_three.pct(50.0), self.reference()),
                "target_s": target.map(|t| t.as_secs_f64()),
                "target_pass": target.map(|_| pass),
                "memory_kib": {
                    "before": p.rss_before_kib,
                    "peak_sampled": p.rss_peak_kib,
                    "after": p.rss_after_kib,
                    "hwm_after": p.hwm_after_kib,
                    "after_each_round": p.rss_rounds_kib,
                    "growth_first_to_last_round": growth(p).map(|g| g.0),
                    "bounded_pass": growth(p).map(|g| g.1),
                },
            })
        };
        let large = r.large.as_ref().map(|(made, p)| {
            let applies = made.records as u64 == LARGE_TARGET_RECORDS;
            let mut v = pack(p, applies.then_some(LARGE_TARGET));
            v["records"] = json!(made.records);
            v["evidence_setup_s"] = json!(made.evidence_time.as_secs_f64());
            v["collection_setup_ms"] = json!(made.collection_time.as_secs_f64() * 1e3);
            v
        });
        json!({
            "machine": {
                "cpus": m.cpus,
                "model": m.model,
                "mem_total_kib": m.mem_total_kib,
                "kernel": m.kernel,
            },
            "server": self.setup.server_bin.display().to_string(),
            "database": self.database(),
            "demo_load_s": self.setup.demo_time.as_secs_f64(),
            "tokens_s": self.setup.tokens_time.as_secs_f64(),
            "healthz_before": reference(&r.healthz_start),
            "healthz_after": reference(&r.healthz_end),
            "idle_rss_kib": r.idle_rss_kib,
            "demo": pack(&r.demo, Some(DEMO_TARGET)),
            "large": large,
            "clean_exit": r.clean_exit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_urls() {
        assert_eq!(
            redact_url("postgres://u:secret@127.0.0.1:5432/lzpack?sslmode=disable"),
            "postgres://127.0.0.1:5432/lzpack"
        );
    }

    #[test]
    fn time_verdicts() {
        let l = Latencies::from(vec![
            Duration::from_millis(400),
            Duration::from_millis(1200),
        ]);
        let (pass, text) = time_verdict(&l, &Errors::default(), DEMO_TARGET);
        assert!(pass, "{text}");
        assert!(text.contains("max 1.20 s over"), "{text}");
        let (pass, _) = time_verdict(&Latencies::default(), &Errors::default(), DEMO_TARGET);
        assert!(!pass);
    }
}
