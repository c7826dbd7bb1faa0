//! The mail outbox and the audit log (network admins).

use axum::extract::State;
use lz_app::context;

use crate::error::PageResult;
use crate::session::{page, SignedIn};
use crate::AppState;

/// Messages kept in the outbox are shown here when no SMTP server is set up.
const OUTBOX_SHOWN: i64 = 100;
const AUDIT_SHOWN: i64 = 200;

pub(super) async fn outbox(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
) -> PageResult {
    let messages = state.app.network().outbox(&actor, OUTBOX_SHOWN).await?;
    let smtp = state.app.config.smtp_url.is_some();
    Ok(page(
        &state,
        &visitor,
        "admin/outbox.html",
        context! { messages, smtp },
    ))
}

pub(super) async fn audit(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
) -> PageResult {
    let entries = state.app.network().audit_log(&actor, AUDIT_SHOWN).await?;
    Ok(page(
        &state,
        &visitor,
        "admin/audit.html",
        context! { entries },
    ))
}
