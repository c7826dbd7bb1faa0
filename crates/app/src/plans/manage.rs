//! Changing a plan's work areas after import: their text, leads, dates and budget, and the
//! library items and events linked to them as the learning that delivers or shows them.

use lz_store::plans as store;
use lz_store::users;

use super::input::WorkAreaEdit;
use super::Plans;
use crate::{new_id, Actor, AppError, AppResult, Audit};

/// What a pasted link names: an event or a library item, by id.
struct LinkTarget {
    is_event: bool,
    id: String,
}

impl LinkTarget {
    /// `…/library/ID`, `…/events/ID` or a bare id (an item's).
    fn parse(address: &str) -> Option<Self> {
        let id = address
            .trim()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_string();
        if id.is_empty() || id.len() > 64 {
            return None;
        }
        Some(Self {
            is_event: address.contains("/events/"),
            id,
        })
    }
}

fn unknown_learning() -> AppError {
    AppError::field(
        "item",
        "Paste the address of a published library item or an event that you can see",
    )
}

impl Plans<'_> {
    /// Changes a work area (its leads or those who may change the plan may do so).
    pub async fn edit_work_area(
        &self,
        actor: &Actor,
        work_area_id: &str,
        edit: &WorkAreaEdit,
    ) -> AppResult<()> {
        let checked = edit.check()?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let plan = self
            .updatable_work_area(&mut tx, actor, work_area_id)
            .await?;
        if let Some(places) = &edit.places {
            let mut current = store::places_of_work_area(&mut tx, work_area_id).await?;
            let mut wanted = places.clone();
            current.sort();
            wanted.sort();
            wanted.dedup();
            if current != wanted {
                // A place lead may post progress but not choose which places deliver the work.
                super::PlanAccess::of(Some(actor), &plan).require_edit()?;
                for id in &wanted {
                    if lz_store::network::place_by_id(&mut tx, id).await?.is_none() {
                        return Err(AppError::field("places", "Choose places from the list"));
                    }
                }
                store::set_work_area_places(&mut tx, work_area_id, &wanted, now).await?;
            }
        }
        let mut lead_rows = Vec::new();
        for name in checked.leads {
            let user = users::by_name(&mut tx, &name).await?;
            lead_rows.push((new_id(), user.map(|u| u.id), name));
        }
        let change = store::WorkAreaChange {
            id: work_area_id,
            title: &checked.title,
            why: edit.why.trim(),
            what_we_will_do: edit.what_we_will_do.trim(),
            start_date: checked.start.as_deref(),
            end_date: checked.end.as_deref(),
            committed_pence: checked.committed_pence,
            now,
        };
        store::update_work_area(&mut tx, &change, &lead_rows, &checked.budget).await?;
        let subject = ("work_area", work_area_id);
        Audit::new(Some(actor.id()), "work_area.edit", subject, &checked.title)
            .commit(tx, now)
            .await
    }

    /// Links a published library item or an event to a work area (those who may post its
    /// updates). `item` is the item's address (`…/library/ID`) or id, or an event's address
    /// (`…/events/ID`). Returns the plan's id.
    pub async fn link_learning(
        &self,
        actor: &Actor,
        work_area_id: &str,
        item: &str,
    ) -> AppResult<String> {
        let target = LinkTarget::parse(item).ok_or_else(unknown_learning)?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let plan_id = self
            .updatable_work_area(&mut tx, actor, work_area_id)
            .await?
            .id;
        let (what, target_id, title) = linkable(&mut tx, actor, &target).await?;
        if store::link(&mut tx, what, work_area_id, &target_id, actor.id(), now).await? {
            let subject = ("work_area", work_area_id);
            Audit::new(Some(actor.id()), "work_area.link_learning", subject, &title)
                .commit(tx, now)
                .await?;
        } else {
            crate::commit(tx).await?;
        }
        Ok(plan_id.into_string())
    }

    pub async fn unlink_learning(
        &self,
        actor: &Actor,
        work_area_id: &str,
        item_id: &str,
    ) -> AppResult<String> {
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let plan_id = self
            .updatable_work_area(&mut tx, actor, work_area_id)
            .await?
            .id;
        if !store::unlink(&mut tx, store::Linked::Item, work_area_id, item_id).await?
            && !store::unlink(&mut tx, store::Linked::Event, work_area_id, item_id).await?
        {
            return Err(AppError::NotFound);
        }
        let subject = ("work_area", work_area_id);
        Audit::new(
            Some(actor.id()),
            "work_area.unlink_learning",
            subject,
            item_id,
        )
        .commit(tx, now)
        .await?;
        Ok(plan_id.into_string())
    }
}

/// The event (not a draft) or published item the actor can see: what is linked, its id and
/// its title.
async fn linkable(
    c: &mut lz_store::Conn,
    actor: &Actor,
    target: &LinkTarget,
) -> AppResult<(store::Linked, String, String)> {
    if target.is_event {
        let reader = lz_store::events::EventReader {
            user_id: Some(actor.id()),
            sees_everything: false,
        };
        let found = lz_store::events::event_visible(c, reader, &target.id)
            .await?
            .filter(|e| e.status != "draft")
            .ok_or_else(unknown_learning)?;
        Ok((store::Linked::Event, found.id, found.title))
    } else {
        let reader = crate::library::reader(Some(actor));
        let found = lz_store::library::item(c, &reader, &target.id)
            .await?
            .filter(|i| i.status == "published")
            .ok_or_else(unknown_learning)?;
        Ok((store::Linked::Item, found.id, found.title))
    }
}
