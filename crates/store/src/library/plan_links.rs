//! Learning linked to delivery-plan work areas.

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct LinkedItemRow {
    pub work_area_id: String,
    pub id: String,
    pub title: String,
    pub kind: String,
    pub organisation_name: String,
}

/// The published items linked to a plan's work areas that the reader may read: a plan
/// visible to the whole network can link an item only its organisation sees.
pub async fn linked_to_plan(
    c: &mut Conn,
    reader: &Reader<'_>,
    plan_id: &str,
) -> StoreResult<Vec<LinkedItemRow>> {
    let (all, user, lead) = binds(reader);
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT l.work_area_id, i.id, i.title, i.kind, o.name AS organisation_name
         FROM work_area_links l JOIN work_areas w ON w.id = l.work_area_id
         JOIN items i ON i.id = l.item_id JOIN organisations o ON o.id = i.organisation_id
         WHERE w.plan_id = $4 AND CAST($3 AS BIGINT) >= 0 AND {PUBLISHED_VISIBLE}
         ORDER BY LOWER(i.title)"
    ))
    .bind(all)
    .bind(user)
    .bind(lead)
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}

/// The newest live item with exactly this title (demo data links to its own items by title).
pub async fn item_id_by_title(c: &mut Conn, title: &str) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM items WHERE title = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 1",
    )
    .bind(title)
    .fetch_optional(c)
    .await?)
}
