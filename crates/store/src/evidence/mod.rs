//! The evidence bank's tables: evidence records (`record`: the row, who may read it in SQL,
//! and writes) and what each is linked to (`links`: agendas, places, organisations).

use sqlx::FromRow;

use crate::{Conn, StoreResult};

mod links;
mod record;

pub use links::*;
pub use record::*;
