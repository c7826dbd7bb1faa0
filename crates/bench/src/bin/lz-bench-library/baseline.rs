//! The side-by-side baseline: a SQLite FTS5 table over the same text, in its own file, and the
//! same queries timed against it in process.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, SqliteConnection};

use lz_bench::progress;

use crate::data::{file_size, open_read_only};
use crate::queries::{PerQuery, Query};

/// The FTS5 baseline lives next to the server's database, in its own file.
pub(crate) const FTS_FILE: &str = "bench-fts5.db";

const FTS_COLUMNS: &str =
    "title, summary, context, what_we_did, what_we_learned, do_differently, outcomes, body_md";

pub(crate) struct Fts {
    pub(crate) build: Duration,
    pub(crate) rebuilt: bool,
    pub(crate) rows: u64,
    pub(crate) file_bytes: u64,
    /// Top 20 by bm25, the count, and both.
    pub(crate) top: PerQuery,
    pub(crate) count: PerQuery,
    pub(crate) both: PerQuery,
    pub(crate) skipped: usize,
}

/// The queries timed against the FTS5 table (see [`Fts`]).
struct Timings {
    top: PerQuery,
    count: PerQuery,
    both: PerQuery,
    skipped: usize,
}

pub(crate) async fn fts_baseline(
    source: &Path,
    file: &Path,
    queries: &[Query],
    passes: u64,
    reuse: bool,
) -> Result<Fts> {
    let (build, rows, rebuilt) = build_or_reuse(source, file, reuse).await?;
    let t = time_queries(file, queries, passes).await?;
    Ok(Fts {
        build,
        rebuilt,
        rows,
        file_bytes: file_size(file),
        top: t.top,
        count: t.count,
        both: t.both,
        skipped: t.skipped,
    })
}

/// The table of an earlier run when asked to reuse it and it recorded its build, else a new
/// one: its build time, its rows, and whether it was built now.
async fn build_or_reuse(source: &Path, file: &Path, reuse: bool) -> Result<(Duration, u64, bool)> {
    let recorded = if reuse && file.exists() {
        recorded_build(file).await?
    } else {
        None
    };
    Ok(match recorded {
        Some((secs, rows)) => {
            progress(&format!(
                "Reusing the FTS5 table in {} (built in {secs:.1} s)",
                file.display()
            ));
            (Duration::from_secs_f64(secs), rows.max(0) as u64, false)
        }
        None => {
            progress(&format!(
                "Building the SQLite FTS5 table in {} …",
                file.display()
            ));
            let (d, rows) = fts_build(source, file).await?;
            (d, rows, true)
        }
    })
}

/// The build seconds and rows an earlier run recorded in `bench_meta`, if any (a table without
/// them is rebuilt).
async fn recorded_build(file: &Path) -> Result<Option<(f64, i64)>> {
    let mut c = open_read_only(file).await?;
    let r: Option<(f64, i64)> =
        sqlx::query_as("SELECT build_seconds, rows FROM bench_meta LIMIT 1")
            .fetch_optional(&mut c)
            .await
            .ok()
            .flatten();
    c.close().await.ok();
    Ok(r)
}

/// One unrecorded pass (which records the hit counts), then `passes` timed ones.
async fn time_queries(file: &Path, queries: &[Query], passes: u64) -> Result<Timings> {
    let mut c = open_read_only(file).await?;
    let n = queries.len();
    let (mut top, mut count, mut both) = (PerQuery::new(n), PerQuery::new(n), PerQuery::new(n));
    let mut skipped = 0;
    progress(&format!(
        "FTS5: {n} queries, 1 warm-up + {passes} measured passes …"
    ));
    for pass in 0..=passes {
        for (i, q) in queries.iter().enumerate() {
            let Some(m) = q.fts5() else {
                if pass == 0 {
                    skipped += 1;
                }
                continue;
            };
            let a = top_and_count(&mut c, &m).await?;
            if pass == 0 {
                top.hits[i] = Some(a.ids as u64);
                count.hits[i] = Some(a.total.max(0) as u64);
                both.hits[i] = Some(a.total.max(0) as u64);
                continue;
            }
            top.runs[i].push(a.top);
            count.runs[i].push(a.count);
            both.runs[i].push(a.both);
        }
    }
    c.close().await.ok();
    Ok(Timings {
        top,
        count,
        both,
        skipped,
    })
}

/// One query's answer in FTS5: how many of the top 20 ids, the count, and their times.
struct Answer {
    ids: usize,
    total: i64,
    top: Duration,
    count: Duration,
    both: Duration,
}

/// What the server's search answers with, in FTS5: the top 20 ids by bm25, then the count.
async fn top_and_count(c: &mut SqliteConnection, m: &str) -> Result<Answer> {
    let t0 = Instant::now();
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM fts WHERE fts MATCH ?1 ORDER BY bm25(fts) LIMIT 20")
            .bind(m)
            .fetch_all(&mut *c)
            .await
            .with_context(|| format!("FTS5 query {m}"))?;
    let t1 = Instant::now();
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM fts WHERE fts MATCH ?1")
        .bind(m)
        .fetch_one(&mut *c)
        .await
        .with_context(|| format!("FTS5 count {m}"))?;
    let t2 = Instant::now();
    Ok(Answer {
        ids: ids.len(),
        total,
        top: t1 - t0,
        count: t2 - t1,
        both: t2 - t0,
    })
}

/// Builds the FTS5 table afresh (the file is replaced); returns the time and the rows.
async fn fts_build(source: &Path, file: &Path) -> Result<(Duration, u64)> {
    for f in [file.to_path_buf(), file.with_extension("db-wal")] {
        if f.exists() {
            std::fs::remove_file(&f).with_context(|| format!("removing {}", f.display()))?;
        }
    }
    let mut c = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(SqliteSynchronous::Off)
        .connect()
        .await
        .with_context(|| format!("creating {}", file.display()))?;
    let t = Instant::now();
    sqlx::query("ATTACH DATABASE ?1 AS src")
        .bind(source.display().to_string())
        .execute(&mut c)
        .await
        .context("attaching the server's database")?;
    sqlx::query(AssertSqlSafe(format!(
        "CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, {FTS_COLUMNS}, attachments, \
         tokenize = 'porter unicode61')"
    )))
    .execute(&mut c)
    .await
    .context("creating the FTS5 table")?;
    let cols = FTS_COLUMNS
        .split(", ")
        .map(|c| format!("i.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO fts (id, {FTS_COLUMNS}, attachments) \
         SELECT i.id, {cols}, coalesce((SELECT group_concat(a.extracted_text, ' ') \
           FROM src.attachments a WHERE a.item_id = i.id AND a.deleted_at IS NULL), '') \
         FROM src.items i WHERE i.status = 'published' AND i.deleted_at IS NULL"
    )))
    .execute(&mut c)
    .await
    .context("filling the FTS5 table")?
    .rows_affected();
    sqlx::query("INSERT INTO fts (fts) VALUES ('optimize')")
        .execute(&mut c)
        .await
        .context("optimising the FTS5 table")?;
    let took = t.elapsed();
    sqlx::query("DETACH DATABASE src")
        .execute(&mut c)
        .await
        .context("detaching")?;
    sqlx::query("CREATE TABLE bench_meta (build_seconds REAL NOT NULL, rows INTEGER NOT NULL)")
        .execute(&mut c)
        .await
        .context("creating bench_meta")?;
    sqlx::query("INSERT INTO bench_meta VALUES (?1, ?2)")
        .bind(took.as_secs_f64())
        .bind(rows as i64)
        .execute(&mut c)
        .await
        .context("recording the build time")?;
    c.close().await.ok();
    progress(&format!(
        "FTS5 table: {rows} rows in {:.1} s",
        took.as_secs_f64()
    ));
    Ok((took, rows))
}
