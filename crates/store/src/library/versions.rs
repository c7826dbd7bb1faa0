//! Versions of an item's content and the reviews that decided them.

use super::*;

#[derive(Debug, Clone, FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub status: String,
    pub snapshot: String,
    pub changed_by: Option<String>,
    pub changed_by_name: Option<String>,
    pub note: String,
    pub created_at: i64,
}

#[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
pub async fn insert_version(
    c: &mut Conn,
    id: &str,
    item_id: &str,
    version: i64,
    status: &str,
    snapshot: &str,
    changed_by: Option<&str>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO item_versions (id, item_id, version, status, snapshot, changed_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(item_id)
    .bind(version)
    .bind(status)
    .bind(snapshot)
    .bind(changed_by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn versions(c: &mut Conn, item_id: &str) -> StoreResult<Vec<VersionRow>> {
    Ok(sqlx::query_as(
        "SELECT v.version, v.status, v.snapshot, v.changed_by, u.name AS changed_by_name, v.note, v.created_at
         FROM item_versions v LEFT JOIN users u ON u.id = v.changed_by WHERE v.item_id = $1 ORDER BY v.version",
    )
    .bind(item_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ReviewRow {
    pub decision: String,
    pub comment: String,
    pub decided_by_name: Option<String>,
    pub created_at: i64,
}

pub async fn insert_review(
    c: &mut Conn,
    id: &str,
    item_id: &str,
    decision: &str,
    comment: &str,
    decided_by: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO item_reviews (id, item_id, decision, comment, decided_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(item_id)
    .bind(decision)
    .bind(comment)
    .bind(decided_by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn reviews(c: &mut Conn, item_id: &str) -> StoreResult<Vec<ReviewRow>> {
    Ok(sqlx::query_as(
        "SELECT r.decision, r.comment, u.name AS decided_by_name, r.created_at FROM item_reviews r
         LEFT JOIN users u ON u.id = r.decided_by WHERE r.item_id = $1 ORDER BY r.created_at DESC",
    )
    .bind(item_id)
    .fetch_all(c)
    .await?)
}
