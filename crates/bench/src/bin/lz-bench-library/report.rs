//! The report: what was measured, and small formatting helpers shared by its Markdown
//! (`report/markdown.rs`) and JSON (`report/json.rs`) forms.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use lz_bench::{Latencies, Machine};

use crate::baseline::Fts;
use crate::cli::Reindex;
use crate::data::DataStats;
use crate::options::Args;
use crate::queries::{PerQuery, Query};
use crate::server::Served;

mod json;
mod markdown;

/// The targets.
const TARGET_PAGE_P99_MS: f64 = 20.0;
const TARGET_SEARCH_P99_MS: f64 = 25.0;
const TARGET_REINDEX_PER_S: f64 = 5_000.0;

pub(crate) struct Report<'a> {
    pub(crate) args: &'a Args,
    pub(crate) machine: Machine,
    pub(crate) server_bin: PathBuf,
    pub(crate) data_dir: PathBuf,
    pub(crate) generated: Option<Duration>,
    pub(crate) data: DataStats,
    pub(crate) index_bytes: u64,
    pub(crate) reindex: Option<Reindex>,
    pub(crate) fts: Option<Fts>,
    pub(crate) served: Served,
    pub(crate) queries: &'a [Query],
}

impl Report<'_> {
    /// The queries' sections, in the order of the file.
    fn sections(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for q in self.queries {
            if !v.contains(&q.section) {
                v.push(q.section.clone());
            }
        }
        v
    }
}

fn bytes(b: u64) -> String {
    let mib = b as f64 / 1024.0 / 1024.0;
    if mib >= 1024.0 {
        format!("{:.2} GiB", mib / 1024.0)
    } else {
        format!("{mib:.1} MiB")
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

fn verdict(value: f64, target: f64, lower_is_better: bool) -> String {
    let met = if lower_is_better {
        value < target
    } else {
        value >= target
    };
    if met {
        "met".into()
    } else if lower_is_better {
        format!(
            "**missed** by {:.1} ms ({:.1}×)",
            value - target,
            value / target
        )
    } else {
        format!(
            "**missed**: {:.0} % of the target",
            100.0 * value / target.max(1e-9)
        )
    }
}

fn ms_f(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn lat_json(l: &Latencies) -> serde_json::Value {
    json!({
        "count": l.len(),
        "p50": ms_f(l.pct(50.0)),
        "p90": ms_f(l.pct(90.0)),
        "p99": ms_f(l.pct(99.0)),
        "max": ms_f(l.max()),
        "mean": ms_f(l.mean()),
    })
}

const HIT_BUCKETS: &[(u64, u64, &str)] = &[
    (0, 0, "0"),
    (1, 99, "1–99"),
    (100, 999, "100–999"),
    (1_000, 9_999, "1 000–9 999"),
    (10_000, u64::MAX, "≥ 10 000"),
];

fn median_hits(p: &PerQuery, pick: impl Fn(usize) -> bool) -> String {
    let mut h: Vec<u64> = p
        .hits
        .iter()
        .enumerate()
        .filter(|(i, _)| pick(*i))
        .filter_map(|(_, h)| *h)
        .collect();
    if h.is_empty() {
        return "—".into();
    }
    h.sort_unstable();
    thousands(h[(h.len() - 1) / 2])
}
