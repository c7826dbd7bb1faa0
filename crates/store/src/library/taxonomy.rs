//! The managed taxonomy: themes and other vocabularies' terms; renaming and merging.

use super::*;

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
