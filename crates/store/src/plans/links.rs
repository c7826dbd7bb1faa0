//! What a work area links to as delivering or showing it.

use super::*;

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
