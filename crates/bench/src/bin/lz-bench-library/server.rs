//! Against the running server: ready and settled, then for each role its clients signed in,
//! the queries one at a time on one connection, and the pages under load.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::StatusCode;

use lz_bench::{
    browser, proc_status, progress, sign_in, wait_ready, Errors, Phase, ProcStatus, Server,
    STEP_TIMEOUT,
};

use crate::data::sample_ids;
use crate::options::Args;
use crate::queries::{PerQuery, Query};

/// Password of every demo account (`learning-zone demo`).
const DEMO_PASSWORD: &str = "demo: moorland heather trail";
pub(crate) const MEMBER: &str = "chris.specimen@activecheshire.org";
pub(crate) const ADMIN: &str = "beth.kay@activelancashire.org.uk";

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Role {
    Member,
    Admin,
}

impl Role {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Admin => "admin",
        }
    }

    fn email(self) -> &'static str {
        match self {
            Role::Member => MEMBER,
            Role::Admin => ADMIN,
        }
    }
}

pub(crate) struct Load {
    pub(crate) role: Role,
    pub(crate) what: &'static str,
    pub(crate) path: &'static str,
    pub(crate) phase: Phase,
}

pub(crate) struct RoleResults {
    pub(crate) role: Role,
    pub(crate) sequential: PerQuery,
    pub(crate) sequential_errors: Errors,
    pub(crate) sign_in_time: Duration,
}

pub(crate) struct Served {
    /// From ready to every item's "more like this" neighbours computed.
    pub(crate) neighbours_time: Duration,
    pub(crate) idle: ProcStatus,
    pub(crate) after: ProcStatus,
    pub(crate) loads: Vec<Load>,
    pub(crate) roles: Vec<RoleResults>,
    pub(crate) clean_exit: bool,
}

/// What the load phases request, shared by the roles.
struct Targets {
    queries: usize,
    /// A sample of every published item (the admin's) and of those a member sees.
    all_ids: Vec<String>,
    member_ids: Vec<String>,
    api_urls: Arc<Vec<String>>,
    page_urls: Arc<Vec<String>>,
}

pub(crate) async fn measure_server(
    args: &Args,
    server: &Server,
    queries: &[Query],
    db: &Path,
) -> Result<Served> {
    let base = server.url.as_str();
    let probe = browser()?;
    wait_ready(&probe, base).await?;
    let neighbours_time = wait_for_neighbours(&probe, base).await?;
    drop(probe);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = proc_status(server.pid).context("reading the server's /proc/PID/status")?;

    let (all_ids, member_ids) = sample_ids(db, args.item_sample).await?;
    let targets = Targets {
        queries: queries.len(),
        all_ids,
        member_ids,
        api_urls: search_urls(queries, base, "/api/v1/search")?,
        page_urls: search_urls(queries, base, "/library")?,
    };

    let mut loads = Vec::new();
    let mut role_results = Vec::new();
    for role in roles(args) {
        let (results, role_loads) = measure_role(args, server, &targets, role).await?;
        loads.extend(role_loads);
        role_results.push(results);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = proc_status(server.pid).context("reading the server's /proc/PID/status")?;
    Ok(Served {
        neighbours_time,
        idle,
        after,
        loads,
        roles: role_results,
        clean_exit: false,
    })
}

/// A server that has just opened the index computes every item's "more like this"
/// neighbours in the background (`app/src/similar.rs`); until then item pages fall back to
/// the full query. The steady state is what is measured, so wait for it (and report how
/// long it took).
async fn wait_for_neighbours(probe: &reqwest::Client, base: &str) -> Result<Duration> {
    progress("Waiting for the server to compute every item's neighbours …");
    let t = Instant::now();
    loop {
        let metrics = probe
            .get(format!("{base}/metrics"))
            .send()
            .await
            .context("GET /metrics")?
            .text()
            .await
            .context("reading /metrics")?;
        if metrics
            .lines()
            .any(|l| l.trim() == "lz_search_similar_pending 0")
        {
            break;
        }
        if t.elapsed() > Duration::from_secs(3_600) {
            bail!("the server had not computed every item's neighbours within an hour");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let neighbours_time = t.elapsed();
    progress(&format!(
        "Neighbours computed {:.0} s after the server was ready",
        neighbours_time.as_secs_f64()
    ));
    Ok(neighbours_time)
}

fn roles(args: &Args) -> Vec<Role> {
    match args.roles.as_str() {
        "member" => vec![Role::Member],
        "admin" => vec![Role::Admin],
        _ => vec![Role::Member, Role::Admin],
    }
}

fn search_urls(queries: &[Query], base: &str, path: &str) -> Result<Arc<Vec<String>>> {
    Ok(Arc::new(
        queries
            .iter()
            .map(|q| q.url(base, path))
            .collect::<Result<Vec<_>>>()?,
    ))
}

/// One role: its clients signed in, the queries one at a time, then each wanted page under load.
async fn measure_role(
    args: &Args,
    server: &Server,
    targets: &Targets,
    role: Role,
) -> Result<(RoleResults, Vec<Load>)> {
    let base = server.url.as_str();
    let t = Instant::now();
    progress(&format!(
        "Signing in {} clients as the {} ({}) …",
        args.connections,
        role.name(),
        role.email()
    ));
    let clients = sign_in_clients(base, role.email(), args.connections as usize).await?;
    let sign_in_time = t.elapsed();

    // One connection, the 200 queries in turn.
    progress(&format!(
        "{}: {} queries on 1 connection, 1 warm-up + {} measured passes …",
        role.name(),
        targets.queries,
        args.passes
    ));
    let (sequential, sequential_errors) =
        sequential_search(&clients[0], &targets.api_urls, args.passes).await?;

    let mut loads = Vec::new();
    let wanted = |code: &str| args.pages.is_empty() || args.pages.iter().any(|p| p == code);
    for (code, what, path, urls) in load_phases(base, targets, role)
        .into_iter()
        .filter(|p| wanted(p.0))
    {
        progress(&format!(
            "{}: {what} ({} URLs) on {} connections, {} s warm-up + {} s …",
            role.name(),
            urls.len(),
            args.connections,
            args.warmup_seconds,
            args.seconds
        ));
        // An item page shows "more like this" once its answer is cached (`similar.rs`).
        let marker = (code == "item").then_some("More like this</h2>");
        let phase = closed_loop(args, server, &clients, urls, marker).await?;
        loads.push(Load {
            role,
            what,
            path,
            phase,
        });
    }
    let results = RoleResults {
        role,
        sequential,
        sequential_errors,
        sign_in_time,
    };
    Ok((results, loads))
}

/// The four load phases for `role`: `--pages` code, what, path shown, URLs.
fn load_phases(
    base: &str,
    targets: &Targets,
    role: Role,
) -> [(&'static str, &'static str, &'static str, Arc<Vec<String>>); 4] {
    // A member loads only items it may see, so that its requests can all succeed.
    let ids = if role == Role::Member {
        &targets.member_ids
    } else {
        &targets.all_ids
    };
    let item_urls = Arc::new(
        ids.iter()
            .map(|id| format!("{base}/library/{id}"))
            .collect::<Vec<_>>(),
    );
    let library_urls = Arc::new(vec![format!("{base}/library")]);
    [
        ("item", "item page", "/library/{id}", item_urls),
        ("library", "library page", "/library", library_urls),
        (
            "search-page",
            "search page",
            "/library?q=…",
            targets.page_urls.clone(),
        ),
        (
            "search-api",
            "search API",
            "/api/v1/search?q=…",
            targets.api_urls.clone(),
        ),
    ]
}

async fn sign_in_clients(base: &str, email: &str, n: usize) -> Result<Vec<reqwest::Client>> {
    let gate = Arc::new(tokio::sync::Semaphore::new(4));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (base, email, gate) = (base.to_string(), email.to_string(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let c = browser()?;
            sign_in(&c, &base, &email, DEMO_PASSWORD).await?;
            Ok::<_, anyhow::Error>(c)
        });
    }
    let mut clients = Vec::with_capacity(n);
    let bound = Instant::now() + STEP_TIMEOUT;
    while let Some(r) = tokio::time::timeout_at(bound.into(), tasks.join_next())
        .await
        .context("signing in the load clients took too long")?
    {
        clients.push(r.context("a sign-in task panicked")??);
    }
    Ok(clients)
}

/// Every query in turn on one connection: one unrecorded pass (which records the hit counts),
/// then `passes` recorded ones.
async fn sequential_search(
    c: &reqwest::Client,
    urls: &[String],
    passes: u64,
) -> Result<(PerQuery, Errors)> {
    let mut per = PerQuery::new(urls.len());
    let mut errors = Errors::default();
    for pass in 0..=passes {
        for (i, url) in urls.iter().enumerate() {
            let t0 = Instant::now();
            let result = async {
                let r = c.get(url).send().await?;
                let status = r.status();
                let body = r.bytes().await?;
                if status != StatusCode::OK {
                    bail!("GET answered {status}");
                }
                Ok::<_, anyhow::Error>(body)
            }
            .await;
            let took = t0.elapsed();
            match result {
                Ok(body) if pass == 0 => {
                    let v: serde_json::Value =
                        serde_json::from_slice(&body).context("search API answer is not JSON")?;
                    per.hits[i] = v.get("total").and_then(|t| t.as_u64());
                }
                Ok(_) => per.runs[i].push(took),
                Err(e) => errors.add(format!("{e:#}")),
            }
        }
    }
    Ok((per, errors))
}

/// Every client requests the URLs in turn (each starting at its own offset) until the end.
async fn closed_loop(
    args: &Args,
    server: &Server,
    clients: &[reqwest::Client],
    urls: Arc<Vec<String>>,
    marker: Option<&'static str>,
) -> Result<Phase> {
    lz_bench::closed_loop(
        server.pid,
        clients,
        urls,
        Duration::from_secs(args.warmup_seconds),
        Duration::from_secs(args.seconds),
        marker,
    )
    .await
}
