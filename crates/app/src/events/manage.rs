//! Organising events: create a series, create an event, change it (registrants are told
//! when the time or place moves; more places take people off the waiting list), cancel it.

use lz_domain::events::EventStatus;
use lz_domain::ids::{EventId, SeriesId};
use lz_store::events::{self as store, EventContent, SeriesRow};

use super::access::require_create;
use super::input::{series_fields, EventInput, SeriesInput};
use super::record::{EventRecord, RegistrationRecord};
use super::Events;
use crate::{Actor, AppError, AppResult, Audit, Problems};

/// Whether a change moves the event in time or place (what registrants must hear about).
fn moves(old: &EventRecord, new: &EventContent) -> (bool, bool) {
    let moved = old.starts_at != new.starts_at || old.ends_at != new.ends_at;
    let relocated = old.venue != new.venue
        || old.address != new.address
        || old.stored_joining_link() != new.joining_link
        || old.format.code() != new.format;
    (moved, relocated)
}

impl Events<'_> {
    pub async fn create_series(&self, actor: &Actor, input: &SeriesInput) -> AppResult<SeriesId> {
        require_create(actor)?;
        let mut p = Problems::default();
        let (title, purpose) = series_fields(&mut p, input);
        let org = self
            .check_owner(&mut p, actor, &input.organisation_id)
            .await?;
        let terms = self.check_terms(&mut p, &input.terms).await?;
        p.into_result()?;
        let now = self.app.now();
        let row = SeriesRow {
            id: SeriesId::generate().into_string(),
            title,
            purpose,
            organisation_id: org,
            created_by: actor.id().to_string(),
            created_at: now,
        };
        let mut tx = self.app.db.begin().await?;
        store::insert_series(&mut tx, &row, &terms, now).await?;
        Audit::new(
            Some(actor.id()),
            "series.create",
            ("series", &row.id),
            &row.title,
        )
        .commit(tx, now)
        .await?;
        Ok(row.id.into())
    }

    pub async fn create(&self, actor: &Actor, input: &EventInput) -> AppResult<EventId> {
        require_create(actor)?;
        let mut content = self.event_content(actor, input, true).await?;
        if !content.organiser_ids.iter().any(|u| u == actor.id()) {
            content.organiser_ids.push(actor.id().to_string());
        }
        let id = EventId::generate();
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::insert_event(&mut tx, &id, &content, actor.id(), now).await?;
        Audit::new(
            Some(actor.id()),
            "event.create",
            ("event", &id),
            &content.title,
        )
        .commit(tx, now)
        .await?;
        Ok(id)
    }

    /// Saves a changed event. More places take people off the waiting list at once; people
    /// registered are emailed an updated calendar file when the time or place changes.
    pub async fn update(&self, actor: &Actor, id: &EventId, input: &EventInput) -> AppResult<()> {
        let old = self.organised(actor, id).await?.event;
        if old.is_cancelled() {
            return Err(AppError::Conflict(
                "A cancelled event cannot be changed".into(),
            ));
        }
        let mut content = self.event_content(actor, input, false).await?;
        if !content
            .organiser_ids
            .iter()
            .any(|u| old.created_by == u.as_str())
        {
            content.organiser_ids.push(old.created_by.to_string());
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::lock_event(&mut tx, id).await?;
        store::update_event(&mut tx, id, &content, now).await?;
        let (moved, relocated) = moves(&old, &content);
        if moved {
            // A reminder for the old date says nothing about the new one.
            store::reset_reminders(&mut tx, id).await?;
        }
        let mut emailed = false;
        if (moved || relocated) && old.status != EventStatus::Draft {
            let event = self.stored_event(&mut tx, id).await?;
            let registrations =
                RegistrationRecord::all(store::registrations_of_event(&mut tx, id).await?)?;
            emailed = self
                .queue_changed(&mut tx, &event, &registrations, now)
                .await?;
        }
        let promoted = self.promote_waiting(&mut tx, id, now).await?;
        Audit::new(
            Some(actor.id()),
            "event.update",
            ("event", id),
            &content.title,
        )
        .commit(tx, now)
        .await?;
        if promoted > 0 || emailed {
            self.app.wake_mailer();
        }
        Ok(())
    }

    /// Cancels an event: everyone registered or waiting is emailed a calendar cancellation.
    pub async fn cancel(&self, actor: &Actor, id: &EventId) -> AppResult<()> {
        let old = self.organised(actor, id).await?.event;
        if old.is_cancelled() {
            return Err(AppError::Conflict("The event is already cancelled".into()));
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::lock_event(&mut tx, id).await?;
        store::set_event_status(&mut tx, id, EventStatus::Cancelled.code(), now).await?;
        let event = self.stored_event(&mut tx, id).await?;
        let registrations =
            RegistrationRecord::all(store::registrations_of_event(&mut tx, id).await?)?;
        self.queue_cancelled(&mut tx, &event, &registrations, now)
            .await?;
        Audit::new(
            Some(actor.id()),
            "event.cancel",
            ("event", id),
            &event.title,
        )
        .commit(tx, now)
        .await?;
        self.app.wake_mailer();
        Ok(())
    }

    /// The event form filled in for changing it (organisers only).
    pub async fn edit_values(&self, actor: &Actor, id: &EventId) -> AppResult<EventInput> {
        let view = self.organised(actor, id).await?;
        let term_ids = view.themes.iter().map(|t| t.id.to_string()).collect();
        Ok(EventInput::from_record(&view.event, term_ids))
    }

    /// The event as stored now, read on the caller's connection (after taking the event's
    /// lock, when the caller needs the read to stay true).
    pub(super) async fn stored_event(
        &self,
        tx: &mut lz_store::Conn,
        id: &str,
    ) -> AppResult<EventRecord> {
        store::event_unchecked(tx, id)
            .await?
            .ok_or(AppError::NotFound)?
            .try_into()
    }
}
