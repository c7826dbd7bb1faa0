//! The S3-compatible backend: the same content-addressed blobs as on the local disk, as
//! objects `<prefix>/ab/cd/<hash>` in one bucket, through the `object_store` crate (AWS S3,
//! MinIO, Ceph, Garage, R2 and the like).
//!
//! Unlike the local backend this one is async all the way down, so it has no `*_blocking`
//! twins: see [`crate::Storage::put_blocking`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStoreExt, PutPayload, RetryConfig};

use crate::error::FileError;
use crate::storage::{is_valid_key, key_for};

/// Where the objects go and how to sign in: parsed from
/// `s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION]`, plus optional keys.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// Folder-like prefix inside the bucket, without leading or trailing `/`; may be empty.
    pub prefix: String,
    /// An S3-compatible server (`http://127.0.0.1:9000`); none: AWS itself (or `AWS_ENDPOINT`).
    pub endpoint: Option<String>,
    /// none: `AWS_REGION`/`AWS_DEFAULT_REGION`, else `us-east-1`.
    pub region: Option<String>,
    /// none: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, else the instance's role.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

/// The secret never reaches a log line through `{:?}`.
impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "(hidden)"),
            )
            .finish()
    }
}

/// The key prefix, from the text as written: the URL parser would quietly resolve `..`
/// and `.`.
fn prefix_of(s: &str) -> Result<String, String> {
    let raw_path = s
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        // The scheme is s3 (in any case) and there is a host, so this is `s3://`.
        .get("s3://".len()..)
        .and_then(|rest| rest.split_once('/'))
        .map(|(_, path)| path)
        .unwrap_or_default();
    let prefix = raw_path.trim_matches('/').to_string();
    if !prefix.is_empty() && !prefix.split('/').all(is_valid_prefix_part) {
        return Err(format!(
            "{prefix:?} is not a usable prefix (letters, digits, '.', '_' and '-' between single '/')"
        ));
    }
    Ok(prefix)
}

fn endpoint_of(value: &str) -> Result<String, String> {
    let endpoint =
        url::Url::parse(value).map_err(|e| format!("endpoint {value:?} is not a URL ({e})"))?;
    if !matches!(endpoint.scheme(), "http" | "https")
        || endpoint.host_str().is_none()
        || endpoint.query().is_some()
    {
        return Err(format!(
            "endpoint {value:?} must be an http:// or https:// address such as http://127.0.0.1:9000"
        ));
    }
    Ok(value.trim_end_matches('/').to_string())
}

fn region_of(value: &str) -> Result<String, String> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(format!(
            "region {value:?} is not a region such as eu-west-2"
        ));
    }
    Ok(value.to_string())
}

impl S3Config {
    /// Parses `s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION]`. The error says what is
    /// wrong, for a message that the caller prefixes with the setting's name.
    pub fn from_url(s: &str) -> Result<Self, String> {
        const SHAPE: &str = "s3://BUCKET[/PREFIX][?endpoint=http://HOST:PORT&region=REGION]";
        let url =
            url::Url::parse(s).map_err(|e| format!("{s:?} is not a URL ({e}): use {SHAPE}"))?;
        if url.scheme() != "s3" {
            return Err(format!(
                "{:?} is not supported: use {SHAPE}, or leave it empty for files under the data directory",
                format!("{}://", url.scheme())
            ));
        }
        if !url.username().is_empty() || url.password().is_some() || url.port().is_some() {
            return Err(format!(
                "put no keys or port in the URL: use {SHAPE} (keys go in LZ_S3_ACCESS_KEY_ID and LZ_S3_SECRET_ACCESS_KEY)"
            ));
        }
        if url.fragment().is_some() {
            return Err(format!("unexpected #fragment: use {SHAPE}"));
        }
        let bucket = url.host_str().unwrap_or_default().to_string();
        if !is_valid_bucket(&bucket) {
            return Err(format!(
                "{bucket:?} is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens): use {SHAPE}"
            ));
        }
        let prefix = prefix_of(s)?;
        let mut config = S3Config {
            bucket,
            prefix,
            endpoint: None,
            region: None,
            access_key_id: None,
            secret_access_key: None,
        };
        for (name, value) in url.query_pairs() {
            match name.as_ref() {
                "endpoint" if config.endpoint.is_none() => {
                    config.endpoint = Some(endpoint_of(&value)?);
                }
                "region" if config.region.is_none() => {
                    config.region = Some(region_of(&value)?);
                }
                "endpoint" | "region" => return Err(format!("{name} is given twice")),
                other => {
                    return Err(format!(
                        "unknown option {other:?}: only endpoint and region may follow the ?"
                    ))
                }
            }
        }
        Ok(config)
    }

    /// The same place with these keys (instead of the `AWS_*` environment).
    pub fn with_keys(mut self, access_key_id: String, secret_access_key: String) -> Self {
        self.access_key_id = Some(access_key_id);
        self.secret_access_key = Some(secret_access_key);
        self
    }
}

/// S3's rules for new buckets, which every S3-compatible server accepts.
fn is_valid_bucket(name: &str) -> bool {
    let b = name.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'.' || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && !name.contains("..")
}

fn is_valid_prefix_part(part: &str) -> bool {
    !part.is_empty()
        && part != "."
        && part != ".."
        && part
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Blobs as objects in one bucket.
#[derive(Clone)]
pub struct S3Storage {
    store: Arc<AmazonS3>,
    bucket: String,
    prefix: String,
}

impl fmt::Debug for S3Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Storage")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// How long one request may take, and how long retries of a failing one go on: an upload
/// or download is a person waiting on a page, so give up well before they do.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const RETRY_FOR: Duration = Duration::from_secs(15);
const MAX_RETRIES: usize = 3;

impl S3Storage {
    /// A client for the bucket. Nothing is contacted yet: a wrong endpoint or key shows on
    /// the first upload or download (as [`FileError::Io`], logged in full).
    pub fn new(config: &S3Config) -> Result<Self, FileError> {
        let retry = RetryConfig {
            max_retries: MAX_RETRIES,
            retry_timeout: RETRY_FOR,
            ..RetryConfig::default()
        };
        Self::with_retry(config, retry)
    }

    pub(crate) fn with_retry(config: &S3Config, retry: RetryConfig) -> Result<Self, FileError> {
        crate::install_crypto_provider();
        // The standard AWS_* variables first; what the configuration says wins.
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&config.bucket)
            .with_client_options(
                ClientOptions::new()
                    .with_timeout(REQUEST_TIMEOUT)
                    .with_connect_timeout(CONNECT_TIMEOUT),
            )
            .with_retry(retry);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                // Path-style requests: what MinIO and most S3-compatible servers expect.
                .with_virtual_hosted_style_request(false);
        }
        if let Some(region) = &config.region {
            builder = builder.with_region(region);
        }
        if let (Some(id), Some(secret)) = (&config.access_key_id, &config.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let store = builder.build().map_err(|e| {
            tracing::error!(error = %e, bucket = %config.bucket, "could not set up S3 storage");
            FileError::Io(format!("setting up object storage failed: {e}"))
        })?;
        Ok(S3Storage {
            store: Arc::new(store),
            bucket: config.bucket.clone(),
            prefix: config.prefix.clone(),
        })
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The object name of a (valid) key: `[<prefix>/]ab/cd/<key>`, as on the local disk.
    pub fn object_name(&self, key: &str) -> Result<String, FileError> {
        if !is_valid_key(key) {
            return Err(FileError::InvalidKey);
        }
        let tail = format!("{}/{}/{key}", &key[0..2], &key[2..4]);
        Ok(if self.prefix.is_empty() {
            tail
        } else {
            format!("{}/{tail}", self.prefix)
        })
    }

    fn path_of(&self, key: &str) -> Result<ObjectPath, FileError> {
        // Keys are hex and prefix parts are checked, so parsing cannot fail; if it did,
        // refusing the key is the safe answer.
        ObjectPath::parse(self.object_name(key)?).map_err(|_| FileError::InvalidKey)
    }

    /// Uploads the bytes unless an object of the same size is already there. A PUT is
    /// atomic on S3: readers see the whole object or none.
    pub async fn put(&self, bytes: &[u8]) -> Result<String, FileError> {
        let key = key_for(bytes);
        let path = self.path_of(&key)?;
        if let Ok(meta) = self.store.head(&path).await {
            if meta.size == bytes.len() as u64 {
                return Ok(key);
            }
        }
        self.store
            .put(&path, PutPayload::from(bytes.to_vec()))
            .await
            .map_err(|e| store_error("writing the object", e))?;
        tracing::debug!(key = %key, bytes = bytes.len(), "stored attachment object");
        Ok(key)
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, FileError> {
        let path = self.path_of(key)?;
        let result = self
            .store
            .get(&path)
            .await
            .map_err(|e| store_error("reading the object", e))?;
        let bytes = result
            .bytes()
            .await
            .map_err(|e| store_error("reading the object", e))?;
        Ok(bytes.to_vec())
    }

    pub async fn delete(&self, key: &str) -> Result<(), FileError> {
        let path = self.path_of(key)?;
        match self.store.delete(&path).await {
            Ok(()) => Ok(()),
            Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_error("deleting the object", e)),
        }
    }

    pub async fn exists(&self, key: &str) -> bool {
        let Ok(path) = self.path_of(key) else {
            return false;
        };
        match self.store.head(&path).await {
            Ok(_) => true,
            Err(object_store::Error::NotFound { .. }) => false,
            Err(e) => {
                tracing::warn!(error = %e, "could not check for an attachment object");
                false
            }
        }
    }
}

/// A missing object is [`FileError::NotFound`]; anything else is logged in full for
/// operators and becomes a short [`FileError::Io`] without bucket, keys or addresses.
pub(crate) fn store_error(doing: &str, e: object_store::Error) -> FileError {
    use object_store::Error as E;
    if let E::NotFound { .. } = e {
        return FileError::NotFound;
    }
    tracing::error!(error = %e, "attachment object storage failed while {doing}");
    let what = match e {
        E::PermissionDenied { .. } | E::Unauthenticated { .. } => "access refused",
        E::NotSupported { .. } | E::NotImplemented { .. } => "not supported",
        _ => "storage unavailable",
    };
    FileError::Io(format!("{doing} failed: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Storage;
    use std::io::{Read, Write};

    const KEY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn config(endpoint: &str) -> S3Config {
        S3Config::from_url(&format!(
            "s3://lz-test?endpoint={endpoint}&region=eu-west-2"
        ))
        .unwrap()
        .with_keys("test".into(), "test".into())
    }

    /// No retries, so that a refused connection fails at once.
    fn s3_at(endpoint: &str) -> Storage {
        let retry = RetryConfig {
            max_retries: 0,
            retry_timeout: Duration::from_secs(1),
            ..RetryConfig::default()
        };
        Storage::S3(S3Storage::with_retry(&config(endpoint), retry).unwrap())
    }

    #[test]
    fn urls_are_parsed_and_checked() {
        let c = S3Config::from_url(
            "s3://lz-files/attachments/prod?endpoint=http://127.0.0.1:9000/&region=eu-west-2",
        )
        .unwrap();
        assert_eq!(c.bucket, "lz-files");
        assert_eq!(c.prefix, "attachments/prod");
        assert_eq!(c.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(c.region.as_deref(), Some("eu-west-2"));
        assert_eq!(c.access_key_id, None);
        let c = S3Config::from_url("S3://lz-files/Case_1/").unwrap();
        assert_eq!(c.prefix, "Case_1");
        let c = S3Config::from_url("s3://my.bucket-1").unwrap();
        assert_eq!((c.prefix.as_str(), c.endpoint, c.region), ("", None, None));

        for bad in [
            "",
            "lz-files",
            "http://127.0.0.1:9000/lz-files",
            "file:///tmp/x",
            "s3://",
            "s3://ab",
            "s3://Upper",
            "s3://-dash",
            "s3://a..b",
            "s3://user:pass@lz-files",
            "s3://lz-files:9000",
            "s3://lz-files/../x",
            "s3://lz-files/a//b",
            "s3://lz-files/a b",
            "s3://lz-files?endpoint=ftp://x",
            "s3://lz-files?endpoint=not a url",
            "s3://lz-files?endpoint=http://a&endpoint=http://b",
            "s3://lz-files?region=",
            "s3://lz-files?region=eu/west",
            "s3://lz-files?regoin=eu-west-2",
            "s3://lz-files#x",
        ] {
            assert!(S3Config::from_url(bad).is_err(), "{bad:?} was accepted");
        }
        let e = S3Config::from_url("s3://lz-files?bucket=x").unwrap_err();
        assert!(e.contains("bucket"), "{e}");
    }

    #[test]
    fn the_secret_stays_out_of_debug_output() {
        let c = config("http://127.0.0.1:9").with_keys("AKIDEXAMPLE".into(), "s3cr3t-value".into());
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        let Storage::S3(s3) = Storage::s3(&c).unwrap() else {
            unreachable!()
        };
        assert!(!format!("{s3:?}").contains("s3cr3t"));
    }

    #[test]
    fn objects_are_laid_out_like_local_files() {
        let plain = S3Storage::new(&config("http://127.0.0.1:9")).unwrap();
        assert_eq!(plain.object_name(KEY).unwrap(), format!("e3/b0/{KEY}"));
        let mut prefixed = config("http://127.0.0.1:9");
        prefixed.prefix = "lz/files".into();
        let prefixed = S3Storage::new(&prefixed).unwrap();
        assert_eq!(
            prefixed.object_name(KEY).unwrap(),
            format!("lz/files/e3/b0/{KEY}")
        );
        assert_eq!(prefixed.bucket(), "lz-test");
        for bad in ["../x", "", &"A".repeat(64), &KEY[1..], &format!("{KEY}/..")] {
            assert!(matches!(plain.object_name(bad), Err(FileError::InvalidKey)));
        }
    }

    #[tokio::test]
    async fn malformed_keys_are_refused_before_any_request() {
        // Nothing listens there: an answer other than InvalidKey would mean a request.
        let storage = s3_at("http://127.0.0.1:9");
        for bad in ["../x", "x", "", &"A".repeat(64)] {
            assert!(matches!(storage.get(bad).await, Err(FileError::InvalidKey)));
            assert!(matches!(
                storage.delete(bad).await,
                Err(FileError::InvalidKey)
            ));
            assert!(!storage.exists(bad).await);
        }
    }

    #[test]
    fn errors_map_like_the_local_backend() {
        let source = || Box::new(std::io::Error::other("x")) as Box<_>;
        let not_found = object_store::Error::NotFound {
            path: "e3/b0/x".into(),
            source: source(),
        };
        assert!(matches!(
            store_error("reading", not_found),
            FileError::NotFound
        ));
        let denied = object_store::Error::PermissionDenied {
            path: "e3/b0/x".into(),
            source: source(),
        };
        let e = store_error("reading the object", denied);
        assert!(
            matches!(&e, FileError::Io(m) if m.contains("access refused")),
            "{e}"
        );
        assert!(!e.is_user_error());
        let other = object_store::Error::Generic {
            store: "S3",
            source: Box::new(std::io::Error::other("secret-host.internal:9000 refused")),
        };
        let e = store_error("writing the object", other);
        assert!(matches!(&e, FileError::Io(_)));
        assert!(
            !e.to_string().contains("secret-host"),
            "no internals for people: {e}"
        );
    }

    /// A loopback HTTP responder that answers every request with `status` (an S3 error
    /// document for a body), in this process: enough to see how answers are mapped.
    fn answering(status: u16, code: &'static str) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let head = seen.starts_with(b"HEAD ");
                let body = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>m</Message></Error>"
                );
                let reply = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    body.len(),
                    if head { "" } else { &body }
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        format!("http://127.0.0.1:{port}")
    }

    #[tokio::test]
    async fn a_missing_object_is_not_found() {
        let storage = s3_at(&answering(404, "NoSuchKey"));
        assert!(matches!(storage.get(KEY).await, Err(FileError::NotFound)));
        assert!(!storage.exists(KEY).await);
    }

    #[tokio::test]
    async fn refused_access_and_unreachable_servers_are_storage_errors() {
        let storage = s3_at(&answering(403, "AccessDenied"));
        let e = storage.get(KEY).await.unwrap_err();
        assert!(
            matches!(&e, FileError::Io(m) if m.contains("access refused")),
            "{e}"
        );
        assert!(matches!(storage.put(b"x").await, Err(FileError::Io(_))));
        assert!(!storage.exists(KEY).await);

        // A port nobody listens on.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let storage = s3_at(&endpoint);
        assert!(matches!(storage.get(KEY).await, Err(FileError::Io(_))));
        assert!(matches!(storage.put(b"x").await, Err(FileError::Io(_))));
    }

    #[test]
    fn blocking_access_is_local_only() {
        let storage = s3_at("http://127.0.0.1:9");
        let e = storage.put_blocking(b"x").unwrap_err();
        assert!(e.to_string().contains("local-only"), "{e}");
        assert!(matches!(storage.get_blocking(KEY), Err(FileError::Io(_))));
        assert!(matches!(
            storage.delete_blocking(KEY),
            Err(FileError::Io(_))
        ));
        assert!(!storage.exists_blocking(KEY));
    }
}
