//! The evidence bank: evidence records (a claim, the agendas it serves, its places and
//! organisations, a measure, its source, type and strength on the Nesta Standards of
//! Evidence) move draft → checked (by a second person) → published. Reached through
//! `app.evidence()`.
//!
//! Files: `access` (the one rule of who may do what), `record` (typed records), `input` (the
//! form and API body and their checks), `read` (one record, lists with counts, the CSV),
//! `write` (record, edit, check, publish, delete; each logs the change for the search index),
//! `search` (a published record as a document of the search index).

mod access;
mod input;
mod read;
pub(crate) mod record;
pub(crate) mod search;
mod write;

pub use access::EvidenceAccess;
pub use input::EvidenceInput;
pub use read::{EvidenceFilter, EvidenceListView, FacetCount};
pub use record::{EvidenceLink, EvidenceRecord, EvidenceSource, Measure};

use crate::App;

/// The evidence bank's use cases, borrowed from the app: `app.evidence().check(…)`.
pub struct Evidence<'a> {
    app: &'a App,
}

impl App {
    pub fn evidence(&self) -> Evidence<'_> {
        Evidence { app: self }
    }
}

/// A record with what the reader may do with it.
pub struct EvidenceView {
    pub record: EvidenceRecord,
    pub access: EvidenceAccess,
}
