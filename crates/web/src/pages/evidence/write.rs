//! Writing evidence: the form (new, optionally from a library item; edit), saving it, and
//! the workflow buttons (check, publish) and deleting.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::context;
use lz_app::evidence::{EvidenceAccess, EvidenceInput, EvidenceSource};
use lz_app::{Actor, AppError};
use lz_domain::evidence::{EvidenceType, NESTA_LEVELS};
use lz_domain::library::{Visibility, Vocabulary};
use minijinja::Value;

use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm, HtmlQuery};
use crate::session::{page, SignedIn};
use crate::AppState;

/// The form's option lists: agendas, places, organisations, types, levels, visibilities.
async fn form_options(s: &AppState, input: &EvidenceInput) -> Result<Value, AppError> {
    let checked = |list: &[String], id: &str| list.iter().any(|c| c == id);
    let agendas: Vec<Value> = s.app.library().terms().await?.into_iter()
        .filter(|t| t.vocabulary == Vocabulary::Agenda)
        .map(|t| context! { value => t.id, label => t.name, checked => checked(&input.agendas, t.id.as_str()) })
        .collect();
    let places: Vec<Value> = s.app.network().places().await?.into_iter()
        .map(|p| context! { value => p.id, label => p.name, checked => checked(&input.places, p.id.as_str()) })
        .collect();
    let organisations: Vec<Value> = s.app.network().organisations().await?.into_iter()
        .map(|o| context! { value => o.id, label => o.name, checked => checked(&input.organisations, o.id.as_str()) })
        .collect();
    Ok(context! {
        agendas, places, organisations,
        types => EvidenceType::ALL.iter().map(|k| context! { value => k.code(), label => k.label() }).collect::<Vec<_>>(),
        levels => NESTA_LEVELS.iter().map(|(n, l)| context! { value => n.to_string(), label => l }).collect::<Vec<_>>(),
        visibilities => [Visibility::Public, Visibility::Network, Visibility::Organisation].iter().map(|k| context! { value => k.code(), label => k.label() }).collect::<Vec<_>>(),
    })
}

/// The title of the library item the evidence is drawn from, when the person may see it
/// (so the form says which item it is, not only its reference).
async fn source_title(
    s: &AppState,
    v: &crate::session::Visitor,
    input: &EvidenceInput,
) -> Option<String> {
    let id = input.source_item_id.trim();
    if id.is_empty() || id.contains('/') {
        return None;
    }
    s.app
        .library()
        .item(v.actor.as_ref(), id)
        .await
        .ok()
        .map(|view| view.item.title)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct NewQuery {
    item: String,
}

async fn form_page(
    s: &AppState,
    v: &crate::session::Visitor,
    input: &EvidenceInput,
    action: String,
    editing: bool,
) -> PageResult {
    let item_title = source_title(s, v, input).await;
    Ok(page(
        s,
        v,
        "evidence/form.html",
        context! { options => form_options(s, input).await?, values => input, action, editing, item_title },
    ))
}

async fn form_with_errors(
    s: &AppState,
    v: &crate::session::Visitor,
    input: &EvidenceInput,
    errs: &[lz_app::FieldError],
    action: String,
    editing: bool,
) -> PageResult {
    let item_title = source_title(s, v, input).await;
    Ok(form_again(
        s,
        v,
        "evidence/form.html",
        errs,
        context! { options => form_options(s, input).await?, values => input, action, editing, item_title },
    ))
}

pub(super) async fn new_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlQuery(q): HtmlQuery<NewQuery>,
) -> PageResult {
    EvidenceAccess::require_record(Some(&actor))?;
    let mut input = EvidenceInput {
        visibility: "network".into(),
        source_kind: "external".into(),
        ..EvidenceInput::default()
    };
    if !q.item.is_empty() {
        prefill_from_item(&s, &actor, &q.item, &mut input).await?;
    }
    form_page(&s, &v, &input, "/evidence/new".into(), false).await
}

/// Fills the source, agendas and place from a library item the person may see.
async fn prefill_from_item(
    s: &AppState,
    actor: &Actor,
    item_id: &str,
    input: &mut EvidenceInput,
) -> Result<(), AppError> {
    let view = s.app.library().item(Some(actor), item_id).await?;
    input.source_kind = "item".into();
    input.source_item_id = view.item.id.to_string();
    input.agendas = view
        .terms
        .iter()
        .filter(|t| t.vocabulary == Vocabulary::Agenda)
        .map(|t| t.term_id.to_string())
        .collect();
    input.places = view.item.place_id.iter().map(|p| p.to_string()).collect();
    input.organisations = vec![view.item.organisation_id.to_string()];
    Ok(())
}

pub(super) async fn create(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(input): HtmlForm<EvidenceInput>,
) -> PageResult {
    match s.app.evidence().create(&actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/evidence/{id}?notice=created")).into_response()),
        Err(AppError::Invalid(errs)) => {
            form_with_errors(&s, &v, &input, &errs, "/evidence/new".into(), false).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn edit_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let view = s.app.evidence().get(Some(&actor), &id).await?;
    view.access.require_edit()?;
    let input = input_of(&view.record);
    form_page(&s, &v, &input, format!("/evidence/{id}/edit"), true).await
}

/// The form's values for a saved record.
fn input_of(r: &lz_app::evidence::EvidenceRecord) -> EvidenceInput {
    let ids = |l: &[lz_app::evidence::EvidenceLink]| l.iter().map(|x| x.id.clone()).collect();
    let mut input = EvidenceInput {
        claim: r.claim.clone(),
        agendas: ids(&r.agendas),
        places: ids(&r.places),
        organisations: ids(&r.organisations),
        measure_name: r.measure.name.clone(),
        measure_value: r.measure.value.clone().unwrap_or_default(),
        measure_unit: r.measure.unit.clone(),
        measure_baseline: r.measure.baseline.clone().unwrap_or_default(),
        measure_period: r.measure.period.clone(),
        sample_size: r
            .measure
            .sample_size
            .map(|n| n.to_string())
            .unwrap_or_default(),
        evidence_type: r.evidence_type.code().into(),
        strength: r.strength.level().to_string(),
        consent_to_quote: if r.consent_to_quote {
            "yes".into()
        } else {
            String::new()
        },
        visibility: r.visibility.code().into(),
        ..EvidenceInput::default()
    };
    match &r.source {
        EvidenceSource::Item {
            item_id, locator, ..
        } => {
            input.source_kind = "item".into();
            input.source_item_id = item_id.to_string();
            input.source_locator = locator.clone();
        }
        EvidenceSource::External {
            title,
            publisher,
            date,
            url,
            licence,
        } => {
            input.source_kind = "external".into();
            input.source_title = title.clone();
            input.source_publisher = publisher.clone();
            input.source_date = date.clone().unwrap_or_default();
            input.source_url = url.clone();
            input.source_licence = licence.clone();
        }
    }
    input
}

pub(super) async fn update(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(input): HtmlForm<EvidenceInput>,
) -> PageResult {
    match s.app.evidence().update(&actor, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/evidence/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => {
            form_with_errors(&s, &v, &input, &errs, format!("/evidence/{id}/edit"), true).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn check(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    s.app.evidence().check(&actor, &id).await?;
    Ok(Redirect::to(&format!("/evidence/{id}?notice=checked")).into_response())
}

pub(super) async fn publish(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    s.app.evidence().publish(&actor, &id).await?;
    Ok(Redirect::to(&format!("/evidence/{id}?notice=published")).into_response())
}

pub(super) async fn delete(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    s.app.evidence().delete(&actor, &id).await?;
    Ok(Redirect::to("/evidence").into_response())
}
