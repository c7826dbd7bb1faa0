//! The JSON report.

use std::collections::BTreeMap;

use serde_json::json;

use super::{
    lat_json, ms_f, Report, TARGET_PAGE_P99_MS, TARGET_REINDEX_PER_S, TARGET_SEARCH_P99_MS,
};
use crate::queries::PerQuery;

impl Report<'_> {
    pub(crate) fn json(&self) -> serde_json::Value {
        let m = &self.machine;
        json!({
            "machine": {
                "nproc": m.cpus,
                "cpu_model": m.model,
                "mem_total_mib": m.mem_total_kib as f64 / 1024.0,
                "kernel": m.kernel,
            },
            "settings": self.settings_json(),
            "data": self.data_json(),
            "reindex": self.reindex.as_ref().map(|r| json!({
                "output": r.line,
                "items": r.items,
                "reported_seconds": r.reported_seconds,
                "items_per_second": r.reported_rate,
                "wall_seconds": r.wall.as_secs_f64(),
                "peak_rss_mib": r.peak_rss_kib as f64 / 1024.0,
                "target_items_per_second": TARGET_REINDEX_PER_S,
            })),
            "loads": self.loads_json(),
            "search_one_connection": self.search_json(),
            "neighbours_seconds": self.served.neighbours_time.as_secs_f64(),
            "memory_mib": self.memory_json(),
            "targets_ms": {
                "page_p99": TARGET_PAGE_P99_MS,
                "search_p99": TARGET_SEARCH_P99_MS,
            },
            "server_clean_exit": self.served.clean_exit,
        })
    }

    fn settings_json(&self) -> serde_json::Value {
        let a = self.args;
        json!({
            "server": self.server_bin.display().to_string(),
            "data_dir": self.data_dir.display().to_string(),
            "generated_seconds": self.generated.map(|t| t.as_secs_f64()),
            "synthetic_items": a.items,
            "connections": a.connections,
            "warmup_seconds": a.warmup_seconds,
            "seconds": a.seconds,
            "passes": a.passes,
            "roles": a.roles,
        })
    }

    fn data_json(&self) -> serde_json::Value {
        let d = &self.data;
        json!({
            "published_items": d.published,
            "attachments": d.attachments,
            "item_text_bytes": d.item_text_bytes,
            "attachment_text_bytes": d.attachment_text_bytes,
            "db_bytes": d.db_bytes,
            "files_bytes": d.files_bytes,
            "index_bytes": self.index_bytes,
        })
    }

    fn loads_json(&self) -> Vec<serde_json::Value> {
        self.served
            .loads
            .iter()
            .map(|l| {
                json!({
                    "role": l.role.name(),
                    "page": l.what,
                    "path": l.path,
                    "requests_per_second": l.phase.rate(),
                    "with_more_like_this": l.phase.with_marker,
                    "completed": l.phase.ok,
                    "latency_ms": lat_json(&l.phase.latencies),
                    "errors": l.phase.errors.count,
                    "first_error": l.phase.errors.first,
                    "peak_rss_mib": l.phase.peak_rss_kib as f64 / 1024.0,
                    "server_cpu_percent": l.phase.server_cpu_pct,
                    "client_cpu_percent": l.phase.client_cpu_pct,
                })
            })
            .collect()
    }

    fn search_json(&self) -> serde_json::Value {
        json!({
            "server": self.served.roles.iter().map(|r| json!({
                "role": r.role.name(),
                "latency_ms": lat_json(&r.sequential.all()),
                "errors": r.sequential_errors.count,
                "first_error": r.sequential_errors.first,
                "per_query": self.per_query_json(&r.sequential),
            })).collect::<Vec<_>>(),
            "fts5": self.fts.as_ref().map(|f| json!({
                "rows": f.rows,
                "build_seconds": f.build.as_secs_f64(),
                "built_this_run": f.rebuilt,
                "file_bytes": f.file_bytes,
                "skipped_queries": f.skipped,
                "top20_plus_count_ms": lat_json(&f.both.all()),
                "top20_ms": lat_json(&f.top.all()),
                "count_ms": lat_json(&f.count.all()),
                "per_query": self.per_query_json(&f.both),
            })),
            "by_section": self.sections_json(),
        })
    }

    fn memory_json(&self) -> serde_json::Value {
        json!({
            "server_idle_rss": self.served.idle.rss_kib as f64 / 1024.0,
            "server_idle_anon": self.served.idle.anon_kib as f64 / 1024.0,
            "server_idle_file": self.served.idle.file_kib as f64 / 1024.0,
            "server_after_rss": self.served.after.rss_kib as f64 / 1024.0,
            "server_hwm": self.served.after.hwm_kib as f64 / 1024.0,
            "reindex_peak_rss": self.reindex.as_ref().map(|r| r.peak_rss_kib as f64 / 1024.0),
        })
    }

    /// Each query's label, section, hits and median latency.
    fn per_query_json(&self, p: &PerQuery) -> Vec<serde_json::Value> {
        self.queries
            .iter()
            .enumerate()
            .map(|(i, q)| {
                json!({
                    "query": q.label(),
                    "section": q.section,
                    "hits": p.hits[i],
                    "p50_ms": (!p.runs[i].is_empty()).then(|| ms_f(p.median(i))),
                })
            })
            .collect::<Vec<_>>()
    }

    /// The latencies of each section of queries, per role and for FTS5.
    fn sections_json(&self) -> BTreeMap<String, serde_json::Value> {
        let mut sections = BTreeMap::new();
        for s in self.sections() {
            let pick = |i: usize| self.queries[i].section == s;
            let mut v = serde_json::Map::new();
            for r in &self.served.roles {
                v.insert(
                    format!("server_{}", r.role.name()),
                    lat_json(&r.sequential.of(pick)),
                );
            }
            if let Some(f) = &self.fts {
                v.insert("fts5".into(), lat_json(&f.both.of(pick)));
            }
            sections.insert(s, serde_json::Value::Object(v));
        }
        sections
    }
}
