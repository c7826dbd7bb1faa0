//! Accounts and their organisation memberships.

use sqlx::FromRow;

use crate::{conflict_as, Conn, StoreResult};

#[derive(Debug, Clone, Default, FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub email_verified_at: Option<i64>,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    /// 1: may import indicator data (shared intelligence).
    pub analyst: i64,
}

const USER_COLUMNS: &str =
    "id, email, name, password_hash, role, email_verified_at, created_at, disabled_at, analyst";

pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub verified_at: Option<i64>,
    pub now: i64,
}

pub async fn insert(c: &mut Conn, u: &NewUser<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role, email_verified_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(u.id)
    .bind(u.email)
    .bind(u.name)
    .bind(u.password_hash)
    .bind(u.role)
    .bind(u.verified_at)
    .bind(u.now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn by_email(c: &mut Conn, email: &str) -> StoreResult<Option<UserRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(c)
    .await?)
}

pub async fn by_id(c: &mut Conn, id: &str) -> StoreResult<Option<UserRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT {USER_COLUMNS} FROM users WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub async fn count(c: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(c)
        .await?)
}

/// Newest first, optionally filtered by a fragment of name or email.
pub async fn list(c: &mut Conn, filter: &str, limit: i64) -> StoreResult<Vec<UserRow>> {
    let pattern = format!("%{}%", filter.to_lowercase().replace(['%', '_'], ""));
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT {USER_COLUMNS} FROM users
         WHERE LOWER(name) LIKE $1 OR email LIKE $1
         ORDER BY created_at DESC LIMIT $2"
    ))
    .bind(pattern)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// Verified, enabled accounts with one of `roles`, oldest first.
pub async fn with_roles(c: &mut Conn, roles: &[&str]) -> StoreResult<Vec<UserRow>> {
    let mut rows = Vec::new();
    for role in roles {
        let found: Vec<UserRow> = sqlx::query_as(trusted_sql!(
            "SELECT {USER_COLUMNS} FROM users
             WHERE role = $1 AND disabled_at IS NULL AND email_verified_at IS NOT NULL
             ORDER BY created_at, id"
        ))
        .bind(*role)
        .fetch_all(&mut *c)
        .await?;
        rows.extend(found);
    }
    Ok(rows)
}

pub async fn mark_verified(c: &mut Conn, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE users SET email_verified_at = $2, updated_at = $2 WHERE id = $1 AND email_verified_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_password(c: &mut Conn, id: &str, hash: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_role(c: &mut Conn, id: &str, role: &str, now: i64) -> StoreResult<bool> {
    let r = sqlx::query("UPDATE users SET role = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(role)
        .bind(now)
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn count_with_role(c: &mut Conn, role: &str) -> StoreResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = $1 AND disabled_at IS NULL")
            .bind(role)
            .fetch_one(c)
            .await?,
    )
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct MembershipRow {
    pub id: String,
    pub user_id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub place_id: Option<String>,
    pub place_name: Option<String>,
    pub place_slug: Option<String>,
    pub status: String,
    pub via: String,
    pub message: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub user_name: String,
    pub user_email: String,
}

const MEMBERSHIP_SELECT: &str =
    "SELECT m.id, m.user_id, m.organisation_id, o.name AS organisation_name,
        o.slug AS organisation_slug, o.place_id, p.name AS place_name, p.slug AS place_slug,
        m.status, m.via, m.message, m.created_at, m.decided_at,
        u.name AS user_name, u.email AS user_email
     FROM memberships m
     JOIN organisations o ON o.id = m.organisation_id
     JOIN users u ON u.id = m.user_id
     LEFT JOIN places p ON p.id = o.place_id";

pub struct NewMembership<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub organisation_id: &'a str,
    pub status: &'a str,
    pub via: &'a str,
    pub message: &'a str,
    pub now: i64,
}

pub async fn insert_membership(c: &mut Conn, m: &NewMembership<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO memberships (id, user_id, organisation_id, status, via, message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(m.id)
    .bind(m.user_id)
    .bind(m.organisation_id)
    .bind(m.status)
    .bind(m.via)
    .bind(m.message)
    .bind(m.now)
    .execute(c)
    .await
    .map_err(conflict_as("membership"))?;
    Ok(())
}

pub async fn memberships_of_user(c: &mut Conn, user_id: &str) -> StoreResult<Vec<MembershipRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{MEMBERSHIP_SELECT} WHERE m.user_id = $1 ORDER BY m.created_at"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await?)
}

pub async fn membership_by_id(c: &mut Conn, id: &str) -> StoreResult<Option<MembershipRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{MEMBERSHIP_SELECT} WHERE m.id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// Pending requests: all of them (`decider` `None`, network admins), or those for the
/// organisations the decider is an active member of (organisation admins). Scoped in SQL.
pub async fn pending_requests(
    c: &mut Conn,
    decider: Option<&str>,
) -> StoreResult<Vec<MembershipRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{MEMBERSHIP_SELECT} WHERE m.status = 'pending'
           AND ($1 = '' OR m.organisation_id IN
               (SELECT a.organisation_id FROM memberships a WHERE a.user_id = $1 AND a.status = 'active'))
         ORDER BY m.created_at"
    ))
    .bind(decider.unwrap_or_default())
    .fetch_all(c)
    .await?)
}

/// Moves a pending request to `status`; false if it was no longer pending (decided already).
pub async fn decide_membership(
    c: &mut Conn,
    id: &str,
    status: &str,
    decided_by: &str,
    now: i64,
) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE memberships SET status = $2, decided_by = $3, decided_at = $4
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(status)
    .bind(decided_by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Lets a declined person ask again: the old row becomes a new pending request.
pub async fn reopen_membership(
    c: &mut Conn,
    id: &str,
    message: &str,
    now: i64,
) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE memberships SET status = 'pending', message = $2, created_at = $3,
            decided_by = NULL, decided_at = NULL
         WHERE id = $1 AND status = 'declined'",
    )
    .bind(id)
    .bind(message)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// An account whose name matches exactly (ignoring case), when exactly one does.
pub async fn by_name(c: &mut Conn, name: &str) -> StoreResult<Option<UserRow>> {
    let mut rows: Vec<UserRow> = sqlx::query_as(trusted_sql!(
        "SELECT {USER_COLUMNS} FROM users WHERE LOWER(name) = LOWER($1) AND disabled_at IS NULL LIMIT 2"
    ))
    .bind(name.trim())
    .fetch_all(c)
    .await?;
    Ok(if rows.len() == 1 { rows.pop() } else { None })
}

/// Grants or withdraws the analyst permission (importing indicator data).
pub async fn set_analyst(c: &mut Conn, id: &str, analyst: bool) -> StoreResult<bool> {
    let done = sqlx::query("UPDATE users SET analyst = $2 WHERE id = $1")
        .bind(id)
        .bind(i64::from(analyst))
        .execute(c)
        .await?;
    Ok(done.rows_affected() > 0)
}
