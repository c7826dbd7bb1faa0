//! Plans and who may read them.

use super::*;

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

pub(super) const VISIBLE: &str = "p.deleted_at IS NULL AND (CAST($1 AS BIGINT) = 1 OR p.visibility = 'public'
        OR ($2 <> '' AND p.visibility = 'network')
        OR (p.visibility = 'organisation' AND p.owner_organisation_id IN
            (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $2 AND m.status = 'active')))";

pub(super) fn reader_binds(r: &Reader<'_>) -> (i64, String) {
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
