//! Who may do what in the network, the one place that decides it: network admins
//! administer places, organisations, people and roles (and read the outbox and audit log);
//! organisation admins decide requests to join their own organisations; everyone else only
//! reads the directory and asks to join.

use lz_domain::Role;

use crate::{Actor, AppError, AppResult};

/// What the caller may do in the network, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NetworkAccess {
    /// Reads the directory and asks to join organisations.
    Member,
    /// Decides requests to join the organisations they belong to (organisation admins).
    DecideOwn,
    /// Runs the network and decides for any organisation (network admins).
    Administer,
}

impl NetworkAccess {
    pub fn of(actor: &Actor) -> Self {
        if actor.administers_network() {
            NetworkAccess::Administer
        } else if actor.decides_join_requests() {
            NetworkAccess::DecideOwn
        } else {
            NetworkAccess::Member
        }
    }

    /// The caller's access for a signed-out visitor too (the public directory).
    pub fn of_visitor(actor: Option<&Actor>) -> Self {
        actor.map_or(NetworkAccess::Member, Self::of)
    }

    /// Places, organisations, people, roles, the outbox and the audit log.
    pub fn may_administer(self) -> bool {
        self == NetworkAccess::Administer
    }

    pub fn require_administer(self) -> AppResult<()> {
        if self.may_administer() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Decides some join requests, and so sees the administration pages.
    pub fn may_decide(self) -> bool {
        self >= NetworkAccess::DecideOwn
    }

    pub fn require_decide(self) -> AppResult<()> {
        if self.may_decide() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Sees only the requests to join their own organisations (organisation admins);
    /// network admins see every request.
    pub fn decides_only_own(self) -> bool {
        self < NetworkAccess::Administer
    }

    /// May decide a request to join `organisation_id`. Someone else's organisation looks
    /// the same as a missing request to a decider: ids reveal nothing.
    pub fn require_decide_for(self, actor: &Actor, organisation_id: &str) -> AppResult<()> {
        if actor.may_decide_for(organisation_id) {
            Ok(())
        } else if self.may_decide() {
            Err(AppError::NotFound)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Whether changing a person's role from `from` to `to` would leave the network with no
/// network admin (`admins` is how many there are now): nobody could then run it.
pub(super) fn leaves_no_admin(from: Role, to: Role, admins: i64) -> bool {
    from == Role::NetworkAdmin && to != Role::NetworkAdmin && admins <= 1
}

/// The role whose holders are counted for [`leaves_no_admin`].
pub(super) const ADMIN_ROLE: Role = Role::NetworkAdmin;

/// Every role, least to most trusted, as (code, label): the choices on the people page.
pub fn role_choices() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::tests::actor;

    #[test]
    fn the_last_network_admin_keeps_the_role() {
        assert!(leaves_no_admin(Role::NetworkAdmin, Role::Moderator, 1));
        assert!(!leaves_no_admin(Role::NetworkAdmin, Role::Moderator, 2));
        assert!(!leaves_no_admin(Role::NetworkAdmin, Role::NetworkAdmin, 1));
        assert!(!leaves_no_admin(Role::Member, Role::Contributor, 1));
        assert_eq!(role_choices().len(), Role::ALL.len());
    }

    #[test]
    fn only_network_admins_administer() {
        for role in Role::ALL {
            let access = NetworkAccess::of(&actor(role, &[]));
            assert_eq!(
                access.may_administer(),
                role == Role::NetworkAdmin,
                "{role:?}"
            );
            assert_eq!(
                access.require_administer().is_ok(),
                role == Role::NetworkAdmin
            );
        }
    }

    #[test]
    fn org_and_network_admins_decide_and_only_org_admins_are_limited_to_their_own() {
        for role in Role::ALL {
            let access = NetworkAccess::of(&actor(role, &["o1"]));
            let decides = matches!(role, Role::OrgAdmin | Role::NetworkAdmin);
            assert_eq!(access.may_decide(), decides, "{role:?}");
            assert_eq!(access.require_decide().is_ok(), decides, "{role:?}");
            if decides {
                assert_eq!(access.decides_only_own(), role == Role::OrgAdmin);
            }
        }
    }

    #[test]
    fn a_decision_for_another_organisation_looks_missing_to_deciders_only() {
        let org_admin = actor(Role::OrgAdmin, &["o1"]);
        let access = NetworkAccess::of(&org_admin);
        assert!(access.require_decide_for(&org_admin, "o1").is_ok());
        assert!(matches!(
            access.require_decide_for(&org_admin, "o2"),
            Err(AppError::NotFound)
        ));
        let moderator = actor(Role::Moderator, &["o1"]);
        assert!(matches!(
            NetworkAccess::of(&moderator).require_decide_for(&moderator, "o1"),
            Err(AppError::Forbidden)
        ));
        let admin = actor(Role::NetworkAdmin, &[]);
        assert!(NetworkAccess::of(&admin)
            .require_decide_for(&admin, "o2")
            .is_ok());
    }
}
