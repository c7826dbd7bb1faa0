//! Searches that found nothing, kept for the library's editors.

use super::*;

pub async fn record_miss(c: &mut Conn, id: &str, query: &str, now: i64) -> StoreResult<()> {
    sqlx::query("INSERT INTO search_misses (id, query, at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(query)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct MissRow {
    pub query: String,
    pub times: i64,
    pub last_at: i64,
}

pub async fn misses(c: &mut Conn, since: i64) -> StoreResult<Vec<MissRow>> {
    Ok(sqlx::query_as(
        "SELECT query, COUNT(*) AS times, MAX(at) AS last_at FROM search_misses WHERE at >= $1
         GROUP BY query ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT 200",
    )
    .bind(since)
    .fetch_all(c)
    .await?)
}
