//! The review workflow: submit, approve, send back (with a comment for the author),
//! withdraw and reopen. Editors move their own items; reviewers decide.

use lz_domain::library::{next_status, ItemStatus, Transition};
use lz_store::library as store;

use super::record::Decision;
use super::Library;
use crate::{new_id, Actor, AppError, AppResult, Audit};

const MAX_COMMENT: usize = 5_000;

fn audit_action(t: Transition) -> &'static str {
    match t {
        Transition::Submit => "item.submit",
        Transition::Approve => "item.approve",
        Transition::SendBack => "item.send_back",
        Transition::Withdraw => "item.withdraw",
        Transition::Reopen => "item.reopen",
    }
}

/// The comment, trimmed: bounded, and required when sending back.
fn checked_comment(t: Transition, comment: &str) -> AppResult<&str> {
    let comment = comment.trim();
    if comment.chars().count() > MAX_COMMENT {
        return Err(AppError::field(
            "comment",
            "The comment must be 5,000 characters or fewer",
        ));
    }
    if t == Transition::SendBack && comment.is_empty() {
        return Err(AppError::field(
            "comment",
            "Say what the author should change",
        ));
    }
    Ok(comment)
}

impl Library<'_> {
    /// Moves an item through the workflow. Sending back needs a comment for the author.
    pub async fn transition(
        &self,
        actor: &Actor,
        id: &str,
        t: Transition,
        comment: &str,
    ) -> AppResult<ItemStatus> {
        let view = self.item(Some(actor), id).await?;
        if t.needs_reviewer() {
            view.access.require_review()?;
        } else {
            view.access.require_edit()?;
        }
        let from = view.item.status;
        let to = next_status(from, t).map_err(|e| AppError::Conflict(e.to_string()))?;
        let comment = checked_comment(t, comment)?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        if !store::set_status(&mut tx, id, from.code(), to.code(), now).await? {
            return Err(AppError::Conflict(
                "Someone else changed this item first: reload the page".into(),
            ));
        }
        if t.needs_reviewer() {
            let decision = if t == Transition::Approve {
                Decision::Approved
            } else {
                Decision::SentBack
            };
            store::insert_review(
                &mut tx,
                &new_id(),
                id,
                decision.code(),
                comment,
                actor.id(),
                now,
            )
            .await?;
        }
        self.tell_author(&mut tx, &view.item, t, comment, now)
            .await?;
        if t == Transition::Submit {
            self.tell_reviewers(&mut tx, &view.item, actor, now).await?;
        }
        store::log_change(&mut tx, id, now).await?;
        Audit::new(Some(actor.id()), audit_action(t), ("item", id), comment)
            .commit(tx, now)
            .await?;
        self.app.wake_indexer();
        self.app.wake_mailer();
        Ok(to)
    }
}
