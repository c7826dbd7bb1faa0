//! The learning library: items move draft → in review → published (→ withdrawn), every
//! save keeps a version, a managed taxonomy tags them, people mark and follow them, and
//! attachments carry files. Reached through the per-feature handle `app.library()`.
//!
//! Files by what a person does: `read` (an item and lists), `write` (create, edit, delete,
//! feature), `review` (the workflow), `history` (versions and their differences), `marks`
//! (useful, bookmarks, follows), `taxonomy` (terms, renames, merges), `mail` (what the
//! author is told); `access` holds the one rule of who may do what, `record` the typed
//! records, `input` the form and its checks. Search lives in `crate::search`.

mod access;
pub mod attachments;
mod history;
mod input;
mod mail;
mod marks;
mod read;
pub(crate) mod record;
mod review;
mod taxonomy;
mod write;

pub use access::{access_for, ItemAccess, LibraryAccess};
pub(crate) use access::{item_tokens, reader};
pub use history::VersionView;
pub use input::{ItemInput, SECTIONS};
pub use lz_store::library::ItemList;
pub use record::{
    AttachmentRecord, Author, Decision, ItemRecord, ItemTerm, Link, ReviewRecord, TermRecord,
};

use lz_domain::library::Mark;

use crate::App;

/// The library's use cases, borrowed from the app: `app.library().publish(…)`.
pub struct Library<'a> {
    app: &'a App,
}

impl App {
    pub fn library(&self) -> Library<'_> {
        Library { app: self }
    }
}

/// An item with everything its page shows and what the reader may do with it.
pub struct ItemView {
    pub item: ItemRecord,
    pub terms: Vec<ItemTerm>,
    pub authors: Vec<Author>,
    pub links: Vec<Link>,
    pub attachments: Vec<AttachmentRecord>,
    /// Decisions and comments, for editors and reviewers only (empty for others).
    pub reviews: Vec<ReviewRecord>,
    pub useful_count: i64,
    pub my_marks: Vec<Mark>,
    pub access: ItemAccess,
}

impl ItemView {
    pub fn marked(&self, mark: Mark) -> bool {
        self.my_marks.contains(&mark)
    }
}
