//! Areas by GSS code, and the areas a place covers (first the main one).

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AreaRow {
    pub code: String,
    pub name: String,
    pub area_type: String,
    pub parent_code: Option<String>,
    pub parent_name: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

const AREA_SELECT: &str =
    "SELECT a.code, a.name, a.area_type, a.parent_code, p.name AS parent_name,
        a.valid_from, a.valid_to
     FROM areas a LEFT JOIN areas p ON p.code = a.parent_code";

pub struct NewArea<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub area_type: &'a str,
    pub parent_code: Option<&'a str>,
    pub valid_from: Option<&'a str>,
    pub valid_to: Option<&'a str>,
}

/// Adds an area or updates its name, type, parent and dates.
pub async fn upsert_area(c: &mut Conn, a: &NewArea<'_>, now: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO areas (code, name, area_type, parent_code, valid_from, valid_to, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, area_type = excluded.area_type,
             parent_code = excluded.parent_code, valid_from = excluded.valid_from,
             valid_to = excluded.valid_to, updated_at = excluded.updated_at",
    )
    .bind(a.code)
    .bind(a.name)
    .bind(a.area_type)
    .bind(a.parent_code)
    .bind(a.valid_from)
    .bind(a.valid_to)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Adds an area only when its code is new (an import never renames a seeded area).
pub async fn insert_area_if_new(c: &mut Conn, a: &NewArea<'_>, now: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO areas (code, name, area_type, parent_code, valid_from, valid_to, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (code) DO NOTHING",
    )
    .bind(a.code)
    .bind(a.name)
    .bind(a.area_type)
    .bind(a.parent_code)
    .bind(a.valid_from)
    .bind(a.valid_to)
    .bind(now)
    .execute(c)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn areas(c: &mut Conn) -> StoreResult<Vec<AreaRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{AREA_SELECT} ORDER BY a.name, a.code"))
            .fetch_all(c)
            .await?,
    )
}

pub async fn area(c: &mut Conn, code: &str) -> StoreResult<Option<AreaRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{AREA_SELECT} WHERE a.code = $1"))
            .bind(code)
            .fetch_optional(c)
            .await?,
    )
}

/// The areas whose parent is this one.
pub async fn child_areas(c: &mut Conn, code: &str) -> StoreResult<Vec<AreaRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{AREA_SELECT} WHERE a.parent_code = $1 ORDER BY a.name"
    ))
    .bind(code)
    .fetch_all(c)
    .await?)
}

/// The areas a place covers, the main one first.
pub async fn place_areas(c: &mut Conn, place_id: &str) -> StoreResult<Vec<AreaRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{AREA_SELECT} JOIN place_areas pa ON pa.area_code = a.code
         WHERE pa.place_id = $1 ORDER BY pa.position, a.name"
    ))
    .bind(place_id)
    .fetch_all(c)
    .await?)
}

/// (place id, area code) for every place, for the place lists.
pub async fn all_place_areas(c: &mut Conn) -> StoreResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT pa.place_id, pa.area_code FROM place_areas pa
         JOIN places p ON p.id = pa.place_id WHERE p.deleted_at IS NULL
         ORDER BY pa.place_id, pa.position",
    )
    .fetch_all(c)
    .await?)
}

/// Replaces the areas a place covers.
pub async fn set_place_areas(c: &mut Conn, place_id: &str, codes: &[String]) -> StoreResult<()> {
    sqlx::query("DELETE FROM place_areas WHERE place_id = $1")
        .bind(place_id)
        .execute(&mut *c)
        .await?;
    for (i, code) in codes.iter().enumerate() {
        sqlx::query("INSERT INTO place_areas (place_id, area_code, position) VALUES ($1, $2, $3)")
            .bind(place_id)
            .bind(code.as_str())
            .bind(i as i64 + 1)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Sets an area's parent (an area an import added, once its parent exists too).
pub async fn set_area_parent(c: &mut Conn, code: &str, parent: &str) -> StoreResult<()> {
    sqlx::query("UPDATE areas SET parent_code = $2 WHERE code = $1")
        .bind(code)
        .bind(parent)
        .execute(c)
        .await?;
    Ok(())
}
