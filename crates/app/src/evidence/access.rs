//! The evidence bank's one access rule, computed once from the actor (and the record):
//! contributors and above record evidence and edit their own drafts; moderators and network
//! admins check and publish, never their own; readers see published records by visibility
//! (the store's `MAY_VIEW`, the same rule as library items) and their own. Nothing else in
//! the evidence bank reads `Role`.

use lz_domain::evidence::EvidenceStatus;
use lz_domain::Role;

use super::EvidenceRecord;
use crate::{Actor, AppError, AppResult};

/// What one reader may do with one record (or, without a record, in the bank as a whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct EvidenceAccess {
    record: bool,
    edit: bool,
    check: bool,
    publish: bool,
}

/// Moderators and network admins check and publish evidence.
fn curates(actor: &Actor) -> bool {
    matches!(actor.role, Role::NetworkAdmin | Role::Moderator)
}

impl EvidenceAccess {
    /// The bank as a whole: may this person record evidence?
    pub fn general(actor: Option<&Actor>) -> Self {
        Self {
            record: actor.is_some_and(Actor::contributes),
            ..Self::default()
        }
    }

    /// The reader's rights on `record` (which they have already been allowed to read).
    pub fn of(actor: Option<&Actor>, record: &EvidenceRecord) -> Self {
        let Some(a) = actor else {
            return Self::default();
        };
        let own = record.created_by == a.id();
        Self {
            record: a.contributes(),
            edit: own && a.contributes() && record.status == EvidenceStatus::Draft,
            check: curates(a) && !own && record.status == EvidenceStatus::Draft,
            publish: curates(a) && !own && record.status == EvidenceStatus::Checked,
        }
    }

    pub fn require_record(actor: Option<&Actor>) -> AppResult<()> {
        if Self::general(actor).record {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn require_edit(self) -> AppResult<()> {
        if self.edit {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Curators only; the workflow's own rules (status, never one's own) follow in `write`.
    pub fn require_curate(actor: &Actor) -> AppResult<()> {
        if curates(actor) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn may_record(self) -> bool {
        self.record
    }
    pub fn may_edit(self) -> bool {
        self.edit
    }
    pub fn may_check(self) -> bool {
        self.check
    }
    pub fn may_publish(self) -> bool {
        self.publish
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::tests::actor;
    use crate::evidence::record::tests::record_by;

    #[test]
    fn contributors_and_above_record_evidence_members_and_visitors_do_not() {
        assert!(!EvidenceAccess::general(None).may_record());
        for role in Role::ALL {
            let a = actor(role, &["o1"]);
            assert_eq!(
                EvidenceAccess::general(Some(&a)).may_record(),
                role != Role::Member
            );
        }
    }

    #[test]
    fn curators_check_and_publish_but_never_their_own() {
        for role in Role::ALL {
            let a = actor(role, &["o1"]);
            let curator = matches!(role, Role::NetworkAdmin | Role::Moderator);
            let theirs = record_by("someone-else", EvidenceStatus::Draft);
            assert_eq!(
                EvidenceAccess::of(Some(&a), &theirs).may_check(),
                curator,
                "{role:?}"
            );
            let checked = record_by("someone-else", EvidenceStatus::Checked);
            assert_eq!(
                EvidenceAccess::of(Some(&a), &checked).may_publish(),
                curator
            );
            let own = record_by("u1", EvidenceStatus::Draft);
            assert!(!EvidenceAccess::of(Some(&a), &own).may_check());
            let own_checked = record_by("u1", EvidenceStatus::Checked);
            assert!(!EvidenceAccess::of(Some(&a), &own_checked).may_publish());
        }
    }

    #[test]
    fn authors_edit_only_their_own_drafts() {
        let a = actor(Role::Contributor, &["o1"]);
        assert!(EvidenceAccess::of(Some(&a), &record_by("u1", EvidenceStatus::Draft)).may_edit());
        assert!(
            !EvidenceAccess::of(Some(&a), &record_by("u1", EvidenceStatus::Published)).may_edit()
        );
        assert!(!EvidenceAccess::of(Some(&a), &record_by("u2", EvidenceStatus::Draft)).may_edit());
        let m = actor(Role::Member, &["o1"]);
        assert!(!EvidenceAccess::of(Some(&m), &record_by("u1", EvidenceStatus::Draft)).may_edit());
        assert_eq!(
            EvidenceAccess::of(None, &record_by("u1", EvidenceStatus::Published)),
            EvidenceAccess::default()
        );
    }
}
