//! Collections' one access rule, computed once from the actor, the collection and its
//! curators: contributors and above start collections; only curators change one (its
//! outline, its curators, its share links); curators, moderators and network admins publish
//! and delete; a share link needs a public audience, since whoever holds it reads the pack.
//! Reading is decided in SQL (`lz_store::advocacy`): curators and those who see all content
//! always, others a published collection by its audience. Nothing else here reads `Role`.

use lz_domain::library::Visibility;
use lz_domain::Role;

use super::Collection;
use crate::{Actor, AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct CollectionAccess {
    create: bool,
    edit: bool,
    publish: bool,
    share: bool,
    /// Sees what the audience does not: records left out, share links, history.
    oversee: bool,
}

fn moderates(actor: &Actor) -> bool {
    matches!(actor.role, Role::NetworkAdmin | Role::Moderator)
}

impl CollectionAccess {
    /// Collections as a whole: may this person start one?
    pub fn general(actor: Option<&Actor>) -> Self {
        Self {
            create: actor.is_some_and(Actor::contributes),
            ..Self::default()
        }
    }

    /// The reader's rights on `c` (which they have been allowed to read), given its
    /// curators' ids.
    pub fn of(actor: Option<&Actor>, c: &Collection, curators: &[String]) -> Self {
        let Some(a) = actor else {
            return Self::default();
        };
        let curator = a.contributes() && curators.iter().any(|id| id == a.id());
        Self {
            create: a.contributes(),
            edit: curator,
            publish: curator || moderates(a),
            share: curator && c.audience == Visibility::Public,
            oversee: curator || moderates(a),
        }
    }

    fn require(flag: bool) -> AppResult<()> {
        if flag {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn require_create(actor: Option<&Actor>) -> AppResult<()> {
        Self::require(Self::general(actor).create)
    }
    pub fn require_edit(self) -> AppResult<()> {
        Self::require(self.edit)
    }
    pub fn require_publish(self) -> AppResult<()> {
        Self::require(self.publish)
    }
    pub fn require_oversee(self) -> AppResult<()> {
        Self::require(self.oversee)
    }
    pub fn may_create(self) -> bool {
        self.create
    }
    pub fn may_edit(self) -> bool {
        self.edit
    }
    pub fn may_publish(self) -> bool {
        self.publish
    }
    pub fn may_share(self) -> bool {
        self.share
    }
    pub fn may_oversee(self) -> bool {
        self.oversee
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::tests::actor;
    use crate::advocacy::record::tests::collection;
    use lz_domain::advocacy::CollectionStatus;

    #[test]
    fn only_curators_change_a_collection_and_only_public_ones_are_shared() {
        let public = collection(Visibility::Public, CollectionStatus::Draft);
        let network = collection(Visibility::Network, CollectionStatus::Draft);
        for role in Role::ALL {
            let a = actor(role, &["o1"]);
            let curators = vec![a.id().to_string()];
            let as_curator = CollectionAccess::of(Some(&a), &public, &curators);
            let contributes = role != Role::Member;
            assert_eq!(as_curator.may_edit(), contributes, "{role:?}");
            assert_eq!(as_curator.may_share(), contributes, "{role:?}");
            assert!(!CollectionAccess::of(Some(&a), &network, &curators).may_share());
            let other = CollectionAccess::of(Some(&a), &public, &["u9".to_string()]);
            assert!(!other.may_edit(), "{role:?}");
            assert!(!other.may_share(), "{role:?}");
            let moderator = matches!(role, Role::NetworkAdmin | Role::Moderator);
            assert_eq!(other.may_publish(), moderator, "{role:?}");
            assert_eq!(other.may_oversee(), moderator, "{role:?}");
            assert_eq!(
                CollectionAccess::general(Some(&a)).may_create(),
                contributes
            );
        }
        assert_eq!(
            CollectionAccess::of(None, &public, &["u1".to_string()]),
            CollectionAccess::default()
        );
    }
}
