//! "More like this": answers cached per item and reader, and neighbours computed ahead of
//! the pages that show them (`neighbours.rs`).

use std::sync::MutexGuard;

use crate::{access_key, neighbours, search, Access, Hit, SearchError, SearchIndex};

/// Cached "more like this" hits, keyed by item, access and limit. They outlive commits: a
/// commit removes only the answers whose item or any of whose hits it changed (so a withdrawn
/// or re-scoped item never shows from the cache), and an answer is recomputed after
/// `SIMILAR_TTL` so that new items find their way in. Emptied by a rebuild or past its cap.
#[derive(Default)]
pub(crate) struct SimilarCache {
    /// Raised by every invalidation: an answer computed before it is not stored.
    epoch: u64,
    hits: std::collections::HashMap<(String, String, usize), (std::time::Instant, Vec<Hit>)>,
}

impl SimilarCache {
    pub(crate) fn invalidate(&mut self, changed: &std::collections::HashSet<&str>) {
        self.epoch += 1;
        self.hits.retain(|(item, _, _), (_, hits)| {
            !changed.contains(item.as_str())
                && !hits.iter().any(|h| changed.contains(h.id.as_str()))
        });
    }

    pub(crate) fn clear(&mut self) {
        self.epoch += 1;
        self.hits.clear();
    }
}

pub(crate) const SIMILAR_TTL: std::time::Duration = std::time::Duration::from_secs(600);
pub(crate) const SIMILAR_CACHE_ENTRIES: usize = 20_000;

impl SearchIndex {
    pub(crate) fn neighbours(&self) -> Result<MutexGuard<'_, neighbours::Neighbours>, SearchError> {
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
