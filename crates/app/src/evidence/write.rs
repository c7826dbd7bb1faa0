//! Writing evidence: record a draft, edit one's own draft, check (a second person), publish,
//! and soft-delete; each change, its audit entry and its row in the search change log
//! (`search_changes`, under the index's id `evidence:<id>`) commit together: the indexer then
//! adds a published record to the index or removes one that is not (or no longer) published.

use lz_domain::evidence::{self, StepRefused};
use lz_domain::library::Vocabulary;
use lz_store::evidence::{self as store, EvidenceContent};
use lz_store::library::log_change;

use super::{Evidence, EvidenceAccess, EvidenceInput};
use crate::{new_id, Actor, AppError, AppResult, Audit, Problems};

impl Evidence<'_> {
    /// Checks the input, and its ids against what exists and what the author may see.
    async fn content(&self, actor: &Actor, input: &EvidenceInput) -> AppResult<EvidenceContent> {
        let mut problems = Problems::default();
        let content = input.check(&mut problems);
        if let Some(item) = content.source_item_id.as_deref().filter(|i| !i.is_empty()) {
            match self.app.library().item(Some(actor), item).await {
                Ok(view) => {
                    // Evidence is never seen more widely than the item it is drawn from.
                    let wanted = lz_domain::library::Visibility::parse(&content.visibility);
                    if wanted.is_some_and(|w| !lz_domain::advocacy::within(view.item.visibility, w))
                    {
                        problems.add(
                            "visibility",
                            format!(
                                "The item is visible to fewer people ({}): choose who can see this evidence from no more than that",
                                view.item.visibility.label().split(':').next().unwrap_or_default()
                            ),
                        );
                    }
                    let private = matches!(
                        view.item.visibility,
                        lz_domain::library::Visibility::Organisation
                            | lz_domain::library::Visibility::Place
                    );
                    if private && !actor.belongs_to(view.item.organisation_id.as_str()) {
                        problems.add(
                            "source_item_id",
                            "This item is kept to another organisation: evidence from it can only be recorded by that organisation's members",
                        );
                    }
                }
                Err(AppError::NotFound) => {
                    problems.add("source_item_id", "Choose a library item you can see")
                }
                Err(e) => return Err(e),
            }
        }
        let terms = self.app.library().terms().await?;
        let agenda = |id: &String| {
            terms
                .iter()
                .any(|t| t.vocabulary == Vocabulary::Agenda && t.id == id.as_str())
        };
        if !content.agenda_ids.iter().all(agenda) {
            problems.add("agendas", "Choose agendas from the list");
        }
        let places = self.app.network().places().await?;
        if !content
            .place_ids
            .iter()
            .all(|p| places.iter().any(|x| x.id == p.as_str()))
        {
            problems.add("places", "Choose places from the list");
        }
        let orgs = self.app.network().organisations().await?;
        if !content
            .organisation_ids
            .iter()
            .all(|o| orgs.iter().any(|x| x.id == o.as_str()))
        {
            problems.add("organisations", "Choose organisations from the list");
        }
        problems.into_result()?;
        Ok(content)
    }

    /// Records a new draft (contributors and above); returns its id.
    pub async fn create(&self, actor: &Actor, input: &EvidenceInput) -> AppResult<String> {
        EvidenceAccess::require_record(Some(actor))?;
        let content = self.content(actor, input).await?;
        let owner = actor.active_organisation_ids().into_iter().next();
        if content.visibility == "organisation" && owner.is_none() {
            return Err(AppError::field(
                "visibility",
                "Only members of an organisation can keep evidence to their organisation",
            ));
        }
        let id = new_id();
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::insert_evidence(&mut tx, &id, &content, owner.as_deref(), actor.id(), now).await?;
        Audit::new(
            Some(actor.id()),
            "evidence.create",
            ("evidence", &id),
            &content.claim,
        )
        .commit(tx, now)
        .await?;
        Ok(id)
    }

    /// Saves the author's own draft.
    pub async fn update(&self, actor: &Actor, id: &str, input: &EvidenceInput) -> AppResult<()> {
        let view = self.get(Some(actor), id).await?;
        view.access.require_edit()?;
        let content = self.content(actor, input).await?;
        if content.visibility == "organisation" && view.record.organisation_id.is_none() {
            return Err(AppError::field(
                "visibility",
                "This record belongs to no organisation: choose public or network",
            ));
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::update_evidence(&mut tx, id, &content, now).await?;
        self.commit_change(tx, actor, id, "evidence.update", &content.claim, now)
            .await
    }

    /// Draft → checked, by a moderator or network admin who is not its author.
    pub async fn check(&self, actor: &Actor, id: &str) -> AppResult<()> {
        EvidenceAccess::require_curate(actor)?;
        let view = self.get(Some(actor), id).await?;
        let r = &view.record;
        evidence::may_check(r.status, r.created_by.as_str(), actor.id()).map_err(refused)?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::set_checked(&mut tx, id, actor.id(), now).await?;
        self.commit_change(tx, actor, id, "evidence.check", &r.claim, now)
            .await
    }

    /// Checked → published, by a moderator or network admin who is not its author.
    pub async fn publish(&self, actor: &Actor, id: &str) -> AppResult<()> {
        EvidenceAccess::require_curate(actor)?;
        let view = self.get(Some(actor), id).await?;
        let r = &view.record;
        evidence::may_publish(r.status, r.created_by.as_str(), actor.id()).map_err(refused)?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::set_published(&mut tx, id, actor.id(), now).await?;
        self.commit_change(tx, actor, id, "evidence.publish", &r.claim, now)
            .await
    }

    /// Soft-deletes a record: its author while it is a draft, or a curator.
    pub async fn delete(&self, actor: &Actor, id: &str) -> AppResult<()> {
        let view = self.get(Some(actor), id).await?;
        if !view.access.may_edit() {
            EvidenceAccess::require_curate(actor)?;
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::soft_delete_evidence(&mut tx, id, now).await?;
        self.commit_change(tx, actor, id, "evidence.delete", &view.record.claim, now)
            .await
    }

    /// How many records exist, deleted or not (for tests that check nothing changed).
    pub async fn count_all(&self) -> AppResult<i64> {
        Ok(store::count_evidence(&mut *self.app.db.acquire().await?).await?)
    }
}

impl Evidence<'_> {
    /// The end of every change to a record: the search index's queue entry and the audit
    /// entry in the change's transaction, the commit, then the indexer woken.
    async fn commit_change(
        &self,
        mut tx: lz_store::Tx<'_>,
        actor: &Actor,
        id: &str,
        action: &str,
        detail: &str,
        now: i64,
    ) -> AppResult<()> {
        log_change(&mut tx, &lz_search::evidence_doc_id(id), now).await?;
        Audit::new(Some(actor.id()), action, ("evidence", id), detail)
            .commit(tx, now)
            .await?;
        self.app.wake_indexer();
        Ok(())
    }
}

fn refused(why: StepRefused) -> AppError {
    match why {
        StepRefused::OwnRecord => AppError::Forbidden,
        StepRefused::WrongStatus => {
            AppError::Conflict("This evidence is not at that step of its workflow".into())
        }
    }
}
