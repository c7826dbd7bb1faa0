//! Learning Zone search: a tantivy index that is a derived, rebuildable view of the database.
//! The database drives it via `apply` (change-log batches, seq stored in the commit) and `rebuild`.

mod error;
mod facets;
mod model;
mod neighbours;
mod query;
mod schema;
mod search;
mod similar;
mod writer;

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use tantivy::{Index, IndexReader, ReloadPolicy};

pub use error::SearchError;
pub use facets::MAX_FACET_VALUES;
pub use model::*;
pub use query::{MAX_QUERY_CHARS, MAX_QUERY_WORDS};
use schema::Fields;
pub use schema::SCHEMA_VERSION;
use similar::SimilarCache;
pub use writer::Rebuild;
use writer::WriterState;

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

    /// The change-log sequence number of the last commit (0 for a new index).
    pub fn applied_seq(&self) -> i64 {
        self.inner.applied_seq.load(Ordering::SeqCst)
    }

    /// Number of live (searchable) documents: items and evidence records.
    pub fn doc_count(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
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

#[cfg(test)]
mod tests;
