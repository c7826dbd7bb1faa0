//! Reading delivery-plan documents and Executive minutes: pure parsing, no I/O.
//!
//! The inputs are plain text exported from Word. A delivery plan is a table whose cells each
//! begin with a TAB (cells run on over several lines and blank lines); the first row holds the
//! column titles, then one row per work area. Minutes are ordinary paragraphs with a numbered
//! list of mandates and "Action – …" lines.
//!
//! The parser reads the *format*, not one particular file: columns are recognised by keywords
//! in any order, and whatever it cannot be sure of becomes a [`Flag`] for a person to confirm
//! before anything is saved. Nothing here touches a database or the file system.

mod clean;
mod dates;
mod minutes;
mod money;
mod plan;

#[cfg(test)]
mod tests;

pub use dates::{parse_date_range, parse_due_date, DateRange};
pub use minutes::parse_minutes;
pub use money::parse_money;
pub use plan::parse_plan;

/// The largest document accepted, in bytes (5 MiB).
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// Something a person must confirm or complete before the import is saved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Flag {
    /// The field it concerns, e.g. `accountable_leads`, `budget`, `when`, `due`.
    pub field: String,
    pub message: String,
}

impl Flag {
    pub(crate) fn new(field: &str, message: impl Into<String>) -> Self {
        Flag {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// One amount found in a resources cell, with the phrase it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BudgetLine {
    pub label: String,
    pub amount_pence: i64,
}

/// One row of a delivery plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParsedWorkArea {
    pub title: String,
    pub accountable_leads: Vec<String>,
    pub why: String,
    /// Key milestones / progress to date.
    pub progress: String,
    pub what_we_will_do: String,
    pub resources: String,
    pub budget_lines: Vec<BudgetLine>,
    pub budget_total_pence: Option<i64>,
    /// The dates cell as written.
    pub when: String,
    #[serde(serialize_with = "iso_date::option")]
    pub start: Option<jiff::civil::Date>,
    #[serde(serialize_with = "iso_date::option")]
    pub end: Option<jiff::civil::Date>,
    /// The work has no end date ("ongoing").
    pub end_open: bool,
    /// One per paragraph (or bullet) of the outcomes cell.
    pub outcomes: Vec<String>,
    /// The key milestones cell's sentences that name a date ("… by March 2027").
    pub milestones: Vec<ParsedMilestone>,
    pub flags: Vec<Flag>,
}

/// A milestone read from the key milestones cell: the sentence, and the day it names (a
/// month alone gives its last day).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParsedMilestone {
    pub title: String,
    #[serde(serialize_with = "iso_date::format_ser")]
    pub due: jiff::civil::Date,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParsedPlan {
    pub title: String,
    pub cluster: Option<String>,
    pub lead_applicant: Option<String>,
    pub work_areas: Vec<ParsedWorkArea>,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParsedAction {
    /// The action sentence without its "Action –" prefix.
    pub description: String,
    pub owner: Option<String>,
    #[serde(serialize_with = "iso_date::option")]
    pub due: Option<jiff::civil::Date>,
    /// The line(s) as they appeared in the minutes.
    pub raw: String,
    /// The mandate the action names ("… for the Shared Intelligence system mandate …"), as
    /// an index into the minutes' mandates.
    pub mandate: Option<usize>,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParsedMinutes {
    pub title: String,
    pub mandates: Vec<String>,
    pub actions: Vec<ParsedAction>,
    pub flags: Vec<Flag>,
}

/// Why a document could not be read at all. Anything less serious is a [`Flag`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("This is not a table we can read: {0}")]
    NotATable(String),
    #[error("The table is missing required columns: {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    #[error("The document is empty")]
    Empty,
    #[error("The document is larger than the 5 MB limit")]
    TooLarge,
}

/// Serialises dates as ISO 8601 calendar dates, "YYYY-MM-DD".
pub(crate) mod iso_date {
    use jiff::civil::Date;
    use serde::Serializer;

    pub fn format(d: Date) -> String {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }

    pub fn format_ser<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(*d))
    }

    pub fn option<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&format(*d)),
            None => s.serialize_none(),
        }
    }
}
