//! Learning event pages: the list and calendar feed, series, an event's page with registration
//! (signed in, or as a guest confirmed by email), organisers' register (attendance, CSV,
//! emailing registrants), feedback, the event report and publishing materials to the library.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lz_app::events::{
    Answers, EventInput, EventView, FeedbackInput, GuestInput, MaterialInput, SeriesInput,
    STATUSES, VISIBILITIES,
};
use lz_app::{Actor, AppError, FieldError};
use lz_domain::events::{self as rules, EventFormat, RegistrationStatus};
use lz_domain::library::Vocabulary;
use lz_store::events::EventRow;
use minijinja::{context, Value};

use super::{form_again, HtmlForm};
use crate::error::PageResult;
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(list))
        .route("/events.ics", get(feed))
        .route("/events/new", get(new_form).post(create))
        .route(
            "/events/series/new",
            get(new_series_form).post(create_series),
        )
        .route("/events/series/{id}", get(series_page))
        .route("/events/registration", get(guest_page))
        .route("/events/registration/confirm", post(guest_confirm))
        .route("/events/registration/cancel", post(guest_cancel))
        .route("/events/{id}", get(show))
        .route("/events/{id}/calendar.ics", get(event_ics))
        .route("/events/{id}/edit", get(edit_form).post(update))
        .route("/events/{id}/cancel", post(cancel_event))
        .route("/events/{id}/register", post(register))
        .route("/events/{id}/guest", post(register_guest))
        .route("/registrations/{id}/cancel", post(cancel_registration))
        .route("/events/{id}/registrations", get(registrations))
        .route("/events/{id}/registrations.csv", get(registrations_csv))
        .route("/events/{id}/attendance", post(attendance))
        .route("/events/{id}/email", post(email_registrants))
        .route("/events/{id}/feedback", get(feedback_form).post(feedback))
        .route("/events/{id}/report", get(report))
        .route(
            "/events/{id}/materials",
            post(materials).layer(axum::extract::DefaultBodyLimit::disable()),
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

fn summary(s: &AppState, e: &EventRow) -> Value {
    let shown = s.app.shown_status(e);
    context! {
        id => e.id, title => e.title, summary => e.summary,
        when => rules::display_range(e.starts_at, e.ends_at),
        format => EventFormat::parse(&e.format).map(|f| f.label()).unwrap_or_default(),
        venue => e.venue, series_id => e.series_id, series_title => e.series_title,
        status => shown.code(), status_label => shown.label(),
        places_left => (e.capacity - e.registered).max(0), capacity => e.capacity, waiting => e.waiting,
        visibility => e.visibility,
    }
}

fn can_organise(v: &Visitor) -> bool {
    v.actor.as_ref().is_some_and(|a| a.contributes())
}

async fn list(State(s): State<AppState>, v: Visitor, Query(q): Query<NoticeQ>) -> PageResult {
    let actor = v.actor.as_ref();
    let upcoming: Vec<Value> = s
        .app
        .upcoming_events(actor)
        .await?
        .iter()
        .map(|e| summary(&s, e))
        .collect();
    let past: Vec<Value> = s
        .app
        .past_events(actor)
        .await?
        .iter()
        .take(30)
        .map(|e| summary(&s, e))
        .collect();
    let mine: Vec<Value> = match actor {
        Some(a) => s
            .app
            .my_registrations(a)
            .await?
            .into_iter()
            .filter(|(_, e)| e.ends_at > s.app.now())
            .map(|(r, e)| context! {
                event_id => e.id, title => e.title, when => rules::display_range(e.starts_at, e.ends_at),
                status => RegistrationStatus::parse(&r.status).map(|x| x.label()).unwrap_or_default(),
            })
            .collect(),
        None => vec![],
    };
    let series: Vec<Value> = s
        .app
        .all_series()
        .await?
        .into_iter()
        .map(|x| context! { id => x.id, title => x.title })
        .collect();
    Ok(page(
        &s,
        &v,
        "events/list.html",
        context! { upcoming, past, mine, series, can_organise => can_organise(&v), notice => notice(q.notice.as_deref()) },
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

async fn feed(State(s): State<AppState>, v: Visitor) -> PageResult {
    Ok(calendar_response(
        s.app.events_ics(v.actor.as_ref()).await?,
        "events.ics",
    ))
}

async fn event_ics(State(s): State<AppState>, v: Visitor, Path(id): Path<String>) -> PageResult {
    Ok(calendar_response(
        s.app.event_ics(v.actor.as_ref(), &id).await?,
        "event.ics",
    ))
}

async fn theme_options(s: &AppState) -> Result<Vec<Value>, AppError> {
    Ok(s.app
        .library()
        .terms()
        .await?
        .into_iter()
        .filter(|t| t.vocabulary == Vocabulary::Theme.code() && t.merged_into.is_none())
        .map(|t| context! { value => t.id, label => t.name })
        .collect())
}

async fn form_options(s: &AppState, actor: &Actor) -> Result<Value, AppError> {
    let organisations = super::own_organisation_options(s, actor).await?;
    let series: Vec<Value> = s
        .app
        .all_series()
        .await?
        .into_iter()
        .map(|x| context! { value => x.id, label => x.title })
        .collect();
    Ok(context! {
        organisations, series, themes => theme_options(s).await?,
        formats => EventFormat::ALL.iter().map(|f| context! { value => f.code(), label => f.label() }).collect::<Vec<_>>(),
        visibilities => VISIBILITIES.iter().map(|(v, l)| context! { value => v, label => l }).collect::<Vec<_>>(),
        statuses => STATUSES.iter().map(|(v, l)| context! { value => v, label => l }).collect::<Vec<_>>(),
        guests_possible => s.app.config.guest_registration,
    })
}

fn input_values(i: &EventInput) -> Value {
    context! {
        series_id => i.series_id, title => i.title, summary => i.summary, format => i.format,
        venue => i.venue, address => i.address, access_info => i.access_info, joining_link => i.joining_link,
        speakers => i.speakers, start_date => i.start_date, start_time => i.start_time,
        end_date => i.end_date, end_time => i.end_time, capacity => i.capacity,
        opens_date => i.opens_date, closes_date => i.closes_date, organisation_id => i.organisation_id,
        visibility => i.visibility, status => i.status, allow_guests => i.allow_guests.on(),
        ask_access => i.ask_access.on(), ask_dietary => i.ask_dietary.on(), terms => i.terms,
        organisers => i.organisers,
    }
}

/// A form whose fields repeat (checkboxes); a malformed one becomes an error page.
fn read_form<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Box<Response>> {
    serde_html_form::from_bytes::<T>(body).map_err(|e| {
        Box::new(crate::error::error_page(
            StatusCode::BAD_REQUEST,
            "This form could not be read",
            format!("Check what you entered and try again ({e})."),
        ))
    })
}

async fn new_form(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    if !actor.contributes() {
        return Err(AppError::Forbidden.into());
    }
    let values = input_values(&EventInput {
        organisation_id: actor
            .active_organisation_ids()
            .into_iter()
            .next()
            .unwrap_or_default(),
        visibility: "network".into(),
        status: "open".into(),
        format: "in_person".into(),
        ask_access: lz_app::events::Flag::Bool(true),
        ..Default::default()
    });
    Ok(page(
        &s,
        &v,
        "events/form.html",
        context! { options => form_options(&s, &actor).await?, values, action => "/events/new", heading => "Create an event" },
    ))
}

async fn create(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    body: axum::body::Bytes,
) -> PageResult {
    let input: EventInput = match read_form(&body) {
        Ok(i) => i,
        Err(r) => return Ok(*r),
    };
    match s.app.create_event(&actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/events/{id}?notice=created")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "events/form.html",
            &errs,
            context! { options => form_options(&s, &actor).await?, values => input_values(&input), action => "/events/new", heading => "Create an event" },
        )),
        Err(e) => Err(e.into()),
    }
}

fn values_of(view: &EventView) -> EventInput {
    let e = &view.event;
    let (sd, st) = rules::local_parts(e.starts_at);
    let (ed, et) = rules::local_parts(e.ends_at);
    let flag = |b: i64| lz_app::events::Flag::Bool(b == 1);
    EventInput {
        series_id: e.series_id.clone().unwrap_or_default(),
        title: e.title.clone(),
        summary: e.summary.clone(),
        format: e.format.clone(),
        venue: e.venue.clone(),
        address: e.address.clone(),
        access_info: e.access_info.clone(),
        joining_link: e.joining_link.clone(),
        speakers: e.speakers.clone(),
        start_date: sd,
        start_time: st,
        end_date: ed,
        end_time: et,
        capacity: e.capacity.to_string(),
        opens_date: e
            .registration_opens_at
            .map(rules::local_date)
            .unwrap_or_default(),
        closes_date: e
            .registration_closes_at
            .map(rules::local_date)
            .unwrap_or_default(),
        organisation_id: e.organisation_id.clone(),
        visibility: e.visibility.clone(),
        status: e.status.clone(),
        allow_guests: flag(e.allow_guests),
        ask_access: flag(e.ask_access),
        ask_dietary: flag(e.ask_dietary),
        terms: view.terms.iter().map(|t| t.0.clone()).collect(),
        organisers: String::new(),
    }
}

async fn edit_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let view = s.app.event(Some(&actor), &id).await?;
    if !view.is_organiser {
        return Err(AppError::Forbidden.into());
    }
    Ok(page(
        &s,
        &v,
        "events/form.html",
        context! { options => form_options(&s, &actor).await?, values => input_values(&values_of(&view)), action => format!("/events/{id}/edit"), heading => "Change the event", editing => true },
    ))
}

async fn update(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input: EventInput = match read_form(&body) {
        Ok(i) => i,
        Err(r) => return Ok(*r),
    };
    match s.app.update_event(&actor, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "events/form.html",
            &errs,
            context! { options => form_options(&s, &actor).await?, values => input_values(&input), action => format!("/events/{id}/edit"), heading => "Change the event", editing => true },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn cancel_event(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    s.app.cancel_event(&actor, &id).await?;
    Ok(Redirect::to(&format!("/events/{id}?notice=event-cancelled")).into_response())
}

async fn event_page(
    s: &AppState,
    v: &Visitor,
    id: &str,
    status: StatusCode,
    extra: Value,
) -> PageResult {
    let view = s.app.event(v.actor.as_ref(), id).await?;
    let e = &view.event;
    let themes: Vec<Value> = view
        .terms
        .iter()
        .map(|t| context! { slug => t.2, name => t.3 })
        .collect();
    let my = view.my_registration.as_ref().map(|r| {
        context! { id => r.id, status => r.status, label => RegistrationStatus::parse(&r.status).map(|x| x.label()).unwrap_or_default(), has_feedback => r.has_feedback == 1, attended => r.attended == Some(1) }
    });
    let materials: Vec<Value> = view
        .materials
        .iter()
        .map(|(id, title, status)| context! { id => id, title => title, published => status == "published" })
        .collect();
    let now = s.app.now();
    let ctx = context! {
        event => context! {
            id => e.id, title => e.title, summary => e.summary, speakers => e.speakers,
            when => rules::display_range(e.starts_at, e.ends_at),
            format => EventFormat::parse(&e.format).map(|f| f.label()).unwrap_or_default(),
            venue => e.venue, address => e.address, access_info => e.access_info,
            joining_link => view.joining_link(),
            online => EventFormat::parse(&e.format).is_some_and(|f| f.has_link()),
            series_id => e.series_id, series_title => e.series_title, organisation => e.organisation_name,
            capacity => e.capacity, registered => e.registered, waiting => e.waiting,
            places_left => (e.capacity - e.registered).max(0),
            status => view.shown.code(), status_label => view.shown.label(),
            visibility => e.visibility, ask_access => e.ask_access == 1, ask_dietary => e.ask_dietary == 1,
            cancelled => e.status == "cancelled", started => now >= e.starts_at,
            personal_data_days => s.app.config.event_personal_data_days,
            opens => e.registration_opens_at.map(rules::display),
            closes => e.registration_closes_at.map(rules::display),
        },
        themes, my, materials,
        organisers => view.organisers.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>(),
        is_organiser => view.is_organiser,
        closed_reason => view.closed_reason,
        guests_allowed => view.guests_allowed,
        ..extra
    };
    Ok(crate::session::page_with_status(
        s,
        v,
        status,
        "events/show.html",
        ctx,
    ))
}

/// The event page again (422) with the form's problems and what was typed (`extra`).
async fn event_again(
    s: &AppState,
    v: &Visitor,
    id: &str,
    errs: &[FieldError],
    extra: Value,
) -> PageResult {
    let (errors, error_for) = super::errors_ctx(errs);
    event_page(
        s,
        v,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        context! { errors, error_for, ..extra },
    )
    .await
}

async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<NoticeQ>,
) -> PageResult {
    event_page(
        &s,
        &v,
        &id,
        StatusCode::OK,
        context! { notice => notice(q.notice.as_deref()) },
    )
    .await
}

async fn register(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(a): HtmlForm<Answers>,
) -> PageResult {
    match s.app.register(&actor, &id, &a).await {
        Ok(r) => {
            let code = if r.status == RegistrationStatus::Registered.code() {
                "registered"
            } else {
                "waiting"
            };
            Ok(Redirect::to(&format!("/events/{id}?notice={code}")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            event_again(&s, &v, &id, &errs, context! { answers => context! { access_needs => a.access_needs, dietary_needs => a.dietary_needs } }).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn register_guest(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlForm(g): HtmlForm<GuestInput>,
) -> PageResult {
    match s.app.register_guest(&id, &g).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?notice=guest-sent")).into_response()),
        Err(AppError::Invalid(errs)) => {
            event_again(&s, &v, &id, &errs, context! { guest => context! { name => g.name, email => g.email, organisation => g.organisation, access_needs => g.access_needs, dietary_needs => g.dietary_needs } }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct TokenQ {
    #[serde(default)]
    token: String,
}

async fn guest_page(State(s): State<AppState>, v: Visitor, Query(q): Query<TokenQ>) -> PageResult {
    let (r, e) = s.app.guest_registration(&q.token).await?;
    Ok(page(
        &s,
        &v,
        "events/guest.html",
        context! {
            token => q.token, status => r.status, name => r.name,
            label => RegistrationStatus::parse(&r.status).map(|x| x.label()).unwrap_or_default(),
            event => context! { id => e.id, title => e.title, when => rules::display_range(e.starts_at, e.ends_at),
                joining_link => (r.status == "registered").then_some(e.joining_link.clone()).filter(|l| !l.is_empty()) },
        },
    ))
}

async fn guest_confirm(
    State(s): State<AppState>,
    v: Visitor,
    HtmlForm(q): HtmlForm<TokenQ>,
) -> PageResult {
    s.app.confirm_guest(&q.token).await?;
    guest_page(State(s), v, Query(q)).await
}

async fn guest_cancel(
    State(s): State<AppState>,
    v: Visitor,
    HtmlForm(q): HtmlForm<TokenQ>,
) -> PageResult {
    let (r, _) = s.app.guest_registration(&q.token).await?;
    s.app
        .cancel_registration(None, &r.id, Some(&q.token))
        .await?;
    guest_page(State(s), v, Query(q)).await
}

async fn cancel_registration(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let event_id = s
        .app
        .my_registrations(&actor)
        .await?
        .into_iter()
        .find(|(r, _)| r.id == id)
        .map(|(r, _)| r.event_id);
    s.app.cancel_registration(Some(&actor), &id, None).await?;
    Ok(match event_id {
        Some(e) => Redirect::to(&format!("/events/{e}?notice=cancelled")),
        None => Redirect::to("/events?notice=cancelled"),
    }
    .into_response())
}

async fn registrations_page(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: &str,
    status: StatusCode,
    extra: Value,
) -> PageResult {
    let (view, regs) = s.app.registrations(actor, id).await?;
    let rows: Vec<Value> = regs
        .iter()
        .map(|r| context! {
            id => r.id, name => r.name, email => r.email, organisation => r.organisation_name,
            place => r.place_name, status => r.status,
            label => RegistrationStatus::parse(&r.status).map(|x| x.label()).unwrap_or_default(),
            attended => r.attended, access_needs => r.access_needs, dietary_needs => r.dietary_needs,
        })
        .collect();
    Ok(crate::session::page_with_status(
        s,
        v,
        status,
        "events/registrations.html",
        context! {
            event => context! { id => view.event.id, title => view.event.title, when => rules::display_range(view.event.starts_at, view.event.ends_at),
                registered => view.event.registered, waiting => view.event.waiting, capacity => view.event.capacity },
            rows, ..extra
        },
    ))
}

/// The registrations page again (422) with the form's problems.
async fn registrations_again(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: &str,
    errs: &[FieldError],
    extra: Value,
) -> PageResult {
    let (errors, error_for) = super::errors_ctx(errs);
    registrations_page(
        s,
        v,
        actor,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        context! { errors, error_for, ..extra },
    )
    .await
}

async fn registrations(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<NoticeQ>,
) -> PageResult {
    registrations_page(
        &s,
        &v,
        &actor,
        &id,
        StatusCode::OK,
        context! { notice => notice(q.notice.as_deref()) },
    )
    .await
}

async fn registrations_csv(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let csv = s.app.registrations_csv(&actor, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"registrations.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

/// The register's form: one `a_<registration id>` field per person: "yes", "no" or "".
async fn attendance(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let fields: Vec<(String, String)> = match read_form(&body) {
        Ok(f) => f,
        Err(r) => return Ok(*r),
    };
    let mut marks = vec![];
    for (k, val) in fields {
        if let Some(reg) = k.strip_prefix("a_") {
            let mark = match val.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            };
            marks.push((reg.to_string(), mark));
        }
    }
    match s.app.set_attendance(&actor, &id, &marks).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/events/{id}/registrations?notice=attendance")).into_response(),
        ),
        Err(AppError::Invalid(errs)) => {
            registrations_again(&s, &v, &actor, &id, &errs, context! {}).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct EmailForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    include_waiting: Option<String>,
}

async fn email_registrants(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<EmailForm>,
) -> PageResult {
    match s
        .app
        .email_registrants(
            &actor,
            &id,
            &f.subject,
            &f.message,
            f.include_waiting.is_some(),
        )
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/events/{id}/registrations?notice=emailed")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            registrations_again(
                &s,
                &v,
                &actor,
                &id,
                &errs,
                context! { mail => context! { subject => f.subject, message => f.message } },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn feedback_form(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<TokenQ>,
) -> PageResult {
    let token = Some(q.token.as_str()).filter(|t| !t.is_empty());
    let r = s
        .app
        .feedback_registration(v.actor.as_ref(), &id, token)
        .await?;
    let (_, e) = match token {
        Some(t) => s.app.guest_registration(t).await?,
        None => {
            let view = s.app.event(v.actor.as_ref(), &id).await?;
            (r.clone(), view.event)
        }
    };
    Ok(page(
        &s,
        &v,
        "events/feedback.html",
        context! { event => context! { id => e.id, title => e.title }, token => q.token, done => r.has_feedback == 1, values => context! {} },
    ))
}

#[derive(serde::Deserialize, Default)]
struct FeedbackForm {
    #[serde(default)]
    token: String,
    #[serde(flatten)]
    input: FeedbackInput,
}

async fn feedback(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<FeedbackForm>,
) -> PageResult {
    let token = Some(f.token.as_str()).filter(|t| !t.is_empty());
    match s
        .app
        .give_feedback(v.actor.as_ref(), &id, token, &f.input)
        .await
    {
        Ok(()) => {
            let r = s
                .app
                .feedback_registration(v.actor.as_ref(), &id, token)
                .await?;
            let _ = r;
            Ok(page(
                &s,
                &v,
                "events/feedback.html",
                context! { event => context! { id => id }, done => true, notice => notice(Some("feedback")) },
            ))
        }
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "events/feedback.html",
            &errs,
            context! { event => context! { id => id }, token => f.token,
            values => context! { rating => f.input.rating, do_differently => f.input.do_differently, topics_next => f.input.topics_next } },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn report(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let (view, rep) = s.app.event_report(&actor, &id).await?;
    let max_rating = rep.ratings.iter().copied().max().unwrap_or(0).max(1);
    Ok(page(
        &s,
        &v,
        "events/report.html",
        context! {
            event => context! { id => view.event.id, title => view.event.title, when => rules::display_range(view.event.starts_at, view.event.ends_at), capacity => view.event.capacity },
            report => Value::from_serialize(&rep),
            ratings => rep.ratings.iter().enumerate().map(|(i, n)| context! { stars => i + 1, count => n, width => n * 100 / max_rating }).collect::<Vec<_>>(),
        },
    ))
}

async fn materials(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let unreadable = |_| AppError::field("file", "The upload could not be read: try again");
    let mut input = MaterialInput::default();
    let mut file: Option<(String, axum::body::Bytes)> = None;
    let res: Result<(), AppError> = async {
        while let Some(field) = form.next_field().await.map_err(unreadable)? {
            match field.name().unwrap_or_default() {
                "file" => {
                    let name = field.file_name().unwrap_or_default().to_string();
                    let bytes = field.bytes().await.map_err(unreadable)?;
                    if !bytes.is_empty() {
                        file = Some((name, bytes));
                    }
                }
                "title" => input.title = field.text().await.map_err(unreadable)?,
                "notes" => input.notes = field.text().await.map_err(unreadable)?,
                "links" => input.links = field.text().await.map_err(unreadable)?,
                _ => {}
            }
        }
        Ok(())
    }
    .await;
    let result = match res {
        Err(e) => Err(e),
        Ok(())
            if file.is_none() && input.links.trim().is_empty() && input.notes.trim().is_empty() =>
        {
            Err(AppError::field(
                "file",
                "Choose a file, or add a recording link or notes",
            ))
        }
        Ok(()) => {
            s.app
                .publish_material(
                    &actor,
                    &id,
                    &input,
                    file.as_ref().map(|(n, b)| (n.as_str(), b.as_ref())),
                )
                .await
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/events/{id}?notice=material")).into_response()),
        Err(AppError::Invalid(errs)) => {
            event_again(&s, &v, &id, &errs, context! { material => context! { title => input.title, notes => input.notes, links => input.links } }).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn new_series_form(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    if !actor.contributes() {
        return Err(AppError::Forbidden.into());
    }
    let options = form_options(&s, &actor).await?;
    Ok(page(
        &s,
        &v,
        "events/series_form.html",
        context! { options, values => context! { organisation_id => actor.active_organisation_ids().into_iter().next() } },
    ))
}

async fn create_series(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    body: axum::body::Bytes,
) -> PageResult {
    let input: SeriesInput = match read_form(&body) {
        Ok(i) => i,
        Err(r) => return Ok(*r),
    };
    match s.app.create_series(&actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/events/series/{id}?notice=series")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "events/series_form.html",
            &errs,
            context! { options => form_options(&s, &actor).await?,
            values => context! { title => input.title, purpose => input.purpose, organisation_id => input.organisation_id, terms => input.terms } },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn series_page(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<NoticeQ>,
) -> PageResult {
    let (series, terms, events) = s.app.series(v.actor.as_ref(), &id).await?;
    Ok(page(
        &s,
        &v,
        "events/series.html",
        context! {
            series => context! { id => series.id, title => series.title, purpose => series.purpose },
            themes => terms.iter().map(|t| context! { slug => t.2, name => t.3 }).collect::<Vec<_>>(),
            events => events.iter().map(|e| summary(&s, e)).collect::<Vec<_>>(),
            can_organise => can_organise(&v),
            notice => notice(q.notice.as_deref()),
        },
    ))
}
