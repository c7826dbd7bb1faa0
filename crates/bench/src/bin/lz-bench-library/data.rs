//! The server's database, read-only: how many items, how much text, a sample of item ids;
//! and sizes on disk.

use std::path::Path;

use anyhow::{bail, Context, Result};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

pub(crate) async fn open_read_only(db: &Path) -> Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("opening {}", db.display()))
}

pub(crate) async fn count_published(db: &Path) -> Result<u64> {
    let mut c = open_read_only(db).await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM items WHERE status = 'published' AND deleted_at IS NULL",
    )
    .fetch_one(&mut c)
    .await
    .context("counting published items")?;
    c.close().await.ok();
    Ok(n.max(0) as u64)
}

pub(crate) struct DataStats {
    pub(crate) published: u64,
    pub(crate) attachments: u64,
    pub(crate) attachment_text_bytes: u64,
    pub(crate) item_text_bytes: u64,
    pub(crate) db_bytes: u64,
    pub(crate) files_bytes: u64,
}

pub(crate) async fn data_stats(db: &Path, data_dir: &Path) -> Result<DataStats> {
    let mut c = open_read_only(db).await?;
    let (published, item_text): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(length(title) + length(summary) + length(context) \
         + length(what_we_did) + length(what_we_learned) + length(do_differently) \
         + length(outcomes) + length(body_md)), 0) \
         FROM items WHERE status = 'published' AND deleted_at IS NULL",
    )
    .fetch_one(&mut c)
    .await
    .context("counting items")?;
    let (attachments, att_text): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(length(extracted_text)), 0) \
         FROM attachments WHERE deleted_at IS NULL",
    )
    .fetch_one(&mut c)
    .await
    .context("counting attachments")?;
    c.close().await.ok();
    let wal = db.with_extension("db-wal");
    Ok(DataStats {
        published: published.max(0) as u64,
        attachments: attachments.max(0) as u64,
        attachment_text_bytes: att_text.max(0) as u64,
        item_text_bytes: item_text.max(0) as u64,
        db_bytes: file_size(db) + file_size(&wal),
        files_bytes: dir_size(&data_dir.join("files")),
    })
}

/// A random sample of published item ids: all of them (for the admin) and those a member of
/// another organisation sees (public and network items).
pub(crate) async fn sample_ids(db: &Path, sample: i64) -> Result<(Vec<String>, Vec<String>)> {
    let mut c = open_read_only(db).await?;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, visibility FROM items WHERE status = 'published' AND deleted_at IS NULL \
         ORDER BY random() LIMIT ?1",
    )
    .bind(sample.saturating_mul(2))
    .fetch_all(&mut c)
    .await
    .context("sampling item ids")?;
    c.close().await.ok();
    let all: Vec<String> = rows
        .iter()
        .take(usize::try_from(sample).unwrap_or(usize::MAX))
        .map(|(id, _)| id.clone())
        .collect();
    let member: Vec<String> = rows
        .into_iter()
        .filter(|(_, v)| v == "public" || v == "network")
        .map(|(id, _)| id)
        .take(usize::try_from(sample).unwrap_or(usize::MAX))
        .collect();
    if all.is_empty() || member.is_empty() {
        bail!("no published items to load");
    }
    Ok((all, member))
}

pub(crate) fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            Ok(_) => e.metadata().map(|m| m.len()).unwrap_or(0),
            Err(_) => 0,
        })
        .sum()
}

pub(crate) fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}
