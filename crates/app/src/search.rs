//! Search: keeping the derived tantivy index current from the durable change log
//! (`search_changes`, written in the same transaction as each change), rebuilding it, and
//! answering queries with the reader's access applied inside the query. The index holds
//! published library items and published evidence records (`evidence:<id>`, built by
//! `evidence::search`); the log names either by its index id.

use crate::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use lz_search::{SearchDoc, SearchRequest, SearchResults};
use lz_store::library::{self as store, IndexRow};

use crate::library::{access_for, item_tokens};
use crate::{new_id, Actor, App, AppError, AppResult};

/// How much attachment text one item carries into the index.
const MAX_ATTACHMENT_TEXT: usize = 200_000;
/// Changes applied per index commit.
const BATCH: i64 = 500;

fn search_error(e: lz_search::SearchError) -> AppError {
    AppError::internal(format!("search index: {e}"))
}

impl App {
    /// Tells the indexer that the change log has grown (call after commit).
    pub fn wake_indexer(&self) {
        self.index_wake.notify_one();
    }

    /// Applies every change logged after the index's own position; returns how many
    /// changes were applied. Safe to run in several instances: each has its own index.
    pub async fn catch_up_index(&self) -> AppResult<usize> {
        let _guard = self.index_lock.lock().await;
        let mut applied = 0;
        loop {
            let from = self.search.applied_seq();
            let mut c = self.db.acquire().await?;
            let changes = store::changes_after(&mut c, from, BATCH).await?;
            let Some(last) = changes.last().map(|(s, _)| *s) else {
                return Ok(applied);
            };
            let ids: Vec<String> = changes
                .iter()
                .map(|(_, id)| id.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let (evidence_ids, item_ids): (Vec<String>, Vec<String>) = ids
                .iter()
                .cloned()
                .partition(|id| lz_search::evidence_id_of(id).is_some());
            let rows = store::index_rows(&mut c, &item_ids).await?;
            let mut docs = self.search_docs(&mut c, rows).await?;
            let evidence_ids: Vec<String> = evidence_ids
                .iter()
                .filter_map(|id| lz_search::evidence_id_of(id))
                .map(str::to_string)
                .collect();
            let rows = lz_store::evidence::published_evidence(&mut c, &evidence_ids).await?;
            docs.extend(evidence_docs(&mut c, rows).await?);
            drop(c);
            let present: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
            let deletes: Vec<String> = ids
                .iter()
                .filter(|i| !present.contains(i.as_str()))
                .cloned()
                .collect();
            let index = self.search.clone();
            tokio::task::spawn_blocking(move || index.apply(docs, deletes, last))
                .await
                .context("indexer task")?
                .map_err(search_error)?;
            applied += changes.len();
        }
    }

    /// Builds index documents for published items, with their terms and attachment text.
    async fn search_docs(
        &self,
        c: &mut lz_store::Conn,
        rows: Vec<IndexRow>,
    ) -> AppResult<Vec<SearchDoc>> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut terms: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for t in store::terms_of(c, &ids).await? {
            terms
                .entry(t.item_id)
                .or_default()
                .push((t.vocabulary, t.slug));
        }
        let mut texts: BTreeMap<String, String> = BTreeMap::new();
        for (item, text) in store::attachment_texts(c, &ids).await? {
            let entry = texts.entry(item).or_default();
            if entry.len() < MAX_ATTACHMENT_TEXT {
                entry.push_str(&text);
                entry.push_str("\n\n");
            }
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let tags = terms.remove(&r.id).unwrap_or_default();
                let of = |v: &str| {
                    tags.iter()
                        .filter(|(voc, _)| voc == v)
                        .map(|(_, s)| s.clone())
                        .collect::<Vec<_>>()
                };
                let published_at = r.published_at.unwrap_or_default();
                let body = [
                    r.context.as_str(),
                    &r.what_we_did,
                    &r.what_we_learned,
                    &r.do_differently,
                    &r.outcomes,
                    &lz_domain::markdown::plain_text(&r.body_md),
                ]
                .join("\n\n");
                let mut attachments_text = texts.remove(&r.id).unwrap_or_default();
                if attachments_text.len() > MAX_ATTACHMENT_TEXT {
                    let mut cut = MAX_ATTACHMENT_TEXT;
                    while !attachments_text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    attachments_text.truncate(cut);
                }
                SearchDoc {
                    access: item_tokens(&r.visibility, &r.organisation_id, r.place_id.as_deref()),
                    themes: of("theme"),
                    agendas: of("agenda"),
                    audiences: of("audience"),
                    id: r.id,
                    kind: r.kind,
                    title: r.title,
                    summary: r.summary,
                    body,
                    attachments_text,
                    places: r.place_slug.into_iter().collect(),
                    organisations: vec![r.organisation_slug],
                    evidence_type: None,
                    strength: None,
                    year: year_of(published_at),
                    published_at,
                }
            })
            .collect())
    }

    /// Runs until `shutdown` changes: applies changes when woken, and every second (changes
    /// made by other instances sharing the database arrive that way).
    pub async fn run_indexer(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.catch_up_index().await {
                tracing::warn!(error = %e, "search index catch-up failed; retrying");
            }
            tokio::select! {
                _ = self.index_wake.notified() => {},
                _ = tokio::time::sleep(Duration::from_secs(1)) => {},
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Rebuilds the whole index from the database; `progress(done, total)` is called as it goes.
    /// The old index answers queries until the new one is committed.
    pub async fn reindex(&self, mut progress: impl FnMut(u64, u64)) -> AppResult<u64> {
        let _guard = self.index_lock.lock().await;
        let mut c = self.db.acquire().await?;
        // Changes logged after this point are replayed by the next catch-up.
        let seq = store::last_change(&mut c).await?;
        let total = (store::count_published(&mut c).await?
            + lz_store::evidence::count_published_evidence(&mut c).await?)
            as u64;
        drop(c);
        // Reading the database and preparing documents overlaps with indexing: a producer
        // task pages through the items while batches are added on a blocking thread.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<SearchDoc>>(2);
        let app = self.clone();
        let producer = tokio::spawn(async move {
            let mut c = app.db.acquire().await?;
            let mut after = String::new();
            loop {
                let rows = store::index_rows_page(&mut c, &after, 1_000).await?;
                let Some(last) = rows.last().map(|r| r.id.clone()) else {
                    break;
                };
                let docs = app.search_docs(&mut c, rows).await?;
                if tx.send(docs).await.is_err() {
                    // The consumer stopped (it failed): its error is the one reported.
                    return Ok(());
                }
                after = last;
            }
            // Then the published evidence records.
            let mut after = String::new();
            loop {
                let rows =
                    lz_store::evidence::published_evidence_page(&mut c, &after, 1_000).await?;
                let Some(last) = rows.last().map(|r| r.id.clone()) else {
                    return Ok::<(), AppError>(());
                };
                let docs = evidence_docs(&mut c, rows).await?;
                if tx.send(docs).await.is_err() {
                    return Ok(());
                }
                after = last;
            }
        });
        let mut rebuild = self.search.rebuild().map_err(search_error)?;
        let mut done = 0u64;
        while let Some(docs) = rx.recv().await {
            done += docs.len() as u64;
            rebuild = tokio::task::spawn_blocking(move || {
                for d in &docs {
                    rebuild.add(d)?;
                }
                Ok::<_, lz_search::SearchError>(rebuild)
            })
            .await
            .context("reindex task")?
            .map_err(search_error)?;
            progress(done, total);
        }
        producer.await.context("reindex reader")??;
        tokio::task::spawn_blocking(move || rebuild.finish(seq))
            .await
            .context("reindex task")?
            .map_err(search_error)?;
        Ok(done)
    }

    /// Searches what the reader may see. A query that finds nothing is recorded, without
    /// who asked, for curators.
    pub async fn search(
        &self,
        actor: Option<&Actor>,
        req: SearchRequest,
    ) -> AppResult<SearchResults> {
        let access = access_for(actor);
        let index = self.search.clone();
        let text = req.text.trim().to_string();
        let unfiltered = req.filters.is_empty();
        let results = tokio::task::spawn_blocking(move || index.search(&req, &access))
            .await
            .context("search task")?
            .map_err(search_error)?;
        if results.total == 0 && !text.is_empty() && unfiltered {
            let q: String = text
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let q: String = q.chars().take(200).collect();
            let mut c = self.db.acquire().await?;
            // Curators' notes: the search answers even when they cannot be written.
            if let Err(e) = store::record_miss(&mut c, &new_id(), &q, self.now()).await {
                tracing::warn!(error = %e, "could not record a search that found nothing");
            }
        }
        Ok(results)
    }

    pub async fn more_like_this(
        &self,
        actor: Option<&Actor>,
        item_id: &str,
    ) -> AppResult<Vec<lz_search::Hit>> {
        let access = access_for(actor);
        if let Some(hits) = self.search.cached_more_like_this(item_id, &access, 5) {
            return Ok(hits);
        }
        // The usual answer: the item's neighbours, computed ahead (`similar.rs`), narrowed to
        // this reader in one short query.
        if let Some(hits) = self
            .search
            .precomputed_more_like_this(item_id, &access, 5)
            .map_err(search_error)?
        {
            return Ok(hits);
        }
        // Not computed yet (the server has just started, or the item was just indexed):
        // computed next, for every reader.
        // (Only an optimisation: the page goes on without it.)
        if let Err(e) = self.search.prioritise_neighbours(item_id) {
            tracing::warn!(error = %e, "queueing more-like-this neighbours");
        }
        let index = self.search.clone();
        let id = item_id.to_string();
        // A quiet server computes the answer for the page (one at a time); a busy one, or
        // one with computations already waiting, shows the page without it this once and
        // queues it for the low-priority thread (`similar.rs`).
        let permit = if self.similar_later.busy() {
            None
        } else {
            self.similar_now.clone().try_acquire_owned().ok()
        };
        match permit {
            Some(permit) => tokio::task::spawn_blocking(move || {
                let _permit = permit;
                index.more_like_this(&id, &access, 5)
            })
            .await
            .context("search task")?
            .map_err(search_error),
            None => {
                self.similar_later.queue(&id, access);
                Ok(Vec::new())
            }
        }
    }

    /// Searches that found nothing in the last `days`, most frequent first (curators only).
    pub async fn search_gaps(&self, actor: &Actor, days: i64) -> AppResult<Vec<store::MissRow>> {
        if !actor.sees_all_content() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.acquire().await?;
        Ok(store::misses(&mut c, self.now() - days * 86_400_000).await?)
    }
}

/// Index documents of published evidence records (rows read as published), with their links.
async fn evidence_docs(
    c: &mut lz_store::Conn,
    rows: Vec<lz_store::evidence::EvidenceRow>,
) -> AppResult<Vec<SearchDoc>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut links = Vec::new();
    for chunk in ids.chunks(300) {
        links.extend(lz_store::evidence::evidence_links(c, chunk).await?);
    }
    Ok(crate::evidence::record::records(rows, links)?
        .into_iter()
        .map(crate::evidence::search::search_doc)
        .collect())
}

/// The calendar year (UTC) of a time in milliseconds.
pub fn year_of(ms: i64) -> i32 {
    lz_domain::dates::utc_date(ms / 1000)
        .map(|d| i32::from(d.year()))
        .unwrap_or(1970)
}
