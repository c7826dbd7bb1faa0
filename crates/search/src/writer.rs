//! Writing to the index: batches from the change log, and full rebuilds. There is one
//! writer (tantivy holds a directory lock for it), opened on first use.

use std::sync::atomic::Ordering;
use std::sync::MutexGuard;

use tantivy::IndexWriter;

use crate::{
    evidence_id_of, schema, search, SearchDoc, SearchError, SearchIndex, EVIDENCE_KIND,
    WRITER_MEMORY_BUDGET,
};

/// An evidence record is indexed as `evidence:<id>` with the kind "evidence", and nothing
/// else is: so that an evidence hit is never taken for an item, nor an item for evidence.
fn check_kind(doc: &SearchDoc) -> Result<(), SearchError> {
    if (doc.kind == EVIDENCE_KIND) == evidence_id_of(&doc.id).is_some() {
        Ok(())
    } else {
        Err(SearchError::MixedKinds(doc.id.clone()))
    }
}

/// Whether "more like this" keeps neighbours for this document: items only.
pub(crate) fn has_neighbours(id: &str) -> bool {
    evidence_id_of(id).is_none()
}

pub(crate) struct WriterState {
    writer: IndexWriter,
    /// Id of the live `Rebuild`, if any: its uncommitted adds must not be committed by `apply`.
    rebuild: Option<u64>,
    next_rebuild_id: u64,
}

/// The writer's state, locked; `lock_writer` has filled the slot before handing it out.
pub(crate) struct WriterGuard<'a>(MutexGuard<'a, Option<WriterState>>);

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

impl SearchIndex {
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
        for doc in &upserts {
            check_kind(doc)?;
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
            for id in upserted.iter().filter(|id| has_neighbours(id)) {
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
        check_kind(doc)?;
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
