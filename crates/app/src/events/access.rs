//! Who may do what with events: the one place that decides it. `EventAccess` is computed once
//! per request from the actor, the event, its organisers and the reader's registration; use
//! cases require a level, pages ask it which buttons to show. Creating events and series, and
//! whose organisation an event may run under, are here too. The visibility rule matches the
//! store's `EVENT_VISIBLE` filter (which does the same for lists, in SQL).

use lz_domain::events::EventStatus;
use lz_domain::ids::UserId;
use lz_domain::library::Visibility;
use lz_store::events::EventReader;

use super::record::{EventRecord, RegistrationRecord};
use crate::{Actor, AppError, AppResult};

/// What the reader may do with one event, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventAccess {
    /// May not see it (a draft, or a network event to someone signed out).
    None,
    /// Sees the page and may register (signed in) or ask as a guest.
    Read,
    /// Holds a registered place: also sees the joining link.
    Register,
    /// Creator, named organiser, or someone who sees all content: changes and runs it.
    Organise,
}

impl EventAccess {
    /// The access of `actor` (none: signed out) to `event`, organised by `organisers`, with
    /// the reader's live registration `mine`.
    pub fn of(
        actor: Option<&Actor>,
        event: &EventRecord,
        organisers: &[UserId],
        mine: Option<&RegistrationRecord>,
    ) -> Self {
        if actor.is_some_and(|a| organises(a, event, organisers)) {
            return EventAccess::Organise;
        }
        let visible = event.status != EventStatus::Draft
            && match event.visibility {
                Visibility::Public => true,
                Visibility::Network => actor.is_some(),
                Visibility::Place | Visibility::Organisation => false,
            };
        if !visible {
            EventAccess::None
        } else if mine.is_some_and(RegistrationRecord::is_registered) {
            EventAccess::Register
        } else {
            EventAccess::Read
        }
    }

    /// A guest with the emailed key to their registration.
    pub fn for_guest(registration: &RegistrationRecord) -> Self {
        if registration.is_registered() {
            EventAccess::Register
        } else {
            EventAccess::Read
        }
    }

    pub fn may_organise(self) -> bool {
        self >= EventAccess::Organise
    }

    /// Someone who may not see the event is told it does not exist.
    pub fn require_read(self) -> AppResult<()> {
        if self >= EventAccess::Read {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub fn require_organise(self) -> AppResult<()> {
        if self.may_organise() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

fn organises(actor: &Actor, event: &EventRecord, organisers: &[UserId]) -> bool {
    actor.sees_all_content()
        || event.created_by == actor.id()
        || organisers.iter().any(|u| u == actor.id())
}

/// Contributors and every role above them create events and series.
pub fn may_create(actor: &Actor) -> bool {
    actor.contributes()
}

pub fn require_create(actor: &Actor) -> AppResult<()> {
    if may_create(actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// An event runs under one of the organiser's own organisations, or any for those who see
/// all content.
pub fn may_run_for(actor: &Actor, organisation_id: &str) -> bool {
    actor.sees_all_content() || actor.belongs_to(organisation_id)
}

/// The store's filter for event lists and pages read by `actor`.
pub(crate) fn reader(actor: Option<&Actor>) -> EventReader<'_> {
    EventReader {
        user_id: actor.map(|a| a.id()),
        sees_everything: actor.is_some_and(Actor::sees_all_content),
    }
}

#[cfg(test)]
mod tests {
    use lz_domain::events::RegistrationStatus;
    use lz_domain::Role;
    use lz_store::events::{EventRow, RegistrationRow};

    use super::*;
    use crate::access::tests::actor;

    fn event(status: &str, visibility: &str) -> EventRecord {
        EventRecord::try_from(EventRow {
            id: "e1".into(),
            series_id: None,
            series_title: None,
            title: "t".into(),
            summary: "".into(),
            format: "in_person".into(),
            venue: "".into(),
            address: "".into(),
            access_info: "".into(),
            joining_link: "".into(),
            speakers: "".into(),
            starts_at: 0,
            ends_at: 1,
            capacity: 1,
            registration_opens_at: None,
            registration_closes_at: None,
            organisation_id: "o1".into(),
            organisation_name: "".into(),
            visibility: visibility.into(),
            status: status.into(),
            allow_guests: 0,
            ask_access: 0,
            ask_dietary: 0,
            sequence: 0,
            personal_data_deleted_at: None,
            created_by: "creator".into(),
            created_at: 0,
            updated_at: 0,
            registered: 0,
            waiting: 0,
        })
        .expect("a good row")
    }

    fn registration(status: RegistrationStatus) -> RegistrationRecord {
        RegistrationRecord::try_from(RegistrationRow {
            id: "r1".into(),
            event_id: "e1".into(),
            user_id: Some("u1".into()),
            name: "".into(),
            email: "".into(),
            organisation_name: "".into(),
            organisation_id: None,
            place_id: None,
            place_name: None,
            status: status.code().into(),
            access_needs: None,
            dietary_needs: None,
            attended: None,
            created_at: 0,
            registered_at: None,
            cancelled_at: None,
            has_feedback: 0,
        })
        .expect("a good row")
    }

    #[test]
    fn admins_and_moderators_organise_every_event_others_only_their_own() {
        let open = event("open", "network");
        for role in Role::ALL {
            let a = actor(role, &["o1"]);
            let expected = if matches!(role, Role::NetworkAdmin | Role::Moderator) {
                EventAccess::Organise
            } else {
                EventAccess::Read
            };
            assert_eq!(
                EventAccess::of(Some(&a), &open, &[], None),
                expected,
                "{role:?}"
            );
            let named = [UserId::from("u1")];
            assert_eq!(
                EventAccess::of(Some(&a), &open, &named, None),
                EventAccess::Organise,
                "{role:?} named as organiser"
            );
        }
    }

    #[test]
    fn drafts_are_hidden_from_everyone_but_organisers() {
        let draft = event("draft", "public");
        assert_eq!(EventAccess::of(None, &draft, &[], None), EventAccess::None);
        let member = actor(Role::Member, &["o1"]);
        assert_eq!(
            EventAccess::of(Some(&member), &draft, &[], None),
            EventAccess::None
        );
        assert!(EventAccess::None.require_read().is_err());
    }

    #[test]
    fn network_events_need_a_signed_in_reader() {
        let network = event("open", "network");
        assert_eq!(
            EventAccess::of(None, &network, &[], None),
            EventAccess::None
        );
        assert_eq!(
            EventAccess::of(None, &event("open", "public"), &[], None),
            EventAccess::Read
        );
    }

    #[test]
    fn a_registered_place_gives_register_but_waiting_does_not() {
        let open = event("open", "public");
        let member = actor(Role::Member, &[]);
        let registered = registration(RegistrationStatus::Registered);
        let waiting = registration(RegistrationStatus::Waiting);
        assert_eq!(
            EventAccess::of(Some(&member), &open, &[], Some(&registered)),
            EventAccess::Register
        );
        assert_eq!(
            EventAccess::of(Some(&member), &open, &[], Some(&waiting)),
            EventAccess::Read
        );
        assert_eq!(EventAccess::for_guest(&registered), EventAccess::Register);
        assert!(EventAccess::Register.require_organise().is_err());
        assert!(EventAccess::Organise.require_organise().is_ok());
    }

    #[test]
    fn members_may_not_create_events_every_other_role_may() {
        for role in Role::ALL {
            assert_eq!(may_create(&actor(role, &[])), role != Role::Member);
        }
    }

    #[test]
    fn events_run_under_own_organisations_unless_seeing_all_content() {
        assert!(may_run_for(&actor(Role::Contributor, &["o1"]), "o1"));
        assert!(!may_run_for(&actor(Role::Contributor, &["o1"]), "o2"));
        assert!(may_run_for(&actor(Role::Moderator, &[]), "o2"));
    }
}
