//! Changing collections: the details form (new and edit), sections (add, edit, move,
//! delete), choosing evidence for a section (a filtered list with checkboxes), moving and
//! removing a record, publishing and deleting.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::advocacy::{CollectionAccess, CollectionInput, CollectionView, SectionInput};
use lz_app::context;
use lz_app::evidence::EvidenceFilter;
use lz_app::{Actor, AppError};
use lz_domain::advocacy::{audience_label, CollectionKind, AUDIENCES};
use minijinja::Value;

use super::super::evidence::read::record_ctx;
use super::read::collection_ctx;
use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm, HtmlQuery};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

/// The details form's option lists: kinds, audiences, places, work areas, events.
async fn options(s: &AppState, actor: &Actor, input: &CollectionInput) -> Result<Value, AppError> {
    let places: Vec<Value> = s
        .app
        .network()
        .places()
        .await?
        .into_iter()
        .map(|p| context! { value => p.id, label => p.name })
        .collect();
    let mut work_areas = Vec::new();
    for plan in s.app.plans().list(Some(actor)).await?.plans {
        let view = s.app.plans().view(Some(actor), plan.id.as_str()).await?;
        for w in view.work_areas {
            work_areas
                .push(context! { value => w.id, label => format!("{}: {}", plan.title, w.title) });
        }
    }
    let mut events = s.app.events().past(Some(actor)).await?;
    events.extend(s.app.events().upcoming(Some(actor)).await?);
    let events: Vec<Value> = events
        .into_iter()
        .map(|e| {
            let id = e.id.to_string();
            context! { checked => input.events.contains(&id), value => id, label => e.title }
        })
        .collect();
    Ok(context! {
        kinds => CollectionKind::ALL.iter().map(|k| context! { value => k.code(), label => match k {
            CollectionKind::Pack => "An advocacy pack: evidence for decision makers, as a document and a slide deck",
            CollectionKind::Narrative => "A narrative: the story of the value of physical activity and sport, for the region or one place",
        } }).collect::<Vec<_>>(),
        audiences => AUDIENCES.iter().map(|a| context! { value => a.code(), label => audience_label(*a) }).collect::<Vec<_>>(),
        places, work_areas, events,
    })
}

async fn form(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    input: &CollectionInput,
    action: String,
    editing: bool,
    errs: Option<&[lz_app::FieldError]>,
) -> PageResult {
    let ctx =
        context! { options => options(s, actor, input).await?, values => input, action, editing };
    Ok(match errs {
        Some(errs) => form_again(s, v, "advocacy/form.html", errs, ctx),
        None => page(s, v, "advocacy/form.html", ctx),
    })
}

pub(super) async fn new_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
) -> PageResult {
    CollectionAccess::require_create(Some(&actor))?;
    let input = CollectionInput {
        kind: "pack".into(),
        audience: "public".into(),
        curators: Some(String::new()),
        ..CollectionInput::default()
    };
    form(&s, &v, &actor, &input, "/collections".into(), false, None).await
}

pub(super) async fn create(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(input): HtmlForm<CollectionInput>,
) -> PageResult {
    match s.app.advocacy().create(&actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/collections/{id}?notice=created")).into_response()),
        Err(AppError::Invalid(errs)) => {
            form(
                &s,
                &v,
                &actor,
                &input,
                "/collections".into(),
                false,
                Some(&errs),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The details form's values for a saved collection.
fn input_of(view: &CollectionView, actor: &Actor) -> CollectionInput {
    let c = &view.collection;
    CollectionInput {
        kind: c.kind.code().into(),
        title: c.title.clone(),
        summary: c.summary.clone(),
        ask: c.ask.clone(),
        audience: c.audience.code().into(),
        place: c.place.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
        work_area: c
            .work_area
            .as_ref()
            .map(|w| w.id.clone())
            .unwrap_or_default(),
        events: view.content.event_ids.clone(),
        curators: Some(
            view.curators
                .iter()
                .filter(|p| p.id != actor.id())
                .map(|p| p.email.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        sections: None,
    }
}

pub(super) async fn edit_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let view = s.app.advocacy().collection(Some(&actor), &id).await?;
    view.access.require_edit()?;
    let input = input_of(&view, &actor);
    form(
        &s,
        &v,
        &actor,
        &input,
        format!("/collections/{id}/edit"),
        true,
        None,
    )
    .await
}

pub(super) async fn update(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(mut input): HtmlForm<CollectionInput>,
) -> PageResult {
    // The form edits details only; sections are edited one at a time.
    input.sections = None;
    match s.app.advocacy().update(&actor, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/collections/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => {
            form(
                &s,
                &v,
                &actor,
                &input,
                format!("/collections/{id}/edit"),
                true,
                Some(&errs),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct PublishForm {
    published: String,
}

pub(super) async fn publish(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<PublishForm>,
) -> PageResult {
    let on = f.published == "yes";
    s.app.advocacy().set_published(&actor, &id, on).await?;
    let notice = if on { "published" } else { "unpublished" };
    Ok(Redirect::to(&format!("/collections/{id}?notice={notice}")).into_response())
}

pub(super) async fn delete(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    s.app.advocacy().delete(&actor, &id).await?;
    Ok(Redirect::to("/collections?notice=deleted").into_response())
}

/// The collection page again with a section form's problems (422).
async fn show_with_errors(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: &str,
    errs: &[lz_app::FieldError],
    section: &SectionInput,
) -> PageResult {
    let view = s.app.advocacy().collection(Some(actor), id).await?;
    let a = view.access;
    Ok(form_again(
        s,
        v,
        "advocacy/show.html",
        errs,
        context! {
            c => collection_ctx(&view, a.may_oversee()), may_edit => a.may_edit(), may_publish => a.may_publish(),
            may_share => a.may_share(), may_oversee => a.may_oversee(), shares => Vec::<Value>::new(),
            new_section => section,
        },
    ))
}

pub(super) async fn add_section(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(input): HtmlForm<SectionInput>,
) -> PageResult {
    match s.app.advocacy().add_section(&actor, &id, &input).await {
        Ok(section) => Ok(Redirect::to(&format!(
            "/collections/{id}?notice=section-added#section-{section}"
        ))
        .into_response()),
        Err(AppError::Invalid(errs)) => show_with_errors(&s, &v, &actor, &id, &errs, &input).await,
        Err(e) => Err(e.into()),
    }
}

async fn section_page(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: &str,
    section_id: &str,
    input: Option<&SectionInput>,
    errs: Option<&[lz_app::FieldError]>,
) -> PageResult {
    let view = s.app.advocacy().collection(Some(actor), id).await?;
    view.access.require_edit()?;
    let section = view.section(section_id)?;
    let values = match input {
        Some(i) => context! { heading => i.heading, body => i.body },
        None => context! { heading => section.heading, body => section.body },
    };
    let ctx = context! { c => collection_ctx(&view, true), section_id, values };
    Ok(match errs {
        Some(errs) => form_again(s, v, "advocacy/section.html", errs, ctx),
        None => page(s, v, "advocacy/section.html", ctx),
    })
}

pub(super) async fn section_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path((id, section)): Path<(String, String)>,
) -> PageResult {
    section_page(&s, &v, &actor, &id, &section, None, None).await
}

pub(super) async fn edit_section(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path((id, section)): Path<(String, String)>,
    HtmlForm(input): HtmlForm<SectionInput>,
) -> PageResult {
    match s
        .app
        .advocacy()
        .edit_section(&actor, &id, &section, &input)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/collections/{id}?notice=saved#section-{section}"))
                .into_response(),
        ),
        Err(AppError::Invalid(errs)) => {
            section_page(&s, &v, &actor, &id, &section, Some(&input), Some(&errs)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct MoveForm {
    direction: String,
}

fn direction(f: &MoveForm) -> Result<lz_app::advocacy::Direction, AppError> {
    lz_app::advocacy::Direction::parse(&f.direction)
        .ok_or_else(|| AppError::field("direction", "Choose up or down"))
}

pub(super) async fn move_section(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path((id, section)): Path<(String, String)>,
    HtmlForm(f): HtmlForm<MoveForm>,
) -> PageResult {
    s.app
        .advocacy()
        .move_section(&actor, &id, &section, direction(&f)?)
        .await?;
    Ok(Redirect::to(&format!("/collections/{id}#section-{section}")).into_response())
}

pub(super) async fn delete_section(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path((id, section)): Path<(String, String)>,
) -> PageResult {
    s.app
        .advocacy()
        .delete_section(&actor, &id, &section)
        .await?;
    Ok(Redirect::to(&format!("/collections/{id}?notice=saved")).into_response())
}

/// The evidence a curator may choose for a section: every record they may open, filtered
/// by agenda, place, type and strength, those already chosen marked.
pub(super) async fn evidence_picker(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path((id, section)): Path<(String, String)>,
    HtmlQuery(filter): HtmlQuery<EvidenceFilter>,
) -> PageResult {
    picker(&s, &v, &actor, &id, &section, &filter, None).await
}

async fn picker(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: &str,
    section_id: &str,
    filter: &EvidenceFilter,
    errs: Option<&[lz_app::FieldError]>,
) -> PageResult {
    let view = s.app.advocacy().collection(Some(actor), id).await?;
    view.access.require_edit()?;
    let section = view.section(section_id)?;
    let list = s.app.evidence().list(Some(actor), filter).await?;
    let records: Vec<Value> = list
        .records
        .iter()
        .map(|r| context! { r => record_ctx(r), chosen => section.chosen.iter().any(|(e, _)| e == r.id.as_str()) })
        .collect();
    let facet = |l: &[lz_app::evidence::FacetCount]| {
        l.iter().map(|f| context! { value => f.value, label => f.label, count => f.count, chosen => f.chosen }).collect::<Vec<_>>()
    };
    let ctx = context! {
        c => collection_ctx(&view, true), section_id, section_heading => section.heading, records,
        agendas => facet(&list.agendas), places => facet(&list.places),
        filter => context! { agenda => filter.agenda, place => filter.place },
    };
    Ok(match errs {
        Some(errs) => form_again(s, v, "advocacy/pick.html", errs, ctx),
        None => page(s, v, "advocacy/pick.html", ctx),
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct PickForm {
    evidence: Vec<String>,
}

pub(super) async fn add_evidence(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path((id, section)): Path<(String, String)>,
    HtmlForm(f): HtmlForm<PickForm>,
) -> PageResult {
    match s
        .app
        .advocacy()
        .add_evidence(&actor, &id, &section, &f.evidence)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/collections/{id}?notice=evidence-added#section-{section}"
        ))
        .into_response()),
        Err(AppError::Invalid(errs)) => {
            picker(
                &s,
                &v,
                &actor,
                &id,
                &section,
                &EvidenceFilter::default(),
                Some(&errs),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn move_evidence(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path((id, section, evidence)): Path<(String, String, String)>,
    HtmlForm(f): HtmlForm<MoveForm>,
) -> PageResult {
    s.app
        .advocacy()
        .move_evidence(&actor, &id, &section, &evidence, direction(&f)?)
        .await?;
    Ok(Redirect::to(&format!("/collections/{id}#section-{section}")).into_response())
}

pub(super) async fn remove_evidence(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path((id, section, evidence)): Path<(String, String, String)>,
) -> PageResult {
    s.app
        .advocacy()
        .remove_evidence(&actor, &id, &section, &evidence)
        .await?;
    Ok(Redirect::to(&format!("/collections/{id}?notice=saved#section-{section}")).into_response())
}
