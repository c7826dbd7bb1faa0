//! Indicator definitions, one per (source, source id).

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct IndicatorRow {
    pub id: String,
    pub source: String,
    pub source_id: String,
    pub name: String,
    pub unit: String,
    pub polarity: String,
    pub age: String,
    pub licence: String,
    pub attribution: String,
    pub definition_url: String,
    pub key_indicator: i64,
    pub observations: i64,
    pub latest_period: Option<String>,
    pub updated_at: i64,
}

const INDICATOR_SELECT: &str = "SELECT i.id, i.source, i.source_id, i.name, i.unit, i.polarity,
        i.age, i.licence, i.attribution, i.definition_url, i.key_indicator,
        i.observation_count AS observations, i.latest_period, i.updated_at
     FROM indicators i";

pub struct NewIndicator<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub source_id: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub polarity: &'a str,
    pub age: &'a str,
    pub licence: &'a str,
    pub attribution: &'a str,
    pub definition_url: &'a str,
    pub key_indicator: bool,
}

/// Adds an indicator, or fills in what an existing one lacks (an import never overwrites a
/// name, unit or polarity a person set); returns the indicator's id.
pub async fn upsert_indicator(c: &mut Conn, i: &NewIndicator<'_>, now: i64) -> StoreResult<String> {
    let existing: Option<(String,)> =
        sqlx::query_as("SELECT id FROM indicators WHERE source = $1 AND source_id = $2")
            .bind(i.source)
            .bind(i.source_id)
            .fetch_optional(&mut *c)
            .await?;
    if let Some((id,)) = existing {
        sqlx::query(
            "UPDATE indicators SET
                unit = CASE WHEN unit = '' THEN $2 ELSE unit END,
                polarity = CASE WHEN polarity = 'no_judgement' THEN $3 ELSE polarity END,
                age = CASE WHEN age = '' THEN $4 ELSE age END,
                licence = CASE WHEN licence = '' THEN $5 ELSE licence END,
                attribution = CASE WHEN attribution = '' THEN $6 ELSE attribution END,
                definition_url = CASE WHEN definition_url = '' THEN $7 ELSE definition_url END,
                updated_at = $8
             WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(i.unit)
        .bind(i.polarity)
        .bind(i.age)
        .bind(i.licence)
        .bind(i.attribution)
        .bind(i.definition_url)
        .bind(now)
        .execute(&mut *c)
        .await?;
        return Ok(id);
    }
    sqlx::query(
        "INSERT INTO indicators (id, source, source_id, name, unit, polarity, age, licence,
             attribution, definition_url, key_indicator, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(i.id)
    .bind(i.source)
    .bind(i.source_id)
    .bind(i.name)
    .bind(i.unit)
    .bind(i.polarity)
    .bind(i.age)
    .bind(i.licence)
    .bind(i.attribution)
    .bind(i.definition_url)
    .bind(i64::from(i.key_indicator))
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(i.id.to_string())
}

pub async fn indicators(c: &mut Conn) -> StoreResult<Vec<IndicatorRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{INDICATOR_SELECT} ORDER BY i.key_indicator DESC, i.name, i.id"
    ))
    .fetch_all(c)
    .await?)
}

pub async fn indicator(c: &mut Conn, id: &str) -> StoreResult<Option<IndicatorRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{INDICATOR_SELECT} WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// Finds an indicator by its id or its source id (e.g. "93015").
pub async fn indicator_by_any_id(c: &mut Conn, id: &str) -> StoreResult<Option<IndicatorRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{INDICATOR_SELECT} WHERE i.id = $1 OR i.source_id = $1 ORDER BY i.source LIMIT 1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?)
}

/// What a person may change about an indicator after import.
pub async fn update_indicator(
    c: &mut Conn,
    id: &str,
    unit: &str,
    polarity: &str,
    key_indicator: bool,
    now: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE indicators SET unit = $2, polarity = $3, key_indicator = $4, updated_at = $5
         WHERE id = $1",
    )
    .bind(id)
    .bind(unit)
    .bind(polarity)
    .bind(i64::from(key_indicator))
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Recounts an indicator's observations and its latest period (after an import).
pub async fn refresh_indicator_summary(c: &mut Conn, id: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE indicators SET
            observation_count = (SELECT COUNT(*) FROM observations o WHERE o.indicator_id = $1),
            latest_period = (SELECT o.period FROM observations o WHERE o.indicator_id = $1
                ORDER BY o.period_end DESC, o.period_start DESC LIMIT 1)
         WHERE id = $1",
    )
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}
