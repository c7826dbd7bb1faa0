//! Learning events over the API: list, read, create and change events and series, register
//! and cancel, organisers' registrations, attendance and report, feedback.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use lz_app::events::{
    Answers, EventInput, EventRecord, EventReport, FeedbackInput, Flag, RegistrationRecord,
    SeriesInput,
};
use lz_domain::events as rules;
use lz_domain::ids::{EventId, RegistrationId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{created, ApiJson};
use crate::error::{ApiResult, Problem};
use crate::session::{ApiCaller, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(events).post(create_event))
        .route("/series", post(create_series))
        .route("/events/{id}", get(event).put(update_event))
        .route("/events/{id}/cancel", post(cancel_event))
        .route(
            "/events/{id}/registrations",
            get(registrations).post(register),
        )
        .route(
            "/registrations/{id}",
            axum::routing::delete(cancel_registration),
        )
        .route("/events/{id}/attendance", axum::routing::put(attendance))
        .route("/events/{id}/feedback", post(feedback))
        .route("/events/{id}/report", get(report))
}

#[derive(Serialize, ToSchema)]
pub struct Event {
    id: String,
    series_id: Option<String>,
    title: String,
    summary: String,
    /// in_person, online or hybrid.
    format: String,
    venue: String,
    address: String,
    access_info: String,
    /// Only for people registered and organisers.
    joining_link: Option<String>,
    speakers: String,
    /// UTC, RFC 3339.
    starts_at: String,
    ends_at: String,
    /// The same moments in UK local time, as shown on the page.
    when: String,
    capacity: i64,
    registered: i64,
    waiting: i64,
    visibility: String,
    /// draft, open, full, closed, cancelled or finished.
    status: String,
    themes: Vec<String>,
    /// The caller's registration status, if any.
    my_registration: Option<String>,
    my_registration_id: Option<String>,
}

/// UTC milliseconds as RFC 3339 (seconds).
fn rfc3339(ms: i64) -> String {
    lz_domain::dates::rfc3339(ms.div_euclid(1000)).unwrap_or_default()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    past: bool,
}

/// Upcoming events the caller may see (`?past=true`: past ones).
#[utoipa::path(get, path = "/api/v1/events", params(("past" = Option<bool>, Query, description = "past events instead")), responses((status = 200, body = Vec<Event>)))]
pub async fn events(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<Event>>> {
    let events = s.app.events();
    let records = if q.past {
        events.past(v.actor.as_ref()).await?
    } else {
        events.upcoming(v.actor.as_ref()).await?
    };
    Ok(Json(
        records
            .into_iter()
            .map(|e| {
                let shown = events.shown_status(&e);
                event_json(e, shown.code(), None, vec![], None)
            })
            .collect(),
    ))
}

/// An event as the API shows it; `mine`: the caller's registration (status, id).
fn event_json(
    e: EventRecord,
    status: &str,
    joining_link: Option<String>,
    themes: Vec<String>,
    mine: Option<(String, String)>,
) -> Event {
    Event {
        when: rules::display_range(e.starts_at, e.ends_at),
        starts_at: rfc3339(e.starts_at),
        ends_at: rfc3339(e.ends_at),
        status: status.into(),
        id: e.id.into_string(),
        series_id: e.series_id.map(|s| s.into_string()),
        title: e.title,
        summary: e.summary,
        format: e.format.code().into(),
        venue: e.venue,
        address: e.address,
        access_info: e.access_info,
        joining_link,
        speakers: e.speakers,
        capacity: e.capacity,
        registered: e.registered,
        waiting: e.waiting,
        visibility: e.visibility.code().into(),
        themes,
        my_registration: mine.as_ref().map(|m| m.0.clone()),
        my_registration_id: mine.map(|m| m.1),
    }
}

/// One event.
#[utoipa::path(get, path = "/api/v1/events/{id}", responses((status = 200, body = Event), (status = 404, body = Problem)))]
pub async fn event(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<EventId>,
) -> ApiResult<Json<Event>> {
    let view = s.app.events().event(v.actor.as_ref(), &id).await?;
    let link = view.joining_link().map(str::to_string);
    let mine = view
        .my_registration
        .as_ref()
        .map(|r| (r.status.code().to_string(), r.id.to_string()));
    let themes = view.themes.iter().map(|t| t.slug.clone()).collect();
    Ok(Json(event_json(
        view.event,
        view.shown.code(),
        link,
        themes,
        mine,
    )))
}

/// An event as written: UK local dates ("2026-07-15") and times ("10:00").
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    #[serde(default)]
    series_id: String,
    title: String,
    summary: String,
    /// in_person, online or hybrid.
    format: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    access_info: String,
    #[serde(default)]
    joining_link: String,
    #[serde(default)]
    speakers: String,
    start_date: String,
    start_time: String,
    #[serde(default)]
    end_date: String,
    end_time: String,
    #[schema(value_type = i64)]
    capacity: serde_json::Value,
    #[serde(default)]
    opens_date: String,
    #[serde(default)]
    closes_date: String,
    organisation_id: String,
    /// public or network.
    visibility: String,
    /// draft, open or closed.
    #[serde(default)]
    status: String,
    #[serde(default)]
    allow_guests: bool,
    #[serde(default)]
    ask_access: bool,
    #[serde(default)]
    ask_dietary: bool,
    /// Theme term ids.
    #[serde(default)]
    terms: Vec<String>,
    /// Further organisers' email addresses.
    #[serde(default)]
    organisers: Vec<String>,
}

impl EventBody {
    fn into_input(self) -> EventInput {
        EventInput {
            series_id: self.series_id,
            title: self.title,
            summary: self.summary,
            format: self.format,
            venue: self.venue,
            address: self.address,
            access_info: self.access_info,
            joining_link: self.joining_link,
            speakers: self.speakers,
            start_date: self.start_date,
            start_time: self.start_time,
            end_date: self.end_date,
            end_time: self.end_time,
            capacity: match self.capacity {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            },
            opens_date: self.opens_date,
            closes_date: self.closes_date,
            organisation_id: self.organisation_id,
            visibility: self.visibility,
            status: self.status,
            allow_guests: Flag::Bool(self.allow_guests),
            ask_access: Flag::Bool(self.ask_access),
            ask_dietary: Flag::Bool(self.ask_dietary),
            terms: self.terms,
            organisers: self.organisers.join("\n"),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// Create an event (contributors, place leads, moderators, network admins).
#[utoipa::path(post, path = "/api/v1/events", security(("bearer" = [])), request_body = EventBody,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_event(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<EventBody>,
) -> ApiResult<axum::response::Response> {
    let id = s.app.events().create(&actor, &b.into_input()).await?;
    Ok(created(Created {
        id: id.into_string(),
    }))
}

/// Change an event (its organisers); calendars see a new SEQUENCE.
#[utoipa::path(put, path = "/api/v1/events/{id}", security(("bearer" = [])), request_body = EventBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_event(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<EventId>,
    ApiJson(b): ApiJson<EventBody>,
) -> ApiResult<StatusCode> {
    s.app.events().update(&actor, &id, &b.into_input()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancel an event; everyone registered or waiting is emailed a calendar cancellation.
#[utoipa::path(post, path = "/api/v1/events/{id}/cancel", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel_event(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<EventId>,
) -> ApiResult<StatusCode> {
    s.app.events().cancel(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesBody {
    title: String,
    #[serde(default)]
    purpose: String,
    organisation_id: String,
    #[serde(default)]
    terms: Vec<String>,
}

/// Create a series of events.
#[utoipa::path(post, path = "/api/v1/series", security(("bearer" = [])), request_body = SeriesBody,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_series(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<SeriesBody>,
) -> ApiResult<axum::response::Response> {
    let id = s
        .app
        .events()
        .create_series(
            &actor,
            &SeriesInput {
                title: b.title,
                purpose: b.purpose,
                organisation_id: b.organisation_id,
                terms: b.terms,
            },
        )
        .await?;
    Ok(created(Created {
        id: id.into_string(),
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    #[serde(default)]
    access_needs: String,
    #[serde(default)]
    dietary_needs: String,
}

#[derive(Serialize, ToSchema)]
pub struct Registration {
    id: String,
    name: String,
    email: String,
    organisation: String,
    place: Option<String>,
    /// pending, registered, waiting or cancelled.
    status: String,
    attended: Option<bool>,
    access_needs: Option<String>,
    dietary_needs: Option<String>,
}

fn registration(r: RegistrationRecord) -> Registration {
    Registration {
        id: r.id.into_string(),
        name: r.name,
        email: r.email,
        organisation: r.organisation_name,
        place: r.place_name,
        status: r.status.code().into(),
        attended: r.attended,
        access_needs: r.access_needs,
        dietary_needs: r.dietary_needs,
    }
}

/// Register the caller: a place if one is free, else the waiting list (status says which).
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations", security(("bearer" = [])), request_body = RegisterBody,
    responses((status = 201, body = Registration), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<EventId>,
    ApiJson(b): ApiJson<RegisterBody>,
) -> ApiResult<axum::response::Response> {
    let r = s
        .app
        .events()
        .register(
            &actor,
            &id,
            &Answers {
                access_needs: b.access_needs,
                dietary_needs: b.dietary_needs,
            },
        )
        .await?;
    Ok(created(registration(r)))
}

/// Cancel the caller's own registration; a freed place goes to the first person waiting.
#[utoipa::path(delete, path = "/api/v1/registrations/{id}", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel_registration(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<RegistrationId>,
) -> ApiResult<StatusCode> {
    s.app
        .events()
        .cancel_registration(Some(&actor), &id, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everyone registered, waiting or cancelled (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/registrations", security(("bearer" = [])),
    responses((status = 200, body = Vec<Registration>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn registrations(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<EventId>,
) -> ApiResult<Json<Vec<Registration>>> {
    let (_, regs) = s.app.events().registrations(&actor, &id).await?;
    Ok(Json(regs.into_iter().map(registration).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    registration_id: String,
    /// true, false, or null for not marked.
    attended: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    marks: Vec<Mark>,
}

/// Mark attendance (organisers): all marks or none are saved.
#[utoipa::path(put, path = "/api/v1/events/{id}/attendance", security(("bearer" = [])), request_body = AttendanceBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn attendance(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<EventId>,
    ApiJson(b): ApiJson<AttendanceBody>,
) -> ApiResult<StatusCode> {
    let marks: Vec<(RegistrationId, Option<bool>)> = b
        .marks
        .into_iter()
        .map(|m| (m.registration_id.into(), m.attended))
        .collect();
    s.app.events().set_attendance(&actor, &id, &marks).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBody {
    /// 1 to 5.
    #[schema(value_type = i64)]
    rating: serde_json::Value,
    #[serde(default)]
    do_differently: String,
    #[serde(default)]
    topics_next: String,
}

/// Give feedback on an event the caller attended (once).
#[utoipa::path(post, path = "/api/v1/events/{id}/feedback", security(("bearer" = [])), request_body = FeedbackBody,
    responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn feedback(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<EventId>,
    ApiJson(b): ApiJson<FeedbackBody>,
) -> ApiResult<StatusCode> {
    let input = FeedbackInput {
        rating: match b.rating {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        },
        do_differently: b.do_differently,
        topics_next: b.topics_next,
    };
    s.app
        .events()
        .give_feedback(Some(&actor), &id, None, &input)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Registrations, attendance and no-shows by place and organisation, and feedback (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/report", security(("bearer" = [])),
    responses((status = 200, description = "The report"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn report(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<EventId>,
) -> ApiResult<Json<EventReport>> {
    let (_, rep) = s.app.events().report(&actor, &id).await?;
    Ok(Json(rep))
}
