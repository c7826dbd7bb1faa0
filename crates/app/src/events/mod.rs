//! Learning events: series and events, registration with a waiting list (places decided one
//! at a time under the event's lock), guests confirmed by email, cancellation with promotion,
//! calendars, attendance, feedback, the event report, materials into the library, and the
//! background mail (reminders, follow-ups) and personal-data clean-up.
//!
//! Reached through the handle `app.events()`. Files by what a person does: `read` (pages and
//! lists), `manage` (series, create, change, cancel), `registration` (register, guests,
//! cancel, promote from the waiting list), `attendance` (register of attendance, feedback,
//! report, CSV, emailing registrants), `materials`, `calendar` (ICS), `mail` (every message
//! events send, and the jobs). Who may do what is `access`; typed records are `record`; form
//! input and its validation is `input`.

pub mod access;
mod attendance;
mod calendar;
mod content;
pub mod input;
mod mail;
mod manage;
mod materials;
mod read;
pub mod record;
mod registration;

pub use access::EventAccess;
pub use attendance::{EventReport, GroupCounts};
pub use input::{
    Answers, EventInput, FeedbackInput, Flag, GuestInput, MaterialInput, SeriesInput, STATUSES,
    VISIBILITIES,
};
pub use read::{EventView, GuestView, SeriesView};
pub use record::{EventRecord, Material, Organiser, RegistrationRecord, SeriesRecord, Theme};

use crate::{App, AppResult};

/// Days before an event that the reminder goes out.
pub const REMIND_DAYS_BEFORE: i64 = 2;
const DAY_MS: i64 = 86_400_000;

/// The events use cases, borrowed from the app: `app.events().register(…)`.
pub struct Events<'a> {
    app: &'a App,
}

impl App {
    pub fn events(&self) -> Events<'_> {
        Events { app: self }
    }

    /// Sends due reminders and follow-ups (see `Events::send_event_mail`); the jobs call it.
    pub async fn send_event_mail(&self) -> AppResult<usize> {
        self.events().send_event_mail().await
    }

    /// Deletes old events' access and dietary answers (see `Events::delete_personal_data`).
    pub async fn delete_event_personal_data(&self) -> AppResult<u64> {
        self.events().delete_personal_data().await
    }
}
