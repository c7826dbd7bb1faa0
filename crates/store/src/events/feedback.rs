//! Feedback after an event.

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct FeedbackRow {
    pub registration_id: String,
    pub rating: i64,
    pub do_differently: String,
    pub topics_next: String,
    pub created_at: i64,
}

pub async fn insert_feedback(c: &mut Conn, event_id: &str, f: &FeedbackRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO event_feedback (registration_id, event_id, rating, do_differently, topics_next, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&f.registration_id)
    .bind(event_id)
    .bind(f.rating)
    .bind(&f.do_differently)
    .bind(&f.topics_next)
    .bind(f.created_at)
    .execute(c)
    .await
    .map_err(crate::conflict_as("feedback from this registration"))?;
    Ok(())
}

pub async fn feedback_of_event(c: &mut Conn, event_id: &str) -> StoreResult<Vec<FeedbackRow>> {
    Ok(sqlx::query_as(
        "SELECT registration_id, rating, do_differently, topics_next, created_at FROM event_feedback
         WHERE event_id = $1 ORDER BY created_at",
    )
    .bind(event_id)
    .fetch_all(c)
    .await?)
}
