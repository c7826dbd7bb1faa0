//! Writing an item: its content (with authors, terms and links), status, featuring and
//! soft deletion.

use super::*;
use crate::columns::Columns;

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
    /// When it was first published elsewhere: "2023", "2023-05" or "2023-05-14". (Versions
    /// kept before these fields existed read as empty.)
    #[serde(default)]
    pub original_date: Option<String>,
    /// A licence code; empty when none was chosen.
    #[serde(default)]
    pub licence: String,
    /// The authors as they should be cited, one per line; empty to cite the named authors.
    #[serde(default)]
    pub cite_as: String,
}

/// The columns an item's form writes, each beside its value.
fn content_columns<'q>(id: &'q str, content: &'q ItemContent) -> Columns<'q> {
    Columns::new(id)
        .set("kind", &content.kind)
        .set("title", &content.title)
        .set("summary", &content.summary)
        .set("context", &content.context)
        .set("what_we_did", &content.what_we_did)
        .set("what_we_learned", &content.what_we_learned)
        .set("do_differently", &content.do_differently)
        .set("outcomes", &content.outcomes)
        .set("contacts", &content.contacts)
        .set("body_md", &content.body_md)
        .set("organisation_id", &content.organisation_id)
        .set("place_id", content.place_id.as_deref())
        .set("visibility", &content.visibility)
        .set("original_date", content.original_date.as_deref())
        .set("licence", &content.licence)
        .set("cite_as", &content.cite_as)
}

pub async fn insert_item(
    c: &mut Conn,
    id: &str,
    content: &ItemContent,
    status: &str,
    created_by: &str,
    now: i64,
) -> StoreResult<()> {
    content_columns(id, content)
        .set("status", status)
        .set("version", 1)
        .set("created_by", created_by)
        .set("created_at", now)
        .set("updated_at", now)
        .insert("items")
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
    let row = content_columns(id, content)
        .set("updated_at", now)
        .update("items", "version = version + 1", "RETURNING version")
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
    // A deleted item no longer stands for the record it was imported from: importing the
    // record again brings it back as a new item.
    sqlx::query(
        "UPDATE items SET deleted_at = $2, updated_at = $2, import_key = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Every item brought in from elsewhere, by the key of the record it came from: (key, id).
pub async fn import_keys(c: &mut Conn) -> StoreResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT import_key, id FROM items WHERE import_key IS NOT NULL AND deleted_at IS NULL ORDER BY import_key",
    )
    .fetch_all(c)
    .await?)
}

/// Marks a new item as brought in from a record (its key) and published now.
pub async fn mark_imported(c: &mut Conn, id: &str, key: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE items SET import_key = $2, published_at = $3 WHERE id = $1")
        .bind(id)
        .bind(key)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

/// Marks a new draft as one of a folder of documents brought in together (`folder:<batch>:<n>`).
pub async fn set_import_key(c: &mut Conn, id: &str, key: &str) -> StoreResult<()> {
    sqlx::query("UPDATE items SET import_key = $2 WHERE id = $1")
        .bind(id)
        .bind(key)
        .execute(c)
        .await?;
    Ok(())
}

/// One item of a folder brought in, with its file.
#[derive(Debug, Clone, FromRow)]
pub struct FolderItemRow {
    pub id: String,
    pub import_key: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub original_date: Option<String>,
    pub organisation_id: String,
    pub organisation_name: String,
    pub place_id: Option<String>,
    pub place_name: Option<String>,
    pub file_name: Option<String>,
    pub file_kind: Option<String>,
    pub text_status: Option<String>,
}

/// The items `user_id` brought in with keys starting `prefix` (a folder batch), not deleted,
/// in the folder's order. `prefix` must hold no LIKE wildcards (callers check the batch id).
pub async fn folder_items(
    c: &mut Conn,
    prefix: &str,
    user_id: &str,
) -> StoreResult<Vec<FolderItemRow>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.import_key, i.title, i.kind, i.status, i.original_date, i.organisation_id,
                o.name AS organisation_name, i.place_id, p.name AS place_name,
                a.file_name, a.kind AS file_kind, a.text_status
         FROM items i
         JOIN organisations o ON o.id = i.organisation_id
         LEFT JOIN places p ON p.id = i.place_id
         LEFT JOIN attachments a ON a.id = (SELECT MIN(x.id) FROM attachments x
                                            WHERE x.item_id = i.id AND x.deleted_at IS NULL)
         WHERE i.import_key LIKE $1 AND i.created_by = $2 AND i.deleted_at IS NULL
         ORDER BY i.import_key",
    )
    .bind(format!("{prefix}%"))
    .bind(user_id)
    .fetch_all(c)
    .await?)
}

/// Every item `user_id` brought in from folders, not deleted: (import key, status, created at).
pub async fn folder_keys_of(
    c: &mut Conn,
    user_id: &str,
) -> StoreResult<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT import_key, status, created_at FROM items
         WHERE created_by = $1 AND import_key LIKE 'folder:%' AND deleted_at IS NULL
         ORDER BY import_key",
    )
    .bind(user_id)
    .fetch_all(c)
    .await?)
}
