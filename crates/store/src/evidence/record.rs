//! Evidence records and who may read them: the visibility rule lives here, in SQL, the same
//! rule as the library's items (public, network, organisation; published only, except the
//! author's own and everything for those who see all content).

use super::*;
use crate::columns::Columns;
use crate::library::Reader;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct EvidenceRow {
    pub id: String,
    pub claim: String,
    pub measure_name: String,
    pub measure_value: Option<String>,
    pub measure_unit: String,
    pub measure_baseline: Option<String>,
    pub measure_period: String,
    pub sample_size: Option<i64>,
    pub source_item_id: Option<String>,
    pub source_item_title: Option<String>,
    pub source_locator: String,
    pub source_title: String,
    pub source_publisher: String,
    pub source_date: Option<String>,
    pub source_url: String,
    pub source_licence: String,
    pub evidence_type: String,
    pub strength: i64,
    pub consent_to_quote: i64,
    pub visibility: String,
    pub organisation_id: Option<String>,
    pub status: String,
    pub created_by: String,
    pub created_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub checked_by: Option<String>,
    pub checked_by_name: Option<String>,
    pub checked_at: Option<i64>,
    pub published_at: Option<i64>,
    pub deleted_at: Option<i64>,
}

const EVIDENCE_SELECT: &str = "SELECT e.id, e.claim, e.measure_name, e.measure_value, e.measure_unit,
        e.measure_baseline, e.measure_period, e.sample_size, e.source_item_id, si.title AS source_item_title,
        e.source_locator, e.source_title, e.source_publisher, e.source_date, e.source_url, e.source_licence,
        e.evidence_type, e.strength, e.consent_to_quote, e.visibility, e.organisation_id, e.status,
        e.created_by, cu.name AS created_by_name, e.created_at, e.updated_at, e.checked_by,
        ck.name AS checked_by_name, e.checked_at, e.published_at, e.deleted_at
     FROM evidence e JOIN users cu ON cu.id = e.created_by LEFT JOIN users ck ON ck.id = e.checked_by
     LEFT JOIN items si ON si.id = e.source_item_id";

/// Records in any state the reader may open: $1 sees everything, $2 the reader's id ('' when
/// signed out). Published ones by visibility exactly as library items; their own drafts.
const MAY_VIEW: &str = "e.deleted_at IS NULL AND (CAST($1 AS BIGINT) = 1
        OR (e.status = 'published' AND (e.visibility = 'public'
            OR ($2 <> '' AND e.visibility = 'network')
            OR (e.visibility = 'organisation' AND e.organisation_id IN
                (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $2 AND m.status = 'active'))))
        OR ($2 <> '' AND e.created_by = $2))";

fn binds(r: &Reader<'_>) -> (i64, String) {
    (
        i64::from(r.sees_everything),
        r.user_id.unwrap_or_default().to_string(),
    )
}

/// One record, if the reader may open it.
pub async fn evidence(
    c: &mut Conn,
    reader: &Reader<'_>,
    id: &str,
) -> StoreResult<Option<EvidenceRow>> {
    let (all, user) = binds(reader);
    Ok(sqlx::query_as(trusted_sql!(
        "{EVIDENCE_SELECT} WHERE {MAY_VIEW} AND e.id = $3"
    ))
    .bind(all)
    .bind(user)
    .bind(id)
    .fetch_optional(c)
    .await?)
}

/// Records by id whatever their state or visibility, deleted ones too: for a collection's
/// pack, which applies its own rule (published, and visible to the pack's audience) and
/// says why each record it leaves out is left out.
pub async fn evidence_by_ids(c: &mut Conn, ids: &[String]) -> StoreResult<Vec<EvidenceRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(200) {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let mut q = sqlx::query_as(trusted_sql!(
            "{EVIDENCE_SELECT} WHERE e.id IN ({})",
            marks.join(", ")
        ));
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(out)
}

/// Which records to list.
pub enum EvidenceList<'a> {
    /// Every record the reader may open, newest first.
    All,
    /// Published records drawn from one library item that the reader may read.
    PublishedFrom { item_id: &'a str },
}

pub async fn evidence_list(
    c: &mut Conn,
    reader: &Reader<'_>,
    list: EvidenceList<'_>,
    limit: i64,
) -> StoreResult<Vec<EvidenceRow>> {
    let (all, user) = binds(reader);
    let (extra, item) = match list {
        EvidenceList::All => ("AND $4 = $4", ""),
        EvidenceList::PublishedFrom { item_id } => (
            "AND e.status = 'published' AND e.source_item_id = $4",
            item_id,
        ),
    };
    Ok(sqlx::query_as(trusted_sql!(
        "{EVIDENCE_SELECT} WHERE {MAY_VIEW} {extra} ORDER BY e.created_at DESC, e.id LIMIT $3"
    ))
    .bind(all)
    .bind(user)
    .bind(limit)
    .bind(item)
    .fetch_all(c)
    .await?)
}

/// What an evidence record says, as written by its author (the workflow columns are
/// written only by `set_checked` and `set_published`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct EvidenceContent {
    pub claim: String,
    pub measure_name: String,
    pub measure_value: Option<String>,
    pub measure_unit: String,
    pub measure_baseline: Option<String>,
    pub measure_period: String,
    pub sample_size: Option<i64>,
    pub source_item_id: Option<String>,
    pub source_locator: String,
    pub source_title: String,
    pub source_publisher: String,
    pub source_date: Option<String>,
    pub source_url: String,
    pub source_licence: String,
    pub evidence_type: String,
    pub strength: i64,
    pub consent_to_quote: bool,
    pub visibility: String,
    pub agenda_ids: Vec<String>,
    pub place_ids: Vec<String>,
    pub organisation_ids: Vec<String>,
}

fn content_columns<'q>(id: &'q str, e: &'q EvidenceContent) -> Columns<'q> {
    Columns::new(id)
        .set("claim", &e.claim)
        .set("measure_name", &e.measure_name)
        .set("measure_value", e.measure_value.as_deref())
        .set("measure_unit", &e.measure_unit)
        .set("measure_baseline", e.measure_baseline.as_deref())
        .set("measure_period", &e.measure_period)
        .set("sample_size", e.sample_size)
        .set("source_item_id", e.source_item_id.as_deref())
        .set("source_locator", &e.source_locator)
        .set("source_title", &e.source_title)
        .set("source_publisher", &e.source_publisher)
        .set("source_date", e.source_date.as_deref())
        .set("source_url", &e.source_url)
        .set("source_licence", &e.source_licence)
        .set("evidence_type", &e.evidence_type)
        .set("strength", e.strength)
        .set("consent_to_quote", e.consent_to_quote)
        .set("visibility", &e.visibility)
}

/// A new draft owned by `organisation_id` (the author's organisation, for "organisation"
/// visibility).
pub async fn insert_evidence(
    c: &mut Conn,
    id: &str,
    content: &EvidenceContent,
    organisation_id: Option<&str>,
    created_by: &str,
    now: i64,
) -> StoreResult<()> {
    content_columns(id, content)
        .set("organisation_id", organisation_id)
        .set("status", "draft")
        .set("created_by", created_by)
        .set("created_at", now)
        .set("updated_at", now)
        .insert("evidence")
        .execute(&mut *c)
        .await?;
    set_links(c, id, content).await
}

pub async fn update_evidence(
    c: &mut Conn,
    id: &str,
    content: &EvidenceContent,
    now: i64,
) -> StoreResult<()> {
    content_columns(id, content)
        .set("updated_at", now)
        .update("evidence", "", "")
        .execute(&mut *c)
        .await?;
    set_links(c, id, content).await
}

/// Draft → checked, naming who checked and when.
pub async fn set_checked(c: &mut Conn, id: &str, by: &str, now: i64) -> StoreResult<()> {
    Columns::new(id)
        .set("status", "checked")
        .set("checked_by", by)
        .set("checked_at", now)
        .update("evidence", "", "")
        .execute(c)
        .await?;
    Ok(())
}

/// Checked → published.
pub async fn set_published(c: &mut Conn, id: &str, by: &str, now: i64) -> StoreResult<()> {
    Columns::new(id)
        .set("status", "published")
        .set("published_by", by)
        .set("published_at", now)
        .update("evidence", "", "")
        .execute(c)
        .await?;
    Ok(())
}

/// The record leaves every list; its row stays for the audit trail.
pub async fn soft_delete_evidence(c: &mut Conn, id: &str, now: i64) -> StoreResult<()> {
    Columns::new(id)
        .set("deleted_at", now)
        .update("evidence", "", "")
        .execute(c)
        .await?;
    Ok(())
}

/// How many records exist, deleted or not (for tests that check nothing changed).
pub async fn count_evidence(c: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM evidence")
        .fetch_one(c)
        .await?)
}

/// What the search index holds: published records not deleted (whatever their visibility;
/// the index applies it through access tokens).
const INDEXED: &str = "e.deleted_at IS NULL AND e.status = 'published'";

/// The published ones among `ids` (the others are to leave the search index).
pub async fn published_evidence(c: &mut Conn, ids: &[String]) -> StoreResult<Vec<EvidenceRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let within = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("{EVIDENCE_SELECT} WHERE {INDEXED} AND e.id IN ({within})");
    // The SQL holds only numbered parameters; the ids are bound.
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(c).await?)
}

/// Published records after `after_id` in id order, for a full rebuild of the index in batches.
pub async fn published_evidence_page(
    c: &mut Conn,
    after_id: &str,
    limit: i64,
) -> StoreResult<Vec<EvidenceRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{EVIDENCE_SELECT} WHERE {INDEXED} AND e.id > $1 ORDER BY e.id LIMIT $2"
    ))
    .bind(after_id)
    .bind(limit)
    .fetch_all(c)
    .await?)
}

/// How many records the search index holds.
pub async fn count_published_evidence(c: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(trusted_sql!(
        "SELECT COUNT(*) FROM evidence e WHERE {INDEXED}"
    ))
    .fetch_one(c)
    .await?)
}
