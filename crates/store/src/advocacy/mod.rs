//! Collections of evidence and their share links: `collection` (the collection, who may read
//! it in SQL, its outline of sections with chosen evidence, curators, workshops, versions)
//! and `share` (read-only links for people without an account).

use sqlx::FromRow;

use crate::{Conn, StoreResult};

mod collection;
mod share;

pub use collection::*;
pub use share::*;
