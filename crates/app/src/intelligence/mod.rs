//! Shared intelligence: public indicators (the share of adults who are inactive, deprivation)
//! by area, imported from OHID Fingertips CSVs, the Indices of Deprivation summary sheet or a
//! tidy CSV, reviewed before anything is saved, then read by place, compared across the
//! region and against England, and tied to the learning, evidence and plan outcomes that
//! address them. Reached through `app.intelligence()`.
//!
//! Files: `access` (the one rule: figures are open data, read by everyone who may see the
//! place; network admins and analysts import and edit definitions), `record` (typed areas,
//! indicators and observations), `areas` (the reference areas of the North West and the areas
//! each place covers), `import` (read a file, flag what a person must check, stage it, save it
//! in one transaction), `read` (an indicator across areas and periods, a place's spine, CSV),
//! `outcomes` (a work area's outcome following an indicator), `links` (items and evidence
//! tagged with indicators).

mod access;
pub(crate) mod areas;
mod import;
mod links;
mod outcomes;
mod read;
pub(crate) mod record;

pub use access::IntelligenceAccess;
pub use areas::{reference_areas, ReferenceArea};
pub use import::{ImportPreview, ImportSaved, ImportSource, PreviewFlagGroup};
pub use outcomes::{OutcomeFigure, OutcomeInput};
pub use read::{
    ComparisonRow, IndicatorPage, ObservationQuery, PlaceFigures, SeriesLine, SpineEntry, Trend,
};
pub use record::{AreaRecord, IndicatorRecord, ObservationRecord};

use crate::App;

/// The shared-intelligence use cases, borrowed from the app: `app.intelligence().…`.
pub struct Intelligence<'a> {
    app: &'a App,
}

impl App {
    pub fn intelligence(&self) -> Intelligence<'_> {
        Intelligence { app: self }
    }
}

/// England's GSS code: the benchmark every comparison is made against.
pub const ENGLAND: &str = "E92000001";
/// The North West region's GSS code: the region of the first network.
pub const NORTH_WEST: &str = "E12000002";
