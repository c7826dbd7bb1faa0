//! Shared intelligence: `areas` (GSS areas with parents and dates, and the areas each place
//! covers), `indicators` (definitions), `observations` (values by indicator, area and period,
//! saved in batches, with the history of replaced values), `imports` (uploads awaiting review
//! and what each saved) and `links` (items, evidence and work areas tied to indicators).

use sqlx::FromRow;

use crate::{Conn, StoreResult};

mod areas;
mod imports;
mod indicators;
mod links;
mod observations;

pub use areas::*;
pub use imports::*;
pub use indicators::*;
pub use links::*;
pub use observations::*;
