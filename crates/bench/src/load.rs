//! Measurement: latency percentiles, error counts, and the closed-loop load phase.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::StatusCode;

use crate::{clock_ticks_per_second, CpuMeter, RssSampler, REQUEST_TIMEOUT};

#[derive(Default)]
pub struct Latencies {
    sorted: Vec<Duration>,
}

impl Latencies {
    pub fn from(mut all: Vec<Duration>) -> Self {
        all.sort_unstable();
        Latencies { sorted: all }
    }

    /// Nearest-rank percentile.
    pub fn pct(&self, p: f64) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.sorted.len() as f64).ceil() as usize;
        self.sorted[rank.clamp(1, self.sorted.len()) - 1]
    }

    /// Number of recorded latencies.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    pub fn max(&self) -> Duration {
        self.sorted.last().copied().unwrap_or_default()
    }

    pub fn mean(&self) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        self.sorted.iter().sum::<Duration>() / self.sorted.len() as u32
    }
}

#[derive(Default)]
pub struct Errors {
    pub count: u64,
    pub first: Option<String>,
}

impl Errors {
    pub fn add(&mut self, e: impl std::fmt::Display) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(e.to_string());
        }
    }

    pub fn merge(&mut self, other: Errors) {
        self.count += other.count;
        if self.first.is_none() {
            self.first = other.first;
        }
    }
}

pub struct Phase {
    pub ok: u64,
    /// Recorded answers whose body held the phase's marker (none given: 0).
    pub with_marker: u64,
    pub errors: Errors,
    pub elapsed: Duration,
    pub latencies: Latencies,
    pub peak_rss_kib: u64,
    pub server_cpu_pct: f64,
    pub client_cpu_pct: f64,
}

impl Phase {
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// What one worker of a phase recorded: latencies, answers holding the marker, errors.
type WorkerResult = (Vec<Duration>, u64, Errors);

/// A closed-loop load phase: every client GETs the URLs in turn (each from its own offset)
/// without pause, for `warmup` (not recorded) and then `measured`; the server's CPU and
/// resident memory are sampled meanwhile.
pub async fn closed_loop(
    pid: u32,
    clients: &[reqwest::Client],
    urls: Arc<Vec<String>>,
    warmup: Duration,
    measured: Duration,
    marker: Option<&'static str>,
) -> Result<Phase> {
    let ticks = clock_ticks_per_second();
    let rss = RssSampler::start(pid);
    let measure_from = Instant::now() + warmup;
    let end = measure_from + measured;
    let mut tasks = tokio::task::JoinSet::new();
    let n = clients.len().max(1);
    for (k, c) in clients.iter().enumerate() {
        let (c, urls) = (c.clone(), urls.clone());
        let first = k * urls.len() / n;
        tasks.spawn(client_loop(c, urls, first, measure_from, end, marker));
    }
    // The CPU meter starts with the measured part, so the warm-up does not count.
    tokio::time::sleep_until(measure_from.into()).await;
    let t_measure = Instant::now();
    let cpu = CpuMeter::start(pid);
    let (lat, with_marker, errors) = join_all(tasks, end).await?;
    let elapsed = t_measure.elapsed();
    let (server_cpu_pct, client_cpu_pct) = cpu.finish(ticks);
    Ok(Phase {
        ok: lat.len() as u64,
        with_marker,
        errors,
        elapsed,
        latencies: Latencies::from(lat),
        peak_rss_kib: rss.finish(),
        server_cpu_pct,
        client_cpu_pct,
    })
}

/// One client of [`closed_loop`]: GETs `urls` in turn from index `next` until `end`, recording
/// only the requests started at or after `measure_from`.
async fn client_loop(
    c: reqwest::Client,
    urls: Arc<Vec<String>>,
    mut next: usize,
    measure_from: Instant,
    end: Instant,
    marker: Option<&'static str>,
) -> WorkerResult {
    let mut lat = Vec::new();
    let mut marked = 0u64;
    let mut errors = Errors::default();
    loop {
        let t0 = Instant::now();
        if t0 >= end || urls.is_empty() {
            break;
        }
        let url = &urls[next % urls.len()];
        next += 1;
        let result = get_ok(&c, url, marker).await;
        let took = t0.elapsed();
        let counted = t0 >= measure_from;
        match result {
            Ok(has_marker) if counted => {
                lat.push(took);
                marked += u64::from(has_marker);
            }
            Ok(_) => {}
            Err(e) => {
                if counted {
                    errors.add(format!("{e:#}"));
                }
                // Do not spin on a failing server.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    (lat, marked, errors)
}

/// GET `url`, reading the whole body; an error unless it answered `200`. Whether the body
/// holds `marker` (none given: false).
async fn get_ok(c: &reqwest::Client, url: &str, marker: Option<&'static str>) -> Result<bool> {
    let r = c.get(url).send().await?;
    let status = r.status();
    let body = r.bytes().await?;
    if status != StatusCode::OK {
        bail!("GET {url} answered {status}");
    }
    Ok(marker.is_some_and(|m| body.windows(m.len()).any(|w| w == m.as_bytes())))
}

/// Joins the workers (bounded: the phase's end plus one request timeout and a margin).
pub async fn join_all(
    mut tasks: tokio::task::JoinSet<WorkerResult>,
    end: Instant,
) -> Result<WorkerResult> {
    let bound = end + REQUEST_TIMEOUT + Duration::from_secs(10);
    let mut all = Vec::new();
    let mut marked = 0;
    let mut errors = Errors::default();
    while let Some(r) = tokio::time::timeout_at(bound.into(), tasks.join_next())
        .await
        .context("workers did not finish in time")?
    {
        let (lat, m, e) = r.context("a worker panicked")?;
        all.extend(lat);
        marked += m;
        errors.merge(e);
    }
    Ok((all, marked, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let l = Latencies::from((1..=100).rev().map(Duration::from_millis).collect());
        assert_eq!(l.pct(50.0), Duration::from_millis(50));
        assert_eq!(l.pct(99.0), Duration::from_millis(99));
        assert_eq!(l.pct(100.0), Duration::from_millis(100));
        assert_eq!(l.pct(0.0), Duration::from_millis(1));
        assert_eq!(l.max(), Duration::from_millis(100));
        assert_eq!(Latencies::default().pct(50.0), Duration::ZERO);
    }
}
