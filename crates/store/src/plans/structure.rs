//! A plan's structure: work areas (and mandates) with their leads, budget lines and
//! outcomes, and the changes a plan's managers make to a work area.

use super::*;

#[derive(Debug, Clone, Default, FromRow)]
pub struct WorkAreaRow {
    pub id: String,
    pub plan_id: String,
    pub position: i64,
    pub kind: String,
    pub title: String,
    pub why: String,
    pub progress: String,
    pub what_we_will_do: String,
    pub resources: String,
    pub when_text: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub end_open: i64,
    pub rag: Option<String>,
    pub rag_reason: String,
    pub budget_allocated_pence: i64,
    /// Money promised (orders placed, contracts signed) but not yet spent.
    pub budget_committed_pence: i64,
    pub budget_spent_pence: i64,
}

pub struct NewWorkArea<'a> {
    pub id: &'a str,
    pub plan_id: &'a str,
    pub position: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub why: &'a str,
    pub progress: &'a str,
    pub what_we_will_do: &'a str,
    pub resources: &'a str,
    pub when_text: &'a str,
    pub start_date: Option<&'a str>,
    pub end_date: Option<&'a str>,
    pub end_open: bool,
    pub now: i64,
}

pub async fn insert_work_area(c: &mut Conn, w: &NewWorkArea<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO work_areas (id, plan_id, position, kind, title, why, progress, what_we_will_do, resources,
            when_text, start_date, end_date, end_open, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
    )
    .bind(w.id)
    .bind(w.plan_id)
    .bind(w.position)
    .bind(w.kind)
    .bind(w.title)
    .bind(w.why)
    .bind(w.progress)
    .bind(w.what_we_will_do)
    .bind(w.resources)
    .bind(w.when_text)
    .bind(w.start_date)
    .bind(w.end_date)
    .bind(i64::from(w.end_open))
    .bind(w.now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn work_areas(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<WorkAreaRow>> {
    Ok(sqlx::query_as(
        "SELECT w.id, w.plan_id, w.position, w.kind, w.title, w.why, w.progress, w.what_we_will_do, w.resources,
            w.when_text, w.start_date, w.end_date, w.end_open, w.rag, w.rag_reason,
            CAST(COALESCE((SELECT SUM(b.amount_pence) FROM budget_lines b WHERE b.work_area_id = w.id), 0) AS BIGINT) AS budget_allocated_pence,
            w.budget_committed_pence, w.budget_spent_pence
         FROM work_areas w WHERE w.plan_id = $1 AND w.deleted_at IS NULL ORDER BY w.position",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub async fn insert_lead(
    c: &mut Conn,
    id: &str,
    work_area_id: &str,
    user_id: Option<&str>,
    name: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO work_area_leads (id, work_area_id, user_id, name) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(work_area_id)
    .bind(user_id)
    .bind(name)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct LeadRow {
    pub work_area_id: String,
    pub user_id: Option<String>,
    pub name: String,
}

pub async fn leads(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<LeadRow>> {
    Ok(sqlx::query_as(
        "SELECT l.work_area_id, l.user_id, l.name FROM work_area_leads l
         JOIN work_areas w ON w.id = l.work_area_id WHERE w.plan_id = $1 ORDER BY l.name",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub async fn insert_budget_line(
    c: &mut Conn,
    id: &str,
    work_area_id: &str,
    label: &str,
    amount_pence: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO budget_lines (id, work_area_id, label, amount_pence) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(work_area_id)
    .bind(label)
    .bind(amount_pence)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct BudgetLineRow {
    pub work_area_id: String,
    pub label: String,
    pub amount_pence: i64,
}

pub async fn budget_lines(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<BudgetLineRow>> {
    Ok(sqlx::query_as(
        "SELECT b.work_area_id, b.label, b.amount_pence FROM budget_lines b
         JOIN work_areas w ON w.id = b.work_area_id WHERE w.plan_id = $1 ORDER BY b.id",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub async fn insert_outcome(
    c: &mut Conn,
    id: &str,
    work_area_id: &str,
    position: i64,
    text: &str,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO outcomes (id, work_area_id, position, text) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(work_area_id)
        .bind(position)
        .bind(text)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct OutcomeRow {
    pub id: String,
    pub work_area_id: String,
    pub text: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub current_value: String,
}

pub async fn outcomes(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<OutcomeRow>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.work_area_id, o.text, o.indicator, o.baseline, o.target, o.current_value FROM outcomes o
         JOIN work_areas w ON w.id = o.work_area_id WHERE w.plan_id = $1 ORDER BY w.position, o.position",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub struct WorkAreaChange<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub why: &'a str,
    pub what_we_will_do: &'a str,
    pub start_date: Option<&'a str>,
    pub end_date: Option<&'a str>,
    pub committed_pence: i64,
    pub now: i64,
}

/// Changes a work area's text and dates and replaces its leads and budget lines.
pub async fn update_work_area(
    c: &mut Conn,
    w: &WorkAreaChange<'_>,
    leads: &[(String, Option<String>, String)],
    budget: &[(String, String, i64)],
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE work_areas SET title = $2, why = $3, what_we_will_do = $4, start_date = $5, end_date = $6,
            end_open = $7, updated_at = $8, budget_committed_pence = $9 WHERE id = $1",
    )
    .bind(w.id)
    .bind(w.title)
    .bind(w.why)
    .bind(w.what_we_will_do)
    .bind(w.start_date)
    .bind(w.end_date)
    .bind(i64::from(w.start_date.is_some() && w.end_date.is_none()))
    .bind(w.now)
    .bind(w.committed_pence)
    .execute(&mut *c)
    .await?;
    sqlx::query("DELETE FROM work_area_leads WHERE work_area_id = $1")
        .bind(w.id)
        .execute(&mut *c)
        .await?;
    for (id, user_id, name) in leads {
        insert_lead(c, id, w.id, user_id.as_deref(), name).await?;
    }
    sqlx::query("DELETE FROM budget_lines WHERE work_area_id = $1")
        .bind(w.id)
        .execute(&mut *c)
        .await?;
    for (id, label, pence) in budget {
        insert_budget_line(c, id, w.id, label, *pence).await?;
    }
    Ok(())
}
