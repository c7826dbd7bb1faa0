//! Reminders to work-area leads, each claimed so that it goes once.

use super::*;

#[derive(Debug, Clone, FromRow)]
pub struct ReminderRow {
    pub id: String,
    pub plan_id: String,
    pub plan_title: String,
    pub description: String,
    pub due_date: String,
    pub owner_email: String,
    pub owner_name: String,
}

/// Open, owned actions whose "due soon" (`overdue` false: due between `today` and `until`)
/// or "overdue" (due before `today`) reminder has not gone out yet.
pub async fn reminders_due(
    c: &mut Conn,
    overdue: bool,
    today: &str,
    until: &str,
) -> StoreResult<Vec<ReminderRow>> {
    let window = if overdue {
        "a.due_date < $1 AND a.reminded_overdue_at IS NULL"
    } else {
        "a.due_date >= $1 AND a.due_date <= $2 AND a.reminded_soon_at IS NULL"
    };
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT a.id, a.plan_id, p.title AS plan_title, a.description, a.due_date,
                u.email AS owner_email, u.name AS owner_name
         FROM actions a JOIN plans p ON p.id = a.plan_id JOIN users u ON u.id = a.owner_user_id
         WHERE a.status = 'open' AND a.due_date IS NOT NULL AND p.deleted_at IS NULL AND {window}
         ORDER BY a.due_date LIMIT 200"
    ))
    .bind(today)
    .bind(until)
    .fetch_all(c)
    .await?)
}

/// Marks one reminder sent; false when another instance got there first or the action closed.
pub async fn claim_reminder(c: &mut Conn, id: &str, overdue: bool, now: i64) -> StoreResult<bool> {
    let column = if overdue {
        "reminded_overdue_at"
    } else {
        "reminded_soon_at"
    };
    let r = sqlx::query(trusted_sql!(
        "UPDATE actions SET {column} = $2 WHERE id = $1 AND {column} IS NULL AND status = 'open'"
    ))
    .bind(id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct ScheduleRow {
    pub id: String,
    pub plan_id: String,
    pub recipients: String,
    pub send_on: String,
    pub sent_at: Option<i64>,
}

pub async fn insert_schedule(
    c: &mut Conn,
    id: &str,
    plan_id: &str,
    recipients: &str,
    send_on: &str,
    by: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO report_schedules (id, plan_id, recipients, send_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(plan_id)
    .bind(recipients)
    .bind(send_on)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn schedules_of_plan(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<ScheduleRow>> {
    Ok(sqlx::query_as(
        "SELECT id, plan_id, recipients, send_on, sent_at FROM report_schedules WHERE plan_id = $1 ORDER BY send_on DESC",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub async fn schedules_due(c: &mut Conn, today: &str) -> StoreResult<Vec<ScheduleRow>> {
    Ok(sqlx::query_as(
        "SELECT id, plan_id, recipients, send_on, sent_at FROM report_schedules
         WHERE sent_at IS NULL AND send_on <= $1 ORDER BY send_on LIMIT 50",
    )
    .bind(today)
    .fetch_all(c)
    .await?)
}

/// Marks a scheduled report sent; false when another instance sent it already.
pub async fn claim_schedule(c: &mut Conn, id: &str, now: i64) -> StoreResult<bool> {
    let r =
        sqlx::query("UPDATE report_schedules SET sent_at = $2 WHERE id = $1 AND sent_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(c)
            .await?;
    Ok(r.rows_affected() == 1)
}
