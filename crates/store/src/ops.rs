//! Operations on the database as a whole: the audit log, emptiness checks, online backup.

use sqlx::FromRow;

use crate::{Backend, Conn, Db, StoreError, StoreResult};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AuditRow {
    pub id: String,
    pub at: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
}

pub struct NewAudit<'a> {
    pub actor_id: Option<&'a str>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub detail: &'a str,
}

pub async fn audit(c: &mut Conn, id: &str, now: i64, a: &NewAudit<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, action, subject_type, subject_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(now)
    .bind(a.actor_id)
    .bind(a.action)
    .bind(a.subject_type)
    .bind(a.subject_id)
    .bind(a.detail)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn recent_audit(c: &mut Conn, limit: i64) -> StoreResult<Vec<AuditRow>> {
    Ok(sqlx::query_as(
        "SELECT id, at, actor_id, action, subject_type, subject_id, detail FROM audit_log
         ORDER BY at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// True when no account, place or organisation exists yet (demo data may be loaded).
pub async fn is_empty(c: &mut Conn) -> StoreResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM places) + (SELECT COUNT(*) FROM organisations)",
    )
    .fetch_one(c)
    .await?;
    Ok(n == 0)
}

impl Db {
    /// A consistent copy of a live SQLite database (`VACUUM INTO` reads one snapshot while
    /// writers go on). PostgreSQL is backed up with its own tools.
    pub async fn backup_sqlite_to(&self, path: &std::path::Path) -> StoreResult<()> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::Invalid(
                "online backup here is for SQLite; for PostgreSQL use pg_dump (or pg_basebackup) and copy the data dir's files".into(),
            ));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Invalid("backup path is not valid UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
