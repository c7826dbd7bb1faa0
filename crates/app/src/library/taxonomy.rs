//! The managed taxonomy (themes, agendas, audiences): reading terms, and the curators'
//! changes: add, rename (the address stays), merge (items and followers move, old links
//! redirect).

use lz_domain::library::Vocabulary;
use lz_domain::{clean_line, Slug};
use lz_store::library as store;

use super::record::{all, TermRecord};

use super::{Library, LibraryAccess};
use crate::{new_id, Actor, AppError, AppResult, Audit, OnConflict, Problems};

/// A checked new term.
struct NewTerm {
    vocabulary: Vocabulary,
    slug: Slug,
    name: String,
    description: String,
}

fn new_term(vocabulary: &str, name: &str, description: &str) -> AppResult<NewTerm> {
    let mut p = Problems::default();
    let vocab = Vocabulary::parse(vocabulary);
    if vocab.is_none() {
        p.add("vocabulary", "Choose theme, agenda or audience");
    }
    let name = p
        .check("name", clean_line(name, "a name", 120))
        .unwrap_or_default();
    let slug = Slug::from_name(&name);
    if slug.is_none() && !name.is_empty() {
        p.add("name", "Use letters or numbers in the name");
    }
    let description = p.bounded("description", "The description", description, 1_000);
    p.into_result()?;
    match (vocab, slug) {
        (Some(vocabulary), Some(slug)) => Ok(NewTerm {
            vocabulary,
            slug,
            name,
            description,
        }),
        _ => Err(AppError::field("name", "Enter a name")),
    }
}

impl Library<'_> {
    /// Live terms (not merged away), by vocabulary then name.
    pub async fn terms(&self) -> AppResult<Vec<TermRecord>> {
        let mut c = self.app.db.acquire().await?;
        all(store::terms(&mut c).await?)
    }

    /// A term by its vocabulary and slug, following merges (the caller redirects).
    pub async fn term_by_slug(&self, vocabulary: Vocabulary, slug: &str) -> AppResult<TermRecord> {
        let mut c = self.app.db.acquire().await?;
        let t = store::term_by_slug(&mut c, vocabulary.code(), slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let t = match &t.merged_into {
            Some(into) => store::term_by_id(&mut c, into)
                .await?
                .ok_or(AppError::NotFound)?,
            None => t,
        };
        TermRecord::try_from(t)
    }

    /// Adds a term (network admins; no actor: the demo loader).
    pub async fn create_term(
        &self,
        actor: Option<&Actor>,
        vocabulary: &str,
        name: &str,
        description: &str,
    ) -> AppResult<String> {
        if let Some(a) = actor {
            LibraryAccess::require_curate(a)?;
        }
        let t = new_term(vocabulary, name, description)?;
        let id = new_id();
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let (vocab, slug) = (t.vocabulary.code(), t.slug.as_str());
        store::insert_term(&mut tx, &id, vocab, slug, &t.name, &t.description, now)
            .await
            .on_conflict("terms.vocabulary,slug", || {
                let kind = t.vocabulary.label().to_lowercase();
                AppError::field("name", format!("There is already a {kind} with this name"))
            })?;
        Audit::new(actor.map(|a| a.id()), "term.create", ("term", &id), &t.name)
            .commit(tx, now)
            .await?;
        Ok(id)
    }

    /// Renames a term; its address stays, so links keep working. Items are re-indexed.
    pub async fn rename_term(
        &self,
        actor: &Actor,
        id: &str,
        name: &str,
        description: &str,
    ) -> AppResult<()> {
        LibraryAccess::require_curate(actor)?;
        let mut p = Problems::default();
        let name = p
            .check("name", clean_line(name, "a name", 120))
            .unwrap_or_default();
        let description = p.bounded("description", "The description", description, 1_000);
        p.into_result()?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let term = store::term_by_id(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if term.merged_into.is_some() {
            return Err(AppError::Conflict(
                "This term was merged into another".into(),
            ));
        }
        store::rename_term(&mut tx, id, &name, &description, now).await?;
        let detail = format!("{} → {}", term.name, name);
        Audit::new(Some(actor.id()), "term.rename", ("term", id), &detail)
            .commit(tx, now)
            .await
    }

    /// Merges `from` into `into` (same vocabulary): items and followers move, old links redirect.
    pub async fn merge_term(&self, actor: &Actor, from: &str, into: &str) -> AppResult<()> {
        LibraryAccess::require_curate(actor)?;
        if from == into {
            return Err(AppError::field(
                "into",
                "Choose a different term to merge into",
            ));
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let a = store::term_by_id(&mut tx, from)
            .await?
            .ok_or(AppError::NotFound)?;
        let b = store::term_by_id(&mut tx, into)
            .await?
            .filter(|b| b.merged_into.is_none())
            .ok_or_else(|| AppError::field("into", "Choose a term from the list"))?;
        if a.vocabulary != b.vocabulary {
            return Err(AppError::field(
                "into",
                "Merge into a term of the same kind",
            ));
        }
        if a.merged_into.is_some() {
            return Err(AppError::Conflict("This term was merged already".into()));
        }
        let items = store::merge_term(&mut tx, from, into, now).await?;
        for item in &items {
            store::log_change(&mut tx, item, now).await?;
        }
        let detail = format!("{} → {}", a.name, b.name);
        Audit::new(Some(actor.id()), "term.merge", ("term", from), &detail)
            .commit(tx, now)
            .await?;
        self.app.wake_indexer();
        Ok(())
    }
}
