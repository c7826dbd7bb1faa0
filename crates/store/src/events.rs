//! Learning events: series, events, registrations (with the waiting list), attendance,
//! feedback, materials, and the claims that make each reminder go once.

use sqlx::FromRow;

use crate::{Conn, StoreResult};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct SeriesRow {
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub organisation_id: String,
    pub created_by: String,
    pub created_at: i64,
}

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
const EVENT_VISIBLE: &str = "(CAST($1 AS BIGINT) = 1
        OR ($2 <> '' AND (e.created_by = $2 OR e.id IN (SELECT eo.event_id FROM event_organisers eo WHERE eo.user_id = $2)))
        OR (e.status <> 'draft' AND (e.visibility = 'public' OR ($2 <> '' AND e.visibility = 'network'))))";

/// Who is reading an event list or page.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventReader<'a> {
    pub user_id: Option<&'a str>,
    pub sees_everything: bool,
}

impl EventReader<'_> {
    fn binds(&self) -> (i64, String) {
        (
            i64::from(self.sees_everything),
            self.user_id.unwrap_or_default().to_string(),
        )
    }
}

pub async fn insert_series(
    c: &mut Conn,
    s: &SeriesRow,
    term_ids: &[String],
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO event_series (id, title, purpose, organisation_id, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&s.id)
    .bind(&s.title)
    .bind(&s.purpose)
    .bind(&s.organisation_id)
    .bind(&s.created_by)
    .bind(now)
    .execute(&mut *c)
    .await?;
    for t in term_ids {
        sqlx::query("INSERT INTO series_terms (series_id, term_id) VALUES ($1, $2)")
            .bind(&s.id)
            .bind(t)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

pub async fn all_series(c: &mut Conn) -> StoreResult<Vec<SeriesRow>> {
    Ok(sqlx::query_as(
        "SELECT id, title, purpose, organisation_id, created_by, created_at FROM event_series ORDER BY created_at DESC",
    )
    .fetch_all(c)
    .await?)
}

pub async fn series_by_id(c: &mut Conn, id: &str) -> StoreResult<Option<SeriesRow>> {
    Ok(sqlx::query_as(
        "SELECT id, title, purpose, organisation_id, created_by, created_at FROM event_series WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
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

/// A statement on `events` with `$1` the id and `$2`–`$21` the content, in column order:
/// series, title, summary, format, venue, address, access information, joining link,
/// speakers, start, end, capacity, registration opens and closes, organisation, visibility,
/// status, and the three flags.
fn with_content<'q>(
    sql: &'static str,
    id: &'q str,
    e: &'q EventContent,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sql)
        .bind(id)
        .bind(e.series_id.as_deref())
        .bind(&e.title)
        .bind(&e.summary)
        .bind(&e.format)
        .bind(&e.venue)
        .bind(&e.address)
        .bind(&e.access_info)
        .bind(&e.joining_link)
        .bind(&e.speakers)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(e.capacity)
        .bind(e.registration_opens_at)
        .bind(e.registration_closes_at)
        .bind(&e.organisation_id)
        .bind(&e.visibility)
        .bind(&e.status)
        .bind(i64::from(e.allow_guests))
        .bind(i64::from(e.ask_access))
        .bind(i64::from(e.ask_dietary))
}

pub async fn insert_event(
    c: &mut Conn,
    id: &str,
    e: &EventContent,
    created_by: &str,
    now: i64,
) -> StoreResult<()> {
    with_content(
        "INSERT INTO events (id, series_id, title, summary, format, venue, address, access_info, joining_link,
            speakers, starts_at, ends_at, capacity, registration_opens_at, registration_closes_at,
            organisation_id, visibility, status, allow_guests, ask_access, ask_dietary, created_by,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23)",
        id,
        e,
    )
    .bind(created_by)
    .bind(now)
    .execute(&mut *c)
    .await?;
    set_event_links(c, id, e).await
}

/// Saves a changed event; `sequence` rises so calendars replace their copy.
pub async fn update_event(c: &mut Conn, id: &str, e: &EventContent, now: i64) -> StoreResult<()> {
    with_content(
        "UPDATE events SET series_id = $2, title = $3, summary = $4, format = $5, venue = $6, address = $7,
            access_info = $8, joining_link = $9, speakers = $10, starts_at = $11, ends_at = $12, capacity = $13,
            registration_opens_at = $14, registration_closes_at = $15, organisation_id = $16, visibility = $17,
            status = $18, allow_guests = $19, ask_access = $20, ask_dietary = $21, sequence = sequence + 1,
            updated_at = $22
         WHERE id = $1",
        id,
        e,
    )
    .bind(now)
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

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct RegistrationRow {
    pub id: String,
    pub event_id: String,
    pub user_id: Option<String>,
    pub name: String,
    pub email: String,
    pub organisation_name: String,
    pub organisation_id: Option<String>,
    pub place_id: Option<String>,
    pub place_name: Option<String>,
    pub status: String,
    pub access_needs: Option<String>,
    pub dietary_needs: Option<String>,
    pub attended: Option<i64>,
    pub created_at: i64,
    pub registered_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub has_feedback: i64,
}

const REG_SELECT: &str = "SELECT r.id, r.event_id, r.user_id, r.name, r.email, r.organisation_name,
        r.organisation_id, r.place_id, p.name AS place_name, r.status, r.access_needs, r.dietary_needs,
        r.attended, r.created_at, r.registered_at, r.cancelled_at,
        (SELECT COUNT(*) FROM event_feedback f WHERE f.registration_id = r.id) AS has_feedback
    FROM registrations r LEFT JOIN places p ON p.id = r.place_id";

/// A new registration, before its place is decided.
pub struct NewRegistration<'a> {
    pub id: &'a str,
    pub event_id: &'a str,
    pub user_id: Option<&'a str>,
    pub name: &'a str,
    pub email: &'a str,
    pub organisation_name: &'a str,
    pub organisation_id: Option<&'a str>,
    pub place_id: Option<&'a str>,
    pub status: &'a str,
    pub access_needs: Option<&'a str>,
    pub dietary_needs: Option<&'a str>,
    pub token_hash: Option<&'a str>,
}

pub async fn insert_registration(
    c: &mut Conn,
    r: &NewRegistration<'_>,
    now: i64,
) -> StoreResult<()> {
    let registered_at = (r.status == "registered").then_some(now);
    sqlx::query(
        "INSERT INTO registrations (id, event_id, user_id, name, email, email_key, organisation_name,
            organisation_id, place_id, status, access_needs, dietary_needs, token_hash, created_at,
            updated_at, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)",
    )
    .bind(r.id)
    .bind(r.event_id)
    .bind(r.user_id)
    .bind(r.name)
    .bind(r.email)
    .bind(lz_domain::events::email_key(r.email))
    .bind(r.organisation_name)
    .bind(r.organisation_id)
    .bind(r.place_id)
    .bind(r.status)
    .bind(r.access_needs)
    .bind(r.dietary_needs)
    .bind(r.token_hash)
    .bind(now)
    .bind(registered_at)
    .execute(c)
    .await
    .map_err(crate::conflict_as("registration for this event"))?;
    Ok(())
}

/// Replaces a guest registration's key (a fresh emailed link).
pub async fn set_token_hash(c: &mut Conn, id: &str, token_hash: &str) -> StoreResult<()> {
    sqlx::query("UPDATE registrations SET token_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(token_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn registered_count(c: &mut Conn, event_id: &str) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'registered'",
    )
    .bind(event_id)
    .fetch_one(c)
    .await?)
}

pub async fn registration(c: &mut Conn, id: &str) -> StoreResult<Option<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!("{REG_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn registration_by_token(
    c: &mut Conn,
    token_hash: &str,
) -> StoreResult<Option<RegistrationRow>> {
    Ok(
        sqlx::query_as(trusted_sql!("{REG_SELECT} WHERE r.token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(c)
            .await?,
    )
}

/// The person's live (not cancelled) registration for an event.
pub async fn live_registration(
    c: &mut Conn,
    event_id: &str,
    email: &str,
) -> StoreResult<Option<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{REG_SELECT} WHERE r.event_id = $1 AND r.email_key = $2 AND r.status <> 'cancelled'"
    ))
    .bind(event_id)
    .bind(lz_domain::events::email_key(email))
    .fetch_optional(c)
    .await?)
}

/// Every registration of an event, waiting list in order of joining.
pub async fn registrations_of_event(
    c: &mut Conn,
    event_id: &str,
) -> StoreResult<Vec<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{REG_SELECT} WHERE r.event_id = $1 ORDER BY r.status, r.created_at, r.id"
    ))
    .bind(event_id)
    .fetch_all(c)
    .await?)
}

/// A person's live registrations with their events' ids.
pub async fn registrations_of_user(
    c: &mut Conn,
    user_id: &str,
) -> StoreResult<Vec<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{REG_SELECT} WHERE r.user_id = $1 AND r.status <> 'cancelled' ORDER BY r.created_at DESC"
    ))
    .bind(user_id)
    .fetch_all(c)
    .await?)
}

pub async fn set_registration_status(
    c: &mut Conn,
    id: &str,
    status: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE registrations SET status = $2, updated_at = $3,
            registered_at = CASE WHEN $2 = 'registered' THEN $3 ELSE registered_at END,
            cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancelled_at END
         WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// The longest-waiting person on an event's waiting list.
pub async fn first_waiting(c: &mut Conn, event_id: &str) -> StoreResult<Option<RegistrationRow>> {
    Ok(sqlx::query_as(trusted_sql!(
        "{REG_SELECT} WHERE r.event_id = $1 AND r.status = 'waiting' ORDER BY r.created_at, r.id LIMIT 1"
    ))
    .bind(event_id)
    .fetch_optional(c)
    .await?)
}

pub async fn set_attendance(
    c: &mut Conn,
    event_id: &str,
    registration_id: &str,
    attended: Option<bool>,
    now: i64,
) -> StoreResult<bool> {
    let r = sqlx::query(
        "UPDATE registrations SET attended = $3, updated_at = $4
         WHERE id = $2 AND event_id = $1 AND status = 'registered'",
    )
    .bind(event_id)
    .bind(registration_id)
    .bind(attended.map(i64::from))
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct FeedbackRow {
    pub registration_id: String,
    pub rating: i64,
    pub do_differently: String,
    pub topics_next: String,
    pub created_at: i64,
}

pub async fn insert_feedback(c: &mut Conn, event_id: &str, f: &FeedbackRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO event_feedback (registration_id, event_id, rating, do_differently, topics_next, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&f.registration_id)
    .bind(event_id)
    .bind(f.rating)
    .bind(&f.do_differently)
    .bind(&f.topics_next)
    .bind(f.created_at)
    .execute(c)
    .await
    .map_err(crate::conflict_as("feedback from this registration"))?;
    Ok(())
}

pub async fn feedback_of_event(c: &mut Conn, event_id: &str) -> StoreResult<Vec<FeedbackRow>> {
    Ok(sqlx::query_as(
        "SELECT registration_id, rating, do_differently, topics_next, created_at FROM event_feedback
         WHERE event_id = $1 ORDER BY created_at",
    )
    .bind(event_id)
    .fetch_all(c)
    .await?)
}

/// A registration whose reminder or follow-up is due, with what its email needs.
#[derive(Debug, Clone, FromRow)]
pub struct DueMail {
    pub registration_id: String,
    pub event_id: String,
    pub name: String,
    pub email: String,
    pub user_id: Option<String>,
}

/// Registered people of events starting within `[now, until)` not yet reminded.
pub async fn reminders_due(c: &mut Conn, now: i64, until: i64) -> StoreResult<Vec<DueMail>> {
    Ok(sqlx::query_as(
        "SELECT r.id AS registration_id, r.event_id, r.name, r.email, r.user_id
         FROM registrations r JOIN events e ON e.id = r.event_id
         WHERE r.status = 'registered' AND r.reminded_at IS NULL AND e.status IN ('open', 'closed')
           AND e.starts_at >= $1 AND e.starts_at < $2
         ORDER BY e.starts_at, r.id LIMIT 500",
    )
    .bind(now)
    .bind(until)
    .fetch_all(c)
    .await?)
}

/// Registered people of events that ended in `[since, now]` not yet followed up, except
/// those marked absent.
pub async fn follow_ups_due(c: &mut Conn, since: i64, now: i64) -> StoreResult<Vec<DueMail>> {
    Ok(sqlx::query_as(
        "SELECT r.id AS registration_id, r.event_id, r.name, r.email, r.user_id
         FROM registrations r JOIN events e ON e.id = r.event_id
         WHERE r.status = 'registered' AND r.followed_up_at IS NULL AND e.status IN ('open', 'closed')
           AND (r.attended IS NULL OR r.attended = 1)
           AND e.ends_at >= $1 AND e.ends_at <= $2
         ORDER BY e.ends_at, r.id LIMIT 500",
    )
    .bind(since)
    .bind(now)
    .fetch_all(c)
    .await?)
}

/// Claims one registration's reminder ("reminded_at") or follow-up ("followed_up_at"): true
/// for the one caller that sets it.
pub async fn claim_mail(
    c: &mut Conn,
    registration_id: &str,
    follow_up: bool,
    now: i64,
) -> StoreResult<bool> {
    let col = if follow_up {
        "followed_up_at"
    } else {
        "reminded_at"
    };
    let r = sqlx::query(trusted_sql!(
        "UPDATE registrations SET {col} = $2 WHERE id = $1 AND {col} IS NULL"
    ))
    .bind(registration_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The event moved: its reminders go again, for the new date.
pub async fn reset_reminders(c: &mut Conn, event_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE registrations SET reminded_at = NULL WHERE event_id = $1")
        .bind(event_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Deletes access and dietary answers of events that ended before `cutoff`; returns how many
/// events were cleaned. Registrations and attendance stay.
pub async fn delete_personal_answers(c: &mut Conn, cutoff: i64, now: i64) -> StoreResult<u64> {
    sqlx::query(
        "UPDATE registrations SET access_needs = NULL, dietary_needs = NULL
         WHERE event_id IN (SELECT id FROM events WHERE ends_at < $1 AND personal_data_deleted_at IS NULL)",
    )
    .bind(cutoff)
    .execute(&mut *c)
    .await?;
    let r = sqlx::query(
        "UPDATE events SET personal_data_deleted_at = $2 WHERE ends_at < $1 AND personal_data_deleted_at IS NULL",
    )
    .bind(cutoff)
    .bind(now)
    .execute(&mut *c)
    .await?;
    Ok(r.rows_affected())
}

pub async fn link_material(
    c: &mut Conn,
    event_id: &str,
    item_id: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO event_materials (event_id, item_id, created_at) VALUES ($1, $2, $3)")
        .bind(event_id)
        .bind(item_id)
        .bind(now)
        .execute(c)
        .await?;
    Ok(())
}

/// The material items' ids of an event, oldest first.
pub async fn material_ids(c: &mut Conn, event_id: &str) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT item_id FROM event_materials WHERE event_id = $1 ORDER BY created_at, item_id",
    )
    .bind(event_id)
    .fetch_all(c)
    .await?)
}

/// The event an item is material of, if any.
pub async fn event_of_item(c: &mut Conn, item_id: &str) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT event_id FROM event_materials WHERE item_id = $1 LIMIT 1")
            .bind(item_id)
            .fetch_optional(c)
            .await?,
    )
}

/// The events linked to a plan's work areas that the reader may see (drafts excluded), in the
/// shape of linked library items with kind "event".
pub async fn linked_to_plan(
    c: &mut Conn,
    reader: EventReader<'_>,
    plan_id: &str,
) -> StoreResult<Vec<crate::library::LinkedItemRow>> {
    let (all, user) = reader.binds();
    Ok(sqlx::query_as(trusted_sql!(
        "SELECT l.work_area_id, e.id, e.title, 'event' AS kind, o.name AS organisation_name
         FROM work_area_events l JOIN work_areas w ON w.id = l.work_area_id
         JOIN events e ON e.id = l.event_id JOIN organisations o ON o.id = e.organisation_id
         WHERE w.plan_id = $3 AND e.status <> 'draft' AND {EVENT_VISIBLE}
         ORDER BY e.starts_at"
    ))
    .bind(all)
    .bind(user)
    .bind(plan_id)
    .fetch_all(c)
    .await?)
}
