//! The 200 queries of `queries.txt`: parsed, turned into search URLs and FTS5 expressions, and
//! their latencies per query.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use reqwest::Url;

use lz_bench::Latencies;

/// The 200 queries (see the file's header for the format).
pub(crate) const QUERIES: &str = include_str!("../../queries.txt");

pub(crate) struct Query {
    pub(crate) section: String,
    /// The search text as typed.
    pub(crate) text: String,
    /// Facet filters, e.g. `kind=case_study`.
    pub(crate) filters: Vec<(String, String)>,
}

impl Query {
    /// The line as written in queries.txt.
    pub(crate) fn label(&self) -> String {
        let mut s = self.text.clone();
        for (k, v) in &self.filters {
            s.push_str(&format!("&{k}={v}"));
        }
        s
    }

    pub(crate) fn url(&self, base: &str, path: &str) -> Result<String> {
        let mut u = Url::parse(&format!("{base}{path}")).context("building a search URL")?;
        {
            let mut q = u.query_pairs_mut();
            if !self.text.is_empty() {
                q.append_pair("q", &self.text);
            }
            for (k, v) in &self.filters {
                q.append_pair(k, v);
            }
        }
        Ok(u.to_string())
    }

    /// The FTS5 form: each word and each quoted phrase as an FTS5 string (implicit AND, like the
    /// server). Filters are dropped (FTS5 has no facets); `None` for a filter-only query.
    pub(crate) fn fts5(&self) -> Option<String> {
        let mut parts = Vec::new();
        for (i, part) in self.text.split('"').enumerate() {
            let quoted = i % 2 == 1;
            if quoted {
                let words: Vec<&str> = part.split_whitespace().collect();
                if !words.is_empty() {
                    parts.push(format!("\"{}\"", words.join(" ")));
                }
            } else {
                parts.extend(part.split_whitespace().map(|w| format!("\"{w}\"")));
            }
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

pub(crate) fn parse_queries(text: &str) -> Result<Vec<Query>> {
    let mut section = String::from("plain");
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let (text, filters) = match line.split_once('&') {
            Some((t, f)) => (t, f),
            None => (line, ""),
        };
        let filters = filters
            .split('&')
            .filter(|f| !f.is_empty())
            .map(|f| {
                f.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .with_context(|| format!("filter without `=` in query line {line:?}"))
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(Query {
            section: section.clone(),
            text: text.trim().to_string(),
            filters,
        });
    }
    if out.is_empty() {
        bail!("queries.txt holds no queries");
    }
    Ok(out)
}

/// Latencies of each query over the measured passes, and its number of hits.
pub(crate) struct PerQuery {
    pub(crate) runs: Vec<Vec<Duration>>,
    pub(crate) hits: Vec<Option<u64>>,
}

impl PerQuery {
    pub(crate) fn new(n: usize) -> Self {
        PerQuery {
            runs: vec![Vec::new(); n],
            hits: vec![None; n],
        }
    }

    pub(crate) fn all(&self) -> Latencies {
        Latencies::from(self.runs.iter().flatten().copied().collect())
    }

    pub(crate) fn of(&self, pick: impl Fn(usize) -> bool) -> Latencies {
        Latencies::from(
            self.runs
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(*i))
                .flat_map(|(_, r)| r.iter().copied())
                .collect(),
        )
    }

    pub(crate) fn median(&self, i: usize) -> Duration {
        Latencies::from(self.runs[i].clone()).pct(50.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queries_file_has_200_queries() {
        let q = parse_queries(QUERIES).expect("queries.txt parses");
        assert_eq!(q.len(), 200);
        assert!(q.iter().any(|q| q.section == "typo"));
        assert!(q.iter().any(|q| !q.filters.is_empty()));
    }

    #[test]
    fn queries_become_urls_and_fts5() {
        let q =
            parse_queries("[phrase]\n\"falls prevention\" care&kind=case_study\n").expect("parses");
        assert_eq!(q[0].section, "phrase");
        assert_eq!(
            q[0].fts5().as_deref(),
            Some("\"falls prevention\" \"care\"")
        );
        assert_eq!(
            q[0].url("http://127.0.0.1:1", "/api/v1/search")
                .expect("url"),
            "http://127.0.0.1:1/api/v1/search?q=%22falls+prevention%22+care&kind=case_study"
        );
        let f = parse_queries("&kind=tool\n").expect("parses");
        assert_eq!(f[0].fts5(), None);
    }
}
