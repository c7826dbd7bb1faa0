//! The learning library's tables: items with their authors, terms, links, versions and
//! reviews; attachments; marks and follows; the search change log and missed searches.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

// ---------- taxonomy ----------

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct TermRow {
    pub id: String,
    pub vocabulary: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub merged_into: Option<String>,
}

const TERM_SELECT: &str = "SELECT id, vocabulary, slug, name, description, merged_into FROM terms";

/// Live terms (not merged away), by vocabulary then name.
pub async fn terms(c: &mut Conn) -> StoreResult<Vec<TermRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{TERM_SELECT} WHERE merged_into IS NULL ORDER BY vocabulary, LOWER(name)"
    ))
    .fetch_all(c)
    .await?)
}

pub async fn term_by_id(c: &mut Conn, id: &str) -> StoreResult<Option<TermRow>> {
    Ok(sqlx::query_as(trusted_sql!("{TERM_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn term_by_slug(
    c: &mut Conn,
    vocabulary: &str,
    slug: &str,
) -> StoreResult<Option<TermRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{TERM_SELECT} WHERE vocabulary = $1 AND slug = $2"
    ))
    .bind(vocabulary)
    .bind(slug)
    .fetch_optional(c)
    .await?)
}

pub async fn insert_term(
    c: &mut Conn,
    id: &str,
    vocabulary: &str,
    slug: &str,
    name: &str,
    description: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO terms (id, vocabulary, slug, name, description, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id)
    .bind(vocabulary)
    .bind(slug)
    .bind(name)
    .bind(description)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Renames a term; its slug (and so every link to it) stays.
pub async fn rename_term(
    c: &mut Conn,
    id: &str,
    name: &str,
    description: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE terms SET name = $2, description = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(name)
        .bind(description)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

/// Moves every item and follower of `from` to `into`; `from` stays as a pointer so that its
/// old links redirect. Returns the ids of the items whose tags changed.
pub async fn merge_term(
    c: &mut Conn,
    from: &str,
    into: &str,
    now: i64,
) -> StoreResult<Vec<String>> {
    let items: Vec<(String,)> = sqlx::query_as("SELECT item_id FROM item_terms WHERE term_id = $1")
        .bind(from)
        .fetch_all(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO item_terms (item_id, term_id) SELECT item_id, $2 FROM item_terms WHERE term_id = $1
         ON CONFLICT DO NOTHING",
    )
    .bind(from)
    .bind(into)
    .execute(&mut *c)
    .await?;
    sqlx::query("DELETE FROM item_terms WHERE term_id = $1")
        .bind(from)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO follows (user_id, subject_type, subject_id, created_at)
         SELECT user_id, subject_type, $2, created_at FROM follows WHERE subject_type = 'term' AND subject_id = $1
         ON CONFLICT DO NOTHING",
    )
    .bind(from)
    .bind(into)
    .execute(&mut *c)
    .await?;
    sqlx::query("DELETE FROM follows WHERE subject_type = 'term' AND subject_id = $1")
        .bind(from)
        .execute(&mut *c)
        .await?;
    // Terms merged into `from` earlier now point at `into` directly.
    sqlx::query(
        "UPDATE terms SET merged_into = $2, updated_at = $3 WHERE id = $1 OR merged_into = $1",
    )
    .bind(from)
    .bind(into)
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(items.into_iter().map(|(i,)| i).collect())
}

// ---------- items ----------

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
}

const ITEM_SELECT: &str = "SELECT i.id, i.kind, i.title, i.summary, i.context, i.what_we_did, i.what_we_learned,
        i.do_differently, i.outcomes, i.contacts, i.body_md, i.organisation_id, o.name AS organisation_name,
        o.slug AS organisation_slug, i.place_id, p.name AS place_name, p.slug AS place_slug, i.visibility,
        i.status, i.featured, i.version, i.created_by, i.created_at, i.updated_at, i.submitted_at, i.published_at
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
const PUBLISHED_VISIBLE: &str = "i.deleted_at IS NULL AND i.status = 'published' AND (CAST($1 AS BIGINT) = 1
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

fn binds(r: &Reader<'_>) -> (i64, String, i64) {
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

/// The content of an item that a person edits (and that a version keeps).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct ItemContent {
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
    pub place_id: Option<String>,
    pub visibility: String,
    /// Term ids (themes, agendas, audiences).
    pub term_ids: Vec<String>,
    /// Authors by name, with the account when one is known.
    pub authors: Vec<(Option<String>, String)>,
    /// Links (url, title).
    pub links: Vec<(String, String)>,
}

/// A statement on `items` with `$1` the id and `$2`–`$14` the content, in column order:
/// kind, title, summary, the six sections, body, organisation, place, visibility.
fn with_content<'q>(
    sql: &'static str,
    id: &'q str,
    content: &'q ItemContent,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sql)
        .bind(id)
        .bind(&content.kind)
        .bind(&content.title)
        .bind(&content.summary)
        .bind(&content.context)
        .bind(&content.what_we_did)
        .bind(&content.what_we_learned)
        .bind(&content.do_differently)
        .bind(&content.outcomes)
        .bind(&content.contacts)
        .bind(&content.body_md)
        .bind(&content.organisation_id)
        .bind(content.place_id.as_deref())
        .bind(&content.visibility)
}

pub async fn insert_item(
    c: &mut Conn,
    id: &str,
    content: &ItemContent,
    status: &str,
    created_by: &str,
    now: i64,
) -> StoreResult<()> {
    with_content(
        "INSERT INTO items (id, kind, title, summary, context, what_we_did, what_we_learned, do_differently,
            outcomes, contacts, body_md, organisation_id, place_id, visibility, status, version, created_by,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $17, $17)",
        id,
        content,
    )
    .bind(status)
    .bind(created_by)
    .bind(now)
    .execute(&mut *c)
    .await?;
    replace_children(c, id, content).await
}

/// Saves new content and bumps the version; returns the new version number.
pub async fn update_item(
    c: &mut Conn,
    id: &str,
    content: &ItemContent,
    now: i64,
) -> StoreResult<i64> {
    use sqlx::Row;
    let row = with_content(
        "UPDATE items SET kind = $2, title = $3, summary = $4, context = $5, what_we_did = $6,
            what_we_learned = $7, do_differently = $8, outcomes = $9, contacts = $10, body_md = $11,
            organisation_id = $12, place_id = $13, visibility = $14, version = version + 1, updated_at = $15
         WHERE id = $1 RETURNING version",
        id,
        content,
    )
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    let version: i64 = row.try_get("version")?;
    replace_children(c, id, content).await?;
    Ok(version)
}

async fn replace_children(c: &mut Conn, id: &str, content: &ItemContent) -> StoreResult<()> {
    for table in ["item_terms", "item_authors", "item_links"] {
        sqlx::query(trusted_sql!("DELETE FROM {table} WHERE item_id = $1"))
            .bind(id)
            .execute(&mut *c)
            .await?;
    }
    for term in &content.term_ids {
        sqlx::query(
            "INSERT INTO item_terms (item_id, term_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(term)
        .execute(&mut *c)
        .await?;
    }
    for (i, (user, name)) in content.authors.iter().enumerate() {
        sqlx::query(
            "INSERT INTO item_authors (item_id, position, user_id, name) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(user.as_deref())
        .bind(name)
        .execute(&mut *c)
        .await?;
    }
    for (i, (url, title)) in content.links.iter().enumerate() {
        sqlx::query("INSERT INTO item_links (id, item_id, position, url, title) VALUES ($1, $2, $3, $4, $5)")
            .bind(format!("{id}-{i}"))
            .bind(id)
            .bind(i as i64)
            .bind(url)
            .bind(title)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Moves an item to `status` only if it is still in `from` (so two reviewers cannot both act).
pub async fn set_status(
    c: &mut Conn,
    id: &str,
    from: &str,
    status: &str,
    now: i64,
) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE items SET status = $3, updated_at = $4,
            submitted_at = CASE WHEN $3 = 'in_review' THEN $4 ELSE submitted_at END,
            published_at = CASE WHEN $3 = 'published' AND published_at IS NULL THEN $4 ELSE published_at END
         WHERE id = $1 AND status = $2 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(from)
    .bind(status)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_featured(c: &mut Conn, id: &str, featured: bool, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE items SET featured = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(i64::from(featured))
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

/// Soft delete: the row and its versions stay for the audit trail.
pub async fn soft_delete_item(c: &mut Conn, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE items SET deleted_at = $2, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ItemTermRow {
    pub item_id: String,
    pub term_id: String,
    pub vocabulary: String,
    pub slug: String,
    pub name: String,
}

/// Terms of several items at once.
pub async fn terms_of(c: &mut Conn, item_ids: &[String]) -> StoreResult<Vec<ItemTermRow>> {
    if item_ids.is_empty() {
        return Ok(vec![]);
    }
    fetch_in(
        c,
        "SELECT it.item_id, t.id AS term_id, t.vocabulary, t.slug, t.name FROM item_terms it
         JOIN terms t ON t.id = it.term_id WHERE it.item_id IN ({ids}) ORDER BY t.vocabulary, LOWER(t.name)",
        item_ids,
    )
    .await
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AuthorRow {
    pub user_id: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct LinkRow {
    pub url: String,
    pub title: String,
}

/// Everything an item page shows besides the item's own row.
#[derive(Debug, Clone, Default)]
pub struct ItemDetails {
    pub terms: Vec<ItemTermRow>,
    pub authors: Vec<AuthorRow>,
    pub links: Vec<LinkRow>,
    pub attachments: Vec<AttachmentRow>,
    pub useful_count: i64,
    /// The reader's own marks on the item (`useful`, `bookmark`).
    pub my_marks: Vec<String>,
}

/// One row of [`item_details`]' union: `part` says which list it belongs to, the other columns
/// are that list's fields in order.
#[derive(FromRow)]
struct DetailRow {
    part: i64,
    a: Option<String>,
    b: Option<String>,
    c: Option<String>,
    d: Option<String>,
    e: Option<String>,
    n: i64,
    m: i64,
}

/// An item's terms, authors, links, attachments and marks in one round trip: an item page is
/// the most read page, and each query costs a trip through the database driver's thread.
pub async fn item_details(c: &mut Conn, item_id: &str, user_id: &str) -> StoreResult<ItemDetails> {
    let rows: Vec<DetailRow> = sqlx::query_as(
        "SELECT CAST(1 AS BIGINT) AS part, t.id AS a, t.vocabulary AS b, t.slug AS c, t.name AS d,
                CAST(NULL AS TEXT) AS e, CAST(0 AS BIGINT) AS n, CAST(0 AS BIGINT) AS m,
                t.vocabulary AS s1, LOWER(t.name) AS s2, CAST(0 AS BIGINT) AS s3
           FROM item_terms it JOIN terms t ON t.id = it.term_id WHERE it.item_id = $1
         UNION ALL
         SELECT 2, user_id, name, NULL, NULL, NULL, 0, 0, NULL, NULL, position
           FROM item_authors WHERE item_id = $1
         UNION ALL
         SELECT 3, url, title, NULL, NULL, NULL, 0, 0, NULL, NULL, position
           FROM item_links WHERE item_id = $1
         UNION ALL
         SELECT 4, id, storage_key, file_name, kind, text_status, size_bytes, created_at, NULL, NULL, created_at
           FROM attachments WHERE item_id = $1 AND deleted_at IS NULL
         UNION ALL
         SELECT 5, NULL, NULL, NULL, NULL, NULL, COUNT(*), 0, NULL, NULL, 0
           FROM item_marks WHERE item_id = $1 AND mark = 'useful'
         UNION ALL
         SELECT 6, mark, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0
           FROM item_marks WHERE item_id = $1 AND user_id = $2
         ORDER BY part, s1, s2, s3",
    )
    .bind(item_id)
    .bind(user_id)
    .fetch_all(c)
    .await?;
    let mut out = ItemDetails::default();
    for r in rows {
        let text = |v: Option<String>| v.unwrap_or_default();
        match r.part {
            1 => out.terms.push(ItemTermRow {
                item_id: item_id.to_owned(),
                term_id: text(r.a),
                vocabulary: text(r.b),
                slug: text(r.c),
                name: text(r.d),
            }),
            2 => out.authors.push(AuthorRow {
                user_id: r.a,
                name: text(r.b),
            }),
            3 => out.links.push(LinkRow {
                url: text(r.a),
                title: text(r.b),
            }),
            4 => out.attachments.push(AttachmentRow {
                id: text(r.a),
                item_id: item_id.to_owned(),
                storage_key: text(r.b),
                file_name: text(r.c),
                kind: text(r.d),
                text_status: text(r.e),
                size_bytes: r.n,
                created_at: r.m,
            }),
            5 => out.useful_count = r.n,
            _ => out.my_marks.extend(r.a),
        }
    }
    Ok(out)
}

/// Runs `sql`, whose `{ids}` stands for the list `ids` (one `$n` placeholder each).
/// Callers return early for an empty list: `IN ()` is not valid SQL.
async fn fetch_in<O>(c: &mut Conn, sql: &str, ids: &[String]) -> StoreResult<Vec<O>>
where
    O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let list = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = sql.replace("{ids}", &list);
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(c).await?)
}

// ---------- versions and reviews ----------

#[derive(Debug, Clone, FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub status: String,
    pub snapshot: String,
    pub changed_by: Option<String>,
    pub changed_by_name: Option<String>,
    pub note: String,
    pub created_at: i64,
}

#[allow(clippy::too_many_arguments)] // one column each; a struct would only rename them
pub async fn insert_version(
    c: &mut Conn,
    id: &str,
    item_id: &str,
    version: i64,
    status: &str,
    snapshot: &str,
    changed_by: Option<&str>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO item_versions (id, item_id, version, status, snapshot, changed_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(item_id)
    .bind(version)
    .bind(status)
    .bind(snapshot)
    .bind(changed_by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn versions(c: &mut Conn, item_id: &str) -> StoreResult<Vec<VersionRow>> {
    Ok(sqlx::query_as(
        "SELECT v.version, v.status, v.snapshot, v.changed_by, u.name AS changed_by_name, v.note, v.created_at
         FROM item_versions v LEFT JOIN users u ON u.id = v.changed_by WHERE v.item_id = $1 ORDER BY v.version",
    )
    .bind(item_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ReviewRow {
    pub decision: String,
    pub comment: String,
    pub decided_by_name: Option<String>,
    pub created_at: i64,
}

pub async fn insert_review(
    c: &mut Conn,
    id: &str,
    item_id: &str,
    decision: &str,
    comment: &str,
    decided_by: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO item_reviews (id, item_id, decision, comment, decided_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(item_id)
    .bind(decision)
    .bind(comment)
    .bind(decided_by)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn reviews(c: &mut Conn, item_id: &str) -> StoreResult<Vec<ReviewRow>> {
    Ok(sqlx::query_as(
        "SELECT r.decision, r.comment, u.name AS decided_by_name, r.created_at FROM item_reviews r
         LEFT JOIN users u ON u.id = r.decided_by WHERE r.item_id = $1 ORDER BY r.created_at DESC",
    )
    .bind(item_id)
    .fetch_all(c)
    .await?)
}

// ---------- attachments ----------

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AttachmentRow {
    pub id: String,
    pub item_id: String,
    pub storage_key: String,
    pub file_name: String,
    pub kind: String,
    pub size_bytes: i64,
    pub text_status: String,
    pub created_at: i64,
}

const ATTACHMENT_SELECT: &str = "SELECT id, item_id, storage_key, file_name, kind, size_bytes, text_status, created_at FROM attachments";

pub struct NewAttachment<'a> {
    pub id: &'a str,
    pub item_id: &'a str,
    pub storage_key: &'a str,
    pub file_name: &'a str,
    pub kind: &'a str,
    pub size_bytes: i64,
    /// "pending" when text will be extracted, "none" otherwise.
    pub text_status: &'a str,
    pub uploaded_by: Option<&'a str>,
    pub now: i64,
}

pub async fn insert_attachment(c: &mut Conn, a: &NewAttachment<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO attachments (id, item_id, storage_key, file_name, kind, size_bytes, text_status, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(a.id)
    .bind(a.item_id)
    .bind(a.storage_key)
    .bind(a.file_name)
    .bind(a.kind)
    .bind(a.size_bytes)
    .bind(a.text_status)
    .bind(a.uploaded_by)
    .bind(a.now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn attachment(c: &mut Conn, id: &str) -> StoreResult<Option<AttachmentRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{ATTACHMENT_SELECT} WHERE id = $1 AND deleted_at IS NULL"
    ))
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub async fn soft_delete_attachment(c: &mut Conn, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE attachments SET deleted_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

/// Claims one attachment waiting for text extraction until `until` (ms): a conditional
/// update, so that two instances never extract the same file at once; an expired claim
/// (a crashed worker) is taken again.
pub async fn claim_extraction(
    c: &mut Conn,
    now: i64,
    until: i64,
) -> StoreResult<Option<AttachmentRow>> {
    let candidates: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM attachments WHERE text_status = 'pending' AND deleted_at IS NULL
           AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY created_at LIMIT 5",
    )
    .bind(now)
    .fetch_all(&mut *c)
    .await?;
    for (id,) in candidates {
        let r = sqlx::query(
            "UPDATE attachments SET claimed_until = $3 WHERE id = $1 AND text_status = 'pending'
               AND (claimed_until IS NULL OR claimed_until < $2)",
        )
        .bind(&id)
        .bind(now)
        .bind(until)
        .execute(&mut *c)
        .await?;
        if r.rows_affected() == 1 {
            return attachment(c, &id).await;
        }
    }
    Ok(None)
}

pub async fn set_extracted_text(
    c: &mut Conn,
    id: &str,
    status: &str,
    text: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE attachments SET text_status = $2, extracted_text = $3, claimed_until = NULL WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(text)
        .execute(c)
        .await?;
    Ok(())
}

// ---------- marks and follows ----------

/// A row that is there or not (a mark, a follow), keyed by three columns.
#[derive(Clone, Copy)]
enum Flag {
    Mark,
    Follow,
}

impl Flag {
    /// (insert, delete) statements; $1–$3 the key, $4 the time.
    fn statements(self) -> (&'static str, &'static str) {
        match self {
            Flag::Mark => (
                "INSERT INTO item_marks (user_id, item_id, mark, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                "DELETE FROM item_marks WHERE user_id = $1 AND item_id = $2 AND mark = $3",
            ),
            Flag::Follow => (
                "INSERT INTO follows (user_id, subject_type, subject_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                "DELETE FROM follows WHERE user_id = $1 AND subject_type = $2 AND subject_id = $3",
            ),
        }
    }
}

/// Sets or clears a flag; setting twice or clearing what is not there changes nothing.
async fn set_flag(c: &mut Conn, flag: Flag, key: [&str; 3], on: bool, now: i64) -> StoreResult<()> {
    let (insert, delete) = flag.statements();
    let q = sqlx::query(if on { insert } else { delete })
        .bind(key[0])
        .bind(key[1])
        .bind(key[2]);
    let q = if on { q.bind(now) } else { q };
    q.execute(c).await?;
    Ok(())
}

pub async fn set_mark(
    c: &mut Conn,
    user_id: &str,
    item_id: &str,
    mark: &str,
    on: bool,
    now: i64,
) -> StoreResult<()> {
    set_flag(c, Flag::Mark, [user_id, item_id, mark], on, now).await
}

/// Every mark a person has made: (item id, mark).
pub async fn marks_of_user(c: &mut Conn, user_id: &str) -> StoreResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT item_id, mark FROM item_marks WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(c)
            .await?,
    )
}

pub async fn set_follow(
    c: &mut Conn,
    user_id: &str,
    subject_type: &str,
    subject_id: &str,
    on: bool,
    now: i64,
) -> StoreResult<()> {
    set_flag(
        c,
        Flag::Follow,
        [user_id, subject_type, subject_id],
        on,
        now,
    )
    .await
}

pub async fn follows(c: &mut Conn, user_id: &str) -> StoreResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT subject_type, subject_id FROM follows WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(c)
            .await?,
    )
}

// ---------- the search change log ----------

/// Records that `item_id` changed, inside the caller's transaction. On PostgreSQL the
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

// ---------- searches that found nothing ----------

pub async fn record_miss(c: &mut Conn, id: &str, query: &str, now: i64) -> StoreResult<()> {
    sqlx::query("INSERT INTO search_misses (id, query, at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(query)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct MissRow {
    pub query: String,
    pub times: i64,
    pub last_at: i64,
}

pub async fn misses(c: &mut Conn, since: i64) -> StoreResult<Vec<MissRow>> {
    Ok(sqlx::query_as(
        "SELECT query, COUNT(*) AS times, MAX(at) AS last_at FROM search_misses WHERE at >= $1
         GROUP BY query ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT 200",
    )
    .bind(since)
    .fetch_all(c)
    .await?)
}

// ---------- learning linked to delivery-plan work areas ----------

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
