//! Delivery plans: plans, work areas (and mandates) with their leads, budget lines and
//! outcomes; meetings and the actions they raise; progress updates.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

mod actions;
mod links;
mod milestones;
mod places;
mod plan;
mod progress;
mod reminders;
mod structure;

pub use actions::*;
pub use links::*;
pub use milestones::*;
pub use places::*;
pub use plan::*;
pub use progress::*;
pub use reminders::*;
pub use structure::*;
