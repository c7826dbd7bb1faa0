//! Changing collections: create, edit the details, add, edit, move and delete sections,
//! choose, move and remove evidence, publish, unpublish and delete. Every change to the
//! outline saves it whole as the next version, with its audit entry, in one transaction.

use lz_domain::advocacy::CollectionKind;
use lz_domain::ids::EventId;
use lz_domain::library::Visibility;
use lz_store::advocacy::{self as store, CollectionContent, SectionContent};
use lz_store::evidence as evidence_store;

use super::input::{Details, Section};
use super::{Advocacy, CollectionAccess, CollectionInput, SectionInput};
use crate::library::reader;
use crate::{new_id, Actor, AppError, AppResult, Audit, Problems};

/// Which way to move a section or a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }
}

fn moved<T>(list: &mut [T], index: usize, d: Direction) {
    match d {
        Direction::Up if index > 0 => list.swap(index, index - 1),
        Direction::Down if index + 1 < list.len() => list.swap(index, index + 1),
        _ => {}
    }
}

fn snapshot(content: &CollectionContent) -> AppResult<String> {
    serde_json::to_string(content)
        .map_err(|e| AppError::internal(format!("collection outline: {e}")))
}

impl Advocacy<'_> {
    /// Checks what needs the database: the place, the work area (of a plan the curator may
    /// see), the workshops (events the curator may see), the curators (people who contribute).
    async fn resolve(
        &self,
        actor: &Actor,
        d: &Details,
        problems: &mut Problems,
        content: &mut CollectionContent,
    ) -> AppResult<()> {
        content.title = d.title.clone();
        content.summary = d.summary.clone();
        content.ask = d.ask.clone();
        content.audience = d.audience.code().to_string();
        content.place_id = None;
        if let Some(p) = &d.place_id {
            let places = self.app.network().places().await?;
            if places.iter().any(|x| x.id == p.as_str()) {
                content.place_id = Some(p.clone());
            } else {
                problems.add("place", "Choose a place from the list");
            }
        }
        content.work_area_id = None;
        if let Some(w) = &d.work_area_id {
            let plan = match self.app.plans().plan_of_work_area(w).await {
                Ok(plan) => Some(plan),
                Err(AppError::NotFound) => None,
                Err(e) => return Err(e),
            };
            let visible = match plan {
                Some(plan) => match self.app.plans().view(Some(actor), &plan).await {
                    Ok(_) => true,
                    Err(AppError::NotFound | AppError::Forbidden) => false,
                    Err(e) => return Err(e),
                },
                None => false,
            };
            if visible {
                content.work_area_id = Some(w.clone());
            } else {
                problems.add("work_area", "Choose a work area of a plan you can see");
            }
        }
        content.event_ids.clear();
        for e in &d.event_ids {
            match self
                .app
                .events()
                .event(Some(actor), &EventId::from(e.as_str()))
                .await
            {
                Ok(_) => content.event_ids.push(e.clone()),
                Err(AppError::NotFound | AppError::Forbidden) => {
                    problems.add(
                        "events",
                        "Choose workshops from the list of events you can see",
                    );
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        let Some(emails) = &d.curator_emails else {
            if content.curator_ids.is_empty() {
                content.curator_ids = vec![actor.id().to_string()];
            }
            return Ok(());
        };
        let mut c = self.app.db.acquire().await?;
        let mut curators = vec![actor.id().to_string()];
        for email in emails {
            match store::person_by_email(&mut c, email).await? {
                Some(p) if p.role == lz_domain::Role::Member.code() => problems.add(
                    "curators",
                    format!(
                        "{email} cannot curate: only contributors and above change collections"
                    ),
                ),
                Some(p) if !curators.contains(&p.id) => curators.push(p.id),
                Some(_) => {}
                None => problems.add(
                    "curators",
                    format!("{email} has no account here: curators must be members of the network"),
                ),
            }
        }
        // The one who saves the list is always among them.
        content.curator_ids = curators;
        Ok(())
    }

    /// Checks a section's evidence: each one a record the curator may open.
    async fn evidence_ids(
        &self,
        actor: &Actor,
        ids: &[String],
        problems: &mut Problems,
    ) -> AppResult<Vec<String>> {
        let mut c = self.app.db.acquire().await?;
        let mut out = Vec::new();
        for id in ids {
            if evidence_store::evidence(&mut c, &reader(Some(actor)), id)
                .await?
                .is_some()
            {
                out.push(id.clone());
            } else {
                problems.add("evidence", "Choose evidence records you can see");
                break;
            }
        }
        Ok(out)
    }

    /// Starts a collection (contributors and above); its creator is its first curator.
    pub async fn create(&self, actor: &Actor, input: &CollectionInput) -> AppResult<String> {
        CollectionAccess::require_create(Some(actor))?;
        let mut problems = Problems::default();
        let d = input.check(&mut problems, true);
        let sections = input.check_sections(&mut problems);
        let mut content = CollectionContent::default();
        self.resolve(actor, &d, &mut problems, &mut content).await?;
        if let Some(sections) = sections {
            content.sections = self.sections(actor, sections, &[], &mut problems).await?;
        }
        let owner = actor.active_organisation_ids().into_iter().next();
        if d.audience == Visibility::Organisation && owner.is_none() {
            problems.add(
                "audience",
                "Only members of an organisation can make a pack for their organisation",
            );
        }
        if d.kind == CollectionKind::Pack && content.place_id.is_some() {
            problems.add(
                "place",
                "Only a narrative is for one place: leave the place empty",
            );
        }
        problems.into_result()?;
        let id = new_id();
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::insert_collection(
            &mut tx,
            &id,
            &new_id(),
            d.kind.code(),
            &content,
            &snapshot(&content)?,
            owner.as_deref(),
            actor.id(),
            now,
        )
        .await?;
        Audit::new(
            Some(actor.id()),
            "collection.create",
            ("collection", &id),
            &content.title,
        )
        .commit(tx, now)
        .await?;
        Ok(id)
    }

    /// Checked sections with their evidence; ids of sections already saved are kept in order.
    async fn sections(
        &self,
        actor: &Actor,
        sections: Vec<Section>,
        existing: &[SectionContent],
        problems: &mut Problems,
    ) -> AppResult<Vec<SectionContent>> {
        let mut out = Vec::new();
        for (n, s) in sections.into_iter().enumerate() {
            let evidence_ids = self.evidence_ids(actor, &s.evidence_ids, problems).await?;
            out.push(SectionContent {
                id: existing.get(n).map(|e| e.id.clone()).unwrap_or_else(new_id),
                heading: s.heading,
                body: s.body,
                evidence_ids,
            });
        }
        Ok(out)
    }

    /// Loads the outline, lets `change` edit it (curators only), and saves it as the next
    /// version with `note`.
    async fn change<F>(&self, actor: &Actor, id: &str, note: &str, change: F) -> AppResult<()>
    where
        F: AsyncFnOnce(&mut CollectionContent, &mut Problems) -> AppResult<()>,
    {
        let view = self.collection(Some(actor), id).await?;
        view.access.require_edit()?;
        let mut content = view.content.clone();
        let mut problems = Problems::default();
        change(&mut content, &mut problems).await?;
        if content.audience == Visibility::Organisation.code()
            && view.collection.organisation.is_none()
        {
            problems.add(
                "audience",
                "This collection belongs to no organisation: choose another audience",
            );
        }
        if view.collection.kind == CollectionKind::Pack && content.place_id.is_some() {
            problems.add(
                "place",
                "Only a narrative is for one place: leave the place empty",
            );
        }
        problems.into_result()?;
        if content == view.content {
            return Ok(());
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::save_collection(
            &mut tx,
            id,
            &new_id(),
            view.collection.version + 1,
            &content,
            &snapshot(&content)?,
            actor.id(),
            note,
            now,
        )
        .await
        .map_err(|e| match e {
            lz_store::StoreError::Conflict(_) => AppError::Conflict(
                "Someone else saved this collection at the same moment: reload it and try again"
                    .into(),
            ),
            other => other.into(),
        })?;
        Audit::new(
            Some(actor.id()),
            "collection.update",
            ("collection", id),
            note,
        )
        .commit(tx, now)
        .await
    }

    /// Saves the details (and, from the API, the whole outline).
    pub async fn update(&self, actor: &Actor, id: &str, input: &CollectionInput) -> AppResult<()> {
        let note = if input.sections.is_some() {
            "Outline saved"
        } else {
            "Details changed"
        };
        self.change(actor, id, note, async |content, problems| {
            let d = input.check(problems, false);
            let sections = input.check_sections(problems);
            self.resolve(actor, &d, problems, content).await?;
            if let Some(sections) = sections {
                let existing = content.sections.clone();
                content.sections = self.sections(actor, sections, &existing, problems).await?;
            }
            Ok(())
        })
        .await
    }

    pub async fn add_section(
        &self,
        actor: &Actor,
        id: &str,
        input: &SectionInput,
    ) -> AppResult<String> {
        let section_id = new_id();
        self.change(actor, id, "Section added", async |content, problems| {
            let s = input.check(problems);
            let evidence_ids = self.evidence_ids(actor, &s.evidence_ids, problems).await?;
            if content.sections.len() >= super::input::MAX_SECTIONS {
                problems.add(
                    "heading",
                    "This collection has as many sections as it can hold",
                );
            }
            content.sections.push(SectionContent {
                id: section_id.clone(),
                heading: s.heading,
                body: s.body,
                evidence_ids,
            });
            Ok(())
        })
        .await?;
        Ok(section_id)
    }

    fn section_index(content: &CollectionContent, section_id: &str) -> AppResult<usize> {
        content
            .sections
            .iter()
            .position(|s| s.id == section_id)
            .ok_or(AppError::NotFound)
    }

    pub async fn edit_section(
        &self,
        actor: &Actor,
        id: &str,
        section_id: &str,
        input: &SectionInput,
    ) -> AppResult<()> {
        self.change(actor, id, "Section edited", async |content, problems| {
            let n = Self::section_index(content, section_id)?;
            let s = input.check(problems);
            content.sections[n].heading = s.heading;
            content.sections[n].body = s.body;
            Ok(())
        })
        .await
    }

    pub async fn move_section(
        &self,
        actor: &Actor,
        id: &str,
        section_id: &str,
        d: Direction,
    ) -> AppResult<()> {
        self.change(actor, id, "Sections reordered", async |content, _| {
            let n = Self::section_index(content, section_id)?;
            moved(&mut content.sections, n, d);
            Ok(())
        })
        .await
    }

    pub async fn delete_section(&self, actor: &Actor, id: &str, section_id: &str) -> AppResult<()> {
        self.change(actor, id, "Section removed", async |content, _| {
            let n = Self::section_index(content, section_id)?;
            content.sections.remove(n);
            Ok(())
        })
        .await
    }

    /// Adds records (that the curator may open) to the end of a section.
    pub async fn add_evidence(
        &self,
        actor: &Actor,
        id: &str,
        section_id: &str,
        evidence_ids: &[String],
    ) -> AppResult<()> {
        self.change(actor, id, "Evidence added", async |content, problems| {
            let n = Self::section_index(content, section_id)?;
            if evidence_ids.is_empty() {
                problems.add("evidence", "Choose at least one record to add");
            }
            let ok = self.evidence_ids(actor, evidence_ids, problems).await?;
            let list = &mut content.sections[n].evidence_ids;
            for e in ok {
                if !list.contains(&e) {
                    list.push(e);
                }
            }
            if list.len() > super::input::MAX_RECORDS_PER_SECTION {
                problems.add("evidence", "This section holds as many records as it can");
            }
            Ok(())
        })
        .await
    }

    pub async fn move_evidence(
        &self,
        actor: &Actor,
        id: &str,
        section_id: &str,
        evidence_id: &str,
        d: Direction,
    ) -> AppResult<()> {
        self.change(actor, id, "Evidence reordered", async |content, _| {
            let n = Self::section_index(content, section_id)?;
            let list = &mut content.sections[n].evidence_ids;
            let i = list
                .iter()
                .position(|e| e == evidence_id)
                .ok_or(AppError::NotFound)?;
            moved(list, i, d);
            Ok(())
        })
        .await
    }

    pub async fn remove_evidence(
        &self,
        actor: &Actor,
        id: &str,
        section_id: &str,
        evidence_id: &str,
    ) -> AppResult<()> {
        self.change(actor, id, "Evidence removed", async |content, _| {
            let n = Self::section_index(content, section_id)?;
            let list = &mut content.sections[n].evidence_ids;
            let i = list
                .iter()
                .position(|e| e == evidence_id)
                .ok_or(AppError::NotFound)?;
            list.remove(i);
            Ok(())
        })
        .await
    }

    /// Published: its audience may read it (curators, moderators, network admins).
    pub async fn set_published(&self, actor: &Actor, id: &str, published: bool) -> AppResult<()> {
        let view = self.collection(Some(actor), id).await?;
        view.access.require_publish()?;
        let status = if published { "published" } else { "draft" };
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::set_collection_status(&mut tx, id, status, now).await?;
        let action = if published {
            "collection.publish"
        } else {
            "collection.unpublish"
        };
        Audit::new(
            Some(actor.id()),
            action,
            ("collection", id),
            &view.collection.title,
        )
        .commit(tx, now)
        .await
    }

    /// Soft delete (curators, moderators, network admins); its share links stop working.
    pub async fn delete(&self, actor: &Actor, id: &str) -> AppResult<()> {
        let view = self.collection(Some(actor), id).await?;
        view.access.require_publish()?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::soft_delete_collection(&mut tx, id, now).await?;
        Audit::new(
            Some(actor.id()),
            "collection.delete",
            ("collection", id),
            &view.collection.title,
        )
        .commit(tx, now)
        .await
    }
}
