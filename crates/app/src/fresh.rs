//! Answers kept for a few seconds at most: who is signed in with a session (one second), an
//! item with its details and reviews, a person's marks (five seconds). Every page asks the first; the item page, the most read page,
//! asks all three, and under load each query was a trip through the database driver's thread.
//!
//! Correctness: any write this process commits (a sign-out, a role or membership change, an
//! edited or withdrawn item, a mark …) empties every cache at once, so within one server
//! nothing is ever stale; a write by another process (a second server on the same
//! PostgreSQL, the CLI) is seen within the cache's time to live (one second for who is signed
//! in and their rights; five for an item's content, as another server's search index takes
//! a second or more anyway). Ages are measured on the app's clock.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Raised after every write in this process. Shared by all [`crate::App`]s: two apps over one
/// database in one process (as the tests' restarts are) must see each other's writes.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// Called after every committed write (`crate::commit`, and the few writes outside a
/// transaction).
pub(crate) fn note_write() {
    WRITES.fetch_add(1, Ordering::SeqCst);
}

/// The write count read before asking the database: an answer read across a commit is
/// stored as already stale.
pub(crate) struct Ticket(u64);

struct Entry<V> {
    value: V,
    loaded_at: i64,
    writes: u64,
}

pub(crate) struct Fresh<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
    /// More entries than this: start afresh (bounded memory).
    max_entries: usize,
    /// How long an answer may be used without asking the database again.
    ttl_ms: i64,
}

impl<K: Eq + Hash, V: Clone> Fresh<K, V> {
    pub(crate) fn new(max_entries: usize, ttl_ms: i64) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            max_entries,
            ttl_ms,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry<V>>> {
        // Entries are whole values: a panic elsewhere cannot leave one half-written.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer for `key` if no write came since and it is younger than the TTL at `now`;
    /// otherwise the ticket to store a new one with.
    pub(crate) fn get<Q>(&self, key: &Q, now: i64) -> Result<V, Ticket>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let ticket = Ticket(WRITES.load(Ordering::SeqCst));
        match self.lock().get(key) {
            Some(e)
                if e.writes == ticket.0
                    && (e.loaded_at..e.loaded_at + self.ttl_ms).contains(&now) =>
            {
                Ok(e.value.clone())
            }
            _ => Err(ticket),
        }
    }

    pub(crate) fn put(&self, ticket: Ticket, key: K, value: V, now: i64) {
        let mut map = self.lock();
        if map.len() >= self.max_entries {
            map.clear();
        }
        map.insert(
            key,
            Entry {
                value,
                loaded_at: now,
                writes: ticket.0,
            },
        );
    }

    pub(crate) fn forget<Q>(&self, key: &Q)
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.lock().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_or_a_second_makes_an_answer_stale() {
        let cache: Fresh<String, i32> = Fresh::new(10, 1_000);
        // Other tests in this process may write between the put and the get: try again then.
        let fresh = (0..100).any(|_| {
            let Err(ticket) = cache.get("a", 1_000) else {
                return true;
            };
            cache.put(ticket, "a".into(), 1, 1_000);
            cache.get("a", 1_500).ok() == Some(1)
        });
        assert!(fresh, "a stored answer was never given back");
        assert!(cache.get("a", 2_000).is_err(), "older than the TTL");
        assert!(cache.get("a", 999).is_err(), "clock moved back");
        note_write();
        assert!(cache.get("a", 1_500).is_err(), "a write came since");
        // An answer read across a write is stored stale.
        let Err(ticket) = cache.get("b", 1_000) else {
            panic!("b was never stored");
        };
        note_write();
        cache.put(ticket, "b".into(), 2, 1_000);
        assert!(cache.get("b", 1_000).is_err());
    }
}
