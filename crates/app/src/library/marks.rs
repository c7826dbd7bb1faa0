//! A person's marks on items (useful, bookmark) and what they follow (a term, a place,
//! an organisation).

use lz_domain::library::{ItemStatus, Mark};
use lz_store::library as store;

use super::Library;
use crate::{Actor, AppError, AppResult};

impl Library<'_> {
    /// Marks a published item the person may see, or removes the mark.
    pub async fn set_mark(
        &self,
        actor: &Actor,
        item_id: &str,
        mark: Mark,
        on: bool,
    ) -> AppResult<()> {
        let view = self.item(Some(actor), item_id).await?;
        if view.item.status != ItemStatus::Published {
            return Err(AppError::Conflict(
                "Only published items can be marked".into(),
            ));
        }
        let mut c = self.app.db.acquire().await?;
        let now = self.app.now();
        store::set_mark(&mut c, actor.id(), item_id, mark.code(), on, now).await?;
        crate::fresh::note_write();
        Ok(())
    }

    /// Follows a theme (or other term), a place or an organisation.
    pub async fn set_follow(
        &self,
        actor: &Actor,
        subject_type: &str,
        subject_id: &str,
        on: bool,
    ) -> AppResult<()> {
        let mut c = self.app.db.acquire().await?;
        let exists = match subject_type {
            "term" => store::term_by_id(&mut c, subject_id)
                .await?
                .is_some_and(|t| t.merged_into.is_none()),
            "place" => lz_store::network::place_by_id(&mut c, subject_id)
                .await?
                .is_some(),
            "organisation" => lz_store::network::organisation_by_id(&mut c, subject_id)
                .await?
                .is_some(),
            _ => false,
        };
        if !exists {
            return Err(AppError::NotFound);
        }
        let now = self.app.now();
        store::set_follow(&mut c, actor.id(), subject_type, subject_id, on, now).await?;
        Ok(())
    }

    /// Whether the person follows this subject.
    pub async fn follows(
        &self,
        actor: &Actor,
        subject_type: &str,
        subject_id: &str,
    ) -> AppResult<bool> {
        let mut c = self.app.db.acquire().await?;
        Ok(store::follows(&mut c, actor.id())
            .await?
            .iter()
            .any(|(t, i)| t == subject_type && i == subject_id))
    }
}
