//! Advocacy: collections of evidence records, curated into an ordered outline of sections
//! (an advocacy pack such as the manifesto, or a narrative for the region or one place), the
//! pack generated from it as DOCX, tagged PDF and PPTX through the shared document pipeline,
//! and share links for decision makers without an account. Reached through
//! `app.advocacy()`.
//!
//! Files: `access` (the one rule of who may do what), `record` (typed collections), `input`
//! (forms and API bodies and their checks), `read` (a collection with its pack: what goes in,
//! what is left out and why), `write` (create, edit the outline, publish, delete), `history`
//! (versions compared), `pack` (the outline handed to `documents`), `share` (share links).

mod access;
mod history;
mod input;
mod pack;
mod read;
pub(crate) mod record;
mod share;
mod write;

pub use access::CollectionAccess;
pub use history::CollectionVersion;
pub use input::{CollectionInput, OutlineInput, SectionInput, ShareInput};
pub use pack::{PackFile, PackFormat};
pub use read::{CollectionView, LeftOutEntry, PackEntry, SectionView, Tally};
pub use record::Collection;
pub use share::{NewShareLink, SharedPack};
pub use write::Direction;

use crate::App;

/// The advocacy use cases, borrowed from the app: `app.advocacy().collection(…)`.
pub struct Advocacy<'a> {
    app: &'a App,
}

impl App {
    pub fn advocacy(&self) -> Advocacy<'_> {
        Advocacy { app: self }
    }
}
