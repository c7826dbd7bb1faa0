//! "More like this" computed off the request path, at low priority. The thread works through
//! the index's queue of items whose neighbours are not computed yet (all of them after a
//! start or a rebuild, then each item as it is indexed), from which every page's answer is
//! then cheap (`SearchIndex::precomputed_more_like_this`). Until an item's neighbours are
//! known, or when too few are visible to the reader, a page whose answer is not cached shows
//! without it and queues the full query here. Under saturation all of this waits for spare
//! CPU instead of taking it from the pages being served (shedding optional work); on a quiet
//! server a page computes its own answer (see `App::more_like_this`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, RecvTimeoutError, SyncSender, TryRecvError, TrySendError};
use std::sync::Arc;
use std::time::Duration;

/// Requests waiting beyond this are dropped: a later visit asks again.
const QUEUE: usize = 1_024;
/// Neighbour lists computed between looks at the page requests (about 2 ms each).
const NEIGHBOURS_BATCH: usize = 8;
/// How soon items newly indexed are picked up when the thread has nothing else to do.
const IDLE_POLL: Duration = Duration::from_millis(500);

struct Job {
    item_id: String,
    access: lz_search::Access,
}

pub(crate) struct Similar {
    jobs: SyncSender<Job>,
    /// Queued and not yet finished.
    backlog: Arc<AtomicUsize>,
}

impl Similar {
    /// Starts the worker thread; it ends when the last `App` holding this is dropped.
    pub(crate) fn start(index: lz_search::SearchIndex) -> std::io::Result<Self> {
        let (jobs, rx) = sync_channel::<Job>(QUEUE);
        let backlog = Arc::new(AtomicUsize::new(0));
        let pending = backlog.clone();
        std::thread::Builder::new()
            .name("lz-similar".into())
            .spawn(move || {
                lower_this_threads_priority();
                let run = |job: Job| {
                    if let Err(e) = index.more_like_this(&job.item_id, &job.access, 5) {
                        tracing::warn!(error = %e, "more like this in the background");
                    }
                    pending.fetch_sub(1, Ordering::SeqCst);
                };
                loop {
                    // Pages waiting come first; then neighbour lists; then sleep.
                    match rx.try_recv() {
                        Ok(job) => {
                            run(job);
                            continue;
                        }
                        Err(TryRecvError::Disconnected) => return,
                        Err(TryRecvError::Empty) => {}
                    }
                    match index.neighbours_pending() {
                        Ok(0) => {}
                        Ok(_) => {
                            if let Err(e) = index.compute_neighbours(NEIGHBOURS_BATCH) {
                                tracing::warn!(error = %e, "computing more-like-this neighbours");
                            }
                            continue;
                        }
                        // Tried again after the idle wait below, not in a tight loop.
                        Err(e) => tracing::warn!(error = %e, "counting more-like-this neighbours"),
                    }
                    match rx.recv_timeout(IDLE_POLL) {
                        Ok(job) => run(job),
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            })?;
        Ok(Self { jobs, backlog })
    }

    /// Whether computations are waiting (the server is busy with pages).
    pub(crate) fn busy(&self) -> bool {
        self.backlog.load(Ordering::SeqCst) > 0
    }

    pub(crate) fn queue(&self, item_id: &str, access: lz_search::Access) {
        self.backlog.fetch_add(1, Ordering::SeqCst);
        let job = Job {
            item_id: item_id.to_string(),
            access,
        };
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) = self.jobs.try_send(job)
        {
            self.backlog.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// The calling thread runs only on CPU time nobody else wants (SCHED_IDLE; nice 19 where that
/// is refused): on Linux both belong to each thread, so the server's other threads keep theirs.
#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: both calls only change the scheduling of the calling thread (pid/who = 0) and
    // read the struct we pass.
    unsafe {
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0
            && libc::setpriority(libc::PRIO_PROCESS, 0, 19) != 0
        {
            tracing::debug!(error = %std::io::Error::last_os_error(), "could not lower the priority of more-like-this");
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str) -> lz_search::SearchDoc {
        lz_search::SearchDoc {
            id: id.into(),
            kind: "case_study".into(),
            title: title.into(),
            summary: title.into(),
            access: vec!["public".into()],
            year: 2026,
            ..Default::default()
        }
    }

    #[test]
    fn a_queued_answer_reaches_the_cache() {
        let index = lz_search::SearchIndex::open_in_ram().expect("index");
        let docs = vec![
            doc("a", "walking football for older men"),
            doc("b", "walking football in the park"),
            doc("c", "swimming lessons for children"),
        ];
        index.apply(docs, vec![], 1).expect("apply");
        let access = lz_search::Access::Tokens(vec!["public".into()]);
        assert!(index.cached_more_like_this("a", &access, 5).is_none());
        let similar = Similar::start(index.clone()).expect("thread");
        similar.queue("a", access.clone());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while similar.busy() {
            assert!(std::time::Instant::now() < deadline, "never computed");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let hits = index
            .cached_more_like_this("a", &access, 5)
            .expect("cached after the thread ran");
        assert_eq!(hits.first().map(|h| h.id.as_str()), Some("b"), "{hits:?}");
        // Then, with no page waiting, it computes every item's neighbours. (Waiting for
        // `neighbours_pending` to reach 0 is not enough: an item leaves the queue before its
        // list is stored.)
        let hits = loop {
            let found = index
                .precomputed_more_like_this("a", &access, 5)
                .expect("query");
            if let Some(hits) = found {
                break hits;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "neighbours never computed"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert_eq!(hits.first().map(|h| h.id.as_str()), Some("b"), "{hits:?}");
    }
}
