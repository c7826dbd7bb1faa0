//! Learning Zone's storage: one repository layer over SQLite and PostgreSQL.
//! Every query is written once, with `$n` placeholders that both backends accept through
//! sqlx's `Any` driver; only migrations differ per backend (column types).

mod db;
pub mod events;
pub mod library;
pub mod network;
pub mod ops;
pub mod outbox;
pub mod plans;
pub mod security;
pub mod users;

pub use db::{Backend, Conn, Db, Tx};

/// Storage errors. A unique-key clash is told apart so that callers can say "already exists".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a record with the same {0} already exists")]
    Conflict(&'static str),
    #[error("database: {0}")]
    Db(#[source] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Invalid(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Conflict("key");
            }
        }
        StoreError::Db(e)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Maps a unique violation to a conflict naming `what`; other errors pass through.
pub(crate) fn conflict_as(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict(what),
        other => other,
    }
}
