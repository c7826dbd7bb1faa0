//! Who is asking, and the rules that more than one feature shares. Each feature's own rules
//! live in its `access` module (e.g. `events::access`); this file is where a rule that two
//! features use gets its one name and one definition. Nothing outside `access` modules reads
//! `Role`.

use lz_domain::{MembershipStatus, Role};

use crate::accounts::UserRecord;
use crate::network::MembershipRecord;
use crate::{AppError, AppResult};

/// The signed-in person making a request, with their role and organisation memberships.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: UserRecord,
    /// The user's role, which every rule below reads.
    pub role: Role,
    pub memberships: Vec<MembershipRecord>,
}

impl Actor {
    pub fn id(&self) -> &str {
        self.user.id.as_str()
    }

    pub fn active_memberships(&self) -> impl Iterator<Item = &MembershipRecord> {
        self.memberships
            .iter()
            .filter(|m| m.status == MembershipStatus::Active)
    }

    pub fn active_organisation_ids(&self) -> Vec<String> {
        self.active_memberships()
            .map(|m| m.organisation_id.to_string())
            .collect()
    }

    /// An active member of this organisation.
    pub fn belongs_to(&self, organisation_id: &str) -> bool {
        self.active_memberships()
            .any(|m| m.organisation_id.as_str() == organisation_id)
    }

    /// Network admins and moderators see all shared content (library items and events) at
    /// every visibility level and in every state. Delivery plans use the stricter
    /// `sees_all_plans`.
    pub fn sees_all_content(&self) -> bool {
        matches!(self.role, Role::NetworkAdmin | Role::Moderator)
    }

    /// A place lead speaks for the places of the organisations they are an active member of
    /// (a work area those places deliver takes their progress updates).
    pub fn leads_place(&self, place_id: &str) -> bool {
        self.role == Role::PlaceLead
            && self
                .active_memberships()
                .any(|m| m.place_id.as_ref().is_some_and(|p| p.as_str() == place_id))
    }

    /// The places this person leads (see `leads_place`).
    pub fn led_place_ids(&self) -> Vec<String> {
        if self.role != Role::PlaceLead {
            return Vec::new();
        }
        self.active_memberships()
            .filter_map(|m| m.place_id.as_ref().map(|p| p.as_str().to_string()))
            .collect()
    }

    /// Only network admins see every delivery plan, whoever owns it.
    pub fn sees_all_plans(&self) -> bool {
        self.role == Role::NetworkAdmin
    }

    /// Contributors and every role above them write shared content (items, events, plans).
    pub fn contributes(&self) -> bool {
        self.role != Role::Member
    }

    /// Network admins run the network: places, organisations, roles, the outbox.
    pub fn administers_network(&self) -> bool {
        self.role.can_administer_network()
    }

    pub fn require_network_admin(&self) -> AppResult<()> {
        if self.administers_network() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Organisation admins and network admins decide join requests (the former only for
    /// their own organisations: see `may_decide_for`); they also see the administration pages.
    pub fn decides_join_requests(&self) -> bool {
        self.role.can_decide_join_requests()
    }

    /// Network admins decide for any organisation; organisation admins for their own.
    pub fn may_decide_for(&self, organisation_id: &str) -> bool {
        match self.role {
            Role::NetworkAdmin => true,
            Role::OrgAdmin => self.belongs_to(organisation_id),
            _ => false,
        }
    }

    /// The role's label, for "signed in as … (Moderator)".
    pub fn role_label(&self) -> &'static str {
        self.role.label()
    }

    /// The role's code, for the API's `me`.
    pub fn role_code(&self) -> &'static str {
        self.role.code()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An actor of `role`, an active member of `orgs`, for the access modules' unit tests.
    pub(crate) fn actor(role: Role, orgs: &[&str]) -> Actor {
        use lz_store::users::{MembershipRow, UserRow};
        let user = UserRow {
            id: "u1".into(),
            role: role.code().into(),
            ..UserRow::default()
        };
        let membership = |o: &&str| MembershipRow {
            organisation_id: (*o).into(),
            status: "active".into(),
            via: "admin".into(),
            ..MembershipRow::default()
        };
        Actor {
            user: UserRecord::try_from(user).expect("a valid user"),
            role,
            memberships: orgs
                .iter()
                .map(|o| MembershipRecord::try_from(membership(o)).expect("a valid membership"))
                .collect(),
        }
    }

    #[test]
    fn only_admins_and_moderators_see_all_content_and_only_admins_all_plans() {
        for role in Role::ALL {
            let a = actor(role, &[]);
            assert_eq!(
                a.sees_all_content(),
                matches!(role, Role::NetworkAdmin | Role::Moderator)
            );
            assert_eq!(a.sees_all_plans(), role == Role::NetworkAdmin);
            assert_eq!(a.contributes(), role != Role::Member);
        }
    }

    #[test]
    fn org_admins_decide_only_for_their_own_organisation() {
        assert!(actor(Role::OrgAdmin, &["o1"]).may_decide_for("o1"));
        assert!(!actor(Role::OrgAdmin, &["o1"]).may_decide_for("o2"));
        assert!(actor(Role::NetworkAdmin, &[]).may_decide_for("o2"));
        assert!(!actor(Role::Moderator, &["o1"]).may_decide_for("o1"));
    }
}
