//! Every message events send, queued in the caller's transaction: confirmation or waiting
//! list, promotion from the waiting list, a guest's confirmation link, changed and cancelled
//! events, organisers' messages; and the background jobs: reminders and follow-ups
//! (`send_event_mail`) and the deletion of old answers (`delete_personal_data`). The wording
//! is in `templates/mail/events/*.txt`.

use crate::context;
use lz_domain::events::{self as rules, RegistrationStatus};
use lz_store::events::{self as store, DueMail};

use super::record::{EventRecord, RegistrationRecord};
use super::{Events, DAY_MS, REMIND_DAYS_BEFORE};
use crate::mail::{enqueue, enqueue_with, Email};
use crate::secrets::{hash_token, random_token};
use crate::{commit, record, Actor, AppError, AppResult};

/// Follow-ups go to events that ended within this many days (older ones are left alone).
const FOLLOW_UP_WITHIN_DAYS: i64 = 14;

/// Where the event happens, for emails: venue and address, access, the joining link; one
/// line each, each ending in a newline (empty when there is nothing to say).
fn where_lines(event: &EventRecord) -> String {
    let mut s = String::new();
    if !event.venue.is_empty() {
        s.push_str(&format!("Where: {}", event.venue));
        if !event.address.is_empty() {
            s.push_str(&format!(", {}", event.address.replace('\n', ", ")));
        }
        s.push('\n');
    }
    if !event.access_info.is_empty() {
        s.push_str(&format!("Access: {}\n", event.access_info));
    }
    let link = event.stored_joining_link();
    if !link.is_empty() {
        s.push_str(&format!("Join online: {link}\n"));
    }
    s
}

impl Events<'_> {
    fn event_link(&self, event: &EventRecord) -> String {
        self.app.config.link(&format!("/events/{}", event.id))
    }

    /// The confirmation (with the calendar file) or the waiting-list email.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn queue_place_mail(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        name: &str,
        email: &str,
        status: RegistrationStatus,
        now: i64,
        manage_token: Option<&str>,
    ) -> AppResult<()> {
        let manage = match manage_token {
            Some(t) => self
                .app
                .config
                .link(&format!("/events/registration?token={t}")),
            None => self.event_link(event),
        };
        let ctx = context! {
            name, title => event.title, when => rules::display_range(event.starts_at, event.ends_at),
            place => where_lines(event), manage, host => self.app.config.host_name,
            calendar => self.app.config.link(&format!("/events/{}/calendar.ics", event.id)),
        };
        if status == RegistrationStatus::Registered {
            let ics = self.invitation(event, (name, email), now);
            let mail = Email::render(email, "events/registered.txt", ctx)?;
            enqueue_with(tx, now, &mail, &ics).await
        } else {
            enqueue(tx, now, &Email::render(email, "events/waiting.txt", ctx)?).await
        }
    }

    /// Where a registrant manages their place: the event page for people with an account; for
    /// a guest, a fresh emailed key (it replaces the one sent before, whose link stops working).
    async fn manage_link(
        &self,
        tx: &mut lz_store::Conn,
        registration_id: &str,
        has_account: bool,
        event: &EventRecord,
    ) -> AppResult<String> {
        if has_account {
            return Ok(self.event_link(event));
        }
        let token = random_token("lzr_");
        store::set_token_hash(tx, registration_id, &hash_token(&token)).await?;
        Ok(self
            .app
            .config
            .link(&format!("/events/registration?token={token}")))
    }

    /// "A place is free": to someone just taken off the waiting list.
    pub(super) async fn queue_promoted(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        next: &RegistrationRecord,
        now: i64,
    ) -> AppResult<()> {
        let ics = self.invitation(event, (&next.name, &next.email), now);
        let manage = self
            .manage_link(tx, &next.id, next.user_id.is_some(), event)
            .await?;
        let ctx = context! {
            name => next.name, title => event.title,
            when => rules::display_range(event.starts_at, event.ends_at),
            place => where_lines(event), manage, host => self.app.config.host_name,
        };
        let mail = Email::render(&next.email, "events/promoted.txt", ctx)?;
        enqueue_with(tx, now, &mail, &ics).await
    }

    /// The link that finishes a guest's registration.
    pub(super) async fn queue_guest_confirmation(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        (name, email): (&str, &str),
        token: &str,
        now: i64,
    ) -> AppResult<()> {
        let ctx = context! {
            name, title => event.title, when => rules::display_range(event.starts_at, event.ends_at),
            link => self.app.config.link(&format!("/events/registration?token={token}")),
            host => self.app.config.host_name,
        };
        enqueue(
            tx,
            now,
            &Email::render(email, "events/confirm_guest.txt", ctx)?,
        )
        .await
    }

    /// The new details and calendar file, to everyone registered; returns whether any went.
    pub(super) async fn queue_changed(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        registrations: &[RegistrationRecord],
        now: i64,
    ) -> AppResult<bool> {
        let mut emailed = false;
        for r in registrations.iter().filter(|r| r.is_registered()) {
            let ctx = context! {
                name => r.name, title => event.title,
                when => rules::display_range(event.starts_at, event.ends_at),
                place => where_lines(event), link => self.event_link(event),
                host => self.app.config.host_name,
            };
            let mail = Email::render(&r.email, "events/changed.txt", ctx)?;
            let ics = self.invitation(event, (&r.name, &r.email), now);
            enqueue_with(tx, now, &mail, &ics).await?;
            emailed = true;
        }
        Ok(emailed)
    }

    /// A calendar cancellation to everyone registered or waiting.
    pub(super) async fn queue_cancelled(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        registrations: &[RegistrationRecord],
        now: i64,
    ) -> AppResult<()> {
        let live = registrations.iter().filter(|r| {
            matches!(
                r.status,
                RegistrationStatus::Registered | RegistrationStatus::Waiting
            )
        });
        for r in live {
            let ctx = context! {
                name => r.name, title => event.title,
                when => rules::display_range(event.starts_at, event.ends_at),
                host => self.app.config.host_name,
            };
            let mail = Email::render(&r.email, "events/cancelled.txt", ctx)?;
            let ics = self.cancellation(event, (&r.name, &r.email), now);
            enqueue_with(tx, now, &mail, &ics).await?;
        }
        Ok(())
    }

    /// "Your place is cancelled" (or "you have left the waiting list") to the person who
    /// cancelled, with a calendar cancellation for a place they held.
    pub(super) async fn queue_place_cancelled(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        r: &RegistrationRecord,
        now: i64,
    ) -> AppResult<()> {
        let waiting = r.status == RegistrationStatus::Waiting;
        let ctx = context! {
            name => r.name, title => event.title, waiting, attach => !waiting,
            when => rules::display_range(event.starts_at, event.ends_at),
            link => self.event_link(event), host => self.app.config.host_name,
        };
        let mail = Email::render(&r.email, "events/place_cancelled.txt", ctx)?;
        if waiting {
            return enqueue(tx, now, &mail).await;
        }
        let ics = self.cancellation(event, (&r.name, &r.email), now);
        enqueue_with(tx, now, &mail, &ics).await
    }

    /// An organiser's message to one registrant.
    pub(super) async fn queue_message(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        to: &RegistrationRecord,
        sender: &Actor,
        (subject, message): (&str, &str),
        now: i64,
    ) -> AppResult<()> {
        let ctx = context! {
            name => to.name, title => event.title, subject, message,
            link => self.event_link(event), sender => sender.user.name,
            host => self.app.config.host_name,
        };
        enqueue(
            tx,
            now,
            &Email::render(&to.email, "events/message.txt", ctx)?,
        )
        .await
    }

    /// Sends due reminders (starting within two days) and follow-ups (ended), once each;
    /// returns how many. Safe to run anywhere, any time, on several instances.
    pub async fn send_event_mail(&self) -> AppResult<usize> {
        let now = self.app.now();
        let mut sent = 0;
        for follow_up in [false, true] {
            let due = {
                let mut c = self.app.db.acquire().await?;
                if follow_up {
                    let since = now - FOLLOW_UP_WITHIN_DAYS * DAY_MS;
                    store::follow_ups_due(&mut c, since, now).await?
                } else {
                    let until = now + REMIND_DAYS_BEFORE * DAY_MS;
                    store::reminders_due(&mut c, now, until).await?
                }
            };
            for d in due {
                let mut tx = self.app.db.begin().await?;
                if !store::claim_mail(&mut tx, &d.registration_id, follow_up, now).await? {
                    continue;
                }
                let event: EventRecord = store::event_unchecked(&mut tx, &d.event_id)
                    .await?
                    .ok_or(AppError::NotFound)?
                    .try_into()?;
                if follow_up {
                    self.queue_follow_up(&mut tx, &event, &d, now).await?;
                } else {
                    self.queue_reminder(&mut tx, &event, &d, now).await?;
                }
                commit(tx).await?;
                sent += 1;
            }
        }
        if sent > 0 {
            self.app.wake_mailer();
        }
        Ok(sent)
    }

    async fn queue_follow_up(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        due: &DueMail,
        now: i64,
    ) -> AppResult<()> {
        let link = if due.user_id.is_some() {
            self.app
                .config
                .link(&format!("/events/{}/feedback", event.id))
        } else {
            // Guests have no account: a fresh token is their key to the form.
            let token = random_token("lzr_");
            store::set_token_hash(tx, &due.registration_id, &hash_token(&token)).await?;
            self.app
                .config
                .link(&format!("/events/{}/feedback?token={token}", event.id))
        };
        let ctx = context! {
            name => due.name, title => event.title, link, host => self.app.config.host_name,
        };
        enqueue(
            tx,
            now,
            &Email::render(&due.email, "events/follow_up.txt", ctx)?,
        )
        .await
    }

    async fn queue_reminder(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
        due: &DueMail,
        now: i64,
    ) -> AppResult<()> {
        let ics = self.invitation(event, (&due.name, &due.email), now);
        let manage = self
            .manage_link(tx, &due.registration_id, due.user_id.is_some(), event)
            .await?;
        let ctx = context! {
            name => due.name, title => event.title, start => rules::display(event.starts_at),
            when => rules::display_range(event.starts_at, event.ends_at),
            place => where_lines(event), manage, host => self.app.config.host_name,
        };
        let mail = Email::render(&due.email, "events/reminder.txt", ctx)?;
        enqueue_with(tx, now, &mail, &ics).await
    }

    /// Deletes access and dietary answers of events that ended more than the configured number
    /// of days ago; registrations and attendance stay. Returns how many events were cleaned.
    pub async fn delete_personal_data(&self) -> AppResult<u64> {
        let now = self.app.now();
        let cutoff = now - self.app.config.event_personal_data_days * DAY_MS;
        let mut tx = self.app.db.begin().await?;
        let n = store::delete_personal_answers(&mut tx, cutoff, now).await?;
        if n > 0 {
            record(
                &mut tx,
                now,
                None,
                "event.personal_data_deleted",
                ("events", ""),
                &n.to_string(),
            )
            .await?;
        }
        commit(tx).await?;
        Ok(n)
    }
}
