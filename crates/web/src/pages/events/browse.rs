//! Reading events: the list (upcoming, past, your registrations, series), the calendar feeds,
//! an event's page (also shown again with a form's problems) and a series' page.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use lz_app::FieldError;
use lz_domain::events as rules;
use lz_domain::ids::{EventId, SeriesId};
use minijinja::Value;

use lz_app::context;

use super::{notice, summary, NoticeQ};
use crate::error::PageResult;
use crate::session::{page, Visitor};
use crate::AppState;

pub(super) async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<NoticeQ>,
) -> PageResult {
    let events = state.app.events();
    let actor = visitor.actor.as_ref();
    let upcoming: Vec<Value> = events
        .upcoming(actor)
        .await?
        .iter()
        .map(|e| summary(&state, e))
        .collect();
    let past: Vec<Value> = events
        .past(actor)
        .await?
        .iter()
        .take(30)
        .map(|e| summary(&state, e))
        .collect();
    let mine: Vec<Value> = match actor {
        Some(a) => events
            .my_registrations(a)
            .await?
            .into_iter()
            .filter(|(_, e)| e.ends_at > state.app.now())
            .map(|(r, e)| context! {
                event_id => e.id, title => e.title, when => rules::display_range(e.starts_at, e.ends_at),
                status => r.status.label(),
            })
            .collect(),
        None => vec![],
    };
    let series: Vec<Value> = events
        .all_series()
        .await?
        .into_iter()
        .map(|x| context! { id => x.id, title => x.title })
        .collect();
    let can_organise = events.may_create(actor);
    let can_import = lz_app::transfer::access::may_import_meetings(actor);
    Ok(page(
        &state,
        &visitor,
        "events/list.html",
        context! {
            upcoming, past, mine, series, can_organise, can_import, notice => notice(q.notice.as_deref()),
            webcal => super::calendar_links::webcal(&state.app.config.link("/events.ics")),
        },
    ))
}

fn calendar_response(text: String, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
        ],
        text,
    )
        .into_response()
}

pub(super) async fn feed(State(state): State<AppState>, visitor: Visitor) -> PageResult {
    let text = state
        .app
        .events()
        .events_ics(visitor.actor.as_ref())
        .await?;
    Ok(calendar_response(text, "events.ics"))
}

pub(super) async fn event_ics(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<EventId>,
) -> PageResult {
    let text = state
        .app
        .events()
        .event_ics(visitor.actor.as_ref(), &id)
        .await?;
    Ok(calendar_response(text, "event.ics"))
}

/// An event's page; `extra` adds to the template's context (a notice, a form's problems).
pub(super) async fn event_page(
    state: &AppState,
    visitor: &Visitor,
    id: &EventId,
    status: StatusCode,
    extra: Value,
) -> PageResult {
    let view = state.app.events().event(visitor.actor.as_ref(), id).await?;
    let e = &view.event;
    let themes: Vec<Value> = view
        .themes
        .iter()
        .map(|t| context! { slug => t.slug, name => t.name })
        .collect();
    let my = view.my_registration.as_ref().map(|r| {
        context! { id => r.id, status => r.status, label => r.status.label(), has_feedback => r.has_feedback, attended => r.attended == Some(true) }
    });
    let materials: Vec<Value> = view
        .materials
        .iter()
        .map(|m| context! { id => m.id, title => m.title, published => m.published })
        .collect();
    let now = state.app.now();
    let page_url = state.app.config.link(&format!("/events/{}", e.id));
    let location = if e.venue.is_empty() {
        "Online".to_string()
    } else if e.address.is_empty() {
        e.venue.clone()
    } else {
        format!("{}, {}", e.venue, e.address.replace('\n', ", "))
    };
    let for_calendar = super::calendar_links::CalendarEvent {
        title: &e.title,
        starts_at_ms: e.starts_at,
        ends_at_ms: e.ends_at,
        location: &location,
        page: &page_url,
    };
    let calendars = context! {
        outlook => super::calendar_links::outlook(&for_calendar),
        google => super::calendar_links::google(&for_calendar),
    };
    let ctx = context! {
        calendars,
        event => context! {
            id => e.id, title => e.title, summary => e.summary, speakers => e.speakers,
            when => rules::display_range(e.starts_at, e.ends_at),
            format => e.format.label(),
            venue => e.venue, address => e.address, access_info => e.access_info,
            joining_link => view.joining_link(),
            online => e.format.has_link(),
            series_id => e.series_id, series_title => e.series_title, organisation => e.organisation_name,
            capacity => e.capacity, registered => e.registered, waiting => e.waiting,
            places_left => e.places_left(),
            status => view.shown.code(), status_label => view.shown.label(),
            visibility => e.visibility, ask_access => e.ask_access, ask_dietary => e.ask_dietary,
            cancelled => e.is_cancelled(), started => now >= e.starts_at,
            finished => !e.is_cancelled() && now >= e.ends_at,
            personal_data_days => state.app.config.event_personal_data_days,
            opens => e.registration_opens_at.map(rules::display),
            closes => e.registration_closes_at.map(rules::display),
        },
        themes, my, materials,
        organisers => view.organisers.iter().map(|o| o.name.clone()).collect::<Vec<_>>(),
        is_organiser => view.may_organise(),
        closed_reason => view.closed_reason,
        guests_allowed => view.guests_allowed,
        ..extra
    };
    Ok(crate::session::page_with_status(
        state,
        visitor,
        status,
        "events/show.html",
        ctx,
    ))
}

/// The event page again (422) with the form's problems and what was typed (`extra`).
pub(super) async fn event_again(
    state: &AppState,
    visitor: &Visitor,
    id: &EventId,
    errs: &[FieldError],
    extra: Value,
) -> PageResult {
    let (errors, error_for) = crate::pages::errors_ctx(errs);
    event_page(
        state,
        visitor,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        context! { errors, error_for, ..extra },
    )
    .await
}

pub(super) async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<EventId>,
    Query(q): Query<NoticeQ>,
) -> PageResult {
    let extra = context! { notice => notice(q.notice.as_deref()) };
    event_page(&state, &visitor, &id, StatusCode::OK, extra).await
}

pub(super) async fn series_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<SeriesId>,
    Query(q): Query<NoticeQ>,
) -> PageResult {
    let events = state.app.events();
    let view = events.series(visitor.actor.as_ref(), &id).await?;
    let series = &view.series;
    Ok(page(
        &state,
        &visitor,
        "events/series.html",
        context! {
            series => context! { id => series.id, title => series.title, purpose => series.purpose },
            themes => view.themes.iter().map(|t| context! { slug => t.slug, name => t.name }).collect::<Vec<_>>(),
            events => view.events.iter().map(|e| summary(&state, e)).collect::<Vec<_>>(),
            can_organise => events.may_create(visitor.actor.as_ref()),
            notice => notice(q.notice.as_deref()),
        },
    ))
}
