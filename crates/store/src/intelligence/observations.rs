//! Observations: one value per indicator, area, period, sex and age. Saved in batches (an
//! import of 100,000 rows is a few hundred statements, not 100,000); a replaced value is
//! copied into `observation_history` first.

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ObservationRow {
    pub id: String,
    pub indicator_id: String,
    pub area_code: String,
    pub area_name: String,
    pub area_type: String,
    pub parent_code: Option<String>,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    pub sex: String,
    pub age: String,
    pub value: Option<f64>,
    pub lower_ci95: Option<f64>,
    pub upper_ci95: Option<f64>,
    pub count: Option<f64>,
    pub denominator: Option<f64>,
    pub note: Option<String>,
    pub compared_to_england: Option<String>,
    pub illustrative: i64,
    pub source_file: String,
    pub source_row: i64,
    pub retrieved_at: i64,
}

const OBSERVATION_SELECT: &str = "SELECT o.id, o.indicator_id, o.area_code, a.name AS area_name,
        a.area_type, a.parent_code, o.period, o.period_start, o.period_end, o.sex, o.age,
        o.value, o.lower_ci95, o.upper_ci95, o.count, o.denominator, o.note,
        o.compared_to_england, o.illustrative, o.source_file, o.source_row, o.retrieved_at
     FROM observations o JOIN areas a ON a.code = o.area_code";

/// What an import compares a new row with.
#[derive(Debug, Clone, FromRow)]
pub struct StoredValue {
    pub id: String,
    pub indicator_id: String,
    pub area_code: String,
    pub period: String,
    pub sex: String,
    pub age: String,
    pub value: Option<f64>,
    pub lower_ci95: Option<f64>,
    pub upper_ci95: Option<f64>,
    pub count: Option<f64>,
    pub denominator: Option<f64>,
    pub note: Option<String>,
}

pub async fn stored_values(c: &mut Conn, indicator_id: &str) -> StoreResult<Vec<StoredValue>> {
    Ok(sqlx::query_as(
        "SELECT id, indicator_id, area_code, period, sex, age, value, lower_ci95, upper_ci95,
             count, denominator, note
         FROM observations WHERE indicator_id = $1",
    )
    .bind(indicator_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone)]
pub struct NewObservation {
    pub id: String,
    pub indicator_id: String,
    pub area_code: String,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    pub sex: String,
    pub age: String,
    pub value: Option<f64>,
    pub lower_ci95: Option<f64>,
    pub upper_ci95: Option<f64>,
    pub count: Option<f64>,
    pub denominator: Option<f64>,
    pub note: Option<String>,
    pub compared_to_england: Option<String>,
    pub illustrative: bool,
    pub source_file: String,
    pub source_row: i64,
    pub retrieved_at: i64,
    pub import_id: Option<String>,
}

const OBSERVATION_COLUMNS: [&str; 21] = [
    "id",
    "indicator_id",
    "area_code",
    "period",
    "period_start",
    "period_end",
    "sex",
    "age",
    "value",
    "lower_ci95",
    "upper_ci95",
    "count",
    "denominator",
    "note",
    "compared_to_england",
    "illustrative",
    "source_file",
    "source_row",
    "retrieved_at",
    "import_id",
    "updated_at",
];

/// Rows per statement (21 parameters each). Small on purpose: sqlx's SQLite driver looks up
/// each parameter's name as it binds it, a cost that grows with the number of parameters in
/// the statement (perf: 65% of an import of 100,000 rows in `sqlite3_bind_parameter_name` at
/// 200 rows a statement); 24 rows (504 parameters) keeps that small and the statements few.
const BATCH: usize = 24;

/// Inserts new observations, `BATCH` rows per statement.
pub async fn insert_observations(
    c: &mut Conn,
    rows: &[NewObservation],
    now: i64,
) -> StoreResult<()> {
    for chunk in rows.chunks(BATCH) {
        let width = OBSERVATION_COLUMNS.len();
        let tuples: Vec<String> = (0..chunk.len())
            .map(|r| {
                let places: Vec<String> =
                    (1..=width).map(|k| format!("${}", r * width + k)).collect();
                format!("({})", places.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO observations ({}) VALUES {}",
            OBSERVATION_COLUMNS.join(", "),
            tuples.join(", ")
        );
        // The SQL is made from the constant column list and numbered placeholders only.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for o in chunk {
            q = q
                .bind(o.id.as_str())
                .bind(o.indicator_id.as_str())
                .bind(o.area_code.as_str())
                .bind(o.period.as_str())
                .bind(o.period_start.as_str())
                .bind(o.period_end.as_str())
                .bind(o.sex.as_str())
                .bind(o.age.as_str())
                .bind(o.value)
                .bind(o.lower_ci95)
                .bind(o.upper_ci95)
                .bind(o.count)
                .bind(o.denominator)
                .bind(o.note.as_deref())
                .bind(o.compared_to_england.as_deref())
                .bind(i64::from(o.illustrative))
                .bind(o.source_file.as_str())
                .bind(o.source_row)
                .bind(o.retrieved_at)
                .bind(o.import_id.as_deref())
                .bind(now);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// Replaces a stored observation's values with a newer vintage's, keeping the old ones in
/// `observation_history`.
pub async fn replace_observation(
    c: &mut Conn,
    id: &str,
    history_id: &str,
    o: &NewObservation,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO observation_history (id, observation_id, value, lower_ci95, upper_ci95,
             count, denominator, note, source_file, source_row, retrieved_at, replaced_at,
             replaced_by_import)
         SELECT $1, id, value, lower_ci95, upper_ci95, count, denominator, note, source_file,
             source_row, retrieved_at, $2, $3
         FROM observations WHERE id = $4",
    )
    .bind(history_id)
    .bind(now)
    .bind(o.import_id.as_deref())
    .bind(id)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "UPDATE observations SET value = $2, lower_ci95 = $3, upper_ci95 = $4, count = $5,
             denominator = $6, note = $7, compared_to_england = $8, illustrative = $9,
             source_file = $10, source_row = $11, retrieved_at = $12, import_id = $13,
             period_start = $14, period_end = $15, updated_at = $16
         WHERE id = $1",
    )
    .bind(id)
    .bind(o.value)
    .bind(o.lower_ci95)
    .bind(o.upper_ci95)
    .bind(o.count)
    .bind(o.denominator)
    .bind(o.note.as_deref())
    .bind(o.compared_to_england.as_deref())
    .bind(i64::from(o.illustrative))
    .bind(o.source_file.as_str())
    .bind(o.source_row)
    .bind(o.retrieved_at)
    .bind(o.import_id.as_deref())
    .bind(o.period_start.as_str())
    .bind(o.period_end.as_str())
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Which observations to read. Empty lists mean "all".
#[derive(Debug, Clone, Default)]
pub struct ObservationFilter {
    pub indicator_id: String,
    pub area_codes: Vec<String>,
    pub period: Option<String>,
    pub sex: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Observations of one indicator, oldest period first, then by area name.
pub async fn observations(c: &mut Conn, f: &ObservationFilter) -> StoreResult<Vec<ObservationRow>> {
    let mut sql = format!("{OBSERVATION_SELECT} WHERE o.indicator_id = $1");
    let mut n = 1;
    if !f.area_codes.is_empty() {
        let places: Vec<String> = f
            .area_codes
            .iter()
            .map(|_| {
                n += 1;
                format!("${n}")
            })
            .collect();
        sql.push_str(&format!(" AND o.area_code IN ({})", places.join(", ")));
    }
    if f.period.is_some() {
        n += 1;
        sql.push_str(&format!(" AND o.period = ${n}"));
    }
    if f.sex.is_some() {
        n += 1;
        sql.push_str(&format!(" AND o.sex = ${n}"));
    }
    sql.push_str(&format!(
        " ORDER BY o.period_start, o.period_end, a.name, o.sex, o.age, o.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    ));
    // Only placeholders were added to the constant SELECT above.
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(f.indicator_id.as_str());
    for code in &f.area_codes {
        q = q.bind(code.as_str());
    }
    if let Some(p) = &f.period {
        q = q.bind(p.as_str());
    }
    if let Some(s) = &f.sex {
        q = q.bind(s.as_str());
    }
    Ok(q.bind(f.limit).bind(f.offset).fetch_all(c).await?)
}

/// The periods an indicator has values for, newest first: (label, start, end).
pub async fn periods(
    c: &mut Conn,
    indicator_id: &str,
) -> StoreResult<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT period, MIN(period_start), MAX(period_end) FROM observations
         WHERE indicator_id = $1 GROUP BY period ORDER BY MAX(period_end) DESC, MIN(period_start) DESC",
    )
    .bind(indicator_id)
    .fetch_all(c)
    .await?)
}

/// The observations for one area across every indicator (a place's spine), newest first.
pub async fn area_observations(c: &mut Conn, area_code: &str) -> StoreResult<Vec<ObservationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{OBSERVATION_SELECT} WHERE o.area_code = $1
         ORDER BY o.indicator_id, o.period_end DESC, o.period_start DESC"
    ))
    .bind(area_code)
    .fetch_all(c)
    .await?)
}

/// Replaced values of one observation, newest first: (value, source file, retrieved, replaced).
pub async fn observation_history(
    c: &mut Conn,
    observation_id: &str,
) -> StoreResult<Vec<(Option<f64>, String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT value, source_file, retrieved_at, replaced_at FROM observation_history
         WHERE observation_id = $1 ORDER BY replaced_at DESC, id DESC",
    )
    .bind(observation_id)
    .fetch_all(c)
    .await?)
}
