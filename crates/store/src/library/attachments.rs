//! Attachments and the claims that hand each one to one text extractor.

use super::*;

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
