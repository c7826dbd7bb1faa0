//! Reading collections: one collection with its outline, the pack made from it (the chosen
//! records its audience may see, numbered in reading order for citations) and the records
//! left out with the reason; the list; a place's narratives; a plan's collections with the
//! evidence they gather per agenda and per place.

use std::collections::BTreeMap;

use lz_domain::advocacy::{self, Candidate};
use lz_store::advocacy::{self as store, CollectionContent, CollectionList, PersonRow};
use lz_store::evidence as evidence_store;

use super::record::Collection;
use super::{Advocacy, CollectionAccess};
use crate::evidence::record::records;
use crate::evidence::EvidenceRecord;
use crate::library::reader;
use crate::{Actor, AppError, AppResult};

/// One record in the pack, with its citation number.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PackEntry {
    pub number: u32,
    pub record: EvidenceRecord,
}

/// A section as the pack shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SectionView {
    pub id: String,
    pub heading: String,
    pub body: String,
    pub entries: Vec<PackEntry>,
    /// Everything chosen for the section, in order, as (evidence id, claim the reader may
    /// see or None): for the curator's controls.
    pub chosen: Vec<(String, Option<String>)>,
}

/// A chosen record that is not in the pack, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LeftOutEntry {
    pub section: String,
    pub evidence_id: String,
    /// The claim, when the reader may open the record.
    pub claim: Option<String>,
    pub reason: &'static str,
}

/// How many records of the pack serve one agenda or come from one place.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Tally {
    pub name: String,
    pub count: usize,
}

pub struct CollectionView {
    pub collection: Collection,
    pub content: CollectionContent,
    pub sections: Vec<SectionView>,
    pub left_out: Vec<LeftOutEntry>,
    pub curators: Vec<PersonRow>,
    /// The workshops that shaped a narrative, as far as the reader may see them: (id, title).
    pub events: Vec<(String, String)>,
    pub agendas: Vec<Tally>,
    pub places: Vec<Tally>,
    pub access: CollectionAccess,
}

impl CollectionView {
    pub fn entries(&self) -> impl Iterator<Item = &PackEntry> {
        self.sections.iter().flat_map(|s| s.entries.iter())
    }
    pub fn record_count(&self) -> usize {
        self.entries().count()
    }

    /// One of its sections; NotFound when it has none with that id.
    pub fn section(&self, id: &str) -> AppResult<&SectionView> {
        self.sections
            .iter()
            .find(|x| x.id == id)
            .ok_or(AppError::NotFound)
    }
}

fn tally(names: impl Iterator<Item = String>) -> Vec<Tally> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for n in names {
        *counts.entry(n).or_default() += 1;
    }
    let mut out: Vec<Tally> = counts
        .into_iter()
        .map(|(name, count)| Tally { name, count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
    out
}

impl Advocacy<'_> {
    /// The collection's saved outline.
    pub(crate) async fn content(&self, id: &str) -> AppResult<CollectionContent> {
        let mut c = self.app.db.acquire().await?;
        let snapshot = store::latest_snapshot(&mut c, id)
            .await?
            .ok_or_else(|| AppError::internal(format!("collection {id} has no version")))?;
        serde_json::from_str(&snapshot)
            .map_err(|e| AppError::internal(format!("collection {id}'s outline: {e}")))
    }

    /// A collection the reader may open, with its pack; NotFound otherwise.
    pub async fn collection(&self, actor: Option<&Actor>, id: &str) -> AppResult<CollectionView> {
        let row = {
            let mut c = self.app.db.acquire().await?;
            store::collection(&mut c, &reader(actor), id)
                .await?
                .ok_or(AppError::NotFound)?
        };
        self.view(actor, Collection::try_from(row)?).await
    }

    /// The pack as a share link's holder sees it: the reader is nobody.
    pub(crate) async fn collection_for_share(&self, id: &str) -> AppResult<CollectionView> {
        let row = {
            let mut c = self.app.db.acquire().await?;
            store::collection_for_share(&mut c, id)
                .await?
                .ok_or(AppError::NotFound)?
        };
        self.view(None, Collection::try_from(row)?).await
    }

    async fn view(
        &self,
        actor: Option<&Actor>,
        collection: Collection,
    ) -> AppResult<CollectionView> {
        let id = collection.id.to_string();
        let content = self.content(&id).await?;
        let access = CollectionAccess::of(actor, &collection, &content.curator_ids);
        let mut c = self.app.db.acquire().await?;
        let chosen: Vec<String> = content
            .sections
            .iter()
            .flat_map(|s| s.evidence_ids.iter().cloned())
            .collect();
        let rows = evidence_store::evidence_by_ids(&mut c, &chosen).await?;
        let deleted: Vec<String> = rows
            .iter()
            .filter(|r| r.deleted_at.is_some())
            .map(|r| r.id.clone())
            .collect();
        let mut links = Vec::new();
        for chunk in chosen.chunks(300) {
            links.extend(evidence_store::evidence_links(&mut c, chunk).await?);
        }
        let found = records(rows, links)?;
        // What the reader may open, for claims in the left-out list and the curator's controls.
        let mut readable = Vec::new();
        for r in &found {
            if evidence_store::evidence(&mut c, &reader(actor), r.id.as_str())
                .await?
                .is_some()
            {
                readable.push(r.id.to_string());
            }
        }
        let curators = store::people(&mut c, &content.curator_ids).await?;
        drop(c);
        let owner = collection.organisation.as_ref().map(|o| o.id.as_str());
        let mut number = 0_u32;
        let mut sections = Vec::new();
        let mut left_out = Vec::new();
        for s in &content.sections {
            let mut entries = Vec::new();
            let mut chosen = Vec::new();
            for eid in &s.evidence_ids {
                let record = found.iter().find(|r| r.id == eid.as_str());
                let may_read = readable.iter().any(|x| x == eid);
                chosen.push((
                    eid.clone(),
                    record.filter(|_| may_read).map(|r| r.claim.clone()),
                ));
                let verdict = match record {
                    None => Err(advocacy::LeftOut::Deleted),
                    Some(r) => advocacy::admit(
                        &Candidate {
                            deleted: deleted.iter().any(|d| d == eid),
                            status: r.status,
                            visibility: r.visibility,
                            organisation_id: r.organisation_id.as_ref().map(|o| o.as_str()),
                        },
                        collection.audience,
                        owner,
                    ),
                };
                match (verdict, record) {
                    (Ok(()), Some(r)) => {
                        number += 1;
                        entries.push(PackEntry {
                            number,
                            record: r.clone(),
                        });
                    }
                    (Err(why), _) => left_out.push(LeftOutEntry {
                        section: s.heading.clone(),
                        evidence_id: eid.clone(),
                        claim: record.filter(|_| may_read).map(|r| r.claim.clone()),
                        reason: why.reason(),
                    }),
                    (Ok(()), None) => {}
                }
            }
            sections.push(SectionView {
                id: s.id.clone(),
                heading: s.heading.clone(),
                body: s.body.clone(),
                entries,
                chosen,
            });
        }
        let mut events = Vec::new();
        for e in &content.event_ids {
            match self.app.events().event(actor, &e.as_str().into()).await {
                Ok(v) => events.push((e.clone(), v.event.title.clone())),
                Err(AppError::NotFound) => {}
                Err(other) => return Err(other),
            }
        }
        let in_pack: Vec<&EvidenceRecord> = sections
            .iter()
            .flat_map(|s| s.entries.iter().map(|e| &e.record))
            .collect();
        let agendas = tally(
            in_pack
                .iter()
                .flat_map(|r| r.agendas.iter().map(|a| a.name.clone())),
        );
        let places = tally(
            in_pack
                .iter()
                .flat_map(|r| r.places.iter().map(|p| p.name.clone())),
        );
        Ok(CollectionView {
            collection,
            content,
            sections,
            left_out,
            curators,
            events,
            agendas,
            places,
            access,
        })
    }

    /// Every collection the reader may open, most recently changed first.
    pub async fn list(&self, actor: Option<&Actor>) -> AppResult<Vec<Collection>> {
        self.listed(actor, CollectionList::All).await
    }

    /// A place's narratives the reader may open.
    pub async fn narratives_of_place(
        &self,
        actor: Option<&Actor>,
        place_id: &str,
    ) -> AppResult<Vec<Collection>> {
        self.listed(actor, CollectionList::Place(place_id)).await
    }

    /// The collections the reader may open that a plan's work areas commission, each with its
    /// pack: what the plan page and the Executive report show.
    pub async fn of_plan(
        &self,
        actor: Option<&Actor>,
        plan_id: &str,
    ) -> AppResult<Vec<CollectionView>> {
        let mut out = Vec::new();
        for c in self.listed(actor, CollectionList::Plan(plan_id)).await? {
            out.push(self.view(actor, c).await?);
        }
        Ok(out)
    }

    /// The collections the reader may open that chose an evidence record.
    pub async fn citing(
        &self,
        actor: Option<&Actor>,
        evidence_id: &str,
    ) -> AppResult<Vec<Collection>> {
        let ids = {
            let mut c = self.app.db.acquire().await?;
            store::collections_citing(&mut c, evidence_id).await?
        };
        let mut out = Vec::new();
        for id in ids {
            let mut c = self.app.db.acquire().await?;
            if let Some(row) = store::collection(&mut c, &reader(actor), &id).await? {
                out.push(Collection::try_from(row)?);
            }
        }
        Ok(out)
    }

    async fn listed(
        &self,
        actor: Option<&Actor>,
        list: CollectionList<'_>,
    ) -> AppResult<Vec<Collection>> {
        let mut c = self.app.db.acquire().await?;
        store::collections(&mut c, &reader(actor), list)
            .await?
            .into_iter()
            .map(Collection::try_from)
            .collect()
    }
}
