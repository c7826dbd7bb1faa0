//! The use-case layer's one error type. The web layer maps it once to an HTML page or form
//! errors, and to RFC 9457 problem details.

use lz_store::{Outage, StoreError};

/// A message about one input field, shown next to it and in the error summary.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("there is a problem with the input")]
    Invalid(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("sign in to continue")]
    Unauthenticated,
    #[error("you do not have permission to do that")]
    Forbidden,
    #[error("{0}")]
    Conflict(String),
    /// Was here and is no longer (a revoked or expired share link): the message says so and
    /// nothing else.
    #[error("{0}")]
    Gone(String),
    #[error("too many attempts: try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: i64 },
    /// Something that is not the caller's fault: the cause is kept (`{:#}` prints the whole
    /// chain) and logged once, with the request id, where the error becomes a response.
    #[error("internal error: {0:#}")]
    Internal(#[source] anyhow::Error),
    /// The disk is full: what was sent was not saved (its transaction rolled back). Kept and
    /// logged like `Internal`; the person is told to try again later.
    #[error("no space left to save: {0:#}")]
    StorageFull(#[source] anyhow::Error),
    /// The database does not answer (restarting, unreachable, or no connection free in
    /// time): try again in a few seconds. Kept and logged like `Internal`.
    #[error("database unavailable: {0:#}")]
    Unavailable(#[source] anyhow::Error),
}

impl AppError {
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError {
            field,
            message: message.into(),
        }])
    }
}

impl AppError {
    /// An internal error from a message alone (no underlying cause to keep).
    pub fn internal(message: impl std::fmt::Display) -> Self {
        AppError::Internal(anyhow::anyhow!("{message}"))
    }

    /// An error that is not the caller's fault, told apart by what its cause says: the disk
    /// full, the database away (see `lz_store::Outage`), or anything else (`Internal`).
    pub fn fault(cause: anyhow::Error) -> Self {
        match cause.chain().find_map(Outage::of) {
            Some(Outage::StorageFull) => AppError::StorageFull(cause),
            Some(Outage::DatabaseDown) => AppError::Unavailable(cause),
            None => AppError::Internal(cause),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(key) => {
                AppError::Conflict(format!("a record with the same {key} already exists"))
            }
            other => AppError::fault(anyhow::Error::new(other)),
        }
    }
}

/// Adds what was being done to an error that is not the caller's fault, keeping its cause:
/// `SearchIndex::open(&dir).context("opening the search index")?`.
pub trait Context<T> {
    fn context(self, doing: impl std::fmt::Display + Send + Sync + 'static) -> AppResult<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Context<T> for Result<T, E> {
    fn context(self, doing: impl std::fmt::Display + Send + Sync + 'static) -> AppResult<T> {
        self.map_err(|e| AppError::fault(anyhow::Error::new(e).context(doing)))
    }
}

/// Turns a unique-key clash into what the person should be told, by the key's name
/// (`table.column`, see `lz_store::UniqueKey`); any other error passes through.
pub trait OnConflict<T> {
    fn on_conflict(self, key: &str, error: impl FnOnce() -> AppError) -> AppResult<T>;
}

impl<T> OnConflict<T> for Result<T, StoreError> {
    fn on_conflict(self, key: &str, error: impl FnOnce() -> AppError) -> AppResult<T> {
        match self {
            Err(StoreError::Conflict(k)) if k.is(key) => Err(error()),
            other => other.map_err(AppError::from),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Collects field errors so that a form reports every problem at once.
#[derive(Default)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &'static str, message: impl ToString) {
        self.0.push(FieldError {
            field,
            message: message.to_string(),
        });
    }

    /// Keeps the parsed value, or records the problem under `field`.
    pub fn check<T, E: ToString>(&mut self, field: &'static str, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    /// A day as typed (see `lz_domain::dates::read_day`), as "YYYY-MM-DD"; the problem names
    /// the field by `label` ("Start date").
    pub fn day(&mut self, field: &'static str, label: &str, raw: &str) -> Option<String> {
        self.check(field, lz_domain::dates::read_day(raw, label))
            .map(lz_domain::dates::iso)
    }

    /// An optional day: empty is `None` without a problem.
    pub fn optional_day(&mut self, field: &'static str, label: &str, raw: &str) -> Option<String> {
        if raw.trim().is_empty() {
            None
        } else {
            self.day(field, label, raw)
        }
    }

    /// Free text of at most `max` characters, trimmed, without control characters (tabs and
    /// line ends allowed); Windows line ends become `\n`. The text is kept either way, so
    /// that a form shows back what was typed.
    pub fn bounded(&mut self, field: &'static str, label: &str, raw: &str, max: usize) -> String {
        let s = lz_domain::text::nfc(raw.trim()).replace("\r\n", "\n");
        if let Some(p) = lz_domain::text::unicode_problem(&s) {
            self.add(field, p.message(label));
        } else if s.chars().count() > max {
            self.add(field, format!("{label} must be {max} characters or fewer"));
        } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            self.add(
                field,
                format!("{label} must not contain control characters"),
            );
        }
        s
    }

    pub fn into_result(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_keep_their_cause_and_are_told_apart() {
        let full: Result<(), _> = Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
        match full.context("storing a file") {
            Err(AppError::StorageFull(cause)) => {
                assert!(format!("{cause:#}").starts_with("storing a file: "))
            }
            other => panic!("{other:?}"),
        }
        let other: Result<(), _> = Err(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(matches!(
            other.context("reading"),
            Err(AppError::Internal(_))
        ));
    }
}
