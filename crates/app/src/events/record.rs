//! Typed event records: a stored event, series, registration, theme and organiser once they
//! leave the store. Statuses, formats and visibility are enums, ids are newtypes, flags are
//! `bool`; a row the store cannot vouch for (an unknown code, a flag that is not 0 or 1) is an
//! error, never quietly a default. Who may see the joining link is `joining_link_for`.

use lz_domain::events::{EventClock, EventFormat, EventStatus, RegistrationStatus, ShownStatus};
use lz_domain::ids::{EventId, ItemId, OrgId, PlaceId, RegistrationId, SeriesId, TermId, UserId};
use lz_domain::library::Visibility;
use lz_store::events::{EventRow, RegistrationRow, SeriesRow};
use serde::Serialize;

use super::access::EventAccess;
use crate::{AppError, AppResult};

/// A stored code, or an error that names the bad value.
fn code<T>(what: &str, raw: &str, parse: impl Fn(&str) -> Option<T>) -> AppResult<T> {
    parse(raw).ok_or_else(|| AppError::internal(format!("stored {what} {raw:?} is not known")))
}

/// A stored 0/1 flag.
fn flag(what: &str, value: i64) -> AppResult<bool> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(AppError::internal(format!(
            "stored flag {what} is {other}, not 0 or 1"
        ))),
    }
}

/// An event as stored, with its counts of registered and waiting people.
#[derive(Debug, Clone, Serialize)]
pub struct EventRecord {
    pub id: EventId,
    pub series_id: Option<SeriesId>,
    pub series_title: Option<String>,
    pub title: String,
    pub summary: String,
    pub format: EventFormat,
    pub venue: String,
    pub address: String,
    pub access_info: String,
    /// Only through `joining_link_for`: registered people and organisers see it.
    #[serde(skip)]
    joining_link: String,
    pub speakers: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub registration_opens_at: Option<i64>,
    pub registration_closes_at: Option<i64>,
    pub organisation_id: OrgId,
    pub organisation_name: String,
    pub visibility: Visibility,
    pub status: EventStatus,
    pub allow_guests: bool,
    pub ask_access: bool,
    pub ask_dietary: bool,
    pub sequence: i64,
    pub personal_data_deleted_at: Option<i64>,
    pub created_by: UserId,
    pub created_at: i64,
    pub updated_at: i64,
    pub registered: i64,
    pub waiting: i64,
}

impl TryFrom<EventRow> for EventRecord {
    type Error = AppError;

    fn try_from(row: EventRow) -> AppResult<Self> {
        Ok(EventRecord {
            format: code("event format", &row.format, EventFormat::parse)?,
            visibility: code("event visibility", &row.visibility, Visibility::parse)?,
            status: code("event status", &row.status, EventStatus::parse)?,
            allow_guests: flag("allow_guests", row.allow_guests)?,
            ask_access: flag("ask_access", row.ask_access)?,
            ask_dietary: flag("ask_dietary", row.ask_dietary)?,
            id: row.id.into(),
            series_id: row.series_id.map(SeriesId::from),
            series_title: row.series_title,
            title: row.title,
            summary: row.summary,
            venue: row.venue,
            address: row.address,
            access_info: row.access_info,
            joining_link: row.joining_link,
            speakers: row.speakers,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            capacity: row.capacity,
            registration_opens_at: row.registration_opens_at,
            registration_closes_at: row.registration_closes_at,
            organisation_id: row.organisation_id.into(),
            organisation_name: row.organisation_name,
            sequence: row.sequence,
            personal_data_deleted_at: row.personal_data_deleted_at,
            created_by: row.created_by.into(),
            created_at: row.created_at,
            updated_at: row.updated_at,
            registered: row.registered,
            waiting: row.waiting,
        })
    }
}

impl EventRecord {
    /// Rows from the store, each checked.
    pub(crate) fn all(rows: Vec<EventRow>) -> AppResult<Vec<EventRecord>> {
        rows.into_iter().map(EventRecord::try_from).collect()
    }

    /// The joining link, for registered people and organisers only (none if there is none).
    pub fn joining_link_for(&self, access: EventAccess) -> Option<&str> {
        (access >= EventAccess::Register && !self.joining_link.is_empty())
            .then_some(self.joining_link.as_str())
    }

    /// The link as stored, for the mail and calendar files that go to registered people.
    pub(super) fn stored_joining_link(&self) -> &str {
        &self.joining_link
    }

    pub fn is_cancelled(&self) -> bool {
        self.status == EventStatus::Cancelled
    }

    /// Places not yet taken (never below zero).
    pub fn places_left(&self) -> i64 {
        (self.capacity - self.registered).max(0)
    }

    pub(super) fn clock(&self) -> EventClock {
        EventClock {
            status: self.status,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            opens_at: self.registration_opens_at,
            closes_at: self.registration_closes_at,
            capacity: self.capacity,
            registered: self.registered,
        }
    }

    /// The status people see at `now` (full, finished… follow from the clock).
    pub fn shown(&self, now: i64) -> ShownStatus {
        self.clock().shown(now)
    }
}

/// A series of events.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesRecord {
    pub id: SeriesId,
    pub title: String,
    pub purpose: String,
    pub organisation_id: OrgId,
    pub created_by: UserId,
    pub created_at: i64,
}

impl From<SeriesRow> for SeriesRecord {
    fn from(row: SeriesRow) -> Self {
        SeriesRecord {
            id: row.id.into(),
            title: row.title,
            purpose: row.purpose,
            organisation_id: row.organisation_id.into(),
            created_by: row.created_by.into(),
            created_at: row.created_at,
        }
    }
}

/// A person's (or a guest's) registration for an event.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationRecord {
    pub id: RegistrationId,
    pub event_id: EventId,
    /// None: a guest without an account.
    pub user_id: Option<UserId>,
    pub name: String,
    pub email: String,
    pub organisation_name: String,
    pub organisation_id: Option<OrgId>,
    pub place_id: Option<PlaceId>,
    pub place_name: Option<String>,
    pub status: RegistrationStatus,
    pub access_needs: Option<String>,
    pub dietary_needs: Option<String>,
    /// None: not marked yet.
    pub attended: Option<bool>,
    pub created_at: i64,
    pub registered_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub has_feedback: bool,
}

impl TryFrom<RegistrationRow> for RegistrationRecord {
    type Error = AppError;

    fn try_from(row: RegistrationRow) -> AppResult<Self> {
        Ok(RegistrationRecord {
            status: code(
                "registration status",
                &row.status,
                RegistrationStatus::parse,
            )?,
            attended: row.attended.map(|a| flag("attended", a)).transpose()?,
            has_feedback: flag("has_feedback", row.has_feedback)?,
            id: row.id.into(),
            event_id: row.event_id.into(),
            user_id: row.user_id.map(UserId::from),
            name: row.name,
            email: row.email,
            organisation_name: row.organisation_name,
            organisation_id: row.organisation_id.map(OrgId::from),
            place_id: row.place_id.map(PlaceId::from),
            place_name: row.place_name,
            access_needs: row.access_needs,
            dietary_needs: row.dietary_needs,
            created_at: row.created_at,
            registered_at: row.registered_at,
            cancelled_at: row.cancelled_at,
        })
    }
}

impl RegistrationRecord {
    pub(crate) fn all(rows: Vec<RegistrationRow>) -> AppResult<Vec<RegistrationRecord>> {
        rows.into_iter().map(RegistrationRecord::try_from).collect()
    }

    /// Holds a place (not waiting, pending or cancelled).
    pub fn is_registered(&self) -> bool {
        self.status == RegistrationStatus::Registered
    }
}

/// A theme an event or series is tagged with.
#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub id: TermId,
    pub slug: String,
    pub name: String,
}

impl Theme {
    /// From the store's (id, vocabulary, slug, name).
    pub(super) fn all(rows: Vec<(String, String, String, String)>) -> Vec<Theme> {
        rows.into_iter()
            .map(|(id, _, slug, name)| Theme {
                id: id.into(),
                slug,
                name,
            })
            .collect()
    }
}

/// One of an event's organisers.
#[derive(Debug, Clone, Serialize)]
pub struct Organiser {
    pub id: UserId,
    pub name: String,
}

/// A library item published from an event, as far as the reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct Material {
    pub id: ItemId,
    pub title: String,
    pub published: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> EventRow {
        EventRow {
            id: "e1".into(),
            series_id: None,
            series_title: None,
            title: "Walking netball".into(),
            summary: "".into(),
            format: "online".into(),
            venue: "".into(),
            address: "".into(),
            access_info: "".into(),
            joining_link: "https://meet.example/x".into(),
            speakers: "".into(),
            starts_at: 0,
            ends_at: 1,
            capacity: 10,
            registration_opens_at: None,
            registration_closes_at: None,
            organisation_id: "o1".into(),
            organisation_name: "".into(),
            visibility: "public".into(),
            status: "open".into(),
            allow_guests: 1,
            ask_access: 0,
            ask_dietary: 0,
            sequence: 0,
            personal_data_deleted_at: None,
            created_by: "u9".into(),
            created_at: 0,
            updated_at: 0,
            registered: 12,
            waiting: 0,
        }
    }

    #[test]
    fn a_stored_event_becomes_typed() {
        let e = EventRecord::try_from(row()).expect("a good row");
        assert_eq!(e.format, EventFormat::Online);
        assert_eq!(e.status, EventStatus::Open);
        assert_eq!(e.visibility, Visibility::Public);
        assert!(e.allow_guests && !e.ask_access);
        assert_eq!(e.places_left(), 0);
    }

    #[test]
    fn bad_stored_data_is_an_error_not_a_default() {
        let mut r = row();
        r.status = "maybe".into();
        assert!(EventRecord::try_from(r).is_err());
        let mut r = row();
        r.allow_guests = 2;
        assert!(EventRecord::try_from(r).is_err());
    }

    #[test]
    fn the_joining_link_goes_to_registered_people_and_organisers() {
        let e = EventRecord::try_from(row()).expect("a good row");
        assert_eq!(e.joining_link_for(EventAccess::Read), None);
        assert_eq!(e.joining_link_for(EventAccess::None), None);
        assert!(e.joining_link_for(EventAccess::Register).is_some());
        assert!(e.joining_link_for(EventAccess::Organise).is_some());
    }

    #[test]
    fn statuses_serialise_as_their_stored_codes() {
        let e = EventRecord::try_from(row()).expect("a good row");
        let json = serde_json::to_value(&e).expect("serialises");
        assert_eq!(json["status"], "open");
        assert_eq!(json["format"], "online");
        assert_eq!(json["visibility"], "public");
        assert!(json.get("joining_link").is_none());
    }
}
