//! What people type into event forms (or send to the API) and its validation: one function
//! per group of fields, all writing into one `Problems`, so a form shows every problem at
//! once and in the order of its fields. Checks that need the database (themes, organisation,
//! series, organisers' accounts) are in `content.rs`.

use lz_domain::events::{self as rules, EventFormat, EventStatus, MAX_CAPACITY};
use lz_domain::library::{parse_link, Visibility};
use lz_domain::{clean_line, EmailAddress};

use super::record::EventRecord;
use super::DAY_MS;
use crate::Problems;

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

impl EventInput {
    /// The form filled in with a stored event, for changing it (organisers only, so the
    /// joining link is theirs to see).
    pub fn from_record(event: &EventRecord, term_ids: Vec<String>) -> Self {
        let (start_date, start_time) = rules::local_parts(event.starts_at);
        let (end_date, end_time) = rules::local_parts(event.ends_at);
        EventInput {
            series_id: event.series_id.as_deref().unwrap_or_default().to_string(),
            title: event.title.clone(),
            summary: event.summary.clone(),
            format: event.format.code().to_string(),
            venue: event.venue.clone(),
            address: event.address.clone(),
            access_info: event.access_info.clone(),
            joining_link: event.stored_joining_link().to_string(),
            speakers: event.speakers.clone(),
            start_date,
            start_time,
            end_date,
            end_time,
            capacity: event.capacity.to_string(),
            opens_date: event
                .registration_opens_at
                .map(rules::local_date)
                .unwrap_or_default(),
            closes_date: event
                .registration_closes_at
                .map(rules::local_date)
                .unwrap_or_default(),
            organisation_id: event.organisation_id.to_string(),
            visibility: event.visibility.code().to_string(),
            status: event.status.code().to_string(),
            allow_guests: Flag::Bool(event.allow_guests),
            ask_access: Flag::Bool(event.ask_access),
            ask_dietary: Flag::Bool(event.ask_dietary),
            terms: term_ids,
            organisers: String::new(),
        }
    }
}

pub(crate) fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
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

pub const VISIBILITIES: &[(&str, &str)] = &[
    ("public", "Public: anyone, signed in or not"),
    ("network", "Network: signed-in partners"),
];

pub const STATUSES: &[(&str, &str)] = &[
    ("draft", "Draft: only organisers see it"),
    ("open", "Open for registration"),
    ("closed", "Registration closed"),
];

/// "2026-07-15" at midnight UK time, for the registration window; empty: none.
fn optional_day(p: &mut Problems, field: &'static str, label: &str, raw: &str) -> Option<i64> {
    let day = p.optional_day(field, label, raw)?;
    p.check(field, rules::parse_local(&day, "00:00"))
}

/// Title and summary.
pub(super) fn about(p: &mut Problems, input: &EventInput) -> (String, String) {
    let title = p
        .check("title", clean_line(&input.title, "a title", 200))
        .unwrap_or_default();
    let summary = p.bounded("summary", "The summary", &input.summary, 5_000);
    if summary.is_empty() {
        p.add("summary", "Enter what the event is about");
    }
    (title, summary)
}

/// Where it happens: format, venue, address and access information.
pub(super) struct Location {
    pub(super) format: Option<EventFormat>,
    pub(super) venue: String,
    pub(super) address: String,
    pub(super) access_info: String,
}

pub(super) fn location(p: &mut Problems, input: &EventInput) -> Location {
    let format = EventFormat::parse(&input.format);
    if format.is_none() {
        p.add("format", "Choose in person, online or hybrid");
    }
    Location {
        format,
        venue: p.bounded("venue", "The venue", &input.venue, 200),
        address: p.bounded("address", "The address", &input.address, 1_000),
        access_info: p.bounded(
            "access_info",
            "Access information",
            &input.access_info,
            2_000,
        ),
    }
}

/// A venue for events in a room, a joining link for online ones; returns the link.
pub(super) fn venue_or_link(p: &mut Problems, place: &Location, raw_link: &str) -> String {
    if place.format.is_some_and(EventFormat::has_venue) && place.venue.is_empty() {
        p.add("venue", "Enter the venue");
    }
    match raw_link.trim() {
        "" => {
            if place.format == Some(EventFormat::Online) {
                p.add("joining_link", "Enter the joining link of the online event");
            }
            String::new()
        }
        raw => p.check("joining_link", parse_link(raw)).unwrap_or_default(),
    }
}

/// Start and end (UK local): the end after the start, at most 14 days later; a new event
/// starts after `now` (none: a change, which may keep a past start).
pub(super) fn times(
    p: &mut Problems,
    input: &EventInput,
    now: Option<i64>,
) -> (Option<i64>, Option<i64>) {
    // The date's problem goes under the date, the time's under the time: one message each.
    let start_day = p.day("start_date", "Start date", &input.start_date);
    let end_day = if input.end_date.trim().is_empty() {
        start_day.clone()
    } else {
        p.day("end_date", "End date", &input.end_date)
    };
    let start =
        start_day.and_then(|d| p.check("start_time", rules::parse_local(&d, &input.start_time)));
    let end = end_day.and_then(|d| p.check("end_time", rules::parse_local(&d, &input.end_time)));
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            p.add("end_time", "The end must be after the start");
        } else if e - s > 14 * DAY_MS {
            p.add("end_time", "An event can last at most 14 days");
        }
        if now.is_some_and(|now| s < now) {
            p.add("start_date", "The start must be in the future");
        }
    }
    (start, end)
}

pub(super) fn capacity(p: &mut Problems, raw: &str) -> i64 {
    match raw.trim().parse::<i64>() {
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
    }
}

/// When registration opens and closes (both optional): closing after opening, opening
/// before the start.
pub(super) fn registration_window(
    p: &mut Problems,
    input: &EventInput,
    start: Option<i64>,
) -> (Option<i64>, Option<i64>) {
    let opens = optional_day(
        p,
        "opens_date",
        "Registration opening date",
        &input.opens_date,
    );
    let closes = optional_day(
        p,
        "closes_date",
        "Registration closing date",
        &input.closes_date,
    );
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
    (opens, closes)
}

/// Public or network (events are not shared by place or organisation).
pub(super) fn visibility(p: &mut Problems, raw: &str) -> Option<Visibility> {
    match Visibility::parse(raw) {
        Some(v @ (Visibility::Public | Visibility::Network)) => Some(v),
        _ => {
            p.add("visibility", "Choose public or network");
            None
        }
    }
}

/// Draft (the default), open or closed; cancelling has its own use case.
pub(super) fn status(p: &mut Problems, raw: &str) -> Option<EventStatus> {
    match EventStatus::parse(raw) {
        Some(EventStatus::Cancelled) => {
            p.add("status", "Cancel the event with its own button");
            None
        }
        Some(s) => Some(s),
        None if raw.trim().is_empty() => Some(EventStatus::Draft),
        None => {
            p.add("status", "Choose draft, open or closed");
            None
        }
    }
}

/// A series' own fields: (title, purpose).
pub(super) fn series_fields(p: &mut Problems, input: &SeriesInput) -> (String, String) {
    let title = p
        .check("title", clean_line(&input.title, "a title", 200))
        .unwrap_or_default();
    let purpose = p.bounded("purpose", "The purpose", &input.purpose, 5_000);
    (title, purpose)
}

/// The registrant's answers, kept only where the event asks the question.
pub(super) fn answers(
    p: &mut Problems,
    event: &EventRecord,
    access: &str,
    dietary: &str,
) -> (Option<String>, Option<String>) {
    let a = p.bounded("access_needs", "Access needs", access, 1_000);
    let d = p.bounded("dietary_needs", "Dietary needs", dietary, 1_000);
    (
        (event.ask_access && !a.is_empty()).then_some(a),
        (event.ask_dietary && !d.is_empty()).then_some(d),
    )
}

/// A guest's name, address and (optional) organisation.
pub(super) fn guest(
    p: &mut Problems,
    input: &GuestInput,
) -> (String, Option<EmailAddress>, String) {
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
    (name, email, organisation)
}

/// Feedback: (rating 1 to 5, what they will do differently, topics wanted next).
pub(super) fn feedback(p: &mut Problems, input: &FeedbackInput) -> (i64, String, String) {
    let rating = match input.rating.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => n,
        _ => {
            p.add("rating", "Choose a rating from 1 to 5");
            0
        }
    };
    let do_differently = p.bounded(
        "do_differently",
        "What you will do differently",
        &input.do_differently,
        2_000,
    );
    let topics_next = p.bounded(
        "topics_next",
        "Topics you want next",
        &input.topics_next,
        2_000,
    );
    (rating, do_differently, topics_next)
}

/// An organiser's message to registrants: (subject, message).
pub(super) fn message(p: &mut Problems, subject: &str, message: &str) -> (String, String) {
    let subject = p
        .check("subject", clean_line(subject, "a subject", 150))
        .unwrap_or_default();
    let message = p.bounded("message", "The message", message, 10_000);
    if message.is_empty() {
        p.add("message", "Enter the message");
    }
    (subject, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(p: Problems) -> Vec<&'static str> {
        match p.into_result() {
            Ok(()) => vec![],
            Err(crate::AppError::Invalid(errs)) => errs.iter().map(|e| e.field).collect(),
            Err(e) => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn an_online_event_needs_a_link_and_an_in_person_one_a_venue() {
        let mut p = Problems::default();
        let input = EventInput {
            format: "online".into(),
            ..Default::default()
        };
        let place = location(&mut p, &input);
        venue_or_link(&mut p, &place, "");
        assert_eq!(fields(p), vec!["joining_link"]);
        let mut p = Problems::default();
        let input = EventInput {
            format: "in_person".into(),
            ..Default::default()
        };
        let place = location(&mut p, &input);
        venue_or_link(&mut p, &place, "");
        assert_eq!(fields(p), vec!["venue"]);
    }

    #[test]
    fn capacity_is_a_whole_number_within_bounds() {
        for (raw, ok) in [("12", true), ("0", false), ("abc", false), ("10001", false)] {
            let mut p = Problems::default();
            capacity(&mut p, raw);
            assert_eq!(fields(p).is_empty(), ok, "{raw}");
        }
    }

    #[test]
    fn an_event_ends_after_it_starts_and_within_two_weeks() {
        let at = |sd: &str, st: &str, ed: &str, et: &str| EventInput {
            start_date: sd.into(),
            start_time: st.into(),
            end_date: ed.into(),
            end_time: et.into(),
            ..Default::default()
        };
        let mut p = Problems::default();
        times(&mut p, &at("2030-05-01", "10:00", "", "09:00"), None);
        assert_eq!(fields(p), vec!["end_time"]);
        let mut p = Problems::default();
        times(
            &mut p,
            &at("2030-05-01", "10:00", "2030-05-20", "09:00"),
            None,
        );
        assert_eq!(fields(p), vec!["end_time"]);
        let mut p = Problems::default();
        times(&mut p, &at("2030-05-01", "10:00", "", "12:00"), None);
        assert!(fields(p).is_empty());
    }

    #[test]
    fn status_defaults_to_draft_and_cancelling_is_refused() {
        let mut p = Problems::default();
        assert_eq!(status(&mut p, ""), Some(EventStatus::Draft));
        assert_eq!(status(&mut p, "cancelled"), None);
        assert_eq!(fields(p), vec!["status"]);
        let mut p = Problems::default();
        assert_eq!(visibility(&mut p, "place"), None);
        assert_eq!(fields(p), vec!["visibility"]);
    }
}
