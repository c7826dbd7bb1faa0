//! Learning Zone's storage: one repository layer over SQLite and PostgreSQL.
//! Every query is written once, with `$n` placeholders that both backends accept through
//! sqlx's `Any` driver; only migrations differ per backend (column types).

/// A query assembled with `format!` from this crate's own constants (column lists, shared
/// `WHERE` fragments, table names chosen in code), never from input, which values always
/// reach as bound `$n` parameters. sqlx 0.9 takes a `String` as SQL only when asserted so.
macro_rules! trusted_sql {
    ($($fmt:tt)*) => {
        sqlx::AssertSqlSafe(format!($($fmt)*))
    };
}

pub mod advocacy;
mod columns;
mod db;
pub mod events;
pub mod evidence;
pub mod intelligence;
pub mod library;
pub mod network;
pub mod ops;
pub mod outbox;
pub mod plans;
pub mod security;
pub mod users;

pub use db::{Backend, Conn, Db, Tx};

/// Storage errors. A unique-key clash is told apart, with the key that clashed, so that
/// callers can say which field "already exists".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a record with the same {0} already exists")]
    Conflict(UniqueKey),
    #[error("database")]
    Db(#[source] sqlx::Error),
    #[error("migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Invalid(String),
}

/// The unique key a write clashed with, named the same way on both databases:
/// `table.column[,column]` (e.g. `places.slug`), or a repository's own name for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueKey(pub String);

impl UniqueKey {
    /// Reads the key from a unique violation: SQLite says "UNIQUE constraint failed:
    /// places.slug", PostgreSQL gives the table and "Key (slug)=(…) already exists.".
    fn of(db: &dyn sqlx::error::DatabaseError) -> Self {
        if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
            let columns = pg
                .detail()
                .and_then(|d| d.strip_prefix("Key ("))
                .and_then(|d| d.split(")=").next())
                .unwrap_or_default()
                .replace(' ', "");
            return match (pg.table(), columns.is_empty()) {
                (Some(t), false) => Self(format!("{t}.{columns}")),
                _ => Self(pg.constraint().unwrap_or("key").to_string()),
            };
        }
        let msg = db.message();
        match msg.split_once("constraint failed: ") {
            Some((_, cols)) => {
                let mut table = "";
                let columns: Vec<&str> = cols
                    .split(',')
                    .map(|c| {
                        let (t, col) = c.trim().split_once('.').unwrap_or(("", c.trim()));
                        table = t;
                        col
                    })
                    .collect();
                Self(format!("{table}.{}", columns.join(",")))
            }
            None => Self("key".into()),
        }
    }

    pub fn is(&self, name: &str) -> bool {
        self.0 == name
    }
}

impl std::fmt::Display for UniqueKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Conflict(UniqueKey::of(db.as_ref()));
            }
        }
        StoreError::Db(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Maps a unique violation to a conflict under the repository's own name for the key
/// (e.g. "email"); other errors pass through.
pub(crate) fn conflict_as(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict(UniqueKey(what.to_string())),
        other => other,
    }
}
