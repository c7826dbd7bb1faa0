//! The plans rule, the only place that decides who may do what with a delivery plan.
//!
//! Seeing a plan is decided in the store's query (its visibility, the reader's memberships),
//! with the stricter `Actor::sees_all_plans` (network admins only: moderators, who see all
//! items and events, do not see every plan). Changing a plan is `PlanAccess::Edit`; a work
//! area's accountable leads may also update their work area; importing is for network admins
//! and the admins of the owning organisation.

use lz_domain::ids::OrgId;
use lz_store::plans::Reader;

use super::record::PlanRecord;
use crate::{Actor, AppError, AppResult};

/// What a person may do with one plan they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlanAccess {
    Read,
    /// Change the plan: minutes, actions, work areas, report schedules.
    Edit,
}

impl PlanAccess {
    /// Network admins change any plan; contributors and above change their organisation's.
    pub fn of(actor: Option<&Actor>, plan: &PlanRecord) -> Self {
        let Some(actor) = actor else {
            return PlanAccess::Read;
        };
        let member_of_owner = plan
            .owner_organisation_id
            .as_ref()
            .is_some_and(|o| actor.belongs_to(o));
        if actor.sees_all_plans() || (actor.contributes() && member_of_owner) {
            PlanAccess::Edit
        } else {
            PlanAccess::Read
        }
    }

    /// The system itself (jobs, demo loading, the command line) changes any plan.
    pub fn system() -> Self {
        PlanAccess::Edit
    }

    pub fn may_edit(self) -> bool {
        self >= PlanAccess::Edit
    }

    pub fn require_edit(self) -> AppResult<()> {
        if self.may_edit() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A work area's accountable leads, and the place leads of the places that deliver it
    /// (`is_lead` covers both; see `PlanView::may_update`), update it (progress, milestones,
    /// indicators, links) as well as those who may change the plan.
    pub fn may_update_work_area(self, is_lead: bool) -> bool {
        self.may_edit() || is_lead
    }

    pub fn require_update_work_area(self, is_lead: bool) -> AppResult<()> {
        if self.may_update_work_area(is_lead) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// An action is closed by its owner or by those who may change the plan; to anyone else
    /// it is "not found", as before.
    pub fn require_close_action(self, is_owner: bool) -> AppResult<()> {
        if self.may_edit() || is_owner {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}

/// Who may open the import screen: those who may import a plan for some organisation
/// (organisation admins for theirs, network admins for any).
pub fn may_open_import(actor: &Actor) -> bool {
    actor.decides_join_requests()
}

pub fn require_open_import(actor: &Actor) -> AppResult<()> {
    if may_open_import(actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Importing or creating a plan owned by `owner` (none: the network's): network admins for
/// any, organisation admins for their own organisation.
pub fn require_import(actor: &Actor, owner: Option<&OrgId>) -> AppResult<()> {
    let allowed = match owner {
        Some(o) => actor.may_decide_for(o),
        None => actor.administers_network(),
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The store's visibility filter for this reader.
pub(crate) fn reader(actor: Option<&Actor>) -> Reader<'_> {
    Reader {
        user_id: actor.map(|a| a.id()),
        sees_everything: actor.is_some_and(|a| a.sees_all_plans()),
    }
}

/// The system (jobs, demo loading, the command line) reads every plan.
pub(crate) fn system_reader() -> Reader<'static> {
    Reader {
        user_id: None,
        sees_everything: true,
    }
}

#[cfg(test)]
mod tests {
    use lz_domain::Role;

    use super::*;
    use crate::access::tests::actor;
    use crate::plans::record::{PlanStatus, PlanVisibility};

    fn plan_of(owner: Option<&str>) -> PlanRecord {
        PlanRecord {
            id: "p1".into(),
            title: "Plan".into(),
            owner_organisation_id: owner.map(OrgId::from),
            owner_organisation: None,
            cluster: String::new(),
            lead_applicant: String::new(),
            period_start: None,
            period_end: None,
            status: PlanStatus::Active,
            visibility: PlanVisibility::Network,
        }
    }

    #[test]
    fn members_of_the_owner_who_contribute_edit_and_network_admins_edit_any() {
        let plan = plan_of(Some("o1"));
        for role in Role::ALL {
            let inside = PlanAccess::of(Some(&actor(role, &["o1"])), &plan);
            let outside = PlanAccess::of(Some(&actor(role, &["o2"])), &plan);
            assert_eq!(inside.may_edit(), role != Role::Member, "{role:?} inside");
            assert_eq!(
                outside.may_edit(),
                role == Role::NetworkAdmin,
                "{role:?} outside"
            );
        }
        assert_eq!(PlanAccess::of(None, &plan), PlanAccess::Read);
        let unowned = plan_of(None);
        assert!(!PlanAccess::of(Some(&actor(Role::OrgAdmin, &["o1"])), &unowned).may_edit());
        assert!(PlanAccess::of(Some(&actor(Role::NetworkAdmin, &[])), &unowned).may_edit());
    }

    #[test]
    fn leads_update_their_work_area_and_owners_close_their_actions() {
        assert!(PlanAccess::Read.may_update_work_area(true));
        assert!(!PlanAccess::Read.may_update_work_area(false));
        assert!(PlanAccess::Edit.may_update_work_area(false));
        assert!(PlanAccess::Read.require_close_action(true).is_ok());
        assert!(matches!(
            PlanAccess::Read.require_close_action(false),
            Err(AppError::NotFound)
        ));
    }

    #[test]
    fn only_network_admins_and_the_owners_admins_import() {
        let o1 = OrgId::from("o1");
        for role in Role::ALL {
            let a = actor(role, &["o1"]);
            let admin = role == Role::NetworkAdmin;
            assert_eq!(require_import(&a, None).is_ok(), admin, "{role:?} no owner");
            assert_eq!(
                require_import(&a, Some(&o1)).is_ok(),
                admin || role == Role::OrgAdmin,
                "{role:?} own org"
            );
            assert_eq!(
                require_import(&actor(role, &["o2"]), Some(&o1)).is_ok(),
                admin,
                "{role:?} other org"
            );
            assert_eq!(
                may_open_import(&a),
                matches!(role, Role::NetworkAdmin | Role::OrgAdmin)
            );
        }
    }

    #[test]
    fn only_network_admins_read_every_plan() {
        for role in Role::ALL {
            let a = actor(role, &[]);
            assert_eq!(reader(Some(&a)).sees_everything, role == Role::NetworkAdmin);
        }
        assert!(!reader(None).sees_everything);
    }
}
