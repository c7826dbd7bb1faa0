//! The mail outbox: every message is written here in the transaction that caused it, then
//! delivered by the mail job. Claims make delivery once-only across several server instances.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct OutboxRow {
    pub id: String,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    #[serde(skip)]
    pub attachment_body: Option<String>,
}

const COLUMNS: &str = "id, to_addr, subject, body_text, created_at, attempts, sent_at, last_error, attachment_name, attachment_type, attachment_body";

pub async fn insert(
    c: &mut Conn,
    id: &str,
    to: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, to_addr, subject, body_text, created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(id)
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// A message with one text attachment (a calendar file): (file name, media type, text).
pub async fn insert_with_attachment(
    c: &mut Conn,
    id: &str,
    to: &str,
    subject: &str,
    body: &str,
    attachment: (&str, &str, &str),
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outbox (id, to_addr, subject, body_text, created_at, next_attempt_at, attachment_name, attachment_type, attachment_body)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now)
    .bind(attachment.0)
    .bind(attachment.1)
    .bind(attachment.2)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn due(c: &mut Conn, now: i64, limit: i64) -> StoreResult<Vec<OutboxRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT {COLUMNS} FROM outbox
         WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < 10
           AND (claimed_until IS NULL OR claimed_until < $1)
         ORDER BY created_at LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// Claims one message for `until`; false when another worker holds it or it was sent.
pub async fn claim(c: &mut Conn, id: &str, now: i64, until: i64) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE outbox SET claimed_until = $3
         WHERE id = $1 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2)",
    )
    .bind(id)
    .bind(now)
    .bind(until)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn mark_sent(c: &mut Conn, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE outbox SET sent_at = $2, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn mark_failed(c: &mut Conn, id: &str, error: &str, retry_at: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, claimed_until = NULL, last_error = $2, next_attempt_at = $3
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(retry_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn recent(c: &mut Conn, limit: i64) -> StoreResult<Vec<OutboxRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT {COLUMNS} FROM outbox ORDER BY created_at DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(c)
    .await?)
}
