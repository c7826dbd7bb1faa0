//! Share links: a read-only link to one collection's pack. Only the token's SHA-256 is
//! stored; a view adds one to a count and keeps nothing about the viewer.

use super::*;
use crate::columns::Columns;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ShareLinkRow {
    pub id: String,
    pub collection_id: String,
    pub label: String,
    pub created_by_name: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub views: i64,
    pub last_viewed_at: Option<i64>,
}

const SHARE_SELECT: &str = "SELECT s.id, s.collection_id, s.label, u.name AS created_by_name,
        s.created_at, s.expires_at, s.revoked_at, s.views, s.last_viewed_at
     FROM share_links s JOIN users u ON u.id = s.created_by";

#[allow(clippy::too_many_arguments)]
pub async fn insert_share_link(
    c: &mut Conn,
    id: &str,
    collection_id: &str,
    token_hash: &str,
    label: &str,
    created_by: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    Columns::new(id)
        .set("collection_id", collection_id)
        .set("token_hash", token_hash)
        .set("label", label)
        .set("created_by", created_by)
        .set("created_at", now)
        .set("expires_at", expires_at)
        .insert("share_links")
        .execute(c)
        .await?;
    Ok(())
}

pub async fn share_links(c: &mut Conn, collection_id: &str) -> StoreResult<Vec<ShareLinkRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{SHARE_SELECT} WHERE s.collection_id = $1 ORDER BY s.created_at DESC, s.id"
    ))
    .bind(collection_id)
    .fetch_all(c)
    .await?)
}

pub async fn share_link_by_hash(
    c: &mut Conn,
    token_hash: &str,
) -> StoreResult<Option<ShareLinkRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{SHARE_SELECT} WHERE s.token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(c)
            .await?,
    )
}

/// Revokes a live link of this collection; false when there was none to revoke.
pub async fn revoke_share_link(
    c: &mut Conn,
    collection_id: &str,
    id: &str,
    by: &str,
    now: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE share_links SET revoked_at = $1, revoked_by = $2
         WHERE id = $3 AND collection_id = $4 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .bind(collection_id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One more view, counted in the database so that several servers agree.
pub async fn count_share_view(c: &mut Conn, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE share_links SET views = views + 1, last_viewed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}
