//! Registrations, the waiting list and attendance.

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct RegistrationRow {
    pub id: String,
    pub event_id: String,
    pub user_id: Option<String>,
    pub name: String,
    pub email: String,
    pub organisation_name: String,
    pub organisation_id: Option<String>,
    pub place_id: Option<String>,
    pub place_name: Option<String>,
    pub status: String,
    pub access_needs: Option<String>,
    pub dietary_needs: Option<String>,
    pub attended: Option<i64>,
    pub created_at: i64,
    pub registered_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub has_feedback: i64,
}

const REG_SELECT: &str = "SELECT r.id, r.event_id, r.user_id, r.name, r.email, r.organisation_name,
        r.organisation_id, r.place_id, p.name AS place_name, r.status, r.access_needs, r.dietary_needs,
        r.attended, r.created_at, r.registered_at, r.cancelled_at,
        (SELECT COUNT(*) FROM event_feedback f WHERE f.registration_id = r.id) AS has_feedback
    FROM registrations r LEFT JOIN places p ON p.id = r.place_id";

/// A new registration, before its place is decided.
pub struct NewRegistration<'a> {
    pub id: &'a str,
    pub event_id: &'a str,
    pub user_id: Option<&'a str>,
    pub name: &'a str,
    pub email: &'a str,
    pub organisation_name: &'a str,
    pub organisation_id: Option<&'a str>,
    pub place_id: Option<&'a str>,
    pub status: &'a str,
    pub access_needs: Option<&'a str>,
    pub dietary_needs: Option<&'a str>,
    pub token_hash: Option<&'a str>,
}

pub async fn insert_registration(
    c: &mut Conn,
    r: &NewRegistration<'_>,
    now: i64,
) -> StoreResult<()> {
    let registered_at = (r.status == "registered").then_some(now);
    sqlx::query(
        "INSERT INTO registrations (id, event_id, user_id, name, email, email_key, organisation_name,
            organisation_id, place_id, status, access_needs, dietary_needs, token_hash, created_at,
            updated_at, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)",
    )
    .bind(r.id)
    .bind(r.event_id)
    .bind(r.user_id)
    .bind(r.name)
    .bind(r.email)
    .bind(lz_domain::events::email_key(r.email))
    .bind(r.organisation_name)
    .bind(r.organisation_id)
    .bind(r.place_id)
    .bind(r.status)
    .bind(r.access_needs)
    .bind(r.dietary_needs)
    .bind(r.token_hash)
    .bind(now)
    .bind(registered_at)
    .execute(c)
    .await
    .map_err(crate::conflict_as("registration for this event"))?;
    Ok(())
}

/// Replaces a guest registration's key (a fresh emailed link).
pub async fn set_token_hash(c: &mut Conn, id: &str, token_hash: &str) -> StoreResult<()> {
    sqlx::query("UPDATE registrations SET token_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(token_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn registered_count(c: &mut Conn, event_id: &str) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'registered'",
    )
    .bind(event_id)
    .fetch_one(c)
    .await?)
}

pub async fn registration(c: &mut Conn, id: &str) -> StoreResult<Option<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!("{REG_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn registration_by_token(
    c: &mut Conn,
    token_hash: &str,
) -> StoreResult<Option<RegistrationRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{REG_SELECT} WHERE r.token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(c)
            .await?,
    )
}

/// The person's live (not cancelled) registration for an event.
pub async fn live_registration(
    c: &mut Conn,
    event_id: &str,
    email: &str,
) -> StoreResult<Option<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{REG_SELECT} WHERE r.event_id = $1 AND r.email_key = $2 AND r.status <> 'cancelled'"
    ))
    .bind(event_id)
    .bind(lz_domain::events::email_key(email))
    .fetch_optional(c)
    .await?)
}

/// Every registration of an event, waiting list in order of joining.
pub async fn registrations_of_event(
    c: &mut Conn,
    event_id: &str,
) -> StoreResult<Vec<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{REG_SELECT} WHERE r.event_id = $1 ORDER BY r.status, r.created_at, r.id"
    ))
    .bind(event_id)
    .fetch_all(c)
    .await?)
}

/// A person's live registrations with their events' ids.
pub async fn registrations_of_user(
    c: &mut Conn,
    user_id: &str,
) -> StoreResult<Vec<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{REG_SELECT} WHERE r.user_id = $1 AND r.status <> 'cancelled' ORDER BY r.created_at DESC"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await?)
}

pub async fn set_registration_status(
    c: &mut Conn,
    id: &str,
    status: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE registrations SET status = $2, updated_at = $3,
            registered_at = CASE WHEN $2 = 'registered' THEN $3 ELSE registered_at END,
            cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancelled_at END
         WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// The longest-waiting person on an event's waiting list.
pub async fn first_waiting(c: &mut Conn, event_id: &str) -> StoreResult<Option<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{REG_SELECT} WHERE r.event_id = $1 AND r.status = 'waiting' ORDER BY r.created_at, r.id LIMIT 1"
    ))
    .bind(event_id)
    .fetch_optional(c)
    .await?)
}

pub async fn set_attendance(
    c: &mut Conn,
    event_id: &str,
    registration_id: &str,
    attended: Option<bool>,
    now: i64,
) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE registrations SET attended = $3, updated_at = $4
         WHERE id = $2 AND event_id = $1 AND status = 'registered'",
    )
    .bind(event_id)
    .bind(registration_id)
    .bind(attended.map(i64::from))
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}
