//! Learning Zone's use cases: what a person or an administrator can do, with the permission
//! checks inside, so that the HTML pages, the JSON API and the CLI cannot disagree.

pub mod access;
pub mod accounts;
pub mod advocacy;
pub mod config;
pub mod context;
pub mod demo;
pub mod documents;
mod error;
pub mod events;
pub mod evidence;
mod fresh;
pub mod home;
pub mod intelligence;
pub mod jobs;
pub mod library;
pub mod mail;
pub mod network;
pub mod plans;
pub mod search;
mod similar;
pub mod tables;
pub mod transfer;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub use access::Actor;
pub use accounts::secrets;
pub use config::Config;
pub use error::{AppError, AppResult, Context, FieldError, OnConflict, Problems};
pub use library::attachments;
pub use lz_store::Db;
pub use plans::report;

pub(crate) use accounts::CachedSession;
/// An item with its details.
pub(crate) type CachedItem = Arc<(library::ItemRecord, library::record::Details)>;
/// A person's marks: (item id, mark).
pub(crate) type CachedMarks = Arc<Vec<(String, String)>>;
/// An item's review decisions, newest first.
pub(crate) type CachedReviews = Arc<Vec<library::ReviewRecord>>;

/// The application: configuration, database, clock and the mail worker's wake-up signal.
#[derive(Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: Clock,
    pub(crate) mail_wake: Arc<tokio::sync::Notify>,
    /// The search index: a derived view of the database, kept current by `run_indexer`.
    pub search: lz_search::SearchIndex,
    /// Where attachments' bytes live.
    pub files: lz_files::Storage,
    pub(crate) index_wake: Arc<tokio::sync::Notify>,
    /// One catch-up or rebuild at a time in this process.
    pub(crate) index_lock: Arc<tokio::sync::Mutex<()>>,
    pub(crate) extract_wake: Arc<tokio::sync::Notify>,
    /// "More like this" computed during a request (one at a time) and in the background: an
    /// item page under load does not wait behind others' computations (`search.rs`).
    pub(crate) similar_now: Arc<tokio::sync::Semaphore>,
    pub(crate) similar_later: Arc<similar::Similar>,
    /// Who is signed in with which session (by its hash): the person, the CSRF token and
    /// when the session expires; for a second at most (`fresh.rs`, as the three below, which
    /// keep their answers for five seconds at most).
    pub(crate) sessions: Arc<fresh::Fresh<String, CachedSession>>,
    /// Items (any state, unchecked: each reader's right is checked on every use) with their
    /// terms, authors, links, attachments and useful count, for the item page.
    pub(crate) items: Arc<fresh::Fresh<String, CachedItem>>,
    /// Each person's own marks (item, mark), for the item page.
    pub(crate) marks: Arc<fresh::Fresh<String, CachedMarks>>,
    /// Each item's review decisions, for the editors and reviewers who see them.
    pub(crate) reviews: Arc<fresh::Fresh<String, CachedReviews>>,
    /// Each place's figures (areas, spine, trends): public data that changes only when
    /// figures are imported.
    pub(crate) place_figures: Arc<fresh::Fresh<String, Arc<intelligence::PlaceFigures>>>,
    pub(crate) place_figures_loading: Arc<tokio::sync::Mutex<()>>,
    /// Pages as every signed-out visitor sees them (`anonymous_page`).
    pub(crate) anonymous_pages: Arc<fresh::Fresh<String, Arc<Vec<u8>>>>,
    /// The program that extracts attachments' text in a child process under memory and CPU
    /// limits (the binary's hidden `extract-text` command); none: in this process.
    pub(crate) extractor: Option<Arc<attachments::ExtractorProgram>>,
    pub(crate) hasher: secrets::PasswordHasherConfig,
    /// A hash to verify against when an email is unknown, so both paths take the same time.
    pub(crate) dummy_hash: Arc<tokio::sync::OnceCell<String>>,
}

impl App {
    /// Connects to the database and applies migrations.
    pub async fn open(config: Config) -> AppResult<Self> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            AppError::internal(format!(
                "creating data dir {}: {e}",
                config.data_dir.display()
            ))
        })?;
        let index_dir = config.data_dir.join("search-index");
        let search = lz_search::SearchIndex::open(&index_dir).map_err(|e| {
            AppError::internal(format!("opening search index {}: {e}", index_dir.display()))
        })?;
        let files = match &config.s3 {
            Some(s3) => lz_files::Storage::s3(s3).context("LZ_STORAGE_URL")?,
            None => lz_files::Storage::local(config.data_dir.join("files")),
        };
        let db = Db::connect(&config.database_url, config.db_max_connections)
            .await
            .context("opening database")?;
        db.migrate().await.context("migrating database")?;
        let hasher =
            secrets::PasswordHasherConfig::new(config.argon2_memory_kib, config.argon2_iterations);
        let similar_later =
            Arc::new(similar::Similar::start(search.clone()).map_err(|e| {
                AppError::internal(format!("starting the more-like-this thread: {e}"))
            })?);
        let app = Self {
            config: Arc::new(config),
            db,
            clock: Clock::default(),
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            search,
            files,
            index_wake: Arc::new(tokio::sync::Notify::new()),
            index_lock: Arc::new(tokio::sync::Mutex::new(())),
            extract_wake: Arc::new(tokio::sync::Notify::new()),
            similar_now: Arc::new(tokio::sync::Semaphore::new(1)),
            similar_later,
            sessions: Arc::new(fresh::Fresh::new(10_000, 1_000)),
            // Items carry their whole text: a few thousand (the pages read in any five
            // seconds) bound this cache to tens of MB.
            items: Arc::new(fresh::Fresh::new(4_096, 5_000)),
            marks: Arc::new(fresh::Fresh::new(10_000, 5_000)),
            reviews: Arc::new(fresh::Fresh::new(20_000, 5_000)),
            place_figures: Arc::new(fresh::Fresh::new(1_000, 5_000)),
            place_figures_loading: Arc::new(tokio::sync::Mutex::new(())),
            anonymous_pages: Arc::new(fresh::Fresh::new(2_000, 5_000)),
            extractor: None,
            hasher,
            dummy_hash: Arc::new(tokio::sync::OnceCell::new()),
        };
        // Reference data every instance holds: the areas of the North West by GSS code.
        intelligence::areas::seed_reference_areas(&app)
            .await
            .context("adding the reference areas")?;
        Ok(app)
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// A page as every signed-out visitor sees it (the same public content, no session, no
    /// notice), kept for five seconds at most and never across a write in this process, as
    /// Discourse keeps its anonymous pages. Otherwise the ticket to keep the page with once
    /// it is made: taken before the page is read, so a page read across a write is kept as
    /// already stale.
    pub fn anonymous_page(&self, key: &str) -> Result<Arc<Vec<u8>>, PageTicket> {
        self.anonymous_pages
            .get(key, self.now())
            .map_err(PageTicket)
    }

    pub fn keep_anonymous_page(&self, ticket: PageTicket, key: String, page: Arc<Vec<u8>>) {
        self.anonymous_pages.put(ticket.0, key, page, self.now());
    }
}

/// See [`App::anonymous_page`].
pub struct PageTicket(fresh::Ticket);

/// Wall-clock time in UTC milliseconds, with an offset that tests move forward
/// (expiry of links, lockouts) instead of sleeping.
#[derive(Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default();
        real + self.offset_ms.load(Ordering::Relaxed)
    }

    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

pub(crate) fn new_id() -> String {
    lz_domain::Id::new().to_string()
}

/// Records who did what to which record, in the caller's transaction.
pub(crate) async fn record(
    c: &mut lz_store::Conn,
    now: i64,
    actor_id: Option<&str>,
    action: &str,
    subject: (&str, &str),
    detail: &str,
) -> AppResult<()> {
    let entry = lz_store::ops::NewAudit {
        actor_id,
        action,
        subject_type: subject.0,
        subject_id: subject.1,
        detail,
    };
    lz_store::ops::audit(c, &new_id(), now, &entry).await?;
    Ok(())
}

/// An audit entry written in the same transaction as the change it describes, then the
/// commit: `Audit::new(Some(actor.id()), "event.update", ("event", &id), &title).commit(tx, now)`.
pub(crate) struct Audit<'a> {
    actor_id: Option<&'a str>,
    action: &'a str,
    subject: (&'a str, &'a str),
    detail: &'a str,
}

impl<'a> Audit<'a> {
    pub(crate) fn new(
        actor_id: Option<&'a str>,
        action: &'a str,
        subject: (&'a str, &'a str),
        detail: &'a str,
    ) -> Self {
        Self {
            actor_id,
            action,
            subject,
            detail,
        }
    }

    /// Writes the entry and commits the transaction.
    pub(crate) async fn commit(self, mut tx: lz_store::Tx<'_>, now: i64) -> AppResult<()> {
        record(
            &mut tx,
            now,
            self.actor_id,
            self.action,
            self.subject,
            self.detail,
        )
        .await?;
        commit(tx).await
    }
}

/// Commits a transaction, mapping the error into the app's.
pub(crate) async fn commit(tx: lz_store::Tx<'_>) -> AppResult<()> {
    tx.commit().await.map_err(lz_store::StoreError::from)?;
    fresh::note_write();
    Ok(())
}
