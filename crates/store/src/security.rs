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

/// A live session with its person and their memberships, in one query (every signed-in
/// request asks, and each query is a trip through the database driver's thread).
#[derive(Debug, Clone)]
pub struct SessionUserRow {
    pub csrf_token: String,
    pub expires_at: i64,
    pub last_seen_at: i64,
    pub user: crate::users::UserRow,
    pub memberships: Vec<crate::users::MembershipRow>,
}

/// One row per membership (one row with no membership columns when there is none).
#[derive(FromRow)]
struct SessionJoinRow {
    csrf_token: String,
    expires_at: i64,
    last_seen_at: i64,
    #[sqlx(flatten)]
    user: crate::users::UserRow,
    m_id: Option<String>,
    m_organisation_id: Option<String>,
    m_organisation_name: Option<String>,
    m_organisation_slug: Option<String>,
    m_place_id: Option<String>,
    m_place_name: Option<String>,
    m_place_slug: Option<String>,
    m_status: Option<String>,
    m_via: Option<String>,
    m_message: Option<String>,
    m_created_at: Option<i64>,
    m_decided_at: Option<i64>,
}

pub async fn session_with_user(
    c: &mut Conn,
    id_hash: &str,
    now: i64,
) -> StoreResult<Option<SessionUserRow>> {
    let rows: Vec<SessionJoinRow> = sqlx::query_as(
        "SELECT s.csrf_token, s.expires_at, s.last_seen_at, u.id, u.email, u.name, u.password_hash, u.role,
            u.email_verified_at, u.created_at, u.disabled_at, u.analyst,
            m.id AS m_id, m.organisation_id AS m_organisation_id, o.name AS m_organisation_name,
            o.slug AS m_organisation_slug, o.place_id AS m_place_id, p.name AS m_place_name,
            p.slug AS m_place_slug, m.status AS m_status, m.via AS m_via, m.message AS m_message,
            m.created_at AS m_created_at, m.decided_at AS m_decided_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         LEFT JOIN memberships m ON m.user_id = u.id
         LEFT JOIN organisations o ON o.id = m.organisation_id
         LEFT JOIN places p ON p.id = o.place_id
         WHERE s.id_hash = $1 AND s.expires_at > $2
         ORDER BY m.created_at, m.id",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_all(c)
    .await?;
    let mut out: Option<SessionUserRow> = None;
    for r in rows {
        let session = out.get_or_insert_with(|| SessionUserRow {
            csrf_token: r.csrf_token.clone(),
            expires_at: r.expires_at,
            last_seen_at: r.last_seen_at,
            user: r.user.clone(),
            memberships: vec![],
        });
        let (Some(id), Some(organisation_id), Some(organisation_name), Some(organisation_slug)) = (
            r.m_id,
            r.m_organisation_id,
            r.m_organisation_name,
            r.m_organisation_slug,
        ) else {
            continue;
        };
        session.memberships.push(crate::users::MembershipRow {
            id,
            user_id: r.user.id.clone(),
            organisation_id,
            organisation_name,
            organisation_slug,
            place_id: r.m_place_id,
            place_name: r.m_place_name,
            place_slug: r.m_place_slug,
            status: r.m_status.unwrap_or_default(),
            via: r.m_via.unwrap_or_default(),
            message: r.m_message.unwrap_or_default(),
            created_at: r.m_created_at.unwrap_or_default(),
            decided_at: r.m_decided_at,
            user_name: r.user.name.clone(),
            user_email: r.user.email.clone(),
        });
    }
    Ok(out)
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

/// Ends every session of the account but one (the one the person is using).
pub async fn delete_other_sessions(c: &mut Conn, user_id: &str, keep: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep)
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

/// Revokes every live token of `user_id` (a password reset: a token made with a stolen
/// password must stop answering); returns how many.
pub async fn revoke_api_tokens_of_user(c: &mut Conn, user_id: &str, now: i64) -> StoreResult<u64> {
    let r = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected())
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

/// Reserves one attempt against `key` in one statement (so parallel requests, on one server
/// or several, cannot all pass a check made before any of them is counted): a new window
/// once `window_ms` has passed since the last one began. Returns the row after it.
pub async fn reserve_attempt(
    c: &mut Conn,
    key: &str,
    now: i64,
    window_ms: i64,
) -> StoreResult<ThrottleRow> {
    Ok(sqlx::query_as(
        "INSERT INTO throttle (key, window_start, failures, locked_until) VALUES ($1, $2, 1, NULL)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN CAST($2 AS BIGINT) - throttle.window_start >= CAST($3 AS BIGINT)
                           THEN 1 ELSE throttle.failures + 1 END,
           locked_until = CASE WHEN CAST($2 AS BIGINT) - throttle.window_start >= CAST($3 AS BIGINT)
                           THEN NULL ELSE throttle.locked_until END,
           window_start = CASE WHEN CAST($2 AS BIGINT) - throttle.window_start >= CAST($3 AS BIGINT)
                           THEN CAST($2 AS BIGINT) ELSE throttle.window_start END
         RETURNING window_start, failures, locked_until",
    )
    .bind(key)
    .bind(now)
    .bind(window_ms)
    .fetch_one(c)
    .await?)
}

/// Gives back an attempt reserved by `reserve_attempt` that turned out not to be a failure.
pub async fn release_attempt(c: &mut Conn, key: &str) -> StoreResult<()> {
    sqlx::query("UPDATE throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0")
        .bind(key)
        .execute(c)
        .await?;
    Ok(())
}

/// Locks `key` until `until` (the attempt that reached the limit failed).
pub async fn lock_throttle(c: &mut Conn, key: &str, until: i64) -> StoreResult<()> {
    sqlx::query("UPDATE throttle SET locked_until = $2 WHERE key = $1")
        .bind(key)
        .bind(until)
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
