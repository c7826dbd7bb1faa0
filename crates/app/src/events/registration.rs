//! Registering: a signed-in partner in one step, a guest after following the emailed link;
//! cancelling (by the person, or a guest with their key); and promotion from the waiting
//! list. Places are decided one at a time under the event's lock, so two people never get
//! the last place.

use lz_domain::events::{EventStatus, RegistrationStatus};
use lz_domain::ids::{EventId, RegistrationId};
use lz_store::events::{self as store, NewRegistration};

use super::input::{answers, guest, Answers, GuestInput};
use super::record::{EventRecord, RegistrationRecord};
use super::Events;
use crate::secrets::{hash_token, random_token};
use crate::{commit, record, Actor, AppError, AppResult, Audit, Problems};

/// Confirmation emails the guest form sends to one address in an hour (a person asking again
/// for a lost link is fine; a stranger filling someone's mailbox is not).
pub const GUEST_MAILS_PER_ADDRESS: i64 = 3;
/// Guest registrations one client address may make in an hour (a household or an office
/// registering several people is fine).
pub const GUEST_MAILS_PER_CLIENT: i64 = 20;
const HOUR_MS: i64 = 3_600_000;

/// Why a second registration is refused, by the status of the first.
fn already(status: RegistrationStatus) -> AppError {
    AppError::Conflict(
        match status {
            RegistrationStatus::Waiting => "You are already on the waiting list for this event",
            RegistrationStatus::Pending => {
                "This address has a registration waiting for email confirmation"
            }
            _ => "You are already registered for this event",
        }
        .into(),
    )
}

impl Events<'_> {
    /// Registers a signed-in partner in one step: a place if one is free, else the waiting list.
    pub async fn register(
        &self,
        actor: &Actor,
        event_id: &EventId,
        input: &Answers,
    ) -> AppResult<RegistrationRecord> {
        let view = self.event(Some(actor), event_id).await?;
        let mut p = Problems::default();
        let (access, dietary) = answers(
            &mut p,
            &view.event,
            &input.access_needs,
            &input.dietary_needs,
        );
        p.into_result()?;
        let membership = actor.active_memberships().next();
        let org_name = match membership {
            Some(m) => {
                let mut c = self.app.db.acquire().await?;
                lz_store::network::organisation_by_id(&mut c, &m.organisation_id)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_default()
            }
            None => String::new(),
        };
        let id = RegistrationId::generate();
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let new = NewRegistration {
            id: &id,
            event_id,
            user_id: Some(actor.id()),
            name: &actor.user.name,
            email: &actor.user.email,
            organisation_name: &org_name,
            organisation_id: membership.map(|m| m.organisation_id.as_str()),
            place_id: membership.and_then(|m| m.place_id.as_deref()),
            status: "",
            access_needs: access.as_deref(),
            dietary_needs: dietary.as_deref(),
            token_hash: None,
        };
        let status = self.take_place(&mut tx, new, now).await?;
        Audit::new(
            Some(actor.id()),
            "event.register",
            ("registration", &id),
            status.code(),
        )
        .commit(tx, now)
        .await?;
        self.app.wake_mailer();
        self.registration(&id).await
    }

    async fn registration(&self, id: &RegistrationId) -> AppResult<RegistrationRecord> {
        let mut c = self.app.db.acquire().await?;
        store::registration(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?
            .try_into()
    }

    /// Inside the caller's transaction: locks the event, checks it takes registrations and the
    /// person has none yet, then inserts them registered or waiting and queues the email.
    async fn take_place(
        &self,
        tx: &mut lz_store::Conn,
        mut new: NewRegistration<'_>,
        now: i64,
    ) -> AppResult<RegistrationStatus> {
        let event = self.open_for_registration(tx, new.event_id, now).await?;
        if let Some(r) = store::live_registration(tx, new.event_id, new.email).await? {
            let existing = RegistrationRecord::try_from(r)?;
            // An unconfirmed guest registration never blocks the address's owner: anyone may
            // type an address on the guest form, so the signed-in owner's registration
            // replaces it (it is cancelled, with an audit entry).
            if existing.status == RegistrationStatus::Pending && new.user_id.is_some() {
                store::set_registration_status(tx, existing.id.as_str(), "cancelled", now).await?;
                record(
                    tx,
                    now,
                    new.user_id,
                    "event.registration.replace_pending",
                    ("registration", existing.id.as_str()),
                    "an unconfirmed guest registration for the same address",
                )
                .await?;
            } else {
                return Err(already(existing.status));
            }
        }
        let status = self.free_place_or_waiting(tx, &event).await?;
        new.status = status.code();
        store::insert_registration(tx, &new, now)
            .await
            .map_err(|e| match e {
                lz_store::StoreError::Conflict(_) => {
                    AppError::Conflict("You are already registered for this event".into())
                }
                other => other.into(),
            })?;
        self.queue_place_mail(tx, &event, new.name, new.email, status, now, None)
            .await?;
        Ok(status)
    }

    /// Locks the event and reads it, refusing if it does not take registrations now.
    async fn open_for_registration(
        &self,
        tx: &mut lz_store::Conn,
        event_id: &str,
        now: i64,
    ) -> AppResult<EventRecord> {
        if !store::lock_event(tx, event_id).await? {
            return Err(AppError::NotFound);
        }
        let event = self.stored_event(tx, event_id).await?;
        event
            .clock()
            .accepts_registrations(now)
            .map_err(|m| AppError::Conflict(m.into()))?;
        Ok(event)
    }

    /// A place if one is free, else the waiting list (the caller holds the lock).
    async fn free_place_or_waiting(
        &self,
        tx: &mut lz_store::Conn,
        event: &EventRecord,
    ) -> AppResult<RegistrationStatus> {
        Ok(
            if store::registered_count(tx, &event.id).await? < event.capacity {
                RegistrationStatus::Registered
            } else {
                RegistrationStatus::Waiting
            },
        )
    }

    /// Promotes waiting people into free places (oldest first) and emails them; the caller
    /// holds the event's lock. Returns how many moved.
    pub(super) async fn promote_waiting(
        &self,
        tx: &mut lz_store::Conn,
        event_id: &str,
        now: i64,
    ) -> AppResult<usize> {
        let Some(row) = store::event_unchecked(tx, event_id).await? else {
            return Ok(0);
        };
        let event = EventRecord::try_from(row)?;
        if event.status == EventStatus::Cancelled || now >= event.starts_at {
            return Ok(0);
        }
        let mut free = event.capacity - store::registered_count(tx, event_id).await?;
        let mut moved = 0;
        while free > 0 {
            let Some(next) = store::first_waiting(tx, event_id).await? else {
                break;
            };
            let next = RegistrationRecord::try_from(next)?;
            let registered = RegistrationStatus::Registered.code();
            store::set_registration_status(tx, &next.id, registered, now).await?;
            self.queue_promoted(tx, &event, &next, now).await?;
            free -= 1;
            moved += 1;
        }
        Ok(moved)
    }

    /// Registration without an account: kept pending until the emailed link is followed.
    /// Asking again for the same address sends a fresh link.
    ///
    /// Anyone may type any address here, so the emails it sends are limited: at most
    /// `GUEST_MAILS_PER_ADDRESS` an hour to one address (over all events) and
    /// `GUEST_MAILS_PER_CLIENT` an hour from one client; past either, 429 and no email.
    pub async fn register_guest(
        &self,
        event_id: &EventId,
        input: &GuestInput,
        client: &str,
    ) -> AppResult<()> {
        let view = self.event(None, event_id).await?;
        if !view.guests_allowed {
            return Err(AppError::Forbidden);
        }
        let mut p = Problems::default();
        let (name, email, organisation) = guest(&mut p, input);
        let (access, dietary) = answers(
            &mut p,
            &view.event,
            &input.access_needs,
            &input.dietary_needs,
        );
        p.into_result()?;
        let Some(email) = email else {
            return Err(AppError::internal("validated email missing"));
        };
        if let Some(reason) = view.closed_reason {
            return Err(AppError::Conflict(reason.into()));
        }
        let now = self.app.now();
        {
            let mut c = self.app.db.acquire().await?;
            let recipient = format!("guest:to:{}", lz_domain::events::email_key(email.as_str()));
            for (key, limit) in [
                (format!("guest:from:{client}"), GUEST_MAILS_PER_CLIENT),
                (recipient, GUEST_MAILS_PER_ADDRESS),
            ] {
                let t = lz_store::security::reserve_attempt(&mut c, &key, now, HOUR_MS).await?;
                if t.failures > limit {
                    return Err(AppError::TooManyAttempts {
                        retry_after_secs: (t.window_start + HOUR_MS - now + 999).max(1000) / 1000,
                    });
                }
            }
        }
        let token = random_token("lzr_");
        let token_hash = hash_token(&token);
        let mut tx = self.app.db.begin().await?;
        store::lock_event(&mut tx, event_id).await?;
        let existing = store::live_registration(&mut tx, event_id, email.as_str())
            .await?
            .map(RegistrationRecord::try_from)
            .transpose()?;
        match existing {
            Some(r) if r.status == RegistrationStatus::Pending => {
                store::set_token_hash(&mut tx, &r.id, &token_hash).await?;
            }
            Some(_) => {
                // Say the same as for a new address, so the form does not reveal who registered.
                commit(tx).await?;
                return Ok(());
            }
            None => {
                let id = RegistrationId::generate();
                let new = NewRegistration {
                    id: &id,
                    event_id,
                    user_id: None,
                    name: &name,
                    email: email.as_str(),
                    organisation_name: &organisation,
                    organisation_id: None,
                    place_id: None,
                    status: RegistrationStatus::Pending.code(),
                    access_needs: access.as_deref(),
                    dietary_needs: dietary.as_deref(),
                    token_hash: Some(&token_hash),
                };
                store::insert_registration(&mut tx, &new, now).await?;
            }
        }
        let to = (name.as_str(), email.as_str());
        self.queue_guest_confirmation(&mut tx, &view.event, to, &token, now)
            .await?;
        commit(tx).await?;
        self.app.wake_mailer();
        Ok(())
    }

    /// Confirms a guest's email: they get a place or join the waiting list now.
    pub async fn confirm_guest(&self, token: &str) -> AppResult<RegistrationRecord> {
        let r = self.guest_registration(token).await?.registration;
        if r.status != RegistrationStatus::Pending {
            return Ok(r);
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let event = self
            .open_for_registration(&mut tx, &r.event_id, now)
            .await?;
        // Re-read under the lock: two clicks on the link decide once.
        let current: RegistrationRecord = store::registration(&mut tx, &r.id)
            .await?
            .ok_or(AppError::NotFound)?
            .try_into()?;
        if current.status != RegistrationStatus::Pending {
            commit(tx).await?;
            return Ok(current);
        }
        let status = self.free_place_or_waiting(&mut tx, &event).await?;
        store::set_registration_status(&mut tx, &r.id, status.code(), now).await?;
        self.queue_place_mail(&mut tx, &event, &r.name, &r.email, status, now, Some(token))
            .await?;
        Audit::new(
            None,
            "event.register_guest",
            ("registration", &r.id),
            status.code(),
        )
        .commit(tx, now)
        .await?;
        self.app.wake_mailer();
        self.registration(&r.id).await
    }

    /// Whether the caller owns the registration: signed in as its person, or holding the
    /// guest's key to it.
    async fn owns(
        &self,
        actor: Option<&Actor>,
        registration: &RegistrationRecord,
        token: Option<&str>,
    ) -> AppResult<bool> {
        if actor.is_some_and(|a| registration.user_id.as_ref().is_some_and(|u| u == a.id())) {
            return Ok(true);
        }
        let Some(t) = token.filter(|t| !t.is_empty()) else {
            return Ok(false);
        };
        match self.guest_registration(t).await {
            Ok(guest) => Ok(guest.registration.id == registration.id),
            Err(AppError::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Cancels a registration: by its owner (signed in), or with a guest's token. A freed
    /// place goes to the first person waiting.
    pub async fn cancel_registration(
        &self,
        actor: Option<&Actor>,
        registration_id: &RegistrationId,
        token: Option<&str>,
    ) -> AppResult<()> {
        let now = self.app.now();
        let r = self.registration(registration_id).await?;
        if !self.owns(actor, &r, token).await? {
            // Someone else's registration id: as if it did not exist.
            return Err(AppError::NotFound);
        }
        if r.status == RegistrationStatus::Cancelled {
            return Err(AppError::Conflict(
                "This registration is already cancelled".into(),
            ));
        }
        let mut tx = self.app.db.begin().await?;
        store::lock_event(&mut tx, &r.event_id).await?;
        let event = self.stored_event(&mut tx, &r.event_id).await?;
        if now >= event.starts_at {
            return Err(AppError::Conflict(
                "The event has started, so the registration can no longer be cancelled".into(),
            ));
        }
        let cancelled = RegistrationStatus::Cancelled.code();
        store::set_registration_status(&mut tx, &r.id, cancelled, now).await?;
        if r.is_registered() {
            self.promote_waiting(&mut tx, &r.event_id, now).await?;
        }
        self.queue_place_cancelled(&mut tx, &event, &r, now).await?;
        record(
            &mut tx,
            now,
            actor.map(|a| a.id()),
            "event.cancel_registration",
            ("registration", &r.id),
            r.status.code(),
        )
        .await?;
        commit(tx).await?;
        self.app.wake_mailer();
        Ok(())
    }
}
