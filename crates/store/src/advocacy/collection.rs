//! Collections and who may read them: curators, and network admins and moderators, always;
//! others a published collection by its audience (public, network, organisation), the same
//! shape of rule as library items'. The outline (sections, chosen evidence, workshops,
//! curators) is saved whole, in one transaction with a version holding it as JSON.

use super::*;
use crate::columns::Columns;
use crate::library::Reader;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct CollectionRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub ask: String,
    pub audience: String,
    pub organisation_id: Option<String>,
    pub organisation_name: Option<String>,
    pub place_id: Option<String>,
    pub place_name: Option<String>,
    pub place_slug: Option<String>,
    pub work_area_id: Option<String>,
    pub work_area_title: Option<String>,
    pub plan_id: Option<String>,
    pub status: String,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

const COLLECTION_SELECT: &str = "SELECT c.id, c.kind, c.title, c.summary, c.ask, c.audience,
        c.organisation_id, o.name AS organisation_name, c.place_id, p.name AS place_name,
        p.slug AS place_slug, c.work_area_id, w.title AS work_area_title, w.plan_id, c.status,
        c.version, c.created_by, c.created_at, c.updated_at, c.published_at
     FROM collections c LEFT JOIN organisations o ON o.id = c.organisation_id
     LEFT JOIN places p ON p.id = c.place_id LEFT JOIN work_areas w ON w.id = c.work_area_id";

/// Collections the reader may open: $1 sees everything, $2 the reader's id ('' signed out).
const MAY_VIEW: &str = "c.deleted_at IS NULL AND (CAST($1 AS BIGINT) = 1
        OR ($2 <> '' AND EXISTS (SELECT 1 FROM collection_curators cc WHERE cc.collection_id = c.id AND cc.user_id = $2))
        OR (c.status = 'published' AND (c.audience = 'public'
            OR ($2 <> '' AND c.audience = 'network')
            OR (c.audience = 'organisation' AND c.organisation_id IN
                (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $2 AND m.status = 'active')))))";

fn binds(r: &Reader<'_>) -> (i64, String) {
    (
        i64::from(r.sees_everything),
        r.user_id.unwrap_or_default().to_string(),
    )
}

/// One collection, if the reader may open it.
pub async fn collection(
    c: &mut Conn,
    reader: &Reader<'_>,
    id: &str,
) -> StoreResult<Option<CollectionRow>> {
    let (all, user) = binds(reader);
    Ok(sqlx::query_as(trusted_sql!(
        "{COLLECTION_SELECT} WHERE {MAY_VIEW} AND c.id = $3"
    ))
    .bind(all)
    .bind(user)
    .bind(id)
    .fetch_optional(c)
    .await?)
}

/// A collection whatever the reader, for a share link's holder (who has no account): the
/// caller has already checked the link.
pub async fn collection_for_share(c: &mut Conn, id: &str) -> StoreResult<Option<CollectionRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{COLLECTION_SELECT} WHERE c.deleted_at IS NULL AND c.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?)
}

/// Which collections to list.
pub enum CollectionList<'a> {
    All,
    /// Narratives of one place.
    Place(&'a str),
    /// Collections linked to a plan's work areas.
    Plan(&'a str),
}

pub async fn collections(
    c: &mut Conn,
    reader: &Reader<'_>,
    list: CollectionList<'_>,
) -> StoreResult<Vec<CollectionRow>> {
    let (all, user) = binds(reader);
    let (extra, arg) = match list {
        CollectionList::All => ("AND $3 = $3", ""),
        CollectionList::Place(p) => ("AND c.place_id = $3", p),
        CollectionList::Plan(p) => ("AND w.plan_id = $3", p),
    };
    Ok(sqlx::query_as(trusted_sql!(
        "{COLLECTION_SELECT} WHERE {MAY_VIEW} {extra} ORDER BY c.updated_at DESC, c.id LIMIT 500"
    ))
    .bind(all)
    .bind(user)
    .bind(arg)
    .fetch_all(c)
    .await?)
}

/// What curators write: everything but the kind, owner, status and version. Sections keep
/// their ids across saves so that versions compare section by section.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CollectionContent {
    pub title: String,
    pub summary: String,
    pub ask: String,
    pub audience: String,
    pub place_id: Option<String>,
    pub work_area_id: Option<String>,
    pub sections: Vec<SectionContent>,
    pub event_ids: Vec<String>,
    pub curator_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SectionContent {
    pub id: String,
    pub heading: String,
    pub body: String,
    pub evidence_ids: Vec<String>,
}

/// A new collection at version 1, with its outline and first version.
#[allow(clippy::too_many_arguments)]
pub async fn insert_collection(
    c: &mut Conn,
    id: &str,
    version_id: &str,
    kind: &str,
    content: &CollectionContent,
    snapshot: &str,
    organisation_id: Option<&str>,
    created_by: &str,
    now: i64,
) -> StoreResult<()> {
    Columns::new(id)
        .set("kind", kind)
        .set("title", &content.title)
        .set("summary", &content.summary)
        .set("ask", &content.ask)
        .set("audience", &content.audience)
        .set("organisation_id", organisation_id)
        .set("place_id", content.place_id.as_deref())
        .set("work_area_id", content.work_area_id.as_deref())
        .set("status", "draft")
        .set("version", 1_i64)
        .set("created_by", created_by)
        .set("created_at", now)
        .set("updated_at", now)
        .insert("collections")
        .execute(&mut *c)
        .await?;
    set_outline(c, id, content).await?;
    insert_version(c, version_id, id, 1, snapshot, created_by, "Created", now).await
}

/// Saves the whole outline (and `snapshot`, its JSON) as version `version` (the caller read the one before it, so a
/// concurrent save fails on the version's unique key instead of being lost).
#[allow(clippy::too_many_arguments)]
pub async fn save_collection(
    c: &mut Conn,
    id: &str,
    version_id: &str,
    version: i64,
    content: &CollectionContent,
    snapshot: &str,
    changed_by: &str,
    note: &str,
    now: i64,
) -> StoreResult<()> {
    insert_version(c, version_id, id, version, snapshot, changed_by, note, now).await?;
    Columns::new(id)
        .set("title", &content.title)
        .set("summary", &content.summary)
        .set("ask", &content.ask)
        .set("audience", &content.audience)
        .set("place_id", content.place_id.as_deref())
        .set("work_area_id", content.work_area_id.as_deref())
        .set("version", version)
        .set("updated_at", now)
        .update("collections", "", "")
        .execute(&mut *c)
        .await?;
    set_outline(c, id, content).await
}

#[allow(clippy::too_many_arguments)]
async fn insert_version(
    c: &mut Conn,
    version_id: &str,
    collection_id: &str,
    version: i64,
    snapshot: &str,
    changed_by: &str,
    note: &str,
    now: i64,
) -> StoreResult<()> {
    Columns::new(version_id)
        .set("collection_id", collection_id)
        .set("version", version)
        .set("snapshot", snapshot)
        .set("changed_by", changed_by)
        .set("note", note)
        .set("created_at", now)
        .insert("collection_versions")
        .execute(c)
        .await?;
    Ok(())
}

/// Replaces sections, chosen evidence, workshops and curators with those of `content`.
async fn set_outline(c: &mut Conn, id: &str, content: &CollectionContent) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM collection_evidence WHERE section_id IN
            (SELECT s.id FROM collection_sections s WHERE s.collection_id = $1)",
    )
    .bind(id)
    .execute(&mut *c)
    .await?;
    for table in [
        "collection_sections",
        "collection_events",
        "collection_curators",
    ] {
        sqlx::query(trusted_sql!("DELETE FROM {table} WHERE collection_id = $1"))
            .bind(id)
            .execute(&mut *c)
            .await?;
    }
    for (position, s) in (0_i64..).zip(&content.sections) {
        Columns::new(&s.id)
            .set("collection_id", id)
            .set("position", position)
            .set("heading", &s.heading)
            .set("body", &s.body)
            .insert("collection_sections")
            .execute(&mut *c)
            .await?;
        for (n, e) in (0_i64..).zip(&s.evidence_ids) {
            sqlx::query(
                "INSERT INTO collection_evidence (section_id, evidence_id, position) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .bind(&s.id)
            .bind(e)
            .bind(n)
            .execute(&mut *c)
            .await?;
        }
    }
    for e in &content.event_ids {
        sqlx::query(
            "INSERT INTO collection_events (collection_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(e)
        .execute(&mut *c)
        .await?;
    }
    for u in &content.curator_ids {
        sqlx::query(
            "INSERT INTO collection_curators (collection_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(u)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

pub async fn set_collection_status(
    c: &mut Conn,
    id: &str,
    status: &str,
    now: i64,
) -> StoreResult<()> {
    let published = (status == "published").then_some(now);
    Columns::new(id)
        .set("status", status)
        .set("published_at", published)
        .set("updated_at", now)
        .update("collections", "", "")
        .execute(c)
        .await?;
    Ok(())
}

/// The collection leaves every list and its share links stop; rows stay for the audit trail.
pub async fn soft_delete_collection(c: &mut Conn, id: &str, now: i64) -> StoreResult<()> {
    Columns::new(id)
        .set("deleted_at", now)
        .update("collections", "", "")
        .execute(c)
        .await?;
    Ok(())
}

/// The latest saved outline (the newest version's snapshot).
pub async fn latest_snapshot(c: &mut Conn, id: &str) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT snapshot FROM collection_versions WHERE collection_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct CollectionVersionRow {
    pub version: i64,
    pub snapshot: String,
    pub changed_by_name: Option<String>,
    pub note: String,
    pub created_at: i64,
}

pub async fn collection_versions(c: &mut Conn, id: &str) -> StoreResult<Vec<CollectionVersionRow>> {
    Ok(sqlx::query_as(
        "SELECT v.version, v.snapshot, u.name AS changed_by_name, v.note, v.created_at
         FROM collection_versions v LEFT JOIN users u ON u.id = v.changed_by
         WHERE v.collection_id = $1 ORDER BY v.version",
    )
    .bind(id)
    .fetch_all(c)
    .await?)
}

/// A person named in a collection (a curator).
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
}

pub async fn people(c: &mut Conn, ids: &[String]) -> StoreResult<Vec<PersonRow>> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(p) = sqlx::query_as("SELECT id, name, email, role FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
        {
            out.push(p);
        }
    }
    Ok(out)
}

/// Whoever has an account with this email (curators are added by email).
pub async fn person_by_email(c: &mut Conn, email: &str) -> StoreResult<Option<PersonRow>> {
    Ok(
        sqlx::query_as("SELECT id, name, email, role FROM users WHERE LOWER(email) = LOWER($1)")
            .bind(email.trim())
            .fetch_optional(c)
            .await?,
    )
}

/// The collections that chose an evidence record, for the record's page.
pub async fn collections_citing(c: &mut Conn, evidence_id: &str) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT s.collection_id FROM collection_evidence ce
         JOIN collection_sections s ON s.id = ce.section_id WHERE ce.evidence_id = $1",
    )
    .bind(evidence_id)
    .fetch_all(c)
    .await?)
}

/// How many collections exist, deleted or not (for tests that check nothing changed).
pub async fn count_collections(c: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM collections")
        .fetch_one(c)
        .await?)
}
