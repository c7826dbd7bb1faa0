//! The search change log and what the index reads of each published item.

use super::*;

/// Records that `item_id` changed, inside the caller's transaction. The key is the search
/// index's document id: an item's id, or `evidence:<id>` for an evidence record (the index's
/// `evidence_doc_id`), so both kinds of record share one log and one order. On PostgreSQL the
/// transaction first takes an advisory lock, so sequence numbers become visible in commit
/// order and the indexer can never skip a change committed late with a lower number.
/// (SQLite has one writer at a time, so its order is commit order already.)
pub async fn log_change(c: &mut Conn, item_id: &str, now: i64) -> StoreResult<()> {
    if c.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(7401)")
            .execute(&mut *c)
            .await?;
    }
    sqlx::query("INSERT INTO search_changes (item_id, at) VALUES ($1, $2)")
        .bind(item_id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

/// Changes after `seq`, oldest first.
pub async fn changes_after(c: &mut Conn, seq: i64, limit: i64) -> StoreResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT seq, item_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

pub async fn last_change(c: &mut Conn) -> StoreResult<i64> {
    let (seq,): (Option<i64>,) = sqlx::query_as("SELECT MAX(seq) FROM search_changes")
        .fetch_one(c)
        .await?;
    Ok(seq.unwrap_or(0))
}

/// What the index needs of one published item.
#[derive(Debug, Clone, FromRow)]
pub struct IndexRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub context: String,
    pub what_we_did: String,
    pub what_we_learned: String,
    pub do_differently: String,
    pub outcomes: String,
    pub body_md: String,
    pub organisation_id: String,
    pub organisation_slug: String,
    pub place_id: Option<String>,
    pub place_slug: Option<String>,
    pub visibility: String,
    pub published_at: Option<i64>,
}

const INDEX_SELECT: &str = "SELECT i.id, i.kind, i.title, i.summary, i.context, i.what_we_did, i.what_we_learned,
        i.do_differently, i.outcomes, i.body_md, i.organisation_id, o.slug AS organisation_slug, i.place_id,
        p.slug AS place_slug, i.visibility, i.published_at
     FROM items i JOIN organisations o ON o.id = i.organisation_id LEFT JOIN places p ON p.id = i.place_id
     WHERE i.deleted_at IS NULL AND i.status = 'published'";

/// The published ones among `ids` (others are to be removed from the index).
pub async fn index_rows(c: &mut Conn, ids: &[String]) -> StoreResult<Vec<IndexRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    fetch_in(c, &format!("{INDEX_SELECT} AND i.id IN ({{ids}})"), ids).await
}

/// Published items after `after_id` in id order, for a full rebuild in batches.
pub async fn index_rows_page(
    c: &mut Conn,
    after_id: &str,
    limit: i64,
) -> StoreResult<Vec<IndexRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{INDEX_SELECT} AND i.id > $1 ORDER BY i.id LIMIT $2"
    ))
    .bind(after_id)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

pub async fn count_published(c: &mut Conn) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM items WHERE deleted_at IS NULL AND status = 'published'",
    )
    .fetch_one(c)
    .await?;
    Ok(n)
}

/// Extracted attachment text of several items.
pub async fn attachment_texts(
    c: &mut Conn,
    item_ids: &[String],
) -> StoreResult<Vec<(String, String)>> {
    if item_ids.is_empty() {
        return Ok(vec![]);
    }
    fetch_in(
        c,
        "SELECT item_id, extracted_text FROM attachments WHERE deleted_at IS NULL AND text_status = 'done'
         AND item_id IN ({ids}) ORDER BY created_at",
        item_ids,
    )
    .await
}
