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

impl ItemView {
    /// The reference to this item (APA, Harvard, RIS, BibTeX): the authors as they should
    /// be cited, or the named authors, or else the organisation; the original publication
    /// date, or the day it was published here (or written, for a draft); its stable address.
    pub fn citation(&self, base_url: &str, now_ms: i64) -> lz_domain::citation::Citation {
        use lz_domain::citation::{CitedName, PartialDate};
        let i = &self.item;
        let names: Vec<String> = if i.cite_as.is_empty() {
            self.authors.iter().map(|a| a.name.clone()).collect()
        } else {
            i.cite_as.clone()
        };
        let day = |ms: i64| lz_domain::dates::utc_date(ms / 1000).map(PartialDate::of_day);
        let date = i
            .original_date
            .or_else(|| i.published_at.and_then(day))
            .or_else(|| day(i.created_at))
            .unwrap_or(PartialDate {
                year: 1970,
                month: None,
                day: None,
            });
        let accessed =
            lz_domain::dates::utc_date(now_ms / 1000).unwrap_or(jiff::civil::date(1970, 1, 1));
        lz_domain::citation::Citation {
            authors: names.iter().map(|n| CitedName::read(n)).collect(),
            organisation: i.organisation_name.clone(),
            title: i.title.clone(),
            kind: i.kind.cited_as().to_string(),
            date,
            url: format!("{}/library/{}", base_url.trim_end_matches('/'), i.id),
            accessed,
            licence: i.licence,
            summary: i.summary.clone(),
            keywords: self.terms.iter().map(|t| t.name.clone()).collect(),
            key: i.id.to_string(),
        }
    }
}
