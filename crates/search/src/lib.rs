//! Learning Zone search: a tantivy index that is a derived, rebuildable view of the database.
//! The database drives it via `apply` (change-log batches, seq stored in the commit) and `rebuild`.

mod facets;
mod neighbours;
mod query;
mod schema;
mod search;

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

pub use facets::MAX_FACET_VALUES;
pub use query::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
use schema::Fields;
pub use schema::SCHEMA_VERSION;

/// Indexing memory budget shared by the writer's threads (tantivy flushes a segment when full).
pub const WRITER_MEMORY_BUDGET: usize = 50 * 1024 * 1024;
/// Results per page are capped at this.
pub const MAX_PER_PAGE: usize = 100;
/// Deep paging is capped so that the offset never exceeds this.
pub const MAX_OFFSET: usize = 10_000;
/// Snippets are at most about this many characters.
pub const SNIPPET_CHARS: usize = 240;

/// Written next to the index files; a different content means the index must be rebuilt.
const VERSION_FILE: &str = "lz-search-version";

/// One published learning item, as the index sees it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchDoc {
    /// Item id (UUID text), unique key.
    pub id: String,
    /// Code, e.g. "case_study", "practice_guide".
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// Markdown body + structured sections, as plain text.
    pub body: String,
    /// Text extracted from attachments; only the first 200 kB is indexed, 20 kB stored.
    pub attachments_text: String,
    /// Term slugs, e.g. "enabling-active-environments".
    pub themes: Vec<String>,
    pub agendas: Vec<String>,
    pub audiences: Vec<String>,
    pub place: Option<String>,
    pub organisation: Option<String>,
    /// Publication year.
    pub year: i32,
    /// Publication time, UTC milliseconds.
    pub published_at: i64,
    /// Who may see it: "public", "network", "place:<id>", "org:<id>".
    pub access: Vec<String>,
}

/// Who is asking: `Everything` (network admins), or the access tokens they hold
/// (signed out: ["public"]; signed in: ["public","network","place:..","org:.."]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Everything,
    Tokens(Vec<String>),
}

/// Result order. With empty text every item scores the same, so callers browsing should
/// ask for `Newest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

/// Each list is OR within its field; non-empty lists are ANDed together.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub kind: Vec<String>,
    pub theme: Vec<String>,
    pub agenda: Vec<String>,
    /// Audience slugs (added: the index has them, so they can be filtered on too).
    pub audience: Vec<String>,
    pub place: Vec<String>,
    pub organisation: Vec<String>,
    pub year: Vec<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Free text; "quoted phrases" are the only syntax. Empty = browse everything.
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    /// 1-based; 0 is treated as 1, and pages beyond offset 10,000 as the last allowed page.
    pub page: usize,
    /// Clamped to 1..=100.
    pub per_page: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub published_at: i64,
    /// BM25 score for `Sort::Relevance`; 0 for `Sort::Newest`.
    pub score: f32,
    /// HTML-escaped text with matches wrapped in <mark>…</mark>; safe to insert as HTML.
    pub snippet_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Value counts over the whole filtered result set; count desc, then value asc; at most 50 each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub kind: Vec<FacetCount>,
    pub theme: Vec<FacetCount>,
    pub agenda: Vec<FacetCount>,
    /// Added alongside `Filters::audience`.
    pub audience: Vec<FacetCount>,
    pub place: Vec<FacetCount>,
    pub organisation: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// "Did you mean": (typed word, a matching word seen in the results), for words that
    /// matched nothing and were searched fuzzily. Only words from visible results are offered.
    pub corrected: Vec<(String, String)>,
    /// Every typed word that was searched fuzzily (a superset of `corrected`'s first elements).
    pub fuzzy_words: Vec<String>,
}

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

struct WriterState {
    writer: IndexWriter,
    /// Id of the live `Rebuild`, if any: its uncommitted adds must not be committed by `apply`.
    rebuild: Option<u64>,
    next_rebuild_id: u64,
}

/// The writer's state, locked; `lock_writer` has filled the slot before handing it out.
struct WriterGuard<'a>(MutexGuard<'a, Option<WriterState>>);

impl std::ops::Deref for WriterGuard<'_> {
    type Target = WriterState;
    fn deref(&self) -> &WriterState {
        match self.0.as_ref() {
            Some(s) => s,
            None => unreachable!("lock_writer opens the writer before returning"),
        }
    }
}

impl std::ops::DerefMut for WriterGuard<'_> {
    fn deref_mut(&mut self) -> &mut WriterState {
        match self.0.as_mut() {
            Some(s) => s,
            None => unreachable!("lock_writer opens the writer before returning"),
        }
    }
}

struct Inner {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// The only writer (tantivy holds a directory lock for it), opened on first use so
    /// that a command that only reads (or writes nothing to the index) can run beside the
    /// server.
    writer: Mutex<Option<WriterState>>,
    applied_seq: AtomicI64,
    /// "More like this" answers for the current index generation: the same item page is
    /// read far more often than the index changes, and the query is a wide disjunction.
    similar: Mutex<SimilarCache>,
    /// Browse answers (no text: the library's front page, theme, place and organisation
    /// pages) for the current generation: few distinct requests, read on every visit, each
    /// counting facets over the whole collection. Searches with text are never cached.
    browse: Mutex<BrowseCache>,
    /// Each item's neighbours, computed ahead of the pages that show them (`neighbours.rs`).
    neighbours: Mutex<neighbours::Neighbours>,
}

#[derive(Default)]
struct BrowseCache {
    generation: u64,
    results: std::collections::HashMap<(String, String), SearchResults>,
}

const BROWSE_CACHE_ENTRIES: usize = 2_000;

/// Cached "more like this" hits, keyed by item, access and limit. They outlive commits: a
/// commit removes only the answers whose item or any of whose hits it changed (so a withdrawn
/// or re-scoped item never shows from the cache), and an answer is recomputed after
/// `SIMILAR_TTL` so that new items find their way in. Emptied by a rebuild or past its cap.
#[derive(Default)]
struct SimilarCache {
    /// Raised by every invalidation: an answer computed before it is not stored.
    epoch: u64,
    hits: std::collections::HashMap<(String, String, usize), (std::time::Instant, Vec<Hit>)>,
}

impl SimilarCache {
    fn invalidate(&mut self, changed: &std::collections::HashSet<&str>) {
        self.epoch += 1;
        self.hits.retain(|(item, _, _), (_, hits)| {
            !changed.contains(item.as_str())
                && !hits.iter().any(|h| changed.contains(h.id.as_str()))
        });
    }

    fn clear(&mut self) {
        self.epoch += 1;
        self.hits.clear();
    }
}

const SIMILAR_TTL: std::time::Duration = std::time::Duration::from_secs(600);
const SIMILAR_CACHE_ENTRIES: usize = 20_000;

/// The search index. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

/// Parses a commit payload; anything unparsable counts as "nothing applied" (forces a replay).
fn payload_seq(payload: Option<&str>) -> i64 {
    payload.and_then(|p| p.trim().parse().ok()).unwrap_or(0)
}

/// Tantivy's own files (we never delete anything else from the directory).
fn is_index_file(name: &str) -> bool {
    const EXTENSIONS: [&str; 7] = [
        ".idx",
        ".pos",
        ".term",
        ".store",
        ".fast",
        ".fieldnorm",
        ".del",
    ];
    matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
    ) || name == VERSION_FILE
        || EXTENSIONS.iter().any(|ext| name.ends_with(ext))
}

fn wipe(dir: &Path) -> Result<(), SearchError> {
    let dir_err = |source| SearchError::Directory {
        path: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(dir_err)? {
        let entry = entry.map_err(dir_err)?;
        let name = entry.file_name();
        if entry.file_type().map_err(dir_err)?.is_file() && is_index_file(&name.to_string_lossy()) {
            std::fs::remove_file(entry.path()).map_err(dir_err)?;
        }
    }
    Ok(())
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if missing. An index written with another
    /// schema version is wiped and recreated empty (`applied_seq` 0: the caller rebuilds).
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let dir_err = |source| SearchError::Directory {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(dir_err)?;
        let (schema, _) = schema::build_schema();
        if dir.join("meta.json").exists() {
            let version = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
            if version.trim() == SCHEMA_VERSION.to_string() {
                match Index::open_in_dir(dir) {
                    Ok(index) if index.schema() == schema => return Self::from_index(index),
                    Ok(_) => {
                        tracing::warn!(dir = %dir.display(), "search index schema differs; recreating")
                    }
                    Err(err) => {
                        tracing::warn!(dir = %dir.display(), %err, "search index unreadable; recreating")
                    }
                }
            } else {
                tracing::warn!(dir = %dir.display(), found = version.trim(), expected = SCHEMA_VERSION, "search index version differs; recreating");
            }
            wipe(dir)?;
        }
        let index = Index::create_in_dir(dir, schema)
            .map_err(SearchError::tantivy("creating the index"))?;
        // Written after the index exists: a crash in between leaves no version, so a rebuild.
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string()).map_err(dir_err)?;
        Self::from_index(index)
    }

    /// A throw-away index in memory (tests, tools).
    pub fn open_in_ram() -> Result<Self, SearchError> {
        let (schema, _) = schema::build_schema();
        Self::from_index(Index::create_in_ram(schema))
    }

    fn from_index(mut index: Index) -> Result<Self, SearchError> {
        schema::register_analyser(&index)?;
        // Segments are searched in parallel, one thread per core: a lone query uses the
        // whole machine instead of one core.
        index
            .set_default_multithread_executor()
            .map_err(SearchError::tantivy("starting the search threads"))?;
        let (_, fields) = schema::build_schema();
        // Manual: we reload right after each commit, so a search after `apply` sees it.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(SearchError::tantivy("opening the index reader"))?;
        let metas = index
            .load_metas()
            .map_err(SearchError::tantivy("reading index metadata"))?;
        let applied_seq = payload_seq(metas.payload.as_deref());
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                index,
                reader,
                fields,
                writer: Mutex::new(None),
                applied_seq: AtomicI64::new(applied_seq),
                similar: Mutex::new(SimilarCache::default()),
                browse: Mutex::new(BrowseCache::default()),
                neighbours: Mutex::new(neighbours::Neighbours::default()),
            }),
        })
    }

    fn lock_writer(&self) -> Result<WriterGuard<'_>, SearchError> {
        let mut slot = self
            .inner
            .writer
            .lock()
            .map_err(|_| SearchError::Poisoned)?;
        if slot.is_none() {
            let writer = self
                .inner
                .index
                .writer(WRITER_MEMORY_BUDGET)
                .map_err(SearchError::tantivy("opening the index writer"))?;
            *slot = Some(WriterState {
                writer,
                rebuild: None,
                next_rebuild_id: 1,
            });
        }
        Ok(WriterGuard(slot))
    }

    /// The change-log sequence number of the last commit (0 for a new index).
    pub fn applied_seq(&self) -> i64 {
        self.inner.applied_seq.load(Ordering::SeqCst)
    }

    /// Number of live (searchable) items.
    pub fn doc_count(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Upserts (delete-by-id then add) and deletes, committed once together with `seq` as
    /// the payload. Idempotent: re-applying the same batch is harmless. On error nothing of
    /// the batch is committed.
    pub fn apply(
        &self,
        upserts: Vec<SearchDoc>,
        deletes: Vec<String>,
        seq: i64,
    ) -> Result<(), SearchError> {
        let mut state = self.lock_writer()?;
        if state.rebuild.is_some() {
            return Err(SearchError::RebuildInProgress);
        }
        let changed: Vec<String> = upserts
            .iter()
            .map(|d| d.id.clone())
            .chain(deletes.iter().cloned())
            .collect();
        let upserted: Vec<String> = upserts.iter().map(|d| d.id.clone()).collect();
        let deletes_of_batch = deletes.clone();
        let result = self.apply_locked(&mut state.writer, upserts, deletes, seq);
        if result.is_ok() {
            let changed: std::collections::HashSet<&str> =
                changed.iter().map(String::as_str).collect();
            self.inner
                .similar
                .lock()
                .map_err(|_| SearchError::Poisoned)?
                .invalidate(&changed);
            let mut neighbours = self.neighbours()?;
            for id in &deletes_of_batch {
                neighbours.remove(id);
            }
            for id in &upserted {
                neighbours.queue(id, true);
            }
        }
        if result.is_err() {
            // Drop the half-applied batch so a later commit cannot publish it.
            if let Err(err) = state.writer.rollback() {
                tracing::error!(%err, "search index rollback failed");
            }
        }
        result
    }

    fn apply_locked(
        &self,
        writer: &mut IndexWriter,
        upserts: Vec<SearchDoc>,
        deletes: Vec<String>,
        seq: i64,
    ) -> Result<(), SearchError> {
        let f = &self.inner.fields;
        for doc in &upserts {
            writer.delete_term(schema::id_term(f, &doc.id));
            writer
                .add_document(schema::to_document(f, doc))
                .map_err(SearchError::tantivy("adding a document"))?;
        }
        for id in &deletes {
            writer.delete_term(schema::id_term(f, id));
        }
        self.commit(writer, seq)
    }

    fn commit(&self, writer: &mut IndexWriter, seq: i64) -> Result<(), SearchError> {
        let mut prepared = writer
            .prepare_commit()
            .map_err(SearchError::tantivy("preparing a commit"))?;
        prepared.set_payload(&seq.to_string());
        prepared
            .commit()
            .map_err(SearchError::tantivy("committing"))?;
        self.inner.applied_seq.store(seq, Ordering::SeqCst);
        self.inner
            .reader
            .reload()
            .map_err(SearchError::tantivy("reloading the reader after a commit"))
    }

    /// Starts a full rebuild. Until `finish`, searches see the old content and `apply`
    /// returns `RebuildInProgress`; dropping the handle without `finish` abandons it.
    pub fn rebuild(&self) -> Result<Rebuild, SearchError> {
        let mut state = self.lock_writer()?;
        if state.rebuild.is_some() {
            return Err(SearchError::RebuildInProgress);
        }
        // Only affects the writer's uncommitted view: readers keep the committed segments.
        state
            .writer
            .delete_all_documents()
            .map_err(SearchError::tantivy("clearing the index for a rebuild"))?;
        let id = state.next_rebuild_id;
        state.next_rebuild_id += 1;
        state.rebuild = Some(id);
        Ok(Rebuild {
            index: self.clone(),
            id,
            finished: false,
            seen: std::collections::HashSet::new(),
        })
    }

    /// Runs a search; see [`SearchRequest`]. Never fails because of what the user typed.
    pub fn search(
        &self,
        req: &SearchRequest,
        access: &Access,
    ) -> Result<SearchResults, SearchError> {
        let searcher = self.inner.reader.searcher();
        if !req.text.trim().is_empty() {
            return search::search(&searcher, &self.inner.fields, req, access);
        }
        let generation = searcher.generation().generation_id();
        let key = (
            format!(
                "{:?}|{:?}|{}|{}",
                req.filters, req.sort, req.page, req.per_page
            ),
            access_key(access),
        );
        {
            let cache = self
                .inner
                .browse
                .lock()
                .map_err(|_| SearchError::Poisoned)?;
            if cache.generation == generation {
                if let Some(r) = cache.results.get(&key) {
                    return Ok(r.clone());
                }
            }
        }
        let results = search::search(&searcher, &self.inner.fields, req, access)?;
        let mut cache = self
            .inner
            .browse
            .lock()
            .map_err(|_| SearchError::Poisoned)?;
        if cache.generation != generation || cache.results.len() >= BROWSE_CACHE_ENTRIES {
            cache.results.clear();
            cache.generation = generation;
        }
        cache.results.insert(key, results.clone());
        Ok(results)
    }

    fn neighbours(&self) -> Result<MutexGuard<'_, neighbours::Neighbours>, SearchError> {
        self.inner
            .neighbours
            .lock()
            .map_err(|_| SearchError::Poisoned)
    }

    /// The neighbours with every item of the index queued: done by the first caller that
    /// computes or counts them (about 0.1 s at 100 000 items), not when the index is opened.
    fn seeded_neighbours(&self) -> Result<MutexGuard<'_, neighbours::Neighbours>, SearchError> {
        if self.neighbours()?.seeded() {
            return self.neighbours();
        }
        // Read without the lock held, so pages asking for lists meanwhile do not wait.
        let ids = search::all_ids(&self.inner.reader.searcher())?;
        let mut n = self.neighbours()?;
        if !n.seeded() {
            n.seed(ids);
        }
        Ok(n)
    }

    /// Items whose neighbours are still to be computed (see [`Self::compute_neighbours`]).
    pub fn neighbours_pending(&self) -> Result<usize, SearchError> {
        Ok(self.seeded_neighbours()?.pending())
    }

    /// Computes `id`'s neighbours next, if they are still to be computed.
    pub fn prioritise_neighbours(&self, id: &str) -> Result<(), SearchError> {
        self.seeded_neighbours()?.prioritise(id);
        Ok(())
    }

    /// Computes the neighbours of up to `max_items` queued items (about 1 ms each at 100 000
    /// items); returns how many it took from the queue. Meant for a low-priority thread.
    pub fn compute_neighbours(&self, max_items: usize) -> Result<usize, SearchError> {
        let mut done = 0;
        while done < max_items {
            let Some((id, ticket)) = self.seeded_neighbours()?.next() else {
                break;
            };
            done += 1;
            // Taken after `next`: a rebuild reloads the reader before it raises the epoch,
            // so a list from the old content is never stored.
            let searcher = self.inner.reader.searcher();
            // On an error the item stays without a list (its pages run the full query) until
            // it is indexed again.
            let list =
                search::neighbours(&searcher, &self.inner.fields, &id, neighbours::NEIGHBOURS)?;
            if let Some(list) = list {
                self.neighbours()?.store(&id, ticket, list);
            }
        }
        Ok(done)
    }

    /// [`Self::more_like_this`] from the item's precomputed neighbours, narrowed to `access`
    /// in the query: cheap enough for every page. `None` when they are not computed yet, or
    /// too few of them are visible to `access`.
    pub fn precomputed_more_like_this(
        &self,
        id: &str,
        access: &Access,
        limit: usize,
    ) -> Result<Option<Vec<Hit>>, SearchError> {
        let Some(list) = self.neighbours()?.list(id) else {
            return Ok(None);
        };
        let epoch = self.similar_epoch()?;
        let searcher = self.inner.reader.searcher();
        let hits = search::visible_neighbours(
            &searcher,
            &self.inner.fields,
            id,
            &list,
            neighbours::NEIGHBOURS,
            access,
            limit,
        )?;
        if let Some(hits) = &hits {
            self.remember_similar(id, access, limit, epoch, hits)?;
        }
        Ok(hits)
    }

    /// Read before taking a searcher: a commit reloads the reader first and then raises the
    /// epoch, so an answer from an older searcher is never stored.
    fn similar_epoch(&self) -> Result<u64, SearchError> {
        Ok(self
            .inner
            .similar
            .lock()
            .map_err(|_| SearchError::Poisoned)?
            .epoch)
    }

    fn remember_similar(
        &self,
        id: &str,
        access: &Access,
        limit: usize,
        epoch: u64,
        hits: &[Hit],
    ) -> Result<(), SearchError> {
        let mut cache = self
            .inner
            .similar
            .lock()
            .map_err(|_| SearchError::Poisoned)?;
        if cache.epoch == epoch {
            if cache.hits.len() >= SIMILAR_CACHE_ENTRIES {
                cache.hits.clear();
            }
            cache.hits.insert(
                (id.to_string(), access_key(access), limit),
                (std::time::Instant::now(), hits.to_vec()),
            );
        }
        Ok(())
    }

    /// The cached answer of [`Self::more_like_this`], if there is a current one.
    pub fn cached_more_like_this(
        &self,
        id: &str,
        access: &Access,
        limit: usize,
    ) -> Option<Vec<Hit>> {
        let key = (id.to_string(), access_key(access), limit);
        // Never waits: the low-priority thread that fills this cache may hold the lock while
        // it is off the CPU (a busy server gives it none), and a page must not wait for it.
        let cache = self.inner.similar.try_lock().ok()?;
        cache
            .hits
            .get(&key)
            .filter(|(at, _)| at.elapsed() < SIMILAR_TTL)
            .map(|(_, hits)| hits.clone())
    }

    /// Items like this one (by its title/summary/body terms), visible to `access`, excluding
    /// itself. Empty if the item does not exist or `access` cannot see it.
    pub fn more_like_this(
        &self,
        id: &str,
        access: &Access,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let key = (id.to_string(), access_key(access), limit);
        // The epoch is read before the searcher is taken (see `similar_epoch`).
        let epoch = {
            let cache = self
                .inner
                .similar
                .lock()
                .map_err(|_| SearchError::Poisoned)?;
            if let Some((at, hits)) = cache.hits.get(&key) {
                if at.elapsed() < SIMILAR_TTL {
                    return Ok(hits.clone());
                }
            }
            cache.epoch
        };
        let searcher = self.inner.reader.searcher();
        let hits = search::more_like_this(&searcher, &self.inner.fields, id, access, limit)?;
        self.remember_similar(id, access, limit, epoch, &hits)?;
        Ok(hits)
    }
}

/// One string per distinct access (tokens are sorted by the caller or here).
fn access_key(access: &Access) -> String {
    match access {
        Access::Everything => "*".to_string(),
        Access::Tokens(t) => {
            let mut t = t.clone();
            t.sort();
            t.join(" ")
        }
    }
}

/// A full rebuild in progress (see [`SearchIndex::rebuild`]).
pub struct Rebuild {
    index: SearchIndex,
    id: u64,
    finished: bool,
    /// Ids added so far: only a repeated id needs a delete (each delete is checked against
    /// every document at commit, which for a whole collection cost more than the adds).
    seen: std::collections::HashSet<String>,
}

impl Rebuild {
    fn locked(&self) -> Result<WriterGuard<'_>, SearchError> {
        let state = self.index.lock_writer()?;
        if state.rebuild != Some(self.id) {
            return Err(SearchError::RebuildGone);
        }
        Ok(state)
    }

    /// Adds one item (the writer flushes to disk by itself as its memory budget fills).
    pub fn add(&mut self, doc: &SearchDoc) -> Result<(), SearchError> {
        let repeated = !self.seen.insert(doc.id.clone());
        let state = self.locked()?;
        let f = &self.index.inner.fields;
        // Guards against the same id being fed twice.
        if repeated {
            state.writer.delete_term(schema::id_term(f, &doc.id));
        }
        state
            .writer
            .add_document(schema::to_document(f, doc))
            .map_err(SearchError::tantivy("adding a document during a rebuild"))?;
        Ok(())
    }

    /// Replaces the old content with what was added, atomically, recording `seq`.
    pub fn finish(mut self, seq: i64) -> Result<(), SearchError> {
        self.finished = true;
        let mut state = self.locked()?;
        state.rebuild = None;
        let result = self.index.commit(&mut state.writer, seq);
        if result.is_ok() {
            self.index
                .inner
                .similar
                .lock()
                .map_err(|_| SearchError::Poisoned)?
                .clear();
            let ids = search::all_ids(&self.index.inner.reader.searcher())?;
            self.index.neighbours()?.reset(ids);
        }
        if result.is_err() {
            if let Err(err) = state.writer.rollback() {
                tracing::error!(%err, "search index rollback after a failed rebuild failed");
            }
        }
        result
    }
}

impl Drop for Rebuild {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if let Ok(mut state) = self.locked() {
            state.rebuild = None;
            // Throws away the delete-all and the adds; the committed index is untouched.
            if let Err(err) = state.writer.rollback() {
                tracing::error!(%err, "search index rollback of an abandoned rebuild failed");
            }
        }
    }
}

#[cfg(test)]
mod tests;
