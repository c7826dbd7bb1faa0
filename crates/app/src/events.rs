//! Learning events' use cases: series and events, registration with a waiting list (places
//! decided one at a time under the event's lock), guests confirmed by email, cancellation with
//! promotion, calendars, attendance, feedback, the event report, materials into the library,
//! and the background mail (reminders, follow-ups) and personal-data clean-up.

use crate::Context;
use std::collections::BTreeMap;

use lz_domain::events::{
    self as rules, EventClock, EventFormat, EventStatus, IcalEvent, IcalMethod, RegistrationStatus,
    ShownStatus, MAX_CAPACITY,
};
use lz_domain::library::{parse_link, Transition, Visibility};
use lz_domain::{clean_line, EmailAddress};
use lz_store::events::{
    self as store, EventContent, EventList, EventReader, EventRow, FeedbackRow, NewRegistration,
    RegistrationRow, SeriesRow,
};

use crate::mail::{Attachment, Email};
use crate::secrets::{hash_token, random_token};
use crate::{commit, new_id, record, Actor, App, AppError, AppResult, Problems};

/// Days before an event that the reminder goes out.
pub const REMIND_DAYS_BEFORE: i64 = 2;
/// Follow-ups go to events that ended within this many days (older ones are left alone).
const FOLLOW_UP_WITHIN_DAYS: i64 = 14;
const DAY_MS: i64 = 86_400_000;

/// Bool fields arrive as `true` from the API and `"on"` from a checkbox.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(untagged)]
pub enum Flag {
    #[default]
    Off,
    Bool(bool),
    Text(String),
}

impl Flag {
    pub fn on(&self) -> bool {
        match self {
            Flag::Off => false,
            Flag::Bool(b) => *b,
            Flag::Text(s) => matches!(s.as_str(), "on" | "true" | "1" | "yes"),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SeriesInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub terms: Vec<String>,
}

/// What an organiser typed into the event form (or sent to the API). Times are UK local.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EventInput {
    #[serde(default)]
    pub series_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub access_info: String,
    #[serde(default)]
    pub joining_link: String,
    #[serde(default)]
    pub speakers: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub end_time: String,
    /// Text, so that "abc" or "-3" is told apart from a missing number.
    #[serde(default, deserialize_with = "number_or_text")]
    pub capacity: String,
    #[serde(default)]
    pub opens_date: String,
    #[serde(default)]
    pub closes_date: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub allow_guests: Flag,
    #[serde(default)]
    pub ask_access: Flag,
    #[serde(default)]
    pub ask_dietary: Flag,
    #[serde(default)]
    pub terms: Vec<String>,
    /// Further organisers' email addresses, one per line or separated by commas.
    #[serde(default)]
    pub organisers: String,
}

fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::Deserialize;
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// A registrant's answers to the event's questions.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Answers {
    #[serde(default)]
    pub access_needs: String,
    #[serde(default)]
    pub dietary_needs: String,
}

/// Registration without an account.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct GuestInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub access_needs: String,
    #[serde(default)]
    pub dietary_needs: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FeedbackInput {
    #[serde(default, deserialize_with = "number_or_text")]
    pub rating: String,
    #[serde(default)]
    pub do_differently: String,
    #[serde(default)]
    pub topics_next: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MaterialInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub notes: String,
    /// Recordings and other links, one per line: the address, then optionally its title.
    #[serde(default)]
    pub links: String,
}

/// An event with what its page shows to this reader.
pub struct EventView {
    pub event: EventRow,
    pub shown: ShownStatus,
    pub terms: Vec<(String, String, String, String)>,
    pub organisers: Vec<(String, String)>,
    pub my_registration: Option<RegistrationRow>,
    pub is_organiser: bool,
    /// Why a signed-in person cannot register now (none: they can).
    pub closed_reason: Option<&'static str>,
    /// Material items the reader may see: (id, title, kind).
    pub materials: Vec<(String, String, String)>,
    pub guests_allowed: bool,
}

impl EventView {
    /// The joining link goes only to registered people and organisers.
    pub fn joining_link(&self) -> Option<&str> {
        let registered = self
            .my_registration
            .as_ref()
            .is_some_and(|r| r.status == RegistrationStatus::Registered.code());
        (!self.event.joining_link.is_empty() && (registered || self.is_organiser))
            .then_some(self.event.joining_link.as_str())
    }
}

/// Counts of one group (a place or an organisation) in the event report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GroupCounts {
    pub name: String,
    pub registered: i64,
    pub attended: i64,
    pub no_shows: i64,
    pub not_marked: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EventReport {
    pub registered: i64,
    pub waiting: i64,
    pub cancelled: i64,
    pub attended: i64,
    pub no_shows: i64,
    pub not_marked: i64,
    pub by_place: Vec<GroupCounts>,
    pub by_organisation: Vec<GroupCounts>,
    pub feedback_count: i64,
    /// Average rating out of 5, one decimal; none without feedback.
    pub average_rating: Option<f64>,
    /// How many gave each rating, 1 to 5.
    pub ratings: [i64; 5],
    pub do_differently: Vec<String>,
    pub topics_next: Vec<String>,
}

pub const VISIBILITIES: &[(&str, &str)] = &[
    ("public", "Public: anyone, signed in or not"),
    ("network", "Network: signed-in partners"),
];

pub const STATUSES: &[(&str, &str)] = &[
    ("draft", "Draft: only organisers see it"),
    ("open", "Open for registration"),
    ("closed", "Registration closed"),
];

fn sees_everything(a: &Actor) -> bool {
    a.sees_all_content()
}

fn may_organise(a: &Actor) -> bool {
    a.contributes()
}

fn reader(actor: Option<&Actor>) -> EventReader<'_> {
    EventReader {
        user_id: actor.map(|a| a.id()),
        sees_everything: actor.is_some_and(sees_everything),
    }
}

fn clock_of(e: &EventRow) -> EventClock {
    EventClock {
        status: EventStatus::parse(&e.status).unwrap_or(EventStatus::Draft),
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        opens_at: e.registration_opens_at,
        closes_at: e.registration_closes_at,
        capacity: e.capacity,
        registered: e.registered,
    }
}

/// The calendar entry's text: the summary, and for registrants the joining link.
fn description_for(ev: &EventRow, with_link: bool) -> String {
    if with_link && !ev.joining_link.is_empty() {
        format!("{}\n\nJoin online: {}", ev.summary, ev.joining_link)
    } else {
        ev.summary.clone()
    }
}

fn bounded(p: &mut Problems, field: &'static str, label: &str, raw: &str, max: usize) -> String {
    let s = raw.trim().replace("\r\n", "\n");
    if s.chars().count() > max {
        p.add(field, format!("{label} must be {max} characters or fewer"));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        p.add(
            field,
            format!("{label} must not contain control characters"),
        );
    }
    s
}

/// "2026-07-15" at midnight UK time, for the registration window; empty: none.
fn optional_day(p: &mut Problems, field: &'static str, raw: &str) -> Option<i64> {
    if raw.trim().is_empty() {
        return None;
    }
    p.check(field, rules::parse_local(raw, "00:00"))
}

impl App {
    async fn check_terms(&self, p: &mut Problems, raw: &[String]) -> AppResult<Vec<String>> {
        let mut c = self.db.acquire().await?;
        let mut ids = Vec::new();
        for t in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match lz_store::library::term_by_id(&mut c, t).await? {
                Some(term) => ids.push(term.merged_into.unwrap_or(term.id)),
                None => {
                    p.add("terms", "Choose themes from the list");
                    break;
                }
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// The organisation must exist and, unless the organiser sees everything, be their own.
    async fn check_owner(
        &self,
        p: &mut Problems,
        actor: &Actor,
        organisation_id: &str,
    ) -> AppResult<String> {
        let mut c = self.db.acquire().await?;
        let org = match organisation_id.trim() {
            "" => None,
            id => lz_store::network::organisation_by_id(&mut c, id).await?,
        };
        match org {
            None => {
                p.add("organisation_id", "Choose the organisation running it");
                Ok(String::new())
            }
            Some(o)
                if !sees_everything(actor)
                    && !actor
                        .active_memberships()
                        .any(|m| m.organisation_id == o.id) =>
            {
                p.add("organisation_id", "Choose one of your own organisations");
                Ok(String::new())
            }
            Some(o) => Ok(o.id),
        }
    }

    pub async fn create_series(&self, actor: &Actor, input: &SeriesInput) -> AppResult<String> {
        if !may_organise(actor) {
            return Err(AppError::Forbidden);
        }
        let mut p = Problems::default();
        let title = p
            .check("title", clean_line(&input.title, "a title", 200))
            .unwrap_or_default();
        let purpose = bounded(&mut p, "purpose", "The purpose", &input.purpose, 5_000);
        let org = self
            .check_owner(&mut p, actor, &input.organisation_id)
            .await?;
        let terms = self.check_terms(&mut p, &input.terms).await?;
        p.into_result()?;
        let now = self.now();
        let row = SeriesRow {
            id: new_id(),
            title,
            purpose,
            organisation_id: org,
            created_by: actor.id().to_string(),
            created_at: now,
        };
        let mut tx = self.db.begin().await?;
        store::insert_series(&mut tx, &row, &terms, now).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "series.create",
            ("series", &row.id),
            &row.title,
        )
        .await?;
        commit(tx).await?;
        Ok(row.id)
    }

    pub async fn all_series(&self) -> AppResult<Vec<SeriesRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::all_series(&mut c).await?)
    }

    /// A series with its themes and the events the reader may see.
    #[allow(clippy::type_complexity)]
    pub async fn series(
        &self,
        actor: Option<&Actor>,
        id: &str,
    ) -> AppResult<(
        SeriesRow,
        Vec<(String, String, String, String)>,
        Vec<EventRow>,
    )> {
        let mut c = self.db.acquire().await?;
        let s = store::series_by_id(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let terms = store::terms_of(&mut c, true, id).await?;
        let events = store::events(&mut c, reader(actor), EventList::Series(id), 200).await?;
        Ok((s, terms, events))
    }

    async fn event_content(
        &self,
        actor: &Actor,
        input: &EventInput,
        creating: bool,
    ) -> AppResult<EventContent> {
        let mut p = Problems::default();
        let title = p
            .check("title", clean_line(&input.title, "a title", 200))
            .unwrap_or_default();
        let summary = bounded(&mut p, "summary", "The summary", &input.summary, 5_000);
        if summary.is_empty() {
            p.add("summary", "Enter what the event is about");
        }
        let format = EventFormat::parse(&input.format);
        if format.is_none() {
            p.add("format", "Choose in person, online or hybrid");
        }
        let venue = bounded(&mut p, "venue", "The venue", &input.venue, 200);
        let address = bounded(&mut p, "address", "The address", &input.address, 1_000);
        let access_info = bounded(
            &mut p,
            "access_info",
            "Access information",
            &input.access_info,
            2_000,
        );
        let speakers = bounded(&mut p, "speakers", "Speakers", &input.speakers, 2_000);
        if format.is_some_and(EventFormat::has_venue) && venue.is_empty() {
            p.add("venue", "Enter the venue");
        }
        let joining_link = match input.joining_link.trim() {
            "" => {
                if format.is_some_and(|f| f == EventFormat::Online) {
                    p.add("joining_link", "Enter the joining link of the online event");
                }
                String::new()
            }
            raw => p.check("joining_link", parse_link(raw)).unwrap_or_default(),
        };
        let start = p.check(
            "start_date",
            rules::parse_local(&input.start_date, &input.start_time),
        );
        let end_date = if input.end_date.trim().is_empty() {
            &input.start_date
        } else {
            &input.end_date
        };
        let end = p.check("end_time", rules::parse_local(end_date, &input.end_time));
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                p.add("end_time", "The end must be after the start");
            } else if e - s > 14 * DAY_MS {
                p.add("end_time", "An event can last at most 14 days");
            }
            if creating && s < self.now() {
                p.add("start_date", "The start must be in the future");
            }
        }
        let capacity = match input.capacity.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => n,
            Ok(_) => {
                p.add(
                    "capacity",
                    format!("The number of places must be between 1 and {MAX_CAPACITY}"),
                );
                0
            }
            Err(_) => {
                p.add("capacity", "Enter the number of places as a whole number");
                0
            }
        };
        let opens = optional_day(&mut p, "opens_date", &input.opens_date);
        let closes = optional_day(&mut p, "closes_date", &input.closes_date);
        if let (Some(o), Some(c)) = (opens, closes) {
            if c <= o {
                p.add("closes_date", "Registration must close after it opens");
            }
        }
        if let (Some(o), Some(s)) = (opens, start) {
            if o >= s {
                p.add(
                    "opens_date",
                    "Registration must open before the event starts",
                );
            }
        }
        let visibility = match Visibility::parse(&input.visibility) {
            Some(v @ (Visibility::Public | Visibility::Network)) => v.code().to_string(),
            _ => {
                p.add("visibility", "Choose public or network");
                String::new()
            }
        };
        let status = match EventStatus::parse(&input.status) {
            Some(EventStatus::Cancelled) => {
                p.add("status", "Cancel the event with its own button");
                String::new()
            }
            Some(s) => s.code().to_string(),
            None if input.status.trim().is_empty() => EventStatus::Draft.code().to_string(),
            None => {
                p.add("status", "Choose draft, open or closed");
                String::new()
            }
        };
        let organisation_id = self
            .check_owner(&mut p, actor, &input.organisation_id)
            .await?;
        let term_ids = self.check_terms(&mut p, &input.terms).await?;
        let series_id = match input.series_id.trim() {
            "" => None,
            id => {
                let mut c = self.db.acquire().await?;
                match store::series_by_id(&mut c, id).await? {
                    Some(s) => Some(s.id),
                    None => {
                        p.add("series_id", "Choose a series from the list");
                        None
                    }
                }
            }
        };
        let mut organiser_ids = vec![];
        for raw in input
            .organisers
            .split(['\n', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let mut c = self.db.acquire().await?;
            match EmailAddress::parse(raw) {
                Ok(e) => match lz_store::users::by_email(&mut c, e.as_str()).await? {
                    Some(u) => organiser_ids.push(u.id),
                    None => p.add(
                        "organisers",
                        format!("No one has an account with the address {}", e.as_str()),
                    ),
                },
                Err(_) => p.add("organisers", "Enter organisers' email addresses"),
            }
        }
        if organiser_ids.len() > 20 {
            p.add("organisers", "Name at most 20 organisers");
        }
        organiser_ids.sort();
        organiser_ids.dedup();
        p.into_result()?;
        Ok(EventContent {
            series_id,
            title,
            summary,
            format: format.map(|f| f.code().to_string()).unwrap_or_default(),
            venue,
            address,
            access_info,
            joining_link,
            speakers,
            starts_at: start.unwrap_or_default(),
            ends_at: end.unwrap_or_default(),
            capacity,
            registration_opens_at: opens,
            registration_closes_at: closes,
            organisation_id,
            visibility,
            status,
            allow_guests: input.allow_guests.on(),
            ask_access: input.ask_access.on(),
            ask_dietary: input.ask_dietary.on(),
            term_ids,
            organiser_ids,
        })
    }

    pub async fn create_event(&self, actor: &Actor, input: &EventInput) -> AppResult<String> {
        if !may_organise(actor) {
            return Err(AppError::Forbidden);
        }
        let mut content = self.event_content(actor, input, true).await?;
        if !content.organiser_ids.iter().any(|u| u == actor.id()) {
            content.organiser_ids.push(actor.id().to_string());
        }
        let id = new_id();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::insert_event(&mut tx, &id, &content, actor.id(), now).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "event.create",
            ("event", &id),
            &content.title,
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Saves a changed event. More places take people off the waiting list at once; people
    /// registered are emailed an updated calendar file when the time or place changes.
    pub async fn update_event(&self, actor: &Actor, id: &str, input: &EventInput) -> AppResult<()> {
        let view = self.event(Some(actor), id).await?;
        if !view.is_organiser {
            return Err(AppError::Forbidden);
        }
        if view.event.status == EventStatus::Cancelled.code() {
            return Err(AppError::Conflict(
                "A cancelled event cannot be changed".into(),
            ));
        }
        let mut content = self.event_content(actor, input, false).await?;
        if !content
            .organiser_ids
            .iter()
            .any(|u| u == &view.event.created_by)
        {
            content.organiser_ids.push(view.event.created_by.clone());
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::lock_event(&mut tx, id).await?;
        store::update_event(&mut tx, id, &content, now).await?;
        let old = &view.event;
        let moved = old.starts_at != content.starts_at || old.ends_at != content.ends_at;
        if moved {
            // A reminder for the old date says nothing about the new one.
            store::reset_reminders(&mut tx, id).await?;
        }
        let mut emailed = false;
        if (moved
            || old.venue != content.venue
            || old.address != content.address
            || old.joining_link != content.joining_link
            || old.format != content.format)
            && old.status != EventStatus::Draft.code()
        {
            let ev = store::event_unchecked(&mut tx, id)
                .await?
                .ok_or(AppError::NotFound)?;
            for r in store::registrations_of_event(&mut tx, id)
                .await?
                .iter()
                .filter(|r| r.status == RegistrationStatus::Registered.code())
            {
                let body = format!(
                    "Hello {},\n\n{} has changed. Here are the details now:\n\nWhen: {}\n{}\nThe attached calendar file updates your calendar.\n\n{}\n\n{}\n",
                    r.name,
                    ev.title,
                    rules::display_range(ev.starts_at, ev.ends_at),
                    self.where_text(&ev),
                    self.config.link(&format!("/events/{id}")),
                    self.config.host_name
                );
                crate::mail::enqueue_with(
                    &mut tx,
                    now,
                    &Email {
                        to: r.email.clone(),
                        subject: format!("Changed: {}", ev.title),
                        body,
                    },
                    &self.ics_for(&ev, IcalMethod::Publish, true, now),
                )
                .await?;
                emailed = true;
            }
        }
        let promoted = self.promote_waiting(&mut tx, id, now).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "event.update",
            ("event", id),
            &content.title,
        )
        .await?;
        commit(tx).await?;
        if promoted > 0 || emailed {
            self.wake_mailer();
        }
        Ok(())
    }

    /// Cancels an event: everyone registered or waiting is emailed a calendar cancellation.
    pub async fn cancel_event(&self, actor: &Actor, id: &str) -> AppResult<()> {
        let view = self.event(Some(actor), id).await?;
        if !view.is_organiser {
            return Err(AppError::Forbidden);
        }
        if view.event.status == EventStatus::Cancelled.code() {
            return Err(AppError::Conflict("The event is already cancelled".into()));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::lock_event(&mut tx, id).await?;
        store::set_event_status(&mut tx, id, EventStatus::Cancelled.code(), now).await?;
        let ev = store::event_unchecked(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let regs = store::registrations_of_event(&mut tx, id).await?;
        for r in regs.iter().filter(|r| {
            r.status == RegistrationStatus::Registered.code()
                || r.status == RegistrationStatus::Waiting.code()
        }) {
            let body = format!(
                "Hello {},\n\nWe are sorry: {} ({}) has been cancelled.\n\nThe attached calendar file removes it from your calendar.\n\n{}\n",
                r.name,
                ev.title,
                rules::display_range(ev.starts_at, ev.ends_at),
                self.config.host_name
            );
            let ics = self.ics_for(&ev, IcalMethod::Cancel, false, now);
            crate::mail::enqueue_with(
                &mut tx,
                now,
                &Email {
                    to: r.email.clone(),
                    subject: format!("Cancelled: {}", ev.title),
                    body,
                },
                &ics,
            )
            .await?;
        }
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "event.cancel",
            ("event", id),
            &ev.title,
        )
        .await?;
        commit(tx).await?;
        self.wake_mailer();
        Ok(())
    }

    pub async fn event(&self, actor: Option<&Actor>, id: &str) -> AppResult<EventView> {
        let mut c = self.db.acquire().await?;
        let event = store::event_visible(&mut c, reader(actor), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let terms = store::terms_of(&mut c, false, id).await?;
        let organisers = store::organisers(&mut c, id).await?;
        let is_organiser = actor.is_some_and(|a| {
            sees_everything(a)
                || event.created_by == a.id()
                || organisers.iter().any(|(u, _)| u == a.id())
        });
        let my_registration = match actor {
            Some(a) => store::live_registration(&mut c, id, &a.user.email).await?,
            None => None,
        };
        let now = self.now();
        let clock = clock_of(&event);
        let mut materials = vec![];
        let lib_reader = crate::library::reader(actor);
        for item_id in store::material_ids(&mut c, id).await? {
            if let Some(i) = lz_store::library::item(&mut c, &lib_reader, &item_id).await? {
                materials.push((i.id, i.title, i.status));
            }
        }
        Ok(EventView {
            shown: clock.shown(now),
            closed_reason: clock.accepts_registrations(now).err(),
            guests_allowed: self.config.guest_registration && event.allow_guests == 1,
            event,
            terms,
            organisers,
            my_registration,
            is_organiser,
            materials,
        })
    }

    pub async fn upcoming_events(&self, actor: Option<&Actor>) -> AppResult<Vec<EventRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::events(
            &mut c,
            reader(actor),
            EventList::Upcoming { now: self.now() },
            200,
        )
        .await?)
    }

    pub async fn past_events(&self, actor: Option<&Actor>) -> AppResult<Vec<EventRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::events(
            &mut c,
            reader(actor),
            EventList::Past { now: self.now() },
            200,
        )
        .await?)
    }

    pub fn shown_status(&self, e: &EventRow) -> ShownStatus {
        clock_of(e).shown(self.now())
    }

    fn check_answers(
        &self,
        p: &mut Problems,
        ev: &EventRow,
        access: &str,
        dietary: &str,
    ) -> (Option<String>, Option<String>) {
        let a = bounded(p, "access_needs", "Access needs", access, 1_000);
        let d = bounded(p, "dietary_needs", "Dietary needs", dietary, 1_000);
        (
            (ev.ask_access == 1 && !a.is_empty()).then_some(a),
            (ev.ask_dietary == 1 && !d.is_empty()).then_some(d),
        )
    }

    /// Registers a signed-in partner in one step: a place if one is free, else the waiting list.
    pub async fn register(
        &self,
        actor: &Actor,
        event_id: &str,
        answers: &Answers,
    ) -> AppResult<RegistrationRow> {
        let view = self.event(Some(actor), event_id).await?;
        let mut p = Problems::default();
        let (access, dietary) = self.check_answers(
            &mut p,
            &view.event,
            &answers.access_needs,
            &answers.dietary_needs,
        );
        p.into_result()?;
        let membership = actor.active_memberships().next();
        let org_name = match membership {
            Some(m) => {
                let mut c = self.db.acquire().await?;
                lz_store::network::organisation_by_id(&mut c, &m.organisation_id)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_default()
            }
            None => String::new(),
        };
        let id = new_id();
        let now = self.now();
        let mut tx = self.db.begin().await?;
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
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "event.register",
            ("registration", &id),
            status.code(),
        )
        .await?;
        commit(tx).await?;
        self.wake_mailer();
        let mut c = self.db.acquire().await?;
        store::registration(&mut c, &id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Inside the caller's transaction: locks the event, checks it takes registrations and the
    /// person has none yet, then inserts them registered or waiting and queues the email.
    async fn take_place(
        &self,
        tx: &mut lz_store::Conn,
        mut new: NewRegistration<'_>,
        now: i64,
    ) -> AppResult<RegistrationStatus> {
        if !store::lock_event(tx, new.event_id).await? {
            return Err(AppError::NotFound);
        }
        let ev = store::event_unchecked(tx, new.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        clock_of(&ev)
            .accepts_registrations(now)
            .map_err(|m| AppError::Conflict(m.into()))?;
        if let Some(r) = store::live_registration(tx, new.event_id, new.email).await? {
            return Err(AppError::Conflict(
                match RegistrationStatus::parse(&r.status) {
                    Some(RegistrationStatus::Waiting) => {
                        "You are already on the waiting list for this event".into()
                    }
                    Some(RegistrationStatus::Pending) => {
                        "This address has a registration waiting for email confirmation".into()
                    }
                    _ => "You are already registered for this event".into(),
                },
            ));
        }
        let taken = store::registered_count(tx, new.event_id).await?;
        let status = if taken < ev.capacity {
            RegistrationStatus::Registered
        } else {
            RegistrationStatus::Waiting
        };
        new.status = status.code();
        store::insert_registration(tx, &new, now)
            .await
            .map_err(|e| match e {
                lz_store::StoreError::Conflict(_) => {
                    AppError::Conflict("You are already registered for this event".into())
                }
                other => other.into(),
            })?;
        self.queue_place_mail(tx, &ev, new.name, new.email, status, now, None)
            .await?;
        Ok(status)
    }

    /// The confirmation (with the calendar file) or the waiting-list email.
    #[allow(clippy::too_many_arguments)]
    async fn queue_place_mail(
        &self,
        tx: &mut lz_store::Conn,
        ev: &EventRow,
        name: &str,
        email: &str,
        status: RegistrationStatus,
        now: i64,
        manage_token: Option<&str>,
    ) -> AppResult<()> {
        let when = rules::display_range(ev.starts_at, ev.ends_at);
        let manage = match manage_token {
            Some(t) => self.config.link(&format!("/events/registration?token={t}")),
            None => self.config.link(&format!("/events/{}", ev.id)),
        };
        match status {
            RegistrationStatus::Registered => {
                let body = format!(
                    "Hello {name},\n\nYou are registered for {}.\n\nWhen: {when}\n{}\n\nAdd it to your calendar with the attached file, or from {}\n\nIf you cannot come, please cancel so that someone on the waiting list can have your place: {manage}\n\n{}\n",
                    ev.title,
                    self.where_text(ev),
                    self.config.link(&format!("/events/{}/calendar.ics", ev.id)),
                    self.config.host_name
                );
                let ics = self.ics_for(ev, IcalMethod::Publish, true, now);
                crate::mail::enqueue_with(
                    tx,
                    now,
                    &Email {
                        to: email.to_string(),
                        subject: format!("You are registered: {}", ev.title),
                        body,
                    },
                    &ics,
                )
                .await
            }
            _ => {
                let body = format!(
                    "Hello {name},\n\n{} is full, so you are on the waiting list. If a place becomes free you will get it automatically, and we will email you.\n\nWhen: {when}\n\nLeave the waiting list: {manage}\n\n{}\n",
                    ev.title, self.config.host_name
                );
                crate::mail::enqueue(
                    tx,
                    now,
                    &Email {
                        to: email.to_string(),
                        subject: format!("Waiting list: {}", ev.title),
                        body,
                    },
                )
                .await
            }
        }
    }

    /// Where a registrant manages their place: the event page for people with an account; for
    /// a guest, a fresh emailed key (it replaces the one sent before, whose link stops working).
    async fn manage_link(
        &self,
        tx: &mut lz_store::Conn,
        registration_id: &str,
        has_account: bool,
        event_id: &str,
    ) -> AppResult<String> {
        if has_account {
            return Ok(self.config.link(&format!("/events/{event_id}")));
        }
        let token = random_token("lzr_");
        store::set_token_hash(tx, registration_id, &hash_token(&token)).await?;
        Ok(self
            .config
            .link(&format!("/events/registration?token={token}")))
    }

    /// Where the event happens, for emails: venue and address, or the joining link.
    fn where_text(&self, ev: &EventRow) -> String {
        let mut s = String::new();
        if !ev.venue.is_empty() {
            s.push_str(&format!("Where: {}", ev.venue));
            if !ev.address.is_empty() {
                s.push_str(&format!(", {}", ev.address.replace('\n', ", ")));
            }
            s.push('\n');
        }
        if !ev.access_info.is_empty() {
            s.push_str(&format!("Access: {}\n", ev.access_info));
        }
        if !ev.joining_link.is_empty() {
            s.push_str(&format!("Join online: {}\n", ev.joining_link));
        }
        s
    }

    /// Promotes waiting people into free places (oldest first) and emails them; the caller
    /// holds the event's lock. Returns how many moved.
    async fn promote_waiting(
        &self,
        tx: &mut lz_store::Conn,
        event_id: &str,
        now: i64,
    ) -> AppResult<usize> {
        let Some(ev) = store::event_unchecked(tx, event_id).await? else {
            return Ok(0);
        };
        if ev.status == EventStatus::Cancelled.code() || now >= ev.starts_at {
            return Ok(0);
        }
        let mut free = ev.capacity - store::registered_count(tx, event_id).await?;
        let mut moved = 0;
        while free > 0 {
            let Some(next) = store::first_waiting(tx, event_id).await? else {
                break;
            };
            store::set_registration_status(
                tx,
                &next.id,
                RegistrationStatus::Registered.code(),
                now,
            )
            .await?;
            let body_intro = format!(
                "Hello {},\n\nGood news: a place has become free at {}, and it is now yours. You are registered.\n\n",
                next.name, ev.title
            );
            let ics = self.ics_for(&ev, IcalMethod::Publish, true, now);
            let manage = self
                .manage_link(tx, &next.id, next.user_id.is_some(), &ev.id)
                .await?;
            let body = format!(
                "{body_intro}When: {}\n{}\nIf you cannot come after all, please cancel: {manage}\n\n{}\n",
                rules::display_range(ev.starts_at, ev.ends_at),
                self.where_text(&ev),
                self.config.host_name
            );
            crate::mail::enqueue_with(
                tx,
                now,
                &Email {
                    to: next.email.clone(),
                    subject: format!("A place is free: you are registered for {}", ev.title),
                    body,
                },
                &ics,
            )
            .await?;
            free -= 1;
            moved += 1;
        }
        Ok(moved)
    }

    /// Registration without an account: kept pending until the emailed link is followed.
    /// Asking again for the same address sends a fresh link.
    pub async fn register_guest(&self, event_id: &str, input: &GuestInput) -> AppResult<()> {
        let view = self.event(None, event_id).await?;
        if !view.guests_allowed {
            return Err(AppError::Forbidden);
        }
        let mut p = Problems::default();
        let name = p
            .check("name", clean_line(&input.name, "your full name", 120))
            .unwrap_or_default();
        let email = p.check("email", EmailAddress::parse(&input.email));
        let organisation = match input.organisation.trim() {
            "" => String::new(),
            raw => p
                .check("organisation", clean_line(raw, "your organisation", 200))
                .unwrap_or_default(),
        };
        let (access, dietary) = self.check_answers(
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
        let token = random_token("lzr_");
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::lock_event(&mut tx, event_id).await?;
        match store::live_registration(&mut tx, event_id, email.as_str()).await? {
            Some(r) if r.status == RegistrationStatus::Pending.code() => {
                store::set_token_hash(&mut tx, &r.id, &hash_token(&token)).await?;
            }
            Some(_) => {
                // Say the same as for a new address, so the form does not reveal who registered.
                commit(tx).await?;
                return Ok(());
            }
            None => {
                let id = new_id();
                store::insert_registration(
                    &mut tx,
                    &NewRegistration {
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
                        token_hash: Some(&hash_token(&token)),
                    },
                    now,
                )
                .await?;
            }
        }
        let body = format!(
            "Hello {name},\n\nTo finish registering for {} ({}), confirm your email address by following this link:\n\n{}\n\nIf you did not ask to register, ignore this email.\n\n{}\n",
            view.event.title,
            rules::display_range(view.event.starts_at, view.event.ends_at),
            self.config.link(&format!("/events/registration?token={token}")),
            self.config.host_name
        );
        crate::mail::enqueue(
            &mut tx,
            now,
            &Email {
                to: email.as_str().to_string(),
                subject: format!("Confirm your registration: {}", view.event.title),
                body,
            },
        )
        .await?;
        commit(tx).await?;
        self.wake_mailer();
        Ok(())
    }

    /// A guest's registration from the emailed link's token.
    pub async fn guest_registration(&self, token: &str) -> AppResult<(RegistrationRow, EventRow)> {
        let mut c = self.db.acquire().await?;
        let r = store::registration_by_token(&mut c, &hash_token(token.trim()))
            .await?
            .ok_or(AppError::NotFound)?;
        let e = store::event_unchecked(&mut c, &r.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((r, e))
    }

    /// Confirms a guest's email: they get a place or join the waiting list now.
    pub async fn confirm_guest(&self, token: &str) -> AppResult<RegistrationRow> {
        let (r, _) = self.guest_registration(token).await?;
        if r.status != RegistrationStatus::Pending.code() {
            return Ok(r);
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if !store::lock_event(&mut tx, &r.event_id).await? {
            return Err(AppError::NotFound);
        }
        let ev = store::event_unchecked(&mut tx, &r.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        clock_of(&ev)
            .accepts_registrations(now)
            .map_err(|m| AppError::Conflict(m.into()))?;
        // Re-read under the lock: two clicks on the link decide once.
        let current = store::registration(&mut tx, &r.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if current.status != RegistrationStatus::Pending.code() {
            commit(tx).await?;
            return Ok(current);
        }
        let status = if store::registered_count(&mut tx, &r.event_id).await? < ev.capacity {
            RegistrationStatus::Registered
        } else {
            RegistrationStatus::Waiting
        };
        store::set_registration_status(&mut tx, &r.id, status.code(), now).await?;
        self.queue_place_mail(&mut tx, &ev, &r.name, &r.email, status, now, Some(token))
            .await?;
        record(
            &mut tx,
            now,
            None,
            "event.register_guest",
            ("registration", &r.id),
            status.code(),
        )
        .await?;
        commit(tx).await?;
        self.wake_mailer();
        let mut c = self.db.acquire().await?;
        store::registration(&mut c, &r.id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Cancels a registration: by its owner (signed in), or with a guest's token. A freed
    /// place goes to the first person waiting.
    pub async fn cancel_registration(
        &self,
        actor: Option<&Actor>,
        registration_id: &str,
        token: Option<&str>,
    ) -> AppResult<()> {
        let now = self.now();
        let mut c = self.db.acquire().await?;
        let r = store::registration(&mut c, registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(c);
        let owns = if actor.is_some_and(|a| r.user_id.as_deref() == Some(a.id())) {
            true
        } else if let Some(t) = token.filter(|t| !t.is_empty()) {
            match self.guest_registration(t).await {
                Ok((tr, _)) => tr.id == r.id,
                Err(AppError::NotFound) => false,
                Err(e) => return Err(e),
            }
        } else {
            false
        };
        if !owns {
            // Someone else's registration id: as if it did not exist.
            return Err(AppError::NotFound);
        }
        if r.status == RegistrationStatus::Cancelled.code() {
            return Err(AppError::Conflict(
                "This registration is already cancelled".into(),
            ));
        }
        let mut tx = self.db.begin().await?;
        store::lock_event(&mut tx, &r.event_id).await?;
        let ev = store::event_unchecked(&mut tx, &r.event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if now >= ev.starts_at {
            return Err(AppError::Conflict(
                "The event has started, so the registration can no longer be cancelled".into(),
            ));
        }
        store::set_registration_status(&mut tx, &r.id, RegistrationStatus::Cancelled.code(), now)
            .await?;
        let promoted = if r.status == RegistrationStatus::Registered.code() {
            self.promote_waiting(&mut tx, &r.event_id, now).await?
        } else {
            0
        };
        record(
            &mut tx,
            now,
            actor.map(|a| a.id()),
            "event.cancel_registration",
            ("registration", &r.id),
            &r.status,
        )
        .await?;
        commit(tx).await?;
        if promoted > 0 {
            self.wake_mailer();
        }
        Ok(())
    }

    /// The event for its organisers only.
    async fn organised(&self, actor: &Actor, event_id: &str) -> AppResult<EventView> {
        let view = self.event(Some(actor), event_id).await?;
        if !view.is_organiser {
            return Err(AppError::Forbidden);
        }
        Ok(view)
    }

    pub async fn registrations(
        &self,
        actor: &Actor,
        event_id: &str,
    ) -> AppResult<(EventView, Vec<RegistrationRow>)> {
        let view = self.organised(actor, event_id).await?;
        let mut c = self.db.acquire().await?;
        let regs = store::registrations_of_event(&mut c, event_id).await?;
        Ok((view, regs))
    }

    /// The registrations as CSV, formulas neutralised.
    pub async fn registrations_csv(&self, actor: &Actor, event_id: &str) -> AppResult<String> {
        let (view, regs) = self.registrations(actor, event_id).await?;
        let mut w = csv::Writer::from_writer(vec![]);
        let n = crate::report::neutralise;
        let row = |w: &mut csv::Writer<Vec<u8>>, cells: Vec<String>| {
            w.write_record(cells.iter().map(|c| n(c))).context("csv")
        };
        row(
            &mut w,
            [
                "Name",
                "Email",
                "Organisation",
                "Place",
                "Status",
                "Registered at (UK time)",
                "Attended",
                "Access needs",
                "Dietary needs",
            ]
            .map(String::from)
            .to_vec(),
        )?;
        for r in regs {
            row(
                &mut w,
                vec![
                    r.name,
                    r.email,
                    r.organisation_name,
                    r.place_name.unwrap_or_default(),
                    RegistrationStatus::parse(&r.status)
                        .map(|s| s.label().to_string())
                        .unwrap_or(r.status),
                    r.registered_at.map(rules::display).unwrap_or_default(),
                    match r.attended {
                        Some(1) => "yes".into(),
                        Some(_) => "no".into(),
                        None => String::new(),
                    },
                    r.access_needs.unwrap_or_default(),
                    r.dietary_needs.unwrap_or_default(),
                ],
            )?;
        }
        let _ = view;
        let bytes = w.into_inner().context("csv")?;
        String::from_utf8(bytes).context("csv")
    }

    /// Emails everyone registered (and, if asked, waiting); returns how many.
    pub async fn email_registrants(
        &self,
        actor: &Actor,
        event_id: &str,
        subject: &str,
        message: &str,
        include_waiting: bool,
    ) -> AppResult<usize> {
        let (view, regs) = self.registrations(actor, event_id).await?;
        let mut p = Problems::default();
        let subject = p
            .check("subject", clean_line(subject, "a subject", 150))
            .unwrap_or_default();
        let message = bounded(&mut p, "message", "The message", message, 10_000);
        if message.is_empty() {
            p.add("message", "Enter the message");
        }
        p.into_result()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let mut sent = 0;
        for r in regs.iter().filter(|r| {
            r.status == RegistrationStatus::Registered.code()
                || (include_waiting && r.status == RegistrationStatus::Waiting.code())
        }) {
            let body = format!(
                "Hello {},\n\n{message}\n\n{}: {}\n\nFrom {} for {}\n",
                r.name,
                view.event.title,
                self.config.link(&format!("/events/{event_id}")),
                actor.user.name,
                self.config.host_name
            );
            crate::mail::enqueue(
                &mut tx,
                now,
                &Email {
                    to: r.email.clone(),
                    subject: format!("{subject} ({})", view.event.title),
                    body,
                },
            )
            .await?;
            sent += 1;
        }
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "event.email",
            ("event", event_id),
            &subject,
        )
        .await?;
        commit(tx).await?;
        self.wake_mailer();
        Ok(sent)
    }

    /// Marks attendance of registered people: (registration id, attended; none: not marked).
    pub async fn set_attendance(
        &self,
        actor: &Actor,
        event_id: &str,
        marks: &[(String, Option<bool>)],
    ) -> AppResult<usize> {
        self.organised(actor, event_id).await?;
        if marks.len() > MAX_CAPACITY as usize {
            return Err(AppError::field("attendance", "Too many marks at once"));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let mut changed = 0;
        for (id, attended) in marks {
            if !store::set_attendance(&mut tx, event_id, id, *attended, now).await? {
                // Another event's registration, or not a registered person: change nothing.
                return Err(AppError::field(
                    "attendance",
                    "Mark attendance only for people registered for this event",
                ));
            }
            changed += 1;
        }
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "event.attendance",
            ("event", event_id),
            &changed.to_string(),
        )
        .await?;
        commit(tx).await?;
        Ok(changed)
    }

    /// Feedback from a registered person (signed in, or with a guest's token) once the event
    /// has started; once each.
    pub async fn give_feedback(
        &self,
        actor: Option<&Actor>,
        event_id: &str,
        token: Option<&str>,
        input: &FeedbackInput,
    ) -> AppResult<()> {
        let r = self.feedback_registration(actor, event_id, token).await?;
        let mut p = Problems::default();
        let rating = match input.rating.trim().parse::<i64>() {
            Ok(n) if (1..=5).contains(&n) => n,
            _ => {
                p.add("rating", "Choose a rating from 1 to 5");
                0
            }
        };
        let do_differently = bounded(
            &mut p,
            "do_differently",
            "What you will do differently",
            &input.do_differently,
            2_000,
        );
        let topics_next = bounded(
            &mut p,
            "topics_next",
            "Topics you want next",
            &input.topics_next,
            2_000,
        );
        p.into_result()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::insert_feedback(
            &mut tx,
            event_id,
            &FeedbackRow {
                registration_id: r.id.clone(),
                rating,
                do_differently,
                topics_next,
                created_at: now,
            },
        )
        .await
        .map_err(|e| match e {
            lz_store::StoreError::Conflict(_) => {
                AppError::Conflict("You have already given feedback on this event".into())
            }
            other => other.into(),
        })?;
        commit(tx).await?;
        Ok(())
    }

    /// The registration that may give feedback on an event, or why not.
    pub async fn feedback_registration(
        &self,
        actor: Option<&Actor>,
        event_id: &str,
        token: Option<&str>,
    ) -> AppResult<RegistrationRow> {
        let r = match (token.filter(|t| !t.is_empty()), actor) {
            (Some(t), _) => self.guest_registration(t).await?.0,
            (None, Some(a)) => {
                let mut c = self.db.acquire().await?;
                store::live_registration(&mut c, event_id, &a.user.email)
                    .await?
                    .ok_or(AppError::Forbidden)?
            }
            (None, None) => return Err(AppError::Unauthenticated),
        };
        if r.event_id != event_id || r.status != RegistrationStatus::Registered.code() {
            return Err(AppError::Forbidden);
        }
        if r.attended == Some(0) {
            return Err(AppError::Conflict(
                "Feedback comes from people who attended".into(),
            ));
        }
        let mut c = self.db.acquire().await?;
        let ev = store::event_unchecked(&mut c, event_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Feedback opens when the event starts, or as soon as an organiser marks the person present.
        if self.now() < ev.starts_at && r.attended != Some(1) {
            return Err(AppError::Conflict(
                "Feedback opens when the event starts".into(),
            ));
        }
        Ok(r)
    }

    /// Registrations, attendance and no-shows by place and organisation, and feedback.
    pub async fn event_report(
        &self,
        actor: &Actor,
        event_id: &str,
    ) -> AppResult<(EventView, EventReport)> {
        let (view, regs) = self.registrations(actor, event_id).await?;
        let mut c = self.db.acquire().await?;
        let feedback = store::feedback_of_event(&mut c, event_id).await?;
        let mut by_place: BTreeMap<String, GroupCounts> = BTreeMap::new();
        let mut by_org: BTreeMap<String, GroupCounts> = BTreeMap::new();
        let mut rep = EventReport {
            registered: 0,
            waiting: 0,
            cancelled: 0,
            attended: 0,
            no_shows: 0,
            not_marked: 0,
            by_place: vec![],
            by_organisation: vec![],
            feedback_count: feedback.len() as i64,
            average_rating: None,
            ratings: [0; 5],
            do_differently: vec![],
            topics_next: vec![],
        };
        for r in &regs {
            match RegistrationStatus::parse(&r.status) {
                Some(RegistrationStatus::Waiting) => rep.waiting += 1,
                Some(RegistrationStatus::Cancelled) => rep.cancelled += 1,
                Some(RegistrationStatus::Registered) => {
                    rep.registered += 1;
                    let place = r.place_name.clone().unwrap_or_else(|| "No place".into());
                    let org = if r.organisation_name.is_empty() {
                        "No organisation given".to_string()
                    } else {
                        r.organisation_name.clone()
                    };
                    for (map, key) in [(&mut by_place, place), (&mut by_org, org)] {
                        let g = map.entry(key.clone()).or_insert_with(|| GroupCounts {
                            name: key,
                            ..Default::default()
                        });
                        g.registered += 1;
                        match r.attended {
                            Some(1) => g.attended += 1,
                            Some(_) => g.no_shows += 1,
                            None => g.not_marked += 1,
                        }
                    }
                    match r.attended {
                        Some(1) => rep.attended += 1,
                        Some(_) => rep.no_shows += 1,
                        None => rep.not_marked += 1,
                    }
                }
                _ => {}
            }
        }
        rep.by_place = by_place.into_values().collect();
        rep.by_organisation = by_org.into_values().collect();
        let mut total = 0;
        for f in &feedback {
            if (1..=5).contains(&f.rating) {
                rep.ratings[(f.rating - 1) as usize] += 1;
                total += f.rating;
            }
            if !f.do_differently.is_empty() {
                rep.do_differently.push(f.do_differently.clone());
            }
            if !f.topics_next.is_empty() {
                rep.topics_next.push(f.topics_next.clone());
            }
        }
        if !feedback.is_empty() {
            let avg = total as f64 / feedback.len() as f64;
            rep.average_rating = Some((avg * 10.0).round() / 10.0);
        }
        Ok((view, rep))
    }

    /// Publishes slides, recording links and notes from an event as a library item of kind
    /// "event material" with the event's themes and visibility. Reviewers' own material is
    /// published at once where the workflow lets them approve it; otherwise it goes to review.
    pub async fn publish_material(
        &self,
        actor: &Actor,
        event_id: &str,
        input: &MaterialInput,
        file: Option<(&str, &[u8])>,
    ) -> AppResult<String> {
        let view = self.organised(actor, event_id).await?;
        let ev = &view.event;
        let title = if input.title.trim().is_empty() {
            format!("Materials: {}", ev.title)
        } else {
            input.title.clone()
        };
        let summary = format!(
            "From the event {} ({}).",
            ev.title,
            rules::local_date(ev.starts_at)
        );
        let item = crate::library::ItemInput {
            kind: lz_domain::library::ItemKind::EventMaterial
                .code()
                .to_string(),
            title,
            summary,
            body_md: input.notes.clone(),
            organisation_id: ev.organisation_id.clone(),
            visibility: ev.visibility.clone(),
            terms: view.terms.iter().map(|t| t.0.clone()).collect(),
            links: input.links.clone(),
            authors: ev.speakers.replace('\n', ","),
            ..Default::default()
        };
        let item_id = self.library().create(actor, &item).await?;
        if let Some((name, bytes)) = file {
            if let Err(e) = self.library().attach(actor, &item_id, name, bytes).await {
                // Nothing half-done: the draft goes with the file that failed.
                let _ = self.library().delete(actor, &item_id).await;
                return Err(e);
            }
        }
        let now = self.now();
        {
            let mut tx = self.db.begin().await?;
            store::link_material(&mut tx, event_id, &item_id, now).await?;
            commit(tx).await?;
        }
        self.library()
            .transition(actor, &item_id, Transition::Submit, "")
            .await?;
        // Approval may be refused (no self-approval): then the item waits for a reviewer.
        let _ = self
            .library()
            .transition(actor, &item_id, Transition::Approve, "")
            .await;
        Ok(item_id)
    }

    /// The event the item is material of (id, title), if the reader may see it.
    pub async fn event_of_item(
        &self,
        actor: Option<&Actor>,
        item_id: &str,
    ) -> AppResult<Option<(String, String)>> {
        let mut c = self.db.acquire().await?;
        let Some(eid) = store::event_of_item(&mut c, item_id).await? else {
            return Ok(None);
        };
        Ok(store::event_visible(&mut c, reader(actor), &eid)
            .await?
            .map(|e| (e.id, e.title)))
    }

    /// One event for a calendar; `description` is the summary, with the joining link for
    /// registrants (see `description_for`).
    fn ics_event<'a>(
        &self,
        ev: &'a EventRow,
        description: &'a str,
        with_link: bool,
        now: i64,
        ids: (&'a str, &'a str),
    ) -> IcalEvent<'a> {
        let location: &str = if !ev.venue.is_empty() {
            &ev.venue
        } else if with_link {
            &ev.joining_link
        } else {
            ""
        };
        IcalEvent {
            uid: ids.0,
            sequence: ev.sequence,
            starts_at: ev.starts_at,
            ends_at: ev.ends_at,
            stamp: now,
            summary: &ev.title,
            description,
            location,
            url: ids.1,
            cancelled: ev.status == EventStatus::Cancelled.code(),
            organizer: None,
        }
    }

    fn uid(&self, ev: &EventRow) -> String {
        let host = self.config.base_url.host_str().unwrap_or("learning-zone");
        format!("{}@{host}", ev.id)
    }

    /// The calendar file attached to emails; `with_link` adds the joining link (registrants).
    fn ics_for(&self, ev: &EventRow, method: IcalMethod, with_link: bool, now: i64) -> Attachment {
        let uid = self.uid(ev);
        let url = self.config.link(&format!("/events/{}", ev.id));
        let description = description_for(ev, with_link);
        let mut ie = self.ics_event(ev, &description, with_link, now, (&uid, &url));
        let from = self.config.mail_from.clone();
        let organizer = from
            .rsplit_once('<')
            .map(|(_, a)| a.trim_end_matches('>').to_string())
            .unwrap_or(from);
        if method == IcalMethod::Cancel {
            ie.cancelled = true;
            ie.sequence += 1;
            ie.organizer = Some(&organizer);
            return Attachment {
                file_name: "cancelled.ics".into(),
                media_type: "text/calendar; charset=utf-8; method=CANCEL".into(),
                text: rules::calendar(method, &ev.title, &[ie]),
            };
        }
        Attachment {
            file_name: "invite.ics".into(),
            media_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
            text: rules::calendar(method, &ev.title, &[ie]),
        }
    }

    /// One event's calendar file for the reader.
    pub async fn event_ics(&self, actor: Option<&Actor>, id: &str) -> AppResult<String> {
        let view = self.event(actor, id).await?;
        let with_link = view.joining_link().is_some();
        Ok(self
            .ics_for(&view.event, IcalMethod::Publish, with_link, self.now())
            .text)
    }

    /// The feed of upcoming (and cancelled upcoming) events the reader may see.
    pub async fn events_ics(&self, actor: Option<&Actor>) -> AppResult<String> {
        // Drafts (which organisers may see) are not in anyone's calendar.
        let events: Vec<EventRow> = self
            .upcoming_events(actor)
            .await?
            .into_iter()
            .filter(|e| e.status != EventStatus::Draft.code())
            .collect();
        let now = self.now();
        let ids: Vec<(String, String)> = events
            .iter()
            .map(|e| (self.uid(e), self.config.link(&format!("/events/{}", e.id))))
            .collect();
        let items: Vec<IcalEvent<'_>> = events
            .iter()
            .zip(ids.iter())
            .map(|(e, (uid, url))| self.ics_event(e, &e.summary, false, now, (uid, url)))
            .collect();
        Ok(rules::calendar(
            IcalMethod::Publish,
            &format!("{}: events", self.config.site_name),
            &items,
        ))
    }

    /// Sends due reminders (starting within two days) and follow-ups (ended), once each;
    /// returns how many. Safe to run anywhere, any time, on several instances.
    pub async fn send_event_mail(&self) -> AppResult<usize> {
        let now = self.now();
        let mut sent = 0;
        for follow_up in [false, true] {
            let due = {
                let mut c = self.db.acquire().await?;
                if follow_up {
                    store::follow_ups_due(&mut c, now - FOLLOW_UP_WITHIN_DAYS * DAY_MS, now).await?
                } else {
                    store::reminders_due(&mut c, now, now + REMIND_DAYS_BEFORE * DAY_MS).await?
                }
            };
            for d in due {
                let mut tx = self.db.begin().await?;
                if !store::claim_mail(&mut tx, &d.registration_id, follow_up, now).await? {
                    continue;
                }
                let ev = store::event_unchecked(&mut tx, &d.event_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if follow_up {
                    let link = if d.user_id.is_some() {
                        self.config.link(&format!("/events/{}/feedback", ev.id))
                    } else {
                        // Guests have no account: a fresh token is their key to the form.
                        let token = random_token("lzr_");
                        store::set_token_hash(&mut tx, &d.registration_id, &hash_token(&token))
                            .await?;
                        self.config
                            .link(&format!("/events/{}/feedback?token={token}", ev.id))
                    };
                    crate::mail::enqueue(
                        &mut tx,
                        now,
                        &Email {
                            to: d.email.clone(),
                            subject: format!("Thank you for joining {}: two minutes of feedback?", ev.title),
                            body: format!(
                                "Hello {},\n\nThank you for taking part in {}. Please tell us how it was, what you will do differently, and what you would like next:\n\n{link}\n\n{}\n",
                                d.name, ev.title, self.config.host_name
                            ),
                        },
                    )
                    .await?;
                } else {
                    let ics = self.ics_for(&ev, IcalMethod::Publish, true, now);
                    let manage = self
                        .manage_link(&mut tx, &d.registration_id, d.user_id.is_some(), &ev.id)
                        .await?;
                    crate::mail::enqueue_with(
                        &mut tx,
                        now,
                        &Email {
                            to: d.email.clone(),
                            subject: format!(
                                "Reminder: {} on {}",
                                ev.title,
                                rules::display(ev.starts_at)
                            ),
                            body: format!(
                                "Hello {},\n\nA reminder that {} is coming up.\n\nWhen: {}\n{}\nIf you can no longer come, please cancel so someone else can have your place: {manage}\n\n{}\n",
                                d.name,
                                ev.title,
                                rules::display_range(ev.starts_at, ev.ends_at),
                                self.where_text(&ev),
                                self.config.host_name
                            ),
                        },
                        &ics,
                    )
                    .await?;
                }
                commit(tx).await?;
                sent += 1;
            }
        }
        if sent > 0 {
            self.wake_mailer();
        }
        Ok(sent)
    }

    /// Deletes access and dietary answers of events that ended more than the configured number
    /// of days ago; registrations and attendance stay. Returns how many events were cleaned.
    pub async fn delete_event_personal_data(&self) -> AppResult<u64> {
        let now = self.now();
        let cutoff = now - self.config.event_personal_data_days * DAY_MS;
        let mut tx = self.db.begin().await?;
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

    /// The person's live registrations with their events, soonest first.
    pub async fn my_registrations(
        &self,
        actor: &Actor,
    ) -> AppResult<Vec<(RegistrationRow, EventRow)>> {
        let mut c = self.db.acquire().await?;
        let regs = store::registrations_of_user(&mut c, actor.id()).await?;
        let events = store::events_registered_by(&mut c, actor.id()).await?;
        let mut out: Vec<(RegistrationRow, EventRow)> = regs
            .into_iter()
            .filter_map(|r| {
                let e = events.iter().find(|e| e.id == r.event_id)?.clone();
                Some((r, e))
            })
            .collect();
        out.sort_by_key(|(_, e)| e.starts_at);
        Ok(out)
    }
}
