//! Writing: the item form (new and edit), its option lists, and saving it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use lz_app::library::{ItemInput, LibraryAccess, SECTIONS};
use lz_app::{Actor, AppError};
use lz_domain::library::{ItemKind, Visibility, Vocabulary};
use minijinja::Value;

use lz_app::context;

use crate::error::PageResult;
use crate::pages::form_again;
use crate::session::{page, SignedIn};
use crate::AppState;

fn kinds() -> Vec<Value> {
    ItemKind::ALL
        .iter()
        .map(|k| context! { value => k.code(), label => k.label() })
        .collect()
}

fn visibilities() -> Vec<Value> {
    Visibility::ALL
        .iter()
        .map(|k| context! { value => k.code(), label => k.label() })
        .collect()
}

/// The form's option lists: the writer's organisations (all for moderators), places, terms.
pub(crate) async fn form_options(
    s: &AppState,
    actor: &Actor,
    chosen_terms: &[String],
) -> Result<Value, AppError> {
    let organisations = crate::pages::own_organisation_options(s, actor).await?;
    let places: Vec<Value> = s
        .app
        .network()
        .places()
        .await?
        .into_iter()
        .map(|p| context! { value => p.id, label => p.name })
        .collect();
    let terms = s.app.library().terms().await?;
    let vocab = |voc: Vocabulary| -> Vec<Value> {
        terms
            .iter()
            .filter(|t| t.vocabulary == voc)
            .map(|t| context! { value => t.id, label => t.name, checked => chosen_terms.iter().any(|c| t.id == c.as_str()) })
            .collect()
    };
    Ok(context! {
        kinds => kinds(), visibilities => visibilities(), organisations, places,
        licences => lz_domain::citation::Licence::ALL.iter().map(|l| context! { value => l.code(), label => l.label() }).collect::<Vec<_>>(),
        themes => vocab(Vocabulary::Theme), agendas => vocab(Vocabulary::Agenda), audiences => vocab(Vocabulary::Audience),
        sections => SECTIONS.iter().map(|(f, h)| context! { field => f, heading => h }).collect::<Vec<_>>(),
    })
}

fn input_values(i: &ItemInput) -> Value {
    context! {
        kind => i.kind, title => i.title, summary => i.summary, context => i.context, what_we_did => i.what_we_did,
        what_we_learned => i.what_we_learned, do_differently => i.do_differently, outcomes => i.outcomes,
        contacts => i.contacts, body_md => i.body_md, organisation_id => i.organisation_id, place_id => i.place_id,
        visibility => i.visibility, authors => i.authors, links => i.links,
        original_date => i.original_date, licence => i.licence, cite_as => i.cite_as,
    }
}

pub(super) async fn new_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
) -> PageResult {
    LibraryAccess::require_write(&actor)?;
    let first_org = actor
        .active_organisation_ids()
        .into_iter()
        .next()
        .unwrap_or_default();
    let values = input_values(&ItemInput {
        visibility: "network".into(),
        organisation_id: first_org,
        ..Default::default()
    });
    Ok(page(
        &s,
        &v,
        "library/form.html",
        context! { options => form_options(&s, &actor, &[]).await?, values, action => "/library/new" },
    ))
}

/// The item form as posted: the term checkboxes come as repeated `terms` fields.
async fn read_item_form(body: axum::body::Bytes) -> Result<ItemInput, Response> {
    crate::pages::read_form(&body).map_err(|e| *e)
}

pub(super) async fn create(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    body: axum::body::Bytes,
) -> PageResult {
    let input = match read_item_form(body).await {
        Ok(i) => i,
        Err(r) => return Ok(r),
    };
    match s.app.library().create(&actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/library/{id}?notice=item-created")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "library/form.html",
            &errs,
            context! { options => form_options(&s, &actor, &input.terms).await?, values => input_values(&input), action => "/library/new" },
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn edit_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let view = s.app.library().item(Some(&actor), &id).await?;
    view.access.require_edit()?;
    let input = view.input();
    Ok(page(
        &s,
        &v,
        "library/form.html",
        context! { options => form_options(&s, &actor, &input.terms).await?, values => input_values(&input), action => format!("/library/{id}/edit"), editing => true, title => view.item.title },
    ))
}

pub(super) async fn update(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input = match read_item_form(body).await {
        Ok(i) => i,
        Err(r) => return Ok(r),
    };
    match s.app.library().update(&actor, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/library/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "library/form.html",
            &errs,
            context! { options => form_options(&s, &actor, &input.terms).await?, values => input_values(&input), action => format!("/library/{id}/edit"), editing => true },
        )),
        Err(e) => Err(e.into()),
    }
}
