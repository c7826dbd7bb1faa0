//! Events, their content and who may see them.

use super::*;
use crate::columns::Columns;

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct EventRow {
    pub id: String,
    pub series_id: Option<String>,
    pub series_title: Option<String>,
    pub title: String,
    pub summary: String,
    pub format: String,
    pub venue: String,
    pub address: String,
    pub access_info: String,
    #[serde(skip)]
    pub joining_link: String,
    pub speakers: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub registration_opens_at: Option<i64>,
    pub registration_closes_at: Option<i64>,
    pub organisation_id: String,
    pub organisation_name: String,
    pub visibility: String,
    pub status: String,
    pub allow_guests: i64,
    pub ask_access: i64,
    pub ask_dietary: i64,
    pub sequence: i64,
    pub personal_data_deleted_at: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub registered: i64,
    pub waiting: i64,
}

/// What an event's form saves.
#[derive(Debug, Clone, Default)]
pub struct EventContent {
    pub series_id: Option<String>,
    pub title: String,
    pub summary: String,
    pub format: String,
    pub venue: String,
    pub address: String,
    pub access_info: String,
    pub joining_link: String,
    pub speakers: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub registration_opens_at: Option<i64>,
    pub registration_closes_at: Option<i64>,
    pub organisation_id: String,
    pub visibility: String,
    pub status: String,
    pub allow_guests: bool,
    pub ask_access: bool,
    pub ask_dietary: bool,
    pub term_ids: Vec<String>,
    pub organiser_ids: Vec<String>,
}

const EVENT_SELECT: &str = "SELECT e.id, e.series_id, s.title AS series_title, e.title, e.summary, e.format,
        e.venue, e.address, e.access_info, e.joining_link, e.speakers, e.starts_at, e.ends_at, e.capacity,
        e.registration_opens_at, e.registration_closes_at, e.organisation_id, o.name AS organisation_name,
        e.visibility, e.status, e.allow_guests, e.ask_access, e.ask_dietary, e.sequence,
        e.personal_data_deleted_at, e.created_by, e.created_at, e.updated_at,
        (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered') AS registered,
        (SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waiting') AS waiting
    FROM events e
    JOIN organisations o ON o.id = e.organisation_id
    LEFT JOIN event_series s ON s.id = e.series_id";

/// Events the reader may see: $1 sees everything (network admins, moderators), $2 the reader's
/// id ('' signed out). Drafts only to their creator and organisers; network events only to
/// signed-in partners.
pub(super) const EVENT_VISIBLE: &str = "(CAST($1 AS BIGINT) = 1
        OR ($2 <> '' AND (e.created_by = $2 OR e.id IN (SELECT eo.event_id FROM event_organisers eo WHERE eo.user_id = $2)))
        OR (e.status <> 'draft' AND (e.visibility = 'public' OR ($2 <> '' AND e.visibility = 'network'))))";

/// Who is reading an event list or page.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventReader<'a> {
    pub user_id: Option<&'a str>,
    pub sees_everything: bool,
}

impl EventReader<'_> {
    pub(super) fn binds(&self) -> (i64, String) {
        (
            i64::from(self.sees_everything),
            self.user_id.unwrap_or_default().to_string(),
        )
    }
}

/// (term id, vocabulary, slug, name) of a series' or an event's terms.
pub async fn terms_of(
    c: &mut Conn,
    series: bool,
    id: &str,
) -> StoreResult<Vec<(String, String, String, String)>> {
    let (t, k) = if series {
        ("series_terms", "series_id")
    } else {
        ("event_terms", "event_id")
    };
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT t.id, t.vocabulary, t.slug, t.name FROM {t} x JOIN terms t ON t.id = x.term_id
         WHERE x.{k} = $1 ORDER BY t.vocabulary, t.name"
    ))
    .bind(id)
    .fetch_all(c)
    .await?)
}

/// The columns an event's form writes, each beside its value.
fn content_columns<'q>(id: &'q str, e: &'q EventContent) -> Columns<'q> {
    Columns::new(id)
        .set("series_id", e.series_id.as_deref())
        .set("title", &e.title)
        .set("summary", &e.summary)
        .set("format", &e.format)
        .set("venue", &e.venue)
        .set("address", &e.address)
        .set("access_info", &e.access_info)
        .set("joining_link", &e.joining_link)
        .set("speakers", &e.speakers)
        .set("starts_at", e.starts_at)
        .set("ends_at", e.ends_at)
        .set("capacity", e.capacity)
        .set("registration_opens_at", e.registration_opens_at)
        .set("registration_closes_at", e.registration_closes_at)
        .set("organisation_id", &e.organisation_id)
        .set("visibility", &e.visibility)
        .set("status", &e.status)
        .set("allow_guests", e.allow_guests)
        .set("ask_access", e.ask_access)
        .set("ask_dietary", e.ask_dietary)
}

pub async fn insert_event(
    c: &mut Conn,
    id: &str,
    e: &EventContent,
    created_by: &str,
    now: i64,
) -> StoreResult<()> {
    content_columns(id, e)
        .set("created_by", created_by)
        .set("created_at", now)
        .set("updated_at", now)
        .insert("events")
        .execute(&mut *c)
        .await?;
    set_event_links(c, id, e).await
}

/// Saves a changed event; `sequence` rises so calendars replace their copy.
pub async fn update_event(c: &mut Conn, id: &str, e: &EventContent, now: i64) -> StoreResult<()> {
    content_columns(id, e)
        .set("updated_at", now)
        .update("events", "sequence = sequence + 1", "")
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM event_terms WHERE event_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM event_organisers WHERE event_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    set_event_links(c, id, e).await
}

async fn set_event_links(c: &mut Conn, id: &str, e: &EventContent) -> StoreResult<()> {
    for t in &e.term_ids {
        sqlx::query("INSERT INTO event_terms (event_id, term_id) VALUES ($1, $2)")
            .bind(id)
            .bind(t)
            .execute(&mut *c)
            .await?;
    }
    for u in &e.organiser_ids {
        sqlx::query("INSERT INTO event_organisers (event_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(u)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn set_event_status(c: &mut Conn, id: &str, status: &str, now: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE events SET status = $2, sequence = sequence + 1, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// Takes the event's row lock (PostgreSQL) for the rest of the transaction, so that
/// registrations for one event decide their places one at a time. SQLite transactions here
/// already hold the database's write lock from their start.
pub async fn lock_event(c: &mut Conn, id: &str) -> StoreResult<bool> {
    let r = sqlx::query("UPDATE events SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn event_visible(
    c: &mut Conn,
    reader: EventReader<'_>,
    id: &str,
) -> StoreResult<Option<EventRow>> {
    let (all, user) = reader.binds();
    Ok(sqlx::query_as(trusted_sql!(
        "{EVENT_SELECT} WHERE {EVENT_VISIBLE} AND e.id = $3"
    ))
    .bind(all)
    .bind(user)
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub async fn event_unchecked(c: &mut Conn, id: &str) -> StoreResult<Option<EventRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{EVENT_SELECT} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(c)
            .await?,
    )
}

/// Which events a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventList<'a> {
    /// Not yet ended, soonest first.
    Upcoming {
        now: i64,
    },
    /// Ended, newest first.
    Past {
        now: i64,
    },
    Series(&'a str),
}

pub async fn events(
    c: &mut Conn,
    reader: EventReader<'_>,
    list: EventList<'_>,
    limit: i64,
) -> StoreResult<Vec<EventRow>> {
    let (all, user) = reader.binds();
    let (cond, order) = match list {
        EventList::Upcoming { .. } => ("e.ends_at > $3", "e.starts_at ASC"),
        EventList::Past { .. } => ("e.ends_at <= $3", "e.starts_at DESC"),
        EventList::Series(_) => ("e.series_id = $3", "e.starts_at ASC"),
    };
    let q = format!("{EVENT_SELECT} WHERE {EVENT_VISIBLE} AND {cond} ORDER BY {order} LIMIT $4");
    let q = sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(all).bind(user);
    let q = match list {
        EventList::Upcoming { now } | EventList::Past { now } => q.bind(now),
        EventList::Series(id) => q.bind(id.to_string()),
    };
    Ok(q.bind(limit).fetch_all(c).await?)
}

/// The events a person holds a live registration for (one query for the "your
/// registrations" list).
pub async fn events_registered_by(c: &mut Conn, user_id: &str) -> StoreResult<Vec<EventRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{EVENT_SELECT} WHERE e.id IN
            (SELECT r.event_id FROM registrations r WHERE r.user_id = $1 AND r.status <> 'cancelled')"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await?)
}

pub async fn organisers(c: &mut Conn, event_id: &str) -> StoreResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name FROM event_organisers eo JOIN users u ON u.id = eo.user_id
         WHERE eo.event_id = $1 ORDER BY u.name",
    )
    .bind(event_id)
    .fetch_all(c)
    .await?)
}
