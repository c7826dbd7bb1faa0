//! Milestones and the indicators that track outcomes.

use super::*;

pub async fn insert_milestone(
    c: &mut Conn,
    id: &str,
    work_area_id: &str,
    title: &str,
    due_date: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO milestones (id, work_area_id, title, due_date, status, created_at) VALUES ($1, $2, $3, $4, 'planned', $5)")
        .bind(id)
        .bind(work_area_id)
        .bind(title)
        .bind(due_date)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct MilestoneRow {
    pub id: String,
    pub work_area_id: String,
    pub plan_id: String,
    pub title: String,
    pub due_date: Option<String>,
    pub status: String,
}

pub async fn milestones(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<MilestoneRow>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.work_area_id, w.plan_id, m.title, m.due_date, m.status FROM milestones m
         JOIN work_areas w ON w.id = m.work_area_id WHERE w.plan_id = $1 ORDER BY m.due_date, m.created_at",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub async fn milestone(c: &mut Conn, id: &str) -> StoreResult<Option<MilestoneRow>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.work_area_id, w.plan_id, m.title, m.due_date, m.status FROM milestones m
         JOIN work_areas w ON w.id = m.work_area_id WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub async fn set_milestone_status(c: &mut Conn, id: &str, status: &str) -> StoreResult<()> {
    sqlx::query("UPDATE milestones SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(c)
        .await?;
    Ok(())
}

/// The work area an outcome belongs to.
pub async fn outcome_work_area(c: &mut Conn, id: &str) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT work_area_id FROM outcomes WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn set_indicator(
    c: &mut Conn,
    id: &str,
    indicator: &str,
    baseline: &str,
    target: &str,
    current: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE outcomes SET indicator = $2, baseline = $3, target = $4, current_value = $5 WHERE id = $1")
        .bind(id)
        .bind(indicator)
        .bind(baseline)
        .bind(target)
        .bind(current)
        .execute(c)
        .await?;
    Ok(())
}
