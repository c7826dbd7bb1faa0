//! Where attachment bytes live: content-addressed blobs keyed by their SHA-256, so keys
//! are ours (never user input) and the same content is stored once.
//!
//! Two backends behind one enum: local files ([`LocalStorage`], the default) and an
//! S3-compatible bucket ([`S3Storage`]), with the same key layout (`ab/cd/<hash>`), the same
//! key validation and the same errors.
//!
//! The local backend does plain blocking `std::fs` work; the async [`Storage`] methods
//! run it on tokio's blocking pool, and `*_blocking` twins serve non-async callers. The S3
//! backend is async only: its `*_blocking` twins answer an error.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::error::FileError;
pub use crate::s3::{S3Config, S3Storage};

/// Where attachment bytes live; callers only use the methods on this enum.
#[derive(Debug, Clone)]
pub enum Storage {
    Local(LocalStorage),
    S3(S3Storage),
}

/// Blobs under a root directory, laid out as `<root>/ab/cd/<full hash>` so no
/// directory grows too big.
#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

/// The storage key for these bytes: lowercase hex SHA-256.
pub fn key_for(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `key` has the shape of a key we generate: exactly 64 lowercase hex digits.
/// This is what makes path traversal impossible: no `/`, `\`, `.` or anything else.
pub fn is_valid_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Storage {
    /// Blobs on the local disk under `root` (created on first write).
    pub fn local(root: PathBuf) -> Self {
        Storage::Local(LocalStorage::new(root))
    }

    /// Objects in an S3-compatible bucket. Nothing is contacted until the first use.
    pub fn s3(config: &S3Config) -> Result<Self, FileError> {
        Ok(Storage::S3(S3Storage::new(config)?))
    }

    /// Stores the bytes and returns their key; storing the same content again writes
    /// nothing and returns the same key. Hashing and I/O run on the blocking pool.
    pub async fn put(&self, bytes: &[u8]) -> Result<String, FileError> {
        match self {
            Storage::Local(local) => {
                // The blocking pool needs owned data; one copy is cheap next to the fsync.
                let local = local.clone();
                let bytes = bytes.to_vec();
                blocking(move || local.put(&bytes)).await
            }
            Storage::S3(s3) => s3.put(bytes).await,
        }
    }

    /// The bytes stored under `key`; [`FileError::InvalidKey`] for a malformed key,
    /// [`FileError::NotFound`] when nothing is stored under it.
    pub async fn get(&self, key: &str) -> Result<Vec<u8>, FileError> {
        match self {
            Storage::Local(local) => {
                let local = local.clone();
                let key = key.to_string();
                blocking(move || local.get(&key)).await
            }
            Storage::S3(s3) => s3.get(key).await,
        }
    }

    /// Removes the blob. Deleting a missing blob succeeds, so retries are safe.
    ///
    /// Content is shared between attachments with the same bytes: delete a key only
    /// when no attachment refers to it any more.
    pub async fn delete(&self, key: &str) -> Result<(), FileError> {
        match self {
            Storage::Local(local) => {
                let local = local.clone();
                let key = key.to_string();
                blocking(move || local.delete(&key)).await
            }
            Storage::S3(s3) => s3.delete(key).await,
        }
    }

    /// Whether a blob is stored under `key` (false for malformed keys and on errors).
    pub async fn exists(&self, key: &str) -> bool {
        match self {
            Storage::Local(local) => {
                let local = local.clone();
                let key = key.to_string();
                blocking(move || Ok(local.exists(&key)))
                    .await
                    .unwrap_or(false)
            }
            Storage::S3(s3) => s3.exists(key).await,
        }
    }

    /// [`Storage::put`] for code that is not async (tools, tests). Local storage only:
    /// with S3 it answers an error, because driving the HTTP client from outside the
    /// server's runtime (or blocking one of its threads) is not safe. Use [`Storage::put`].
    pub fn put_blocking(&self, bytes: &[u8]) -> Result<String, FileError> {
        match self {
            Storage::Local(local) => local.put(bytes),
            Storage::S3(_) => Err(local_only()),
        }
    }

    /// [`Storage::get`] for code that is not async; local storage only.
    pub fn get_blocking(&self, key: &str) -> Result<Vec<u8>, FileError> {
        match self {
            Storage::Local(local) => local.get(key),
            Storage::S3(_) => Err(local_only()),
        }
    }

    /// [`Storage::delete`] for code that is not async; local storage only.
    pub fn delete_blocking(&self, key: &str) -> Result<(), FileError> {
        match self {
            Storage::Local(local) => local.delete(key),
            Storage::S3(_) => Err(local_only()),
        }
    }

    /// [`Storage::exists`] for code that is not async; local storage only (false on S3).
    pub fn exists_blocking(&self, key: &str) -> bool {
        match self {
            Storage::Local(local) => local.exists(key),
            Storage::S3(_) => {
                tracing::error!(
                    "exists_blocking called on S3 storage: blocking access is local-only"
                );
                false
            }
        }
    }
}

fn local_only() -> FileError {
    tracing::error!("a *_blocking storage method was called on S3 storage");
    FileError::Io("blocking access is local-only; this storage is S3".into())
}

/// Runs blocking storage work off the async threads.
async fn blocking<T, F>(work: F) -> Result<T, FileError>
where
    F: FnOnce() -> Result<T, FileError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, "storage task failed");
        FileError::Io("the storage task stopped unexpectedly".into())
    })?
}

/// Makes temporary file names unique within this process (the pid covers others).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl LocalStorage {
    pub fn new(root: PathBuf) -> Self {
        LocalStorage { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Path of a (valid) key: `<root>/ab/cd/<key>`.
    fn path_of(&self, key: &str) -> Result<PathBuf, FileError> {
        if !is_valid_key(key) {
            return Err(FileError::InvalidKey);
        }
        Ok(self.root.join(&key[0..2]).join(&key[2..4]).join(key))
    }

    /// Writes to a temporary file in the final directory, fsyncs it, renames it into
    /// place and fsyncs the directory: readers never see a partial blob, and a crash
    /// after `put` returns cannot lose it.
    pub fn put(&self, bytes: &[u8]) -> Result<String, FileError> {
        let key = key_for(bytes);
        let path = self.path_of(&key)?;
        if let Ok(meta) = fs::metadata(&path) {
            // Same name means same SHA-256, so same content; the length check only
            // guards against a blob truncated by something outside our control.
            if meta.is_file() && meta.len() == bytes.len() as u64 {
                return Ok(key);
            }
        }
        let dir = path
            .parent()
            .ok_or_else(|| FileError::Io("bad storage path".into()))?;
        fs::create_dir_all(dir).map_err(|e| io_error("creating the storage folder", e))?;
        let temp = dir.join(format!(
            ".tmp-{}-{}-{}",
            &key[..16],
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = write_durably(&temp, bytes).and_then(|()| fs::rename(&temp, &path));
        if let Err(e) = written {
            // Best effort: a leftover temp file is harmless, just untidy.
            let _ = fs::remove_file(&temp);
            return Err(io_error("writing the file", e));
        }
        // The rename is only durable once the directory entry is on disk.
        if let Err(e) = File::open(dir).and_then(|d| d.sync_all()) {
            tracing::warn!(error = %e, "could not fsync storage directory");
        }
        tracing::debug!(key = %key, bytes = bytes.len(), "stored attachment blob");
        Ok(key)
    }

    pub fn get(&self, key: &str) -> Result<Vec<u8>, FileError> {
        let path = self.path_of(key)?;
        fs::read(&path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => FileError::NotFound,
            _ => io_error("reading the file", e),
        })
    }

    pub fn delete(&self, key: &str) -> Result<(), FileError> {
        let path = self.path_of(key)?;
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("deleting the file", e)),
        }
    }

    pub fn exists(&self, key: &str) -> bool {
        self.path_of(key).map(|p| p.is_file()).unwrap_or(false)
    }
}

fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Logs the full error (with paths) for operators; the message for people has neither
/// paths nor internals. A full disk is told apart (and keeps its cause): it is not our
/// fault, and passes when space is freed.
fn io_error(doing: &str, e: io::Error) -> FileError {
    tracing::error!(error = %e, "attachment storage failed while {doing}");
    if e.kind() == io::ErrorKind::StorageFull {
        return FileError::StorageFull(e);
    }
    FileError::Io(format!("{doing} failed: {}", e.kind()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "lz-files-{tag}-{}-{}",
                std::process::id(),
                TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = fs::remove_dir_all(&dir);
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[tokio::test]
    async fn put_get_delete_round_trip() {
        let dir = TempDir::new("rt");
        let storage = Storage::local(dir.0.clone());
        let key = storage.put(b"hello attachments").await.unwrap();
        assert!(is_valid_key(&key));
        assert_eq!(key, key_for(b"hello attachments"));
        let expected = dir.0.join(&key[..2]).join(&key[2..4]).join(&key);
        assert!(expected.is_file(), "layout is <root>/ab/cd/<hash>");
        assert!(storage.exists(&key).await);
        assert_eq!(storage.get(&key).await.unwrap(), b"hello attachments");
        storage.delete(&key).await.unwrap();
        assert!(!storage.exists(&key).await);
        assert!(matches!(storage.get(&key).await, Err(FileError::NotFound)));
        // Deleting again is fine (idempotent).
        storage.delete(&key).await.unwrap();
        // No temporary files left behind.
        let leftovers: Vec<_> = fs::read_dir(expected.parent().unwrap()).unwrap().collect();
        assert!(leftovers.is_empty());
    }

    #[tokio::test]
    async fn same_content_same_key() {
        let dir = TempDir::new("dedupe");
        let storage = Storage::local(dir.0.clone());
        let a = storage.put(b"same bytes").await.unwrap();
        let b = storage.put(b"same bytes").await.unwrap();
        let c = storage.put(b"other bytes").await.unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let files = fs::read_dir(dir.0.join(&a[..2]).join(&a[2..4]))
            .unwrap()
            .count();
        assert_eq!(files, 1);
    }

    #[tokio::test]
    async fn malformed_keys_are_refused() {
        let dir = TempDir::new("keys");
        let storage = Storage::local(dir.0.clone());
        // Something that traversal would reach if keys were paths.
        fs::create_dir_all(&dir.0).unwrap();
        fs::write(dir.0.join("x"), b"secret").unwrap();
        let upper = "A".repeat(64);
        let short = "a".repeat(63);
        let dotted = format!("../{}", "a".repeat(61));
        for bad in [
            "../x",
            "x",
            "",
            upper.as_str(),
            short.as_str(),
            dotted.as_str(),
        ] {
            assert!(
                matches!(storage.get(bad).await, Err(FileError::InvalidKey)),
                "{bad:?}"
            );
            assert!(matches!(
                storage.delete(bad).await,
                Err(FileError::InvalidKey)
            ));
            assert!(!storage.exists(bad).await);
        }
        assert!(dir.0.join("x").is_file(), "delete did not touch it");
    }

    #[test]
    fn blocking_api_works_without_a_runtime() {
        let dir = TempDir::new("blocking");
        let storage = Storage::local(dir.0.clone());
        let key = storage.put_blocking(b"").unwrap();
        assert_eq!(
            key,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(storage.get_blocking(&key).unwrap(), b"");
        assert!(storage.exists_blocking(&key));
    }
}
