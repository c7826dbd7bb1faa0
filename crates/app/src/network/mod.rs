//! The network: places and organisations (managed by network admins), requests to join an
//! organisation and their decisions (organisation admins for their own organisations, or a
//! network admin), people and roles, and the oversight pages (outbox, audit log). Reached
//! through `app.network()`; who may do what is decided once, in `access`.

pub mod access;
mod input;
mod membership;
mod organisations;
mod oversight;
mod people;
mod places;
pub mod record;

pub use access::NetworkAccess;
pub use input::{parse_domains, OrganisationInput, PlaceInput};
pub(crate) use membership::join_by_domain;
pub use membership::Decision;
pub use organisations::{OrganisationList, OrganisationToEdit};
pub use oversight::{AdminOverview, AuditEntry, OutboxMessage};
pub use people::Person;
pub use record::{JoinedVia, MembershipRecord, OrganisationRecord, PlaceRecord};

use crate::App;

/// The network use cases: `app.network().save_place(…)`.
pub struct Network<'a> {
    app: &'a App,
}

impl App {
    pub fn network(&self) -> Network<'_> {
        Network { app: self }
    }
}
