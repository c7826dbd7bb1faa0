//! Meetings and the actions they raise.

use super::*;

pub struct NewMeeting<'a> {
    pub id: &'a str,
    pub plan_id: &'a str,
    pub title: &'a str,
    pub held_on: Option<&'a str>,
    pub minutes_md: &'a str,
    pub now: i64,
}

pub async fn insert_meeting(c: &mut Conn, m: &NewMeeting<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO meetings (id, plan_id, title, held_on, minutes_md, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(m.id)
    .bind(m.plan_id)
    .bind(m.title)
    .bind(m.held_on)
    .bind(m.minutes_md)
    .bind(m.now)
    .execute(c)
    .await?;
    Ok(())
}

pub struct NewAction<'a> {
    pub id: &'a str,
    pub plan_id: &'a str,
    pub work_area_id: Option<&'a str>,
    pub meeting_id: Option<&'a str>,
    pub description: &'a str,
    pub owner_user_id: Option<&'a str>,
    pub owner_name: &'a str,
    pub due_date: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_action(c: &mut Conn, a: &NewAction<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO actions (id, plan_id, work_area_id, meeting_id, description, owner_user_id, owner_name,
            due_date, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9)",
    )
    .bind(a.id)
    .bind(a.plan_id)
    .bind(a.work_area_id)
    .bind(a.meeting_id)
    .bind(a.description)
    .bind(a.owner_user_id)
    .bind(a.owner_name)
    .bind(a.due_date)
    .bind(a.now)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct ActionRow {
    pub id: String,
    pub plan_id: String,
    pub plan_title: String,
    pub meeting_title: Option<String>,
    /// The work area or mandate the action serves.
    pub work_area_id: Option<String>,
    pub work_area_title: Option<String>,
    pub description: String,
    pub owner_user_id: Option<String>,
    pub owner_name: String,
    pub due_date: Option<String>,
    pub status: String,
    pub completion_note: String,
}

const ACTION_SELECT: &str = "SELECT a.id, a.plan_id, p.title AS plan_title, mt.title AS meeting_title,
        a.work_area_id, wa.title AS work_area_title, a.description,
        a.owner_user_id, COALESCE(u.name, a.owner_name) AS owner_name, a.due_date, a.status, a.completion_note
     FROM actions a JOIN plans p ON p.id = a.plan_id
     LEFT JOIN meetings mt ON mt.id = a.meeting_id
     LEFT JOIN work_areas wa ON wa.id = a.work_area_id
     LEFT JOIN users u ON u.id = a.owner_user_id";

pub async fn actions_of_plan(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<ActionRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{ACTION_SELECT} WHERE a.plan_id = $1 ORDER BY a.status, a.due_date, a.created_at"
    ))
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub async fn actions_of_owner(c: &mut Conn, user_id: &str) -> StoreResult<Vec<ActionRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{ACTION_SELECT} WHERE a.owner_user_id = $1 AND p.deleted_at IS NULL ORDER BY a.status, a.due_date"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await?)
}

pub async fn action(c: &mut Conn, id: &str) -> StoreResult<Option<ActionRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{ACTION_SELECT} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// Moves an open action to `status` (done or dropped); false if it was not open.
pub async fn close_action(
    c: &mut Conn,
    id: &str,
    status: &str,
    note: &str,
    now: i64,
) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE actions SET status = $2, completion_note = $3, completed_at = $4, updated_at = $4
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(status)
    .bind(note)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn assign_action(
    c: &mut Conn,
    id: &str,
    owner_user_id: &str,
    now: i64,
) -> StoreResult<bool> {
    // A new owner gets the reminders afresh.
    let r = sqlx::query(
        "UPDATE actions SET owner_user_id = $2, updated_at = $3, reminded_soon_at = NULL, reminded_overdue_at = NULL WHERE id = $1",
    )
        .bind(id)
        .bind(owner_user_id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}
