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

use lz_store::network as store;
use lz_store::network::{OrganisationRow, PlaceRow};

pub use access::NetworkAccess;
pub use input::{parse_domains, OrganisationInput, PlaceInput};
pub(crate) use membership::join_by_domain;
pub use membership::Decision;
pub use organisations::{OrganisationList, OrganisationToEdit};
pub use oversight::{AdminOverview, AuditEntry, OutboxMessage};
pub use people::Person;
pub use record::{JoinedVia, MembershipRecord, OrganisationRecord, PlaceRecord};

use crate::{App, AppResult};

/// The network use cases: `app.network().save_place(…)`.
pub struct Network<'a> {
    app: &'a App,
}

impl App {
    pub fn network(&self) -> Network<'_> {
        Network { app: self }
    }

    /// Every place, as stored. Kept for the features that have not moved to typed records
    /// yet (library, events, plans, the demo loader); new code uses `network().places()`.
    pub async fn places(&self) -> AppResult<Vec<PlaceRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::places(&mut c).await?)
    }

    /// Every organisation, as stored. Kept for the features that have not moved yet; new
    /// code uses `network().organisations()`.
    pub async fn organisations(&self) -> AppResult<Vec<OrganisationRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::organisations(&mut c).await?)
    }
}
