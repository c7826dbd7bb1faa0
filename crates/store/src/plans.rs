//! Delivery plans: plans, work areas (and mandates) with their leads, budget lines and
//! outcomes; meetings and the actions they raise; progress updates.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, FromRow)]
pub struct PlanRow {
    pub id: String,
    pub title: String,
    pub owner_organisation_id: Option<String>,
    pub owner_organisation: Option<String>,
    pub cluster: String,
    pub lead_applicant: String,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub status: String,
    pub visibility: String,
    pub created_at: i64,
}

const PLAN_SELECT: &str = "SELECT p.id, p.title, p.owner_organisation_id, o.name AS owner_organisation,
        p.cluster, p.lead_applicant, p.period_start, p.period_end, p.status, p.visibility, p.created_at
     FROM plans p LEFT JOIN organisations o ON o.id = p.owner_organisation_id";

/// Who may see which plans: everyone sees public ones, signed-in partners network ones, and
/// members of the owning organisation (or network admins) organisation-only ones. The rule
/// lives in the query, so lists and counts never include what the reader may not see.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    pub user_id: Option<&'a str>,
    pub sees_everything: bool,
}

const VISIBLE: &str = "p.deleted_at IS NULL AND (CAST($1 AS BIGINT) = 1 OR p.visibility = 'public'
        OR ($2 <> '' AND p.visibility = 'network')
        OR (p.visibility = 'organisation' AND p.owner_organisation_id IN
            (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $2 AND m.status = 'active')))";

fn reader_binds(r: &Reader<'_>) -> (i64, String) {
    (
        i64::from(r.sees_everything),
        r.user_id.unwrap_or_default().to_string(),
    )
}

pub struct NewPlan<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub owner_organisation_id: Option<&'a str>,
    pub cluster: &'a str,
    pub lead_applicant: &'a str,
    pub period_start: Option<&'a str>,
    pub period_end: Option<&'a str>,
    pub status: &'a str,
    pub visibility: &'a str,
    pub created_by: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_plan(c: &mut Conn, p: &NewPlan<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO plans (id, title, owner_organisation_id, cluster, lead_applicant, period_start, period_end,
            status, visibility, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(p.id)
    .bind(p.title)
    .bind(p.owner_organisation_id)
    .bind(p.cluster)
    .bind(p.lead_applicant)
    .bind(p.period_start)
    .bind(p.period_end)
    .bind(p.status)
    .bind(p.visibility)
    .bind(p.created_by)
    .bind(p.now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn plans(c: &mut Conn, reader: &Reader<'_>) -> StoreResult<Vec<PlanRow>> {
    let (all, user) = reader_binds(reader);
    Ok(sqlx::query_as(trusted_sql!(
        "{PLAN_SELECT} WHERE {VISIBLE} ORDER BY p.created_at DESC"
    ))
    .bind(all)
    .bind(user)
    .fetch_all(c)
    .await?)
}

pub async fn plan(c: &mut Conn, reader: &Reader<'_>, id: &str) -> StoreResult<Option<PlanRow>> {
    let (all, user) = reader_binds(reader);
    Ok(
        sqlx::query_as(trusted_sql!("{PLAN_SELECT} WHERE {VISIBLE} AND p.id = $3"))
            .bind(all)
            .bind(user)
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

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
    pub description: String,
    pub owner_user_id: Option<String>,
    pub owner_name: String,
    pub due_date: Option<String>,
    pub status: String,
    pub completion_note: String,
}

const ACTION_SELECT: &str = "SELECT a.id, a.plan_id, p.title AS plan_title, mt.title AS meeting_title, a.description,
        a.owner_user_id, COALESCE(u.name, a.owner_name) AS owner_name, a.due_date, a.status, a.completion_note
     FROM actions a JOIN plans p ON p.id = a.plan_id
     LEFT JOIN meetings mt ON mt.id = a.meeting_id
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

pub struct NewUpdate<'a> {
    pub id: &'a str,
    pub work_area_id: &'a str,
    pub author_id: &'a str,
    pub posted_on: &'a str,
    pub body: &'a str,
    pub rag: &'a str,
    pub spent_pence: Option<i64>,
    pub now: i64,
}

/// Records a progress update and moves the work area's RAG (and spend to date, if given).
pub async fn insert_update(c: &mut Conn, u: &NewUpdate<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO work_area_updates (id, work_area_id, author_id, posted_on, body, rag, spent_pence, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(u.id)
    .bind(u.work_area_id)
    .bind(u.author_id)
    .bind(u.posted_on)
    .bind(u.body)
    .bind(u.rag)
    .bind(u.spent_pence)
    .bind(u.now)
    .execute(&mut *c)
    .await?;
    let reason: String = u.body.chars().take(300).collect();
    sqlx::query(
        "UPDATE work_areas SET rag = $2, rag_reason = $3, updated_at = $4,
            budget_spent_pence = COALESCE($5, budget_spent_pence)
         WHERE id = $1",
    )
    .bind(u.work_area_id)
    .bind(u.rag)
    .bind(reason)
    .bind(u.now)
    .bind(u.spent_pence)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct UpdateRow {
    pub work_area_id: String,
    pub author: Option<String>,
    pub posted_on: String,
    pub body: String,
    pub rag: Option<String>,
    pub spent_pence: Option<i64>,
}

/// Every update of a plan's work areas, newest first: each work area's timeline.
pub async fn updates(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<UpdateRow>> {
    Ok(sqlx::query_as(
        "SELECT u.work_area_id, a.name AS author, u.posted_on, u.body, u.rag, u.spent_pence
         FROM work_area_updates u JOIN work_areas w ON w.id = u.work_area_id
         LEFT JOIN users a ON a.id = u.author_id
         WHERE w.plan_id = $1 ORDER BY u.posted_on DESC, u.created_at DESC",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub async fn work_area(c: &mut Conn, id: &str) -> StoreResult<Option<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, plan_id FROM work_areas WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// True when `user_id` is named as an accountable lead of the work area.
pub async fn is_lead(c: &mut Conn, work_area_id: &str, user_id: &str) -> StoreResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM work_area_leads WHERE work_area_id = $1 AND user_id = $2",
    )
    .bind(work_area_id)
    .bind(user_id)
    .fetch_one(c)
    .await?;
    Ok(n > 0)
}

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

/// What a work area links to as delivering or showing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linked {
    /// A library item (`work_area_links`).
    Item,
    /// An event (`work_area_events`).
    Event,
}

impl Linked {
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            Linked::Item => ("work_area_links", "item_id"),
            Linked::Event => ("work_area_events", "event_id"),
        }
    }
}

/// Links a work area to an item or event; false when the link was already there.
pub async fn link(
    c: &mut Conn,
    what: Linked,
    work_area_id: &str,
    target_id: &str,
    by: &str,
    now: i64,
) -> StoreResult<bool> {
    let (table, column) = what.table_and_column();
    let r = sqlx::query(trusted_sql!(
        "INSERT INTO {table} (work_area_id, {column}, created_by, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING"
    ))
    .bind(work_area_id)
    .bind(target_id)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Removes a link; false when there was none.
pub async fn unlink(
    c: &mut Conn,
    what: Linked,
    work_area_id: &str,
    target_id: &str,
) -> StoreResult<bool> {
    let (table, column) = what.table_and_column();
    let r = sqlx::query(trusted_sql!(
        "DELETE FROM {table} WHERE work_area_id = $1 AND {column} = $2"
    ))
    .bind(work_area_id)
    .bind(target_id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}
