//! Registering from an event's page (signed in, or as a guest whose emailed link confirms
//! it), a guest's page reached by that link, and cancelling a registration.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::context;
use lz_app::events::{Answers, GuestInput};
use lz_app::AppError;
use lz_domain::events as rules;
use lz_domain::ids::{EventId, RegistrationId};

use super::browse::event_again;
use super::TokenQ;
use crate::error::PageResult;
use crate::pages::HtmlForm;
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

pub(super) async fn register(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<EventId>,
    HtmlForm(answers): HtmlForm<Answers>,
) -> PageResult {
    match state.app.events().register(&actor, &id, &answers).await {
        Ok(registration) => {
            let code = if registration.is_registered() {
                "registered"
            } else {
                "waiting"
            };
            Ok(Redirect::to(&format!("/events/{id}?notice={code}")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let typed = context! { answers => context! { access_needs => answers.access_needs, dietary_needs => answers.dietary_needs } };
            event_again(&state, &visitor, &id, &errs, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn register_guest(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<EventId>,
    HtmlForm(g): HtmlForm<GuestInput>,
) -> PageResult {
    match state
        .app
        .events()
        .register_guest(&id, &g, &visitor.client)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?notice=guest-sent")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let typed = context! { guest => context! { name => g.name, email => g.email, organisation => g.organisation, access_needs => g.access_needs, dietary_needs => g.dietary_needs } };
            event_again(&state, &visitor, &id, &errs, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn guest_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<TokenQ>,
) -> PageResult {
    let guest = state.app.events().guest_registration(&q.token).await?;
    let (r, e) = (&guest.registration, &guest.event);
    Ok(page(
        &state,
        &visitor,
        "events/guest.html",
        context! {
            token => q.token, status => r.status, name => r.name,
            label => r.status.label(),
            event => context! { id => e.id, title => e.title, when => rules::display_range(e.starts_at, e.ends_at),
                joining_link => guest.joining_link() },
        },
    ))
}

pub(super) async fn guest_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    HtmlForm(q): HtmlForm<TokenQ>,
) -> PageResult {
    state.app.events().confirm_guest(&q.token).await?;
    guest_page(State(state), visitor, Query(q)).await
}

pub(super) async fn guest_cancel(
    State(state): State<AppState>,
    visitor: Visitor,
    HtmlForm(q): HtmlForm<TokenQ>,
) -> PageResult {
    let events = state.app.events();
    let guest = events.guest_registration(&q.token).await?;
    events
        .cancel_registration(None, &guest.registration.id, Some(&q.token))
        .await?;
    guest_page(State(state), visitor, Query(q)).await
}

pub(super) async fn cancel_registration(
    State(state): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<RegistrationId>,
) -> PageResult {
    let events = state.app.events();
    let event_id = events
        .my_registrations(&actor)
        .await?
        .into_iter()
        .find(|(r, _)| r.id == id)
        .map(|(r, _)| r.event_id);
    events.cancel_registration(Some(&actor), &id, None).await?;
    Ok(match event_id {
        Some(e) => Redirect::to(&format!("/events/{e}?notice=cancelled")),
        None => Redirect::to("/events?notice=cancelled"),
    }
    .into_response())
}
