//! Organising events: the event form (create, change), cancelling, the series form, and
//! publishing materials from an event to the library. Who may do it is decided by the events
//! use cases; these handlers only read forms and render.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::events::{EventInput, Flag, MaterialInput, SeriesInput, STATUSES, VISIBILITIES};
use lz_app::{Actor, AppError};
use lz_domain::events::EventFormat;
use lz_domain::ids::EventId;
use lz_domain::library::Vocabulary;
use minijinja::Value;

use lz_app::context;

use super::browse::event_again;
use super::read_form;
use crate::error::PageResult;
use crate::pages::form_again;
use crate::session::{page, SignedIn};
use crate::AppState;

async fn theme_options(state: &AppState) -> Result<Vec<Value>, AppError> {
    Ok(state
        .app
        .library()
        .terms()
        .await?
        .into_iter()
        .filter(|t| t.vocabulary == Vocabulary::Theme && t.merged_into.is_none())
        .map(|t| context! { value => t.id, label => t.name })
        .collect())
}

async fn form_options(state: &AppState, actor: &Actor) -> Result<Value, AppError> {
    let organisations = crate::pages::own_organisation_options(state, actor).await?;
    let series: Vec<Value> = state
        .app
        .events()
        .all_series()
        .await?
        .into_iter()
        .map(|x| context! { value => x.id, label => x.title })
        .collect();
    Ok(context! {
        organisations, series, themes => theme_options(state).await?,
        formats => EventFormat::ALL.iter().map(|f| context! { value => f.code(), label => f.label() }).collect::<Vec<_>>(),
        visibilities => VISIBILITIES.iter().map(|(v, l)| context! { value => v, label => l }).collect::<Vec<_>>(),
        statuses => STATUSES.iter().map(|(v, l)| context! { value => v, label => l }).collect::<Vec<_>>(),
        guests_possible => state.app.config.guest_registration,
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

/// The event form's context: its options, the values, where it posts and its heading.
async fn event_form(
    state: &AppState,
    actor: &Actor,
    values: &EventInput,
    editing: Option<&EventId>,
) -> Result<Value, AppError> {
    let options = form_options(state, actor).await?;
    let values = input_values(values);
    Ok(match editing {
        None => {
            context! { options, values, action => "/events/new", heading => "Create an event" }
        }
        Some(id) => context! {
            options, values, action => format!("/events/{id}/edit"), heading => "Change the event", editing => true,
        },
    })
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
) -> PageResult {
    state.app.events().require_may_create(&actor)?;
    let values = EventInput {
        organisation_id: actor
            .active_organisation_ids()
            .into_iter()
            .next()
            .unwrap_or_default(),
        visibility: "network".into(),
        status: "open".into(),
        format: "in_person".into(),
        ask_access: Flag::Bool(true),
        ..Default::default()
    };
    let ctx = event_form(&state, &actor, &values, None).await?;
    Ok(page(&state, &visitor, "events/form.html", ctx))
}

pub(super) async fn create(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    body: axum::body::Bytes,
) -> PageResult {
    let input: EventInput = match read_form(&body) {
        Ok(i) => i,
        Err(r) => return Ok(*r),
    };
    match state.app.events().create(&actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/events/{id}?notice=created")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let ctx = event_form(&state, &actor, &input, None).await?;
            Ok(form_again(&state, &visitor, "events/form.html", &errs, ctx))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<EventId>,
) -> PageResult {
    let values = state.app.events().edit_values(&actor, &id).await?;
    let ctx = event_form(&state, &actor, &values, Some(&id)).await?;
    Ok(page(&state, &visitor, "events/form.html", ctx))
}

pub(super) async fn update(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<EventId>,
    body: axum::body::Bytes,
) -> PageResult {
    let input: EventInput = match read_form(&body) {
        Ok(i) => i,
        Err(r) => return Ok(*r),
    };
    match state.app.events().update(&actor, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let ctx = event_form(&state, &actor, &input, Some(&id)).await?;
            Ok(form_again(&state, &visitor, "events/form.html", &errs, ctx))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn cancel_event(
    State(state): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<EventId>,
) -> PageResult {
    state.app.events().cancel(&actor, &id).await?;
    Ok(Redirect::to(&format!("/events/{id}?notice=event-cancelled")).into_response())
}

/// The upload form: a file, or links or notes, and a title. What was read before a failure
/// stays in `input`, to show the form again.
async fn read_materials(
    form: &mut Multipart,
    input: &mut MaterialInput,
    file: &mut Option<(String, axum::body::Bytes)>,
) -> Result<(), AppError> {
    let unreadable = |_| AppError::field("file", "The upload could not be read: try again");
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(unreadable)?;
                if !bytes.is_empty() {
                    *file = Some((name, bytes));
                }
            }
            "title" => input.title = field.text().await.map_err(unreadable)?,
            "notes" => input.notes = field.text().await.map_err(unreadable)?,
            "links" => input.links = field.text().await.map_err(unreadable)?,
            _ => {}
        }
    }
    if file.is_none() && input.links.trim().is_empty() && input.notes.trim().is_empty() {
        return Err(AppError::field(
            "file",
            "Choose a file, or add a recording link or notes",
        ));
    }
    Ok(())
}

pub(super) async fn materials(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<EventId>,
    mut form: Multipart,
) -> PageResult {
    let mut input = MaterialInput::default();
    let mut file = None;
    let mut result = read_materials(&mut form, &mut input, &mut file).await;
    if result.is_ok() {
        let file = file.as_ref().map(|(n, b)| (n.as_str(), b.as_ref()));
        result = state
            .app
            .events()
            .publish_material(&actor, &id, &input, file)
            .await
            .map(|_| ());
    }
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}?notice=material")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let typed = context! { material => context! { title => input.title, notes => input.notes, links => input.links } };
            event_again(&state, &visitor, &id, &errs, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn new_series_form(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
) -> PageResult {
    state.app.events().require_may_create(&actor)?;
    let options = form_options(&state, &actor).await?;
    Ok(page(
        &state,
        &visitor,
        "events/series_form.html",
        context! { options, values => context! { organisation_id => actor.active_organisation_ids().into_iter().next() } },
    ))
}

pub(super) async fn create_series(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    body: axum::body::Bytes,
) -> PageResult {
    let input: SeriesInput = match read_form(&body) {
        Ok(i) => i,
        Err(r) => return Ok(*r),
    };
    match state.app.events().create_series(&actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/events/series/{id}?notice=series")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "events/series_form.html",
            &errs,
            context! { options => form_options(&state, &actor).await?,
            values => context! { title => input.title, purpose => input.purpose, organisation_id => input.organisation_id, terms => input.terms } },
        )),
        Err(e) => Err(e.into()),
    }
}
