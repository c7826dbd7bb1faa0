//! Writing items: create (a draft, with its first version), edit (a new version), feature
//! on the front page, and soft-delete. Every save keeps a version (a JSON snapshot).

use crate::Context;
use lz_domain::library::ItemStatus;
use lz_store::library::{self as store, ItemContent};

use super::{Author, ItemInput, Library, LibraryAccess};
use crate::{new_id, Actor, AppResult, Audit};

impl Library<'_> {
    /// Writes a new item as a draft; the person becomes its first author when none is named.
    pub async fn create(&self, actor: &Actor, input: &ItemInput) -> AppResult<String> {
        LibraryAccess::require_write(actor)?;
        let mut content = self.content(actor, input).await?;
        if content.authors.is_empty() {
            content
                .authors
                .push((Some(actor.id().to_string()), actor.user.name.clone()));
        } else {
            link_author_accounts(&mut content, actor);
        }
        let id = new_id();
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let draft = ItemStatus::Draft;
        store::insert_item(&mut tx, &id, &content, draft.code(), actor.id(), now).await?;
        let version = Version {
            item_id: &id,
            number: 1,
            status: draft,
            by: Some(actor.id()),
        };
        version.keep(&mut tx, &content, now).await?;
        store::log_change(&mut tx, &id, now).await?;
        Audit::new(
            Some(actor.id()),
            "item.create",
            ("item", &id),
            &content.title,
        )
        .commit(tx, now)
        .await?;
        self.app.wake_indexer();
        Ok(id)
    }

    /// Saves a changed item (by its editors) as a new version.
    pub async fn update(&self, actor: &Actor, id: &str, input: &ItemInput) -> AppResult<()> {
        let view = self.item(Some(actor), id).await?;
        view.access.require_edit()?;
        let mut content = self.content(actor, input).await?;
        keep_author_accounts(&mut content, &view.authors, actor);
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let number = store::update_item(&mut tx, id, &content, now).await?;
        let version = Version {
            item_id: id,
            number,
            status: view.item.status,
            by: Some(actor.id()),
        };
        version.keep(&mut tx, &content, now).await?;
        store::log_change(&mut tx, id, now).await?;
        let detail = format!("version {number}");
        Audit::new(Some(actor.id()), "item.update", ("item", id), &detail)
            .commit(tx, now)
            .await?;
        self.app.wake_indexer();
        Ok(())
    }

    /// Features an item on the front page, or stops featuring it (moderators and admins).
    pub async fn set_featured(&self, actor: &Actor, id: &str, featured: bool) -> AppResult<()> {
        // Featuring does not depend on the item: checked before reading it, as always.
        LibraryAccess::require_feature(actor)?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::item_unchecked(&mut tx, id)
            .await?
            .ok_or(crate::AppError::NotFound)?;
        store::set_featured(&mut tx, id, featured, now).await?;
        let detail = if featured { "on" } else { "off" };
        Audit::new(Some(actor.id()), "item.feature", ("item", id), detail)
            .commit(tx, now)
            .await
    }

    /// Soft-deletes an item (editors, moderators): it leaves every list, the index and feeds,
    /// while its rows and versions stay for the audit trail.
    pub async fn delete(&self, actor: &Actor, id: &str) -> AppResult<()> {
        let view = self.item(Some(actor), id).await?;
        view.access.require_edit()?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::soft_delete_item(&mut tx, id, now).await?;
        store::log_change(&mut tx, id, now).await?;
        Audit::new(
            Some(actor.id()),
            "item.delete",
            ("item", id),
            &view.item.title,
        )
        .commit(tx, now)
        .await?;
        self.app.wake_indexer();
        Ok(())
    }
}

/// The names written as authors that match the writer become linked to their account.
fn link_author_accounts(content: &mut ItemContent, actor: &Actor) {
    for (user, name) in content.authors.iter_mut() {
        if user.is_none() && name.eq_ignore_ascii_case(&actor.user.name) {
            *user = Some(actor.id().to_string());
        }
    }
}

/// On an edit: no authors named keeps the old ones; names already linked keep their link.
fn keep_author_accounts(content: &mut ItemContent, before: &[Author], actor: &Actor) {
    if content.authors.is_empty() {
        content.authors = before
            .iter()
            .map(|a| (a.user_id.as_ref().map(|u| u.to_string()), a.name.clone()))
            .collect();
        return;
    }
    for (user, name) in content.authors.iter_mut() {
        if let Some(prev) = before.iter().find(|a| &a.name == name) {
            *user = prev.user_id.as_ref().map(|u| u.to_string());
        }
    }
    link_author_accounts(content, actor);
}

/// One saved version of an item.
struct Version<'a> {
    item_id: &'a str,
    number: i64,
    status: ItemStatus,
    by: Option<&'a str>,
}

impl Version<'_> {
    async fn keep(&self, c: &mut lz_store::Conn, content: &ItemContent, now: i64) -> AppResult<()> {
        let snapshot = serde_json::to_string(content).context("version snapshot")?;
        let (id, item, status) = (new_id(), self.item_id, self.status.code());
        store::insert_version(c, &id, item, self.number, status, &snapshot, self.by, now).await?;
        Ok(())
    }
}
