//! Items and who may read them: the visibility rules live here, in SQL, so that lists
//! and counts never include what the reader may not see.

use super::*;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ItemRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub context: String,
    pub what_we_did: String,
    pub what_we_learned: String,
    pub do_differently: String,
    pub outcomes: String,
    pub contacts: String,
    pub body_md: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub place_id: Option<String>,
    pub place_name: Option<String>,
    pub place_slug: Option<String>,
    pub visibility: String,
    pub status: String,
    pub featured: i64,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub published_at: Option<i64>,
    pub original_date: Option<String>,
    pub licence: String,
    pub cite_as: String,
}

const ITEM_SELECT: &str = "SELECT i.id, i.kind, i.title, i.summary, i.context, i.what_we_did, i.what_we_learned,
        i.do_differently, i.outcomes, i.contacts, i.body_md, i.organisation_id, o.name AS organisation_name,
        o.slug AS organisation_slug, i.place_id, p.name AS place_name, p.slug AS place_slug, i.visibility,
        i.status, i.featured, i.version, i.created_by, i.created_at, i.updated_at, i.submitted_at, i.published_at,
        i.original_date, i.licence, i.cite_as
     FROM items i JOIN organisations o ON o.id = i.organisation_id LEFT JOIN places p ON p.id = i.place_id";

/// Who is reading. The rules live in SQL (`PUBLISHED_VISIBLE`, `MAY_VIEW`) so that lists and
/// counts never include what the reader may not see; the search index holds the same rule as
/// access tokens (`access_tokens`).
#[derive(Debug, Clone, Default)]
pub struct Reader<'a> {
    pub user_id: Option<&'a str>,
    /// Network admins and moderators see every item in every state.
    pub sees_everything: bool,
    /// Place leads see items waiting for review in their places.
    pub place_lead: bool,
}

/// Published items the reader may read: $1 sees everything, $2 the reader's id ('' signed out).
pub(super) const PUBLISHED_VISIBLE: &str = "i.deleted_at IS NULL AND i.status = 'published' AND (CAST($1 AS BIGINT) = 1
        OR i.visibility = 'public'
        OR ($2 <> '' AND i.visibility = 'network')
        OR (i.visibility = 'organisation' AND i.organisation_id IN
            (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $2 AND m.status = 'active'))
        OR (i.visibility = 'place' AND i.place_id IN
            (SELECT mo.place_id FROM memberships m JOIN organisations mo ON mo.id = m.organisation_id
             WHERE m.user_id = $2 AND m.status = 'active')))";

/// Items in any state the reader may open: published ones they may read, their own (as
/// creator or author), every item for moderators and admins ($1), and items in review in
/// their places for place leads ($3).
const MAY_VIEW: &str = "i.deleted_at IS NULL AND (CAST($1 AS BIGINT) = 1
        OR (i.status = 'published' AND (i.visibility = 'public'
            OR ($2 <> '' AND i.visibility = 'network')
            OR (i.visibility = 'organisation' AND i.organisation_id IN
                (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $2 AND m.status = 'active'))
            OR (i.visibility = 'place' AND i.place_id IN
                (SELECT mo.place_id FROM memberships m JOIN organisations mo ON mo.id = m.organisation_id
                 WHERE m.user_id = $2 AND m.status = 'active'))))
        OR ($2 <> '' AND (i.created_by = $2 OR i.id IN (SELECT a.item_id FROM item_authors a WHERE a.user_id = $2)))
        OR (CAST($3 AS BIGINT) = 1 AND i.status = 'in_review' AND i.place_id IN
            (SELECT mo.place_id FROM memberships m JOIN organisations mo ON mo.id = m.organisation_id
             WHERE m.user_id = $2 AND m.status = 'active')))";

pub(super) fn binds(r: &Reader<'_>) -> (i64, String, i64) {
    (
        i64::from(r.sees_everything),
        r.user_id.unwrap_or_default().to_string(),
        i64::from(r.place_lead),
    )
}

/// One item, if the reader may open it (any state).
pub async fn item(c: &mut Conn, reader: &Reader<'_>, id: &str) -> StoreResult<Option<ItemRow>> {
    let (all, user, lead) = binds(reader);
    Ok(
        sqlx::query_as(trusted_sql!("{ITEM_SELECT} WHERE {MAY_VIEW} AND i.id = $4"))
            .bind(all)
            .bind(user)
            .bind(lead)
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// One item regardless of who asks: for the indexer and the use cases' own checks.
pub async fn item_unchecked(c: &mut Conn, id: &str) -> StoreResult<Option<ItemRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{ITEM_SELECT} WHERE i.deleted_at IS NULL AND i.id = $1"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?)
}

/// Which list of items to read.
pub enum ItemList<'a> {
    /// Newest published items the reader may read.
    Newest,
    /// Featured published items the reader may read.
    Featured,
    /// Public published items only (feeds), optionally with one term.
    PublicFeed { term_id: Option<&'a str> },
    /// Items the reader created or is an author of, any state.
    Mine,
    /// Items in review that the reader may decide on.
    ReviewQueue,
    /// The reader's bookmarks that they may still read.
    Bookmarked,
    /// Published items from what the reader follows.
    Following,
}

pub async fn items(
    c: &mut Conn,
    reader: &Reader<'_>,
    list: ItemList<'_>,
    limit: i64,
) -> StoreResult<Vec<ItemRow>> {
    let (all, user, lead) = binds(reader);
    let (condition, order) = match list {
        ItemList::Newest => (PUBLISHED_VISIBLE.to_string(), "i.published_at DESC"),
        ItemList::Featured => (
            format!("{PUBLISHED_VISIBLE} AND i.featured = 1"),
            "i.published_at DESC",
        ),
        ItemList::PublicFeed { term_id } => {
            let mut cond = "i.deleted_at IS NULL AND i.status = 'published' AND i.visibility = 'public'
                 AND CAST($1 AS BIGINT) >= 0 AND $2 = $2 AND CAST($3 AS BIGINT) >= 0"
                .to_string();
            if term_id.is_some() {
                cond.push_str(" AND i.id IN (SELECT t.item_id FROM item_terms t WHERE t.term_id = $5)");
            }
            (cond, "i.published_at DESC")
        }
        ItemList::Mine => (
            "i.deleted_at IS NULL AND $2 <> '' AND (i.created_by = $2 OR i.id IN
                (SELECT a.item_id FROM item_authors a WHERE a.user_id = $2))
                AND CAST($1 AS BIGINT) >= 0 AND CAST($3 AS BIGINT) >= 0"
                .to_string(),
            "i.updated_at DESC",
        ),
        ItemList::ReviewQueue => (
            format!("{MAY_VIEW} AND i.status = 'in_review' AND (CAST($1 AS BIGINT) = 1 OR CAST($3 AS BIGINT) = 1)
                AND i.created_by <> $2"),
            "i.submitted_at ASC",
        ),
        ItemList::Bookmarked => (
            format!("{PUBLISHED_VISIBLE} AND CAST($3 AS BIGINT) >= 0 AND i.id IN
                (SELECT k.item_id FROM item_marks k WHERE k.user_id = $2 AND k.mark = 'bookmark')"),
            "i.published_at DESC",
        ),
        ItemList::Following => (
            format!("{PUBLISHED_VISIBLE} AND CAST($3 AS BIGINT) >= 0 AND (
                i.id IN (SELECT t.item_id FROM item_terms t JOIN follows f ON f.subject_type = 'term' AND f.subject_id = t.term_id WHERE f.user_id = $2)
                OR i.place_id IN (SELECT f.subject_id FROM follows f WHERE f.user_id = $2 AND f.subject_type = 'place')
                OR i.organisation_id IN (SELECT f.subject_id FROM follows f WHERE f.user_id = $2 AND f.subject_type = 'organisation'))"),
            "i.published_at DESC",
        ),
    };
    let term = match list {
        ItemList::PublicFeed { term_id } => term_id.unwrap_or_default().to_string(),
        _ => String::new(),
    };
    let sql = format!("{ITEM_SELECT} WHERE {condition} ORDER BY {order}, i.id LIMIT $4");
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(all)
        .bind(user)
        .bind(lead)
        .bind(limit);
    if matches!(list, ItemList::PublicFeed { term_id: Some(_) }) {
        q = q.bind(term);
    }
    Ok(q.fetch_all(c).await?)
}
