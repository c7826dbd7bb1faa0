//! Series of events.

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct SeriesRow {
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub organisation_id: String,
    pub created_by: String,
    pub created_at: i64,
}

pub async fn insert_series(
    c: &mut Conn,
    s: &SeriesRow,
    term_ids: &[String],
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO event_series (id, title, purpose, organisation_id, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&s.id)
    .bind(&s.title)
    .bind(&s.purpose)
    .bind(&s.organisation_id)
    .bind(&s.created_by)
    .bind(now)
    .execute(&mut *c)
    .await?;
    for t in term_ids {
        sqlx::query("INSERT INTO series_terms (series_id, term_id) VALUES ($1, $2)")
            .bind(&s.id)
            .bind(t)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// The oldest series with this title, compared without case.
pub async fn series_by_title(c: &mut Conn, title: &str) -> StoreResult<Option<SeriesRow>> {
    Ok(sqlx::query_as(
        "SELECT id, title, purpose, organisation_id, created_by, created_at FROM event_series
         WHERE LOWER(title) = LOWER($1) ORDER BY created_at, id LIMIT 1",
    )
    .bind(title)
    .fetch_optional(c)
    .await?)
}

pub async fn all_series(c: &mut Conn) -> StoreResult<Vec<SeriesRow>> {
    Ok(sqlx::query_as(
        "SELECT id, title, purpose, organisation_id, created_by, created_at FROM event_series ORDER BY created_at DESC",
    )
    .fetch_all(c)
    .await?)
}

pub async fn series_by_id(c: &mut Conn, id: &str) -> StoreResult<Option<SeriesRow>> {
    Ok(sqlx::query_as(
        "SELECT id, title, purpose, organisation_id, created_by, created_at FROM event_series WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
}
