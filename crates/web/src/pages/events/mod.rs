//! Learning event pages: the routes, and what the pages share (notices, an event's line in a
//! list, reading repeating forms). Handlers live by what a person does: `browse` (lists,
//! calendar feeds, an event's page, series), `manage` (create, change, cancel, series,
//! materials), `registration` (register, as a guest too, cancel) and `attendance` (the
//! organisers' register, CSV, attendance, emailing registrants, feedback, the report).

mod attendance;
mod browse;
mod calendar_links;
mod manage;
mod registration;

use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use lz_app::events::EventRecord;
use lz_domain::events as rules;
use minijinja::Value;

use lz_app::context;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(browse::list))
        .route("/events.ics", get(browse::feed))
        .route("/events/new", get(manage::new_form).post(manage::create))
        .route(
            "/events/series/new",
            get(manage::new_series_form).post(manage::create_series),
        )
        .route("/events/series/{id}", get(browse::series_page))
        .route("/events/registration", get(registration::guest_page))
        .route(
            "/events/registration/confirm",
            post(registration::guest_confirm),
        )
        .route(
            "/events/registration/cancel",
            post(registration::guest_cancel),
        )
        .route("/events/{id}", get(browse::show))
        .route("/events/{id}/calendar.ics", get(browse::event_ics))
        .route(
            "/events/{id}/edit",
            get(manage::edit_form).post(manage::update),
        )
        .route("/events/{id}/cancel", post(manage::cancel_event))
        .route("/events/{id}/register", post(registration::register))
        .route("/events/{id}/guest", post(registration::register_guest))
        .route(
            "/registrations/{id}/cancel",
            post(registration::cancel_registration),
        )
        .route("/events/{id}/registrations", get(attendance::registrations))
        .route(
            "/events/{id}/registrations.csv",
            get(attendance::registrations_csv),
        )
        .route(
            "/events/{id}/registrations.xlsx",
            get(attendance::registrations_xlsx),
        )
        .route("/events/{id}/attendance", post(attendance::attendance))
        .route("/events/{id}/email", post(attendance::email_registrants))
        .route(
            "/events/{id}/feedback",
            get(attendance::feedback_form).post(attendance::feedback),
        )
        .route("/events/{id}/report", get(attendance::report))
        .route(
            "/events/{id}/materials",
            post(manage::materials).layer(axum::extract::DefaultBodyLimit::disable()),
        )
}

fn notice(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "created" => "The event has been created.",
        "saved" => "Your changes have been saved.",
        "registered" => "You are registered. We have emailed you a confirmation with a calendar file.",
        "waiting" => "The event is full, so you are on the waiting list. We will email you if a place becomes free.",
        "cancelled" => "Your registration has been cancelled.",
        "event-cancelled" => "The event has been cancelled and everyone registered has been emailed.",
        "guest-sent" => "Check your email: follow the link we sent to finish registering.",
        "attendance" => "Attendance has been saved.",
        "emailed" => "Your message has been queued for everyone registered.",
        "feedback" => "Thank you for your feedback.",
        "material" => "The material has been added to the library.",
        "series" => "The series has been created.",
        _ => return None,
    })
}

#[derive(serde::Deserialize, Default)]
struct NoticeQ {
    notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct TokenQ {
    #[serde(default)]
    token: String,
}

/// An event's line in a list.
fn summary(state: &AppState, e: &EventRecord) -> Value {
    let shown = state.app.events().shown_status(e);
    context! {
        id => e.id, title => e.title, summary => e.summary,
        when => rules::display_range(e.starts_at, e.ends_at),
        format => e.format.label(),
        venue => e.venue, series_id => e.series_id, series_title => e.series_title,
        status => shown.code(), status_label => shown.label(),
        places_left => e.places_left(), capacity => e.capacity, waiting => e.waiting,
        visibility => e.visibility,
    }
}

/// A form whose fields repeat (checkboxes); a malformed one becomes an error page.
fn read_form<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Box<Response>> {
    super::read_form(body)
}
