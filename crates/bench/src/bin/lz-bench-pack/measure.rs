//! Against the running server: the `/healthz` reference, and each collection's pack in the
//! three formats, one request at a time, with the server's resident memory sampled meanwhile.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::{header, StatusCode};

use lz_bench::{browser, proc_status, progress, wait_ready, Errors, Latencies, RssSampler, Server};

use crate::api::Api;
use crate::data::{find_manifesto, make_large, Collection, Made};
use crate::inspect::{look, Look};
use crate::options::Args;

/// The pack's formats: extension and the content type the server must send.
pub(crate) const FORMATS: [(&str, &str); 3] = [
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("pdf", "application/pdf"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
];

/// A file smaller than this is not a pack.
const MIN_BYTES: usize = 2_048;
/// Requests before the `/healthz` reference is recorded.
const HEALTHZ_WARMUP: u64 = 20;

/// Sequential `GET /healthz`: the trivial request every pack figure is compared with.
pub(crate) struct Reference {
    pub(crate) latencies: Latencies,
    pub(crate) errors: Errors,
}

pub(crate) struct FormatResult {
    pub(crate) ext: &'static str,
    pub(crate) latencies: Latencies,
    pub(crate) errors: Errors,
    pub(crate) bytes_min: usize,
    pub(crate) bytes_max: usize,
    /// The warm-up answer's structure and its slides (PPTX) or pages (PDF).
    pub(crate) look: Look,
}

pub(crate) struct PackResult {
    pub(crate) collection: Collection,
    pub(crate) runs: u64,
    pub(crate) formats: Vec<FormatResult>,
    /// Each round: the three formats requested one after the other.
    pub(crate) all_three: Latencies,
    pub(crate) all_three_errors: Errors,
    /// Server VmRSS before this collection's first request, the highest sampled (every
    /// 100 ms) while its packs were made, after the last, and VmHWM then (KiB).
    pub(crate) rss_before_kib: u64,
    pub(crate) rss_peak_kib: u64,
    pub(crate) rss_after_kib: u64,
    pub(crate) hwm_after_kib: u64,
    /// VmRSS after each all-three round.
    pub(crate) rss_rounds_kib: Vec<u64>,
}

impl PackResult {
    pub(crate) fn sum_of_p50s(&self) -> Duration {
        self.formats.iter().map(|f| f.latencies.pct(50.0)).sum()
    }
}

pub(crate) struct Results {
    pub(crate) healthz_start: Reference,
    pub(crate) healthz_end: Reference,
    pub(crate) idle_rss_kib: u64,
    pub(crate) demo: PackResult,
    pub(crate) large: Option<(Made, PackResult)>,
    pub(crate) clean_exit: bool,
}

/// `amanda` and `beth`: API tokens of the demo's two curators (a moderator and a network
/// admin), so that one records and the other checks and publishes.
pub(crate) async fn measure(
    args: &Args,
    server: &Server,
    amanda: String,
    beth: String,
) -> Result<Results> {
    let base = server.url.as_str();
    let probe = browser()?;
    wait_ready(&probe, base).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_rss_kib = rss(server.pid)?;
    let amanda = Api::new(base, amanda)?;
    let beth = Api::new(base, beth)?;

    progress(&format!(
        "GET /healthz × {} (the reference) …",
        args.healthz
    ));
    let healthz_start = healthz(&probe, base, args.healthz).await?;

    let manifesto = find_manifesto(&amanda).await?;
    progress(&format!(
        "Demo manifesto ({} sections, {} claims): each format × {}, then {} rounds of all three …",
        manifesto.sections, manifesto.claims, args.runs, args.runs
    ));
    let demo = measure_pack(&amanda, server.pid, manifesto, args.runs).await?;

    let large = if args.records == 0 {
        None
    } else {
        let made = make_large(
            &beth,
            &amanda,
            args.records as usize,
            args.sections as usize,
        )
        .await?;
        let collection = made.collection.clone();
        progress(&format!(
            "Large pack ({} sections, {} claims): each format × {}, then {} rounds of all three …",
            collection.sections, collection.claims, args.large_runs, args.large_runs
        ));
        let result = measure_pack(&beth, server.pid, collection, args.large_runs).await?;
        Some((made, result))
    };

    progress(&format!("GET /healthz × {} again …", args.healthz));
    let healthz_end = healthz(&probe, base, args.healthz).await?;
    Ok(Results {
        healthz_start,
        healthz_end,
        idle_rss_kib,
        demo,
        large,
        clean_exit: false,
    })
}

fn rss(pid: u32) -> Result<u64> {
    Ok(proc_status(pid)
        .context("reading the server's /proc/PID/status")?
        .rss_kib)
}

async fn healthz(c: &reqwest::Client, base: &str, n: u64) -> Result<Reference> {
    let url = format!("{base}/healthz");
    let mut lat = Vec::with_capacity(n as usize);
    let mut errors = Errors::default();
    for i in 0..HEALTHZ_WARMUP + n {
        let t0 = Instant::now();
        let result = async {
            let r = c.get(&url).send().await?;
            let status = r.status();
            r.bytes().await?;
            if status != StatusCode::OK {
                bail!("GET /healthz answered {status}");
            }
            Ok(())
        }
        .await;
        let took = t0.elapsed();
        match result {
            Ok(()) if i >= HEALTHZ_WARMUP => lat.push(took),
            Ok(()) => {}
            Err(e) => errors.add(format!("{e:#}")),
        }
    }
    Ok(Reference {
        latencies: Latencies::from(lat),
        errors,
    })
}

/// One pack request: its time (send to end of body), content type and body; an error unless
/// it answered `200`.
async fn fetch(api: &Api, path: &str) -> Result<(Duration, String, Vec<u8>)> {
    let t0 = Instant::now();
    let r = api.get(path).send().await?;
    let status = r.status();
    let content_type = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = r.bytes().await?;
    let took = t0.elapsed();
    if status != StatusCode::OK {
        let text: String = String::from_utf8_lossy(&body).chars().take(300).collect();
        bail!("GET {path} answered {status}: {text}");
    }
    Ok((took, content_type, body.to_vec()))
}

fn pack_path(id: &str, ext: &str) -> String {
    format!("/api/v1/collections/{id}/pack.{ext}")
}

/// One unrecorded request per format (checked: content type, size, structure), then `runs`
/// recorded requests per format, then `runs` rounds of the three in sequence.
async fn measure_pack(
    api: &Api,
    pid: u32,
    collection: Collection,
    runs: u64,
) -> Result<PackResult> {
    let rss_before_kib = rss(pid)?;
    let sampler = RssSampler::start(pid);
    let mut formats = Vec::new();
    for (ext, want_type) in FORMATS {
        let path = pack_path(&collection.id, ext);
        let (_, content_type, body) = fetch(api, &path)
            .await
            .with_context(|| format!("the first {ext} pack of {:?}", collection.title))?;
        let mut first = look(ext, &body);
        if content_type != want_type {
            first.problem = Some(format!("content type {content_type:?}"));
        } else if body.len() < MIN_BYTES {
            first.problem = Some(format!("only {} bytes", body.len()));
        }
        if let Some(p) = &first.problem {
            progress(&format!("warning: {path}: {p}"));
        }
        let mut lat = Vec::with_capacity(runs as usize);
        let mut errors = Errors::default();
        let (mut bytes_min, mut bytes_max) = (body.len(), body.len());
        for _ in 0..runs {
            match fetch(api, &path).await {
                Ok((took, _, body)) => {
                    lat.push(took);
                    bytes_min = bytes_min.min(body.len());
                    bytes_max = bytes_max.max(body.len());
                }
                Err(e) => errors.add(format!("{e:#}")),
            }
        }
        formats.push(FormatResult {
            ext,
            latencies: Latencies::from(lat),
            errors,
            bytes_min,
            bytes_max,
            look: first,
        });
    }

    let mut rounds = Vec::with_capacity(runs as usize);
    let mut all_three_errors = Errors::default();
    let mut rss_rounds_kib = Vec::with_capacity(runs as usize);
    for _ in 0..runs {
        let t0 = Instant::now();
        let mut failed = None;
        for (ext, _) in FORMATS {
            if let Err(e) = fetch(api, &pack_path(&collection.id, ext)).await {
                failed = Some(e);
                break;
            }
        }
        match failed {
            None => rounds.push(t0.elapsed()),
            Some(e) => all_three_errors.add(format!("{e:#}")),
        }
        rss_rounds_kib.push(rss(pid)?);
    }
    let rss_peak_kib = sampler.finish();
    let status = proc_status(pid).context("reading the server's /proc/PID/status")?;
    Ok(PackResult {
        collection,
        runs,
        formats,
        all_three: Latencies::from(rounds),
        all_three_errors,
        rss_before_kib,
        rss_peak_kib,
        rss_after_kib: status.rss_kib,
        hwm_after_kib: status.hwm_kib,
        rss_rounds_kib,
    })
}
