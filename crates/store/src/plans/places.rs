//! The places that deliver a work area (`work_area_places`), and the work each place
//! delivers, as far as the reader may see its plan.

use super::*;

/// A delivering place of a work area of the plan.
#[derive(Debug, Clone, FromRow)]
pub struct WorkAreaPlaceRow {
    pub work_area_id: String,
    pub place_id: String,
    pub place_slug: String,
    pub place_name: String,
}

/// Every delivering place of the plan's work areas, by work area then place name.
pub async fn work_area_places(c: &mut Conn, plan_id: &str) -> StoreResult<Vec<WorkAreaPlaceRow>> {
    Ok(sqlx::query_as(
        "SELECT wp.work_area_id, pl.id AS place_id, pl.slug AS place_slug, pl.name AS place_name
         FROM work_area_places wp
         JOIN work_areas w ON w.id = wp.work_area_id
         JOIN places pl ON pl.id = wp.place_id AND pl.deleted_at IS NULL
         WHERE w.plan_id = $1 ORDER BY wp.work_area_id, pl.name",
    )
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

/// The ids of the places that deliver one work area.
pub async fn places_of_work_area(c: &mut Conn, work_area_id: &str) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT wp.place_id FROM work_area_places wp
         JOIN places pl ON pl.id = wp.place_id AND pl.deleted_at IS NULL
         WHERE wp.work_area_id = $1",
    )
    .bind(work_area_id)
    .fetch_all(c)
    .await?)
}

/// Replaces the places that deliver a work area.
pub async fn set_work_area_places(
    c: &mut Conn,
    work_area_id: &str,
    place_ids: &[String],
    now: i64,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM work_area_places WHERE work_area_id = $1")
        .bind(work_area_id)
        .execute(&mut *c)
        .await?;
    for place_id in place_ids {
        sqlx::query(
            "INSERT INTO work_area_places (work_area_id, place_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(work_area_id)
        .bind(place_id)
        .bind(now)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// A work area a place delivers, with its plan and its latest status.
#[derive(Debug, Clone, FromRow)]
pub struct DeliveredRow {
    pub work_area_id: String,
    pub work_area_title: String,
    pub plan_id: String,
    pub plan_title: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub rag: Option<String>,
}

/// The work areas a place delivers, in plans the reader may see.
pub async fn delivered_by_place(
    c: &mut Conn,
    reader: &Reader<'_>,
    place_id: &str,
) -> StoreResult<Vec<DeliveredRow>> {
    let (all, user) = super::plan::reader_binds(reader);
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT w.id AS work_area_id, w.title AS work_area_title, p.id AS plan_id, p.title AS plan_title,
                w.start_date, w.end_date, w.rag
         FROM work_area_places wp
         JOIN work_areas w ON w.id = wp.work_area_id
         JOIN plans p ON p.id = w.plan_id
         WHERE wp.place_id = $3 AND w.deleted_at IS NULL AND {} ORDER BY p.title, w.position",
        super::plan::VISIBLE
    ))
    .bind(all)
    .bind(user)
    .bind(place_id)
    .fetch_all(c)
    .await?)
}
