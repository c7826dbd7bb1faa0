//! The learning library's tables: items with their authors, terms, links, versions and
//! reviews; attachments; marks and follows; the search change log and missed searches.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

mod attachments;
mod changes;
mod content;
mod details;
mod items;
mod marks;
mod misses;
mod plan_links;
mod taxonomy;
mod versions;

pub use attachments::*;
pub use changes::*;
pub use content::*;
pub use details::*;
pub use items::*;
pub use marks::*;
pub use misses::*;
pub use plan_links::*;
pub use taxonomy::*;
pub use versions::*;
