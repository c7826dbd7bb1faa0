//! What an item page shows besides the item's own row, read in one round trip.

use super::*;

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
pub(super) async fn fetch_in<O>(c: &mut Conn, sql: &str, ids: &[String]) -> StoreResult<Vec<O>>
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
