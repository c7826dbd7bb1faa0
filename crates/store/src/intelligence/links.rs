//! What ties learning to indicators: library items and evidence records that address an
//! indicator, and a work area's outcome that follows one indicator for one area.

use super::*;

/// (indicator id, name) of the indicators an item addresses.
pub async fn item_indicators(c: &mut Conn, item_id: &str) -> StoreResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.name FROM item_indicators l JOIN indicators i ON i.id = l.indicator_id
         WHERE l.item_id = $1 ORDER BY i.name",
    )
    .bind(item_id)
    .fetch_all(c)
    .await?)
}

pub async fn set_item_indicators(c: &mut Conn, item_id: &str, ids: &[String]) -> StoreResult<()> {
    sqlx::query("DELETE FROM item_indicators WHERE item_id = $1")
        .bind(item_id)
        .execute(&mut *c)
        .await?;
    for id in ids {
        sqlx::query("INSERT INTO item_indicators (item_id, indicator_id) VALUES ($1, $2)")
            .bind(item_id)
            .bind(id.as_str())
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Ids of the items tagged with an indicator (the caller checks who may see each).
pub async fn indicator_item_ids(c: &mut Conn, indicator_id: &str) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT item_id FROM item_indicators WHERE indicator_id = $1 ORDER BY item_id",
    )
    .bind(indicator_id)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn evidence_indicators(
    c: &mut Conn,
    evidence_id: &str,
) -> StoreResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.name FROM evidence_indicators l JOIN indicators i ON i.id = l.indicator_id
         WHERE l.evidence_id = $1 ORDER BY i.name",
    )
    .bind(evidence_id)
    .fetch_all(c)
    .await?)
}

pub async fn set_evidence_indicators(
    c: &mut Conn,
    evidence_id: &str,
    ids: &[String],
) -> StoreResult<()> {
    sqlx::query("DELETE FROM evidence_indicators WHERE evidence_id = $1")
        .bind(evidence_id)
        .execute(&mut *c)
        .await?;
    for id in ids {
        sqlx::query("INSERT INTO evidence_indicators (evidence_id, indicator_id) VALUES ($1, $2)")
            .bind(evidence_id)
            .bind(id.as_str())
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn indicator_evidence_ids(c: &mut Conn, indicator_id: &str) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT evidence_id FROM evidence_indicators WHERE indicator_id = $1 ORDER BY evidence_id",
    )
    .bind(indicator_id)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct OutcomeFigureRow {
    pub outcome_id: String,
    pub work_area_id: String,
    pub indicator_id: String,
    pub indicator_name: String,
    pub source: String,
    pub source_id: String,
    pub unit: String,
    pub polarity: String,
    pub area_code: String,
    pub area_name: String,
    pub baseline_period: Option<String>,
    pub target: Option<f64>,
    pub target_year: Option<i64>,
}

const OUTCOME_FIGURE_SELECT: &str = "SELECT f.outcome_id, o.work_area_id, f.indicator_id,
        i.name AS indicator_name, i.source, i.source_id, i.unit, i.polarity, f.area_code,
        a.name AS area_name, f.baseline_period, f.target, f.target_year
     FROM outcome_figures f JOIN outcomes o ON o.id = f.outcome_id
     JOIN indicators i ON i.id = f.indicator_id JOIN areas a ON a.code = f.area_code";

pub async fn plan_outcome_figures(
    c: &mut Conn,
    plan_id: &str,
) -> StoreResult<Vec<OutcomeFigureRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{OUTCOME_FIGURE_SELECT} JOIN work_areas wa ON wa.id = o.work_area_id
         WHERE wa.plan_id = $1 ORDER BY o.work_area_id, o.position"
    ))
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

pub struct NewOutcomeFigure<'a> {
    pub outcome_id: &'a str,
    pub indicator_id: &'a str,
    pub area_code: &'a str,
    pub baseline_period: Option<&'a str>,
    pub target: Option<f64>,
    pub target_year: Option<i64>,
    pub updated_by: &'a str,
}

pub async fn set_outcome_figure(
    c: &mut Conn,
    f: &NewOutcomeFigure<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO outcome_figures (outcome_id, indicator_id, area_code, baseline_period,
             target, target_year, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (outcome_id) DO UPDATE SET indicator_id = excluded.indicator_id,
             area_code = excluded.area_code, baseline_period = excluded.baseline_period,
             target = excluded.target, target_year = excluded.target_year,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(f.outcome_id)
    .bind(f.indicator_id)
    .bind(f.area_code)
    .bind(f.baseline_period)
    .bind(f.target)
    .bind(f.target_year)
    .bind(f.updated_by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn remove_outcome_figure(c: &mut Conn, outcome_id: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM outcome_figures WHERE outcome_id = $1")
        .bind(outcome_id)
        .execute(c)
        .await?;
    Ok(done.rows_affected() > 0)
}
