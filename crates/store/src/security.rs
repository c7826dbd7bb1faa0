//! Sessions, single-use email tokens (verification, password reset), personal API tokens and
//! the throttle that rate-limits sign-in and reset attempts. Secrets are stored only as hashes.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub user_id: String,
    pub csrf_token: String,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

pub async fn insert_session(
    c: &mut Conn,
    id_hash: &str,
    user_id: &str,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn session(c: &mut Conn, id_hash: &str, now: i64) -> StoreResult<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT user_id, csrf_token, expires_at, last_seen_at FROM sessions
         WHERE id_hash = $1 AND expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(c)
    .await?)
}

/// A live session with its person, in one query (every signed-in request asks).
#[derive(Debug, Clone, FromRow)]
pub struct SessionUserRow {
    pub csrf_token: String,
    pub last_seen_at: i64,
    #[sqlx(flatten)]
    pub user: crate::users::UserRow,
}

pub async fn session_with_user(
    c: &mut Conn,
    id_hash: &str,
    now: i64,
) -> StoreResult<Option<SessionUserRow>> {
    Ok(sqlx::query_as(
        "SELECT s.csrf_token, s.last_seen_at, u.id, u.email, u.name, u.password_hash, u.role,
            u.email_verified_at, u.created_at, u.disabled_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(c)
    .await?)
}

/// Slides the expiry forward (idle timeout); done at most once a minute per session.
pub async fn touch_session(
    c: &mut Conn,
    id_hash: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(now)
        .bind(expires_at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_session(c: &mut Conn, id_hash: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_sessions_of_user(c: &mut Conn, user_id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_expired_sessions(c: &mut Conn, now: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(c)
        .await?
        .rows_affected())
}

pub async fn insert_email_token(
    c: &mut Conn,
    token_hash: &str,
    user_id: &str,
    purpose: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose)
    .bind(now)
    .bind(expires_at)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct EmailTokenRow {
    pub user_id: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub async fn email_token(
    c: &mut Conn,
    token_hash: &str,
    purpose: &str,
) -> StoreResult<Option<EmailTokenRow>> {
    Ok(sqlx::query_as(
        "SELECT user_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(c)
    .await?)
}

/// Marks a token used; false when it was already used (a replay, or a race with another tab).
pub async fn use_email_token(c: &mut Conn, token_hash: &str, now: i64) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE email_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Invalidates a person's other outstanding tokens of one purpose (a new reset link voids old ones).
pub async fn void_email_tokens(
    c: &mut Conn,
    user_id: &str,
    purpose: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE email_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
    )
    .bind(user_id)
    .bind(purpose)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct ApiTokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub async fn insert_api_token(
    c: &mut Conn,
    id: &str,
    user_id: &str,
    name: &str,
    token_hash: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn api_token_by_hash(c: &mut Conn, token_hash: &str) -> StoreResult<Option<ApiTokenRow>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(c)
    .await?)
}

pub async fn api_tokens_of_user(c: &mut Conn, user_id: &str) -> StoreResult<Vec<ApiTokenRow>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens
         WHERE user_id = $1 ORDER BY created_at DESC",
    )
    .bind(user_id)
    .fetch_all(c)
    .await?)
}

pub async fn touch_api_token(c: &mut Conn, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

/// Revokes a token of `user_id` only: another member's token id changes nothing.
pub async fn revoke_api_token(
    c: &mut Conn,
    id: &str,
    user_id: &str,
    now: i64,
) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct ThrottleRow {
    pub window_start: i64,
    pub failures: i64,
    pub locked_until: Option<i64>,
}

pub async fn throttle(c: &mut Conn, key: &str) -> StoreResult<Option<ThrottleRow>> {
    Ok(
        sqlx::query_as("SELECT window_start, failures, locked_until FROM throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn put_throttle(c: &mut Conn, key: &str, row: &ThrottleRow) -> StoreResult<()> {
    // An upsert both backends understand (SQLite ≥ 3.24 and PostgreSQL share this syntax).
    sqlx::query(
        "INSERT INTO throttle (key, window_start, failures, locked_until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET window_start = $2, failures = $3, locked_until = $4",
    )
    .bind(key)
    .bind(row.window_start)
    .bind(row.failures)
    .bind(row.locked_until)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn clear_throttle(c: &mut Conn, key: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM throttle WHERE key = $1")
        .bind(key)
        .execute(c)
        .await?;
    Ok(())
}
