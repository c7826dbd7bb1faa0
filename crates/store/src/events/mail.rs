//! Reminders and follow-ups, each claimed so that it goes once, and the deletion of
//! personal answers after the retention period.

use super::*;

/// A registration whose reminder or follow-up is due, with what its email needs.
#[derive(Debug, Clone, FromRow)]
pub struct DueMail {
    pub registration_id: String,
    pub event_id: String,
    pub name: String,
    pub email: String,
    pub user_id: Option<String>,
}

/// Registered people of events starting within `[now, until)` not yet reminded.
pub async fn reminders_due(c: &mut Conn, now: i64, until: i64) -> StoreResult<Vec<DueMail>> {
    Ok(sqlx::query_as(
        "SELECT r.id AS registration_id, r.event_id, r.name, r.email, r.user_id
         FROM registrations r JOIN events e ON e.id = r.event_id
         WHERE r.status = 'registered' AND r.reminded_at IS NULL AND e.status IN ('open', 'closed')
           AND e.starts_at >= $1 AND e.starts_at < $2
         ORDER BY e.starts_at, r.id LIMIT 500",
    )
    .bind(now)
    .bind(until)
    .fetch_all(c)
    .await?)
}

/// Registered people of events that ended in `[since, now]` not yet followed up, except
/// those marked absent.
pub async fn follow_ups_due(c: &mut Conn, since: i64, now: i64) -> StoreResult<Vec<DueMail>> {
    Ok(sqlx::query_as(
        "SELECT r.id AS registration_id, r.event_id, r.name, r.email, r.user_id
         FROM registrations r JOIN events e ON e.id = r.event_id
         WHERE r.status = 'registered' AND r.followed_up_at IS NULL AND e.status IN ('open', 'closed')
           AND (r.attended IS NULL OR r.attended = 1)
           AND e.ends_at >= $1 AND e.ends_at <= $2
         ORDER BY e.ends_at, r.id LIMIT 500",
    )
    .bind(since)
    .bind(now)
    .fetch_all(c)
    .await?)
}

/// Claims one registration's reminder ("reminded_at") or follow-up ("followed_up_at"): true
/// for the one caller that sets it.
pub async fn claim_mail(
    c: &mut Conn,
    registration_id: &str,
    follow_up: bool,
    now: i64,
) -> StoreResult<bool> {
    let col = if follow_up {
        "followed_up_at"
    } else {
        "reminded_at"
    };
    let r = sqlx::query(trusted_sql!(
        "UPDATE registrations SET {col} = $2 WHERE id = $1 AND {col} IS NULL"
    ))
    .bind(registration_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The event moved: its reminders go again, for the new date.
pub async fn reset_reminders(c: &mut Conn, event_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE registrations SET reminded_at = NULL WHERE event_id = $1")
        .bind(event_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Deletes access and dietary answers of events that ended before `cutoff`; returns how many
/// events were cleaned. Registrations and attendance stay.
pub async fn delete_personal_answers(c: &mut Conn, cutoff: i64, now: i64) -> StoreResult<u64> {
    sqlx::query(
        "UPDATE registrations SET access_needs = NULL, dietary_needs = NULL
         WHERE event_id IN (SELECT id FROM events WHERE ends_at < $1 AND personal_data_deleted_at IS NULL)",
    )
    .bind(cutoff)
    .execute(&mut *c)
    .await?;
    let r = sqlx::query(
        "UPDATE events SET personal_data_deleted_at = $2 WHERE ends_at < $1 AND personal_data_deleted_at IS NULL",
    )
    .bind(cutoff)
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected())
}
