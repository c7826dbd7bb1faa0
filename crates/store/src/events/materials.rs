//! Materials: library items linked to an event.

use super::*;

pub async fn link_material(
    c: &mut Conn,
    event_id: &str,
    item_id: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO event_materials (event_id, item_id, created_at) VALUES ($1, $2, $3)")
        .bind(event_id)
        .bind(item_id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

/// The material items' ids of an event, oldest first.
pub async fn material_ids(c: &mut Conn, event_id: &str) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT item_id FROM event_materials WHERE event_id = $1 ORDER BY created_at, item_id",
    )
    .bind(event_id)
    .fetch_all(c)
    .await?)
}

/// The event an item is material of, if any.
pub async fn event_of_item(c: &mut Conn, item_id: &str) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT event_id FROM event_materials WHERE item_id = $1 LIMIT 1")
            .bind(item_id)
            .fetch_optional(c)
            .await?,
    )
}

/// The events linked to a plan's work areas that the reader may see (drafts excluded), in the
/// shape of linked library items with kind "event".
pub async fn linked_to_plan(
    c: &mut Conn,
    reader: EventReader<'_>,
    plan_id: &str,
) -> StoreResult<Vec<crate::library::LinkedItemRow>> {
    let (all, user) = reader.binds();
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT l.work_area_id, e.id, e.title, 'event' AS kind, o.name AS organisation_name
         FROM work_area_events l JOIN work_areas w ON w.id = l.work_area_id
         JOIN events e ON e.id = l.event_id JOIN organisations o ON o.id = e.organisation_id
         WHERE w.plan_id = $3 AND e.status <> 'draft' AND {EVENT_VISIBLE}
         ORDER BY e.starts_at"
    ))
    .bind(all)
    .bind(user)
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}
