//! The index's errors, each with what it was doing.

use tantivy::TantivyError;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {context}: {source}")]
    Tantivy {
        context: &'static str,
        #[source]
        source: TantivyError,
    },
    #[error("search index: {context}: {source}")]
    Io {
        context: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("search index directory {path}: {source}")]
    Directory {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("search index: analyser: {0}")]
    Analyser(&'static str),
    #[error("search index: a rebuild is in progress; apply changes after it finishes")]
    RebuildInProgress,
    #[error("search index: this rebuild was already finished or abandoned")]
    RebuildGone,
    #[error("search index: the writer lock was poisoned by a panic")]
    Poisoned,
    #[error("search index: document {0}: an evidence record's id is `evidence:<id>` and only its kind is \"evidence\"")]
    MixedKinds(String),
}

impl SearchError {
    /// For `map_err`: wraps a tantivy error with what we were doing.
    pub(crate) fn tantivy(context: &'static str) -> impl FnOnce(TantivyError) -> SearchError {
        move |source| SearchError::Tantivy { context, source }
    }
    pub(crate) fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> SearchError {
        move |source| SearchError::Io { context, source }
    }
}
