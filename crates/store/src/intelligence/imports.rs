//! Indicator uploads: staged for review (the file in storage, nothing else saved), then
//! saved (with counts of what changed) or discarded.

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ImportRow {
    pub id: String,
    pub file_name: String,
    pub storage_key: String,
    pub format: String,
    pub status: String,
    pub rows_read: i64,
    pub observations: i64,
    pub flags: i64,
    pub added: i64,
    pub replaced: i64,
    pub unchanged: i64,
    pub created_by: Option<String>,
    pub created_by_name: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

const IMPORT_SELECT: &str = "SELECT m.id, m.file_name, m.storage_key, m.format, m.status,
        m.rows_read, m.observations, m.flags, m.added, m.replaced, m.unchanged, m.created_by,
        u.name AS created_by_name, m.created_at, m.decided_at
     FROM indicator_imports m LEFT JOIN users u ON u.id = m.created_by";

pub struct NewImport<'a> {
    pub id: &'a str,
    pub file_name: &'a str,
    pub storage_key: &'a str,
    pub format: &'a str,
    pub rows_read: i64,
    pub observations: i64,
    pub flags: i64,
    pub created_by: Option<&'a str>,
}

pub async fn insert_import(c: &mut Conn, m: &NewImport<'_>, now: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO indicator_imports (id, file_name, storage_key, format, status, rows_read,
             observations, flags, created_by, created_at)
         VALUES ($1, $2, $3, $4, 'staged', $5, $6, $7, $8, $9)",
    )
    .bind(m.id)
    .bind(m.file_name)
    .bind(m.storage_key)
    .bind(m.format)
    .bind(m.rows_read)
    .bind(m.observations)
    .bind(m.flags)
    .bind(m.created_by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn import(c: &mut Conn, id: &str) -> StoreResult<Option<ImportRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{IMPORT_SELECT} WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn recent_imports(c: &mut Conn, limit: i64) -> StoreResult<Vec<ImportRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{IMPORT_SELECT} WHERE m.status = 'saved' ORDER BY m.decided_at DESC, m.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// Marks a staged import saved with what it changed; false when it was no longer staged
/// (saved twice from two tabs: the second is told).
pub async fn mark_import_saved(
    c: &mut Conn,
    id: &str,
    added: i64,
    replaced: i64,
    unchanged: i64,
    now: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE indicator_imports SET status = 'saved', added = $2, replaced = $3,
             unchanged = $4, decided_at = $5
         WHERE id = $1 AND status = 'staged'",
    )
    .bind(id)
    .bind(added)
    .bind(replaced)
    .bind(unchanged)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn discard_import(c: &mut Conn, id: &str, now: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE indicator_imports SET status = 'discarded', decided_at = $2
         WHERE id = $1 AND status = 'staged'",
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Staged imports left longer than `before` are discarded (housekeeping).
pub async fn discard_stale_imports(c: &mut Conn, before: i64, now: i64) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE indicator_imports SET status = 'discarded', decided_at = $2
         WHERE status = 'staged' AND created_at < $1",
    )
    .bind(before)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}
