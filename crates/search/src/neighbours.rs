//! Each item's nearest neighbours over the whole collection ("more like this" for a reader who
//! may see everything), computed ahead of time so that an item page narrows a short list to
//! its reader (`search::visible_neighbours`) instead of running the wide query. Derived and
//! held in memory: every item is queued after the index is opened or rebuilt, and again each
//! time it is indexed; someone (the server's low-priority thread) calls
//! `SearchIndex::compute_neighbours` to work through the queue.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// Neighbours kept per item: enough for five visible to almost any reader (the caller runs the
/// full query when fewer are), few enough to hold 100 000 items in about 20 MB.
pub(crate) const NEIGHBOURS: usize = 24;

/// Neighbours by number with their scores, best first.
type List = Box<[(u32, f32)]>;

/// Handed out with an item to compute and back with its list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    epoch: u64,
    at: u64,
}

#[derive(Default)]
pub(crate) struct Neighbours {
    /// Ids interned as numbers: a list entry is 8 bytes instead of an id string.
    names: Vec<Arc<str>>,
    numbers: HashMap<Arc<str>, u32>,
    /// By number; `None` until computed (or after the item left the index).
    lists: Vec<Option<List>>,
    /// May hold an item more than once (moving one to the front pushes it again); only
    /// entries still in `queued` count, so both operations stay O(1) on a 100 000-item queue.
    todo: VecDeque<u32>,
    queued: HashSet<u32>,
    /// A logical clock: when each item was last indexed and when each list was computed
    /// (a list computed before an item was indexed cannot hold it).
    clock: u64,
    indexed_at: Vec<u64>,
    computed_at: Vec<u64>,
    /// Raised by `reset`: a list computed before it is not stored.
    epoch: u64,
    /// Whether every item of the index has been queued (done on first use, not on opening,
    /// so that a command that never computes neighbours never reads every id).
    seeded: bool,
}

impl Neighbours {
    fn number(&mut self, id: &str) -> u32 {
        if let Some(n) = self.numbers.get(id) {
            return *n;
        }
        let n = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let name: Arc<str> = Arc::from(id);
        self.names.push(name.clone());
        self.numbers.insert(name, n);
        self.lists.push(None);
        self.indexed_at.push(0);
        self.computed_at.push(0);
        n
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// Queues an item just indexed (`urgent`: first) or one that has no list yet (last).
    pub(crate) fn queue(&mut self, id: &str, urgent: bool) {
        let n = self.number(id);
        if urgent {
            self.indexed_at[n as usize] = self.tick();
        }
        let new = self.queued.insert(n);
        if urgent {
            self.todo.push_front(n);
        } else if new {
            self.todo.push_back(n);
        }
    }

    /// Moves a queued item to the front (a page asked for it); no-op when not queued.
    pub(crate) fn prioritise(&mut self, id: &str) {
        let Some(n) = self.numbers.get(id).copied() else {
            return;
        };
        if self.queued.contains(&n) && self.todo.front() != Some(&n) {
            self.todo.push_front(n);
        }
    }

    /// The item left the index: its own list goes (others' lists keep it; the reader's query
    /// no longer finds it).
    pub(crate) fn remove(&mut self, id: &str) {
        if let Some(n) = self.numbers.get(id).copied() {
            if let Some(slot) = self.lists.get_mut(n as usize) {
                *slot = None;
            }
        }
    }

    /// The next item to compute; its list must come from a reader taken after this call,
    /// and goes back through `store` with the ticket.
    pub(crate) fn next(&mut self) -> Option<(Arc<str>, Ticket)> {
        let n = loop {
            let n = self.todo.pop_front()?;
            // A copy left behind by a move to the front is skipped.
            if self.queued.remove(&n) {
                break n;
            }
        };
        let ticket = Ticket {
            epoch: self.epoch,
            at: self.tick(),
        };
        Some((self.names[n as usize].clone(), ticket))
    }

    pub(crate) fn pending(&self) -> usize {
        self.queued.len()
    }

    /// Keeps `list` as `id`'s neighbours and offers `id` to each of them whose list was
    /// computed before `id` was indexed, so that a new item shows beside older ones without
    /// recomputing theirs (similarity is nearly symmetric; lists computed later are exact).
    pub(crate) fn store(&mut self, id: &str, ticket: Ticket, list: Vec<(String, f32)>) {
        if ticket.epoch != self.epoch {
            return;
        }
        let n = self.number(id);
        let indexed_at = self.indexed_at[n as usize];
        let list: List = list
            .into_iter()
            .map(|(other, score)| (self.number(&other), score))
            .collect();
        for &(other, score) in list.iter() {
            if self.computed_at[other as usize] > indexed_at {
                continue;
            }
            let Some(Some(theirs)) = self.lists.get_mut(other as usize) else {
                continue;
            };
            if theirs.iter().any(|(x, _)| *x == n) {
                continue;
            }
            let mut merged: Vec<(u32, f32)> = theirs.to_vec();
            merged.push((n, score));
            merged.sort_by(|a, b| b.1.total_cmp(&a.1));
            merged.truncate(NEIGHBOURS);
            *theirs = merged.into_boxed_slice();
        }
        self.lists[n as usize] = Some(list);
        self.computed_at[n as usize] = ticket.at;
    }

    /// `id`'s neighbours, best first; `None` until computed.
    pub(crate) fn list(&self, id: &str) -> Option<Vec<(Arc<str>, f32)>> {
        let n = *self.numbers.get(id)?;
        let list = self.lists.get(n as usize)?.as_ref()?;
        Some(
            list.iter()
                .map(|(other, score)| (self.names[*other as usize].clone(), *score))
                .collect(),
        )
    }

    pub(crate) fn seeded(&self) -> bool {
        self.seeded
    }

    /// Queues every item of the index (those already queued keep their place).
    pub(crate) fn seed(&mut self, ids: Vec<String>) {
        for id in ids {
            self.queue(&id, false);
        }
        self.seeded = true;
    }

    /// Forgets everything (the index was rebuilt) and queues `ids`.
    pub(crate) fn reset(&mut self, ids: Vec<String>) {
        let epoch = self.epoch + 1;
        *self = Neighbours {
            epoch,
            ..Default::default()
        };
        self.seed(ids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_item_joins_its_neighbours_lists_and_stale_answers_are_dropped() {
        let mut n = Neighbours::default();
        n.reset(vec!["a".into(), "b".into()]);
        assert_eq!(n.pending(), 2);
        // A page asks for "b": it comes first, and only once.
        n.prioritise("b");
        assert_eq!(n.pending(), 2);
        let (b, ticket) = n.next().expect("queued");
        assert_eq!(&*b, "b");
        n.store(&b, ticket, vec![("a".into(), 2.0)]);
        let (a, ticket) = n.next().expect("queued");
        assert_eq!(&*a, "a");
        n.store("a", ticket, vec![("b".into(), 2.0)]);
        assert_eq!(n.pending(), 0);
        assert!(n.next().is_none(), "the copy of b left behind is skipped");
        // "c" arrives later: it joins "a"'s list ahead of the weaker "b".
        n.queue("c", true);
        let (c, ticket) = n.next().expect("queued");
        n.store(&c, ticket, vec![("a".into(), 5.0)]);
        let a_list: Vec<String> = n
            .list("a")
            .expect("computed")
            .iter()
            .map(|(id, _)| id.to_string())
            .collect();
        assert_eq!(a_list, ["c", "b"]);
        // A list computed before a rebuild is not kept.
        n.queue("a", true);
        let (_, old) = n.next().expect("queued");
        n.reset(vec!["a".into()]);
        n.store("a", old, vec![("b".into(), 1.0)]);
        assert!(n.list("a").is_none());
        n.remove("a");
        assert!(n.list("a").is_none());
    }
}
