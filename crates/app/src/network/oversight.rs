//! What administrators look over: the count of requests waiting (the administration
//! index), the mail outbox and the audit log (network admins).

use lz_store::ops::{recent_audit, AuditRow};
use lz_store::outbox::{self, OutboxRow};
use serde::Serialize;

use super::{Network, NetworkAccess};
use crate::{Actor, AppResult};

/// The administration index: shown to everyone who decides join requests.
pub struct AdminOverview {
    pub access: NetworkAccess,
    /// Requests waiting for the caller's decision.
    pub pending: usize,
}

/// A message in the outbox, as the outbox page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxMessage {
    pub id: String,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
}

impl From<OutboxRow> for OutboxMessage {
    fn from(row: OutboxRow) -> Self {
        Self {
            id: row.id,
            to_addr: row.to_addr,
            subject: row.subject,
            body_text: row.body_text,
            created_at: row.created_at,
            attempts: row.attempts,
            sent_at: row.sent_at,
            last_error: row.last_error,
            attachment_name: row.attachment_name,
            attachment_type: row.attachment_type,
        }
    }
}

/// One entry of the audit log: who did what to which record.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        Self {
            id: row.id,
            at: row.at,
            actor_id: row.actor_id,
            action: row.action,
            subject_type: row.subject_type,
            subject_id: row.subject_id,
            detail: row.detail,
        }
    }
}

impl Network<'_> {
    /// The administration index (organisation and network admins).
    pub async fn overview(&self, actor: &Actor) -> AppResult<AdminOverview> {
        let access = NetworkAccess::of(actor);
        access.require_decide()?;
        let pending = self.join_requests(actor).await?.len();
        Ok(AdminOverview { access, pending })
    }

    /// The outbox, newest first (network admins).
    pub async fn outbox(&self, actor: &Actor, limit: i64) -> AppResult<Vec<OutboxMessage>> {
        NetworkAccess::of(actor).require_administer()?;
        let mut c = self.app.db.acquire().await?;
        let rows = outbox::recent(&mut c, limit).await?;
        Ok(rows.into_iter().map(OutboxMessage::from).collect())
    }

    /// The audit log, newest first (network admins).
    pub async fn audit_log(&self, actor: &Actor, limit: i64) -> AppResult<Vec<AuditEntry>> {
        NetworkAccess::of(actor).require_administer()?;
        let mut c = self.app.db.acquire().await?;
        let rows = recent_audit(&mut c, limit).await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }
}
