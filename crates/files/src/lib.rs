//! Learning Zone attachments: deciding what an upload really is, storing its bytes,
//! naming it safely for download, and pulling out its text for search.
//!
//! Everything here is pure Rust and knows nothing of the database: callers keep the
//! attachment rows and pass bytes, kinds and storage keys in and out.
//!
//! Blocking work (hashing, parsing, PDF extraction, file I/O) is synchronous on purpose;
//! the async [`Storage`] methods move it onto tokio's blocking pool themselves, and
//! callers of [`sniff`] / [`extract_text`] on big files should use `spawn_blocking`.

mod error;
mod extract;
mod folder;
mod kind;
mod names;
mod s3;
pub mod samples;
mod storage;

pub use error::FileError;
pub use extract::{extract_text, read_document, DocumentText, ExtractLimits};
pub use folder::{Folder, FolderEntry, FolderLimits};
pub use kind::{sniff, FileKind};
pub use names::{content_disposition, display_name, DISPLAY_NAME_MAX_CHARS};
pub use storage::{is_valid_key, key_for, LocalStorage, S3Config, S3Storage, Storage};

/// Makes `ring` rustls' crypto provider for the whole process. The S3 client (reqwest,
/// built without a provider of its own) needs one, and mail (lettre) already uses `ring`:
/// one provider, and no aws-lc C build. Calling it again does nothing.
pub fn install_crypto_provider() {
    // An error only says a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests;
