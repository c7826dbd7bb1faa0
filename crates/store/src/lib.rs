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
pub mod transfer;
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

/// A failure that is nobody's mistake in the request and passes once the world outside is
/// back: callers answer "try again" instead of "internal error".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// No space left where data is written: SQLite's SQLITE_FULL, PostgreSQL's disk_full,
    /// or a file write's ENOSPC. Nothing of the failed write was kept.
    StorageFull,
    /// The database does not answer: refused, shutting down, starting up, the connection
    /// dropped, or no connection free before the pool's acquire timeout.
    DatabaseDown,
}

impl Outage {
    /// The outage that this one error (not its sources) stands for, if any.
    pub fn of(e: &(dyn std::error::Error + 'static)) -> Option<Outage> {
        if let Some(e) = e.downcast_ref::<sqlx::Error>() {
            return match e {
                sqlx::Error::Database(db) => Self::of_code(db.code().as_deref().unwrap_or("")),
                sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                    Some(Outage::StorageFull)
                }
                sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed => Some(Outage::DatabaseDown),
                _ => None,
            };
        }
        // A bare I/O error (a file being written) says nothing about the database.
        match e.downcast_ref::<std::io::Error>() {
            Some(io) if io.kind() == std::io::ErrorKind::StorageFull => Some(Outage::StorageFull),
            _ => None,
        }
    }

    /// The first outage along an error and its sources.
    pub fn in_chain(e: &(dyn std::error::Error + 'static)) -> Option<Outage> {
        std::iter::successors(Some(e), |e| e.source()).find_map(Self::of)
    }

    /// SQLite's result code or PostgreSQL's SQLSTATE.
    fn of_code(code: &str) -> Option<Outage> {
        match code {
            // SQLITE_FULL ("database or disk is full"); PostgreSQL's disk_full.
            "13" | "53100" => Some(Outage::StorageFull),
            // too_many_connections, admin_shutdown (a fast or immediate stop), crash_shutdown,
            // cannot_connect_now (starting up or shutting down).
            "53300" | "57P01" | "57P02" | "57P03" => Some(Outage::DatabaseDown),
            // Class 08: connection exceptions.
            c if c.starts_with("08") => Some(Outage::DatabaseDown),
            _ => None,
        }
    }
}

/// Maps a unique violation to a conflict under the repository's own name for the key
/// (e.g. "email"); other errors pass through.
pub(crate) fn conflict_as(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict(UniqueKey(what.to_string())),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outage(e: StoreError) -> Option<Outage> {
        Outage::in_chain(&e)
    }

    #[test]
    fn outages_are_told_apart_along_the_chain() {
        use std::io::{Error, ErrorKind};
        assert_eq!(
            outage(StoreError::Db(sqlx::Error::PoolTimedOut)),
            Some(Outage::DatabaseDown)
        );
        assert_eq!(
            outage(StoreError::Db(sqlx::Error::Io(Error::from(
                ErrorKind::ConnectionRefused
            )))),
            Some(Outage::DatabaseDown)
        );
        assert_eq!(
            outage(StoreError::Db(sqlx::Error::Io(Error::from(
                ErrorKind::StorageFull
            )))),
            Some(Outage::StorageFull)
        );
        assert_eq!(outage(StoreError::Db(sqlx::Error::RowNotFound)), None);
        assert_eq!(outage(StoreError::Invalid("x".into())), None);
        // A file's full disk counts; a file's other trouble says nothing of the database.
        let full = Error::from(ErrorKind::StorageFull);
        assert_eq!(Outage::in_chain(&full), Some(Outage::StorageFull));
        let refused = Error::from(ErrorKind::ConnectionRefused);
        assert_eq!(Outage::in_chain(&refused), None);
        assert_eq!(Outage::of_code("13"), Some(Outage::StorageFull));
        assert_eq!(Outage::of_code("53100"), Some(Outage::StorageFull));
        assert_eq!(Outage::of_code("57P01"), Some(Outage::DatabaseDown));
        assert_eq!(Outage::of_code("08006"), Some(Outage::DatabaseDown));
        assert_eq!(Outage::of_code("23505"), None);
    }
}
