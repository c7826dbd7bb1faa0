//! After people register: the organisers' register (list, CSV, attendance marks, a message
//! to everyone), the feedback form, and the event report.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use lz_app::events::FeedbackInput;
use lz_app::{Actor, AppError, FieldError};
use lz_domain::events as rules;
use lz_domain::ids::{EventId, RegistrationId};
use minijinja::Value;

use lz_app::context;

use super::{notice, read_form, NoticeQ, TokenQ};
use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

async fn registrations_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: &EventId,
    status: StatusCode,
    extra: Value,
) -> PageResult {
    let (view, registrations) = state.app.events().registrations(actor, id).await?;
    let rows: Vec<Value> = registrations
        .iter()
        .map(|r| context! {
            id => r.id, name => r.name, email => r.email, organisation => r.organisation_name,
            place => r.place_name, status => r.status, label => r.status.label(),
            attended => r.attended.map(i64::from), access_needs => r.access_needs, dietary_needs => r.dietary_needs,
        })
        .collect();
    let e = &view.event;
    Ok(crate::session::page_with_status(
        state,
        visitor,
        status,
        "events/registrations.html",
        context! {
            event => context! { id => e.id, title => e.title, when => rules::display_range(e.starts_at, e.ends_at),
                registered => e.registered, waiting => e.waiting, capacity => e.capacity },
            rows, ..extra
        },
    ))
}

/// The registrations page again (422) with the form's problems.
async fn registrations_again(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: &EventId,
    errs: &[FieldError],
    extra: Value,
) -> PageResult {
    let (errors, error_for) = crate::pages::errors_ctx(errs);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let extra = context! { errors, error_for, ..extra };
    registrations_page(state, visitor, actor, id, status, extra).await
}

pub(super) async fn registrations(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<EventId>,
    Query(q): Query<NoticeQ>,
) -> PageResult {
    let extra = context! { notice => notice(q.notice.as_deref()) };
    registrations_page(&state, &visitor, &actor, &id, StatusCode::OK, extra).await
}

pub(super) async fn registrations_csv(
    State(state): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<EventId>,
) -> PageResult {
    let csv = state.app.events().registrations_csv(&actor, &id).await?;
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

pub(super) async fn registrations_xlsx(
    State(state): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<EventId>,
) -> PageResult {
    let book = state.app.events().registrations_xlsx(&actor, &id).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"registrations.xlsx\"",
            ),
        ],
        book,
    )
        .into_response())
}

/// The register's form: one `a_<registration id>` field per person: "yes", "no" or "".
pub(super) async fn attendance(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<EventId>,
    body: axum::body::Bytes,
) -> PageResult {
    let fields: Vec<(String, String)> = match read_form(&body) {
        Ok(f) => f,
        Err(r) => return Ok(*r),
    };
    let marks: Vec<(RegistrationId, Option<bool>)> = fields
        .into_iter()
        .filter_map(|(key, value)| {
            let registration = key.strip_prefix("a_")?;
            let mark = match value.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            };
            Some((RegistrationId::from(registration), mark))
        })
        .collect();
    match state.app.events().set_attendance(&actor, &id, &marks).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/events/{id}/registrations?notice=attendance")).into_response(),
        ),
        Err(AppError::Invalid(errs)) => {
            registrations_again(&state, &visitor, &actor, &id, &errs, context! {}).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct EmailForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    include_waiting: Option<String>,
}

pub(super) async fn email_registrants(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<EventId>,
    HtmlForm(f): HtmlForm<EmailForm>,
) -> PageResult {
    let include_waiting = f.include_waiting.is_some();
    match state
        .app
        .events()
        .email_registrants(&actor, &id, &f.subject, &f.message, include_waiting)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/events/{id}/registrations?notice=emailed")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let typed =
                context! { mail => context! { subject => f.subject, message => f.message } };
            registrations_again(&state, &visitor, &actor, &id, &errs, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn feedback_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<EventId>,
    Query(q): Query<TokenQ>,
) -> PageResult {
    let events = state.app.events();
    let actor = visitor.actor.as_ref();
    let token = Some(q.token.as_str()).filter(|t| !t.is_empty());
    let registration = events.feedback_registration(actor, &id, token).await?;
    let event = match token {
        Some(t) => events.guest_registration(t).await?.event,
        None => events.event(actor, &id).await?.event,
    };
    Ok(page(
        &state,
        &visitor,
        "events/feedback.html",
        context! { event => context! { id => event.id, title => event.title }, token => q.token, done => registration.has_feedback, values => context! {} },
    ))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct FeedbackForm {
    #[serde(default)]
    token: String,
    #[serde(flatten)]
    input: FeedbackInput,
}

pub(super) async fn feedback(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<EventId>,
    HtmlForm(f): HtmlForm<FeedbackForm>,
) -> PageResult {
    let events = state.app.events();
    let actor = visitor.actor.as_ref();
    let token = Some(f.token.as_str()).filter(|t| !t.is_empty());
    match events.give_feedback(actor, &id, token, &f.input).await {
        Ok(()) => {
            // Read again as before: an error here is the same page an error gave before.
            events.feedback_registration(actor, &id, token).await?;
            Ok(page(
                &state,
                &visitor,
                "events/feedback.html",
                context! { event => context! { id => id }, done => true, notice => notice(Some("feedback")) },
            ))
        }
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "events/feedback.html",
            &errs,
            context! { event => context! { id => id }, token => f.token,
            values => context! { rating => f.input.rating, do_differently => f.input.do_differently, topics_next => f.input.topics_next } },
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn report(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<EventId>,
) -> PageResult {
    let (view, report) = state.app.events().report(&actor, &id).await?;
    let max_rating = report.ratings.iter().copied().max().unwrap_or(0).max(1);
    let e = &view.event;
    Ok(page(
        &state,
        &visitor,
        "events/report.html",
        context! {
            event => context! { id => e.id, title => e.title, when => rules::display_range(e.starts_at, e.ends_at), capacity => e.capacity },
            report => lz_app::context::to_value(&report),
            ratings => report.ratings.iter().enumerate().map(|(i, n)| context! { stars => i + 1, count => n, width => n * 100 / max_rating }).collect::<Vec<_>>(),
        },
    ))
}
