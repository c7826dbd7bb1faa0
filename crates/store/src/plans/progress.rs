//! Progress updates on work areas.

use super::*;

pub struct NewUpdate<'a> {
    pub id: &'a str,
    pub work_area_id: &'a str,
    pub author_id: &'a str,
    pub posted_on: &'a str,
    pub body: &'a str,
    pub rag: &'a str,
    pub spent_pence: Option<i64>,
    pub now: i64,
}

/// Records a progress update and moves the work area's RAG (and spend to date, if given).
pub async fn insert_update(c: &mut Conn, u: &NewUpdate<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO work_area_updates (id, work_area_id, author_id, posted_on, body, rag, spent_pence, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(u.id)
    .bind(u.work_area_id)
    .bind(u.author_id)
    .bind(u.posted_on)
    .bind(u.body)
    .bind(u.rag)
    .bind(u.spent_pence)
    .bind(u.now)
    .execute(&mut *c)
    .await?;
    let reason: String = u.body.chars().take(300).collect();
    sqlx::query(
        "UPDATE work_areas SET rag = $2, rag_reason = $3, updated_at = $4,
            budget_spent_pence = COALESCE($5, budget_spent_pence)
         WHERE id = $1",
    )
    .bind(u.work_area_id)
    .bind(u.rag)
    .bind(reason)
    .bind(u.now)
    .bind(u.spent_pence)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct UpdateRow {
    pub work_area_id: String,
    pub author: Option<String>,
    pub posted_on: String,
    pub body: String,
    pub rag: Option<String>,
    pub spent_pence: Option<i64>,
}

/// Every update of a plan's work areas, newest first: each work area's timeline.
pub async fn updates(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<UpdateRow>> {
    Ok(sqlx::query_as(
        "SELECT u.work_area_id, a.name AS author, u.posted_on, u.body, u.rag, u.spent_pence
         FROM work_area_updates u JOIN work_areas w ON w.id = u.work_area_id
         LEFT JOIN users a ON a.id = u.author_id
         WHERE w.plan_id = $1 ORDER BY u.posted_on DESC, u.created_at DESC",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub async fn work_area(c: &mut Conn, id: &str) -> StoreResult<Option<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, plan_id FROM work_areas WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// True when `user_id` is named as an accountable lead of the work area.
pub async fn is_lead(c: &mut Conn, work_area_id: &str, user_id: &str) -> StoreResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM work_area_leads WHERE work_area_id = $1 AND user_id = $2",
    )
    .bind(work_area_id)
    .bind(user_id)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}
