//! Learning events: series, events, registrations (with the waiting list), attendance,
//! feedback, materials, and the claims that make each reminder go once.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

mod event;
mod feedback;
mod mail;
mod materials;
mod registrations;
mod series;

pub use event::*;
pub use feedback::*;
pub use mail::*;
pub use materials::*;
pub use registrations::*;
pub use series::*;
