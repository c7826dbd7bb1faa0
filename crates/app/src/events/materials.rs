//! Materials from an event (slides, recordings, notes) published into the library as an item
//! of kind "event material", and the way back from such an item to its event.

use lz_domain::events as rules;
use lz_domain::ids::{EventId, ItemId};
use lz_domain::library::{ItemKind, Transition};
use lz_store::events as store;

use super::access::reader;
use super::input::MaterialInput;
use super::Events;
use crate::{Actor, AppResult};

impl Events<'_> {
    /// Publishes slides, recording links and notes from an event as a library item of kind
    /// "event material" with the event's themes and visibility. Reviewers' own material is
    /// published at once where the workflow lets them approve it; otherwise it goes to review.
    pub async fn publish_material(
        &self,
        actor: &Actor,
        event_id: &EventId,
        input: &MaterialInput,
        file: Option<(&str, &[u8])>,
    ) -> AppResult<ItemId> {
        let view = self.organised(actor, event_id).await?;
        let event = &view.event;
        let title = if input.title.trim().is_empty() {
            format!("Materials: {}", event.title)
        } else {
            input.title.clone()
        };
        let summary = format!(
            "From the event {} ({}).",
            event.title,
            rules::local_date(event.starts_at)
        );
        let item = crate::library::ItemInput {
            kind: ItemKind::EventMaterial.code().to_string(),
            title,
            summary,
            body_md: input.notes.clone(),
            organisation_id: event.organisation_id.to_string(),
            visibility: event.visibility.code().to_string(),
            terms: view.themes.iter().map(|t| t.id.to_string()).collect(),
            links: input.links.clone(),
            authors: event.speakers.replace('\n', ","),
            ..Default::default()
        };
        let item_id = self.app.library().create(actor, &item).await?;
        if let Some((name, bytes)) = file {
            if let Err(e) = self
                .app
                .library()
                .attach(actor, &item_id, name, bytes)
                .await
            {
                // Nothing half-done: the draft goes with the file that failed.
                let _ = self.app.library().delete(actor, &item_id).await;
                return Err(e);
            }
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::link_material(&mut tx, event_id, &item_id, now).await?;
        crate::commit(tx).await?;
        self.app
            .library()
            .transition(actor, &item_id, Transition::Submit, "")
            .await?;
        // Approval may be refused (no self-approval): then the item waits for a reviewer.
        let _ = self
            .app
            .library()
            .transition(actor, &item_id, Transition::Approve, "")
            .await;
        Ok(item_id.into())
    }

    /// The event the item is material of (id, title), if the reader may see it.
    pub async fn event_of_item(
        &self,
        actor: Option<&Actor>,
        item_id: &ItemId,
    ) -> AppResult<Option<(EventId, String)>> {
        let mut c = self.app.db.acquire().await?;
        let Some(event_id) = store::event_of_item(&mut c, item_id).await? else {
            return Ok(None);
        };
        Ok(store::event_visible(&mut c, reader(actor), &event_id)
            .await?
            .map(|e| (e.id.into(), e.title)))
    }
}
