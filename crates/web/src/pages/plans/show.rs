//! A plan's page: its work areas and mandates with their progress, the actions, the
//! timeline, and the form to add Executive minutes. `plan_ctx` is the page's context, which
//! the work area forms reuse to show the page again with their problems.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::plans::{PlanView, WorkAreaKind, WorkAreaRecord};
use lz_app::AppError;
use minijinja::Value;

use lz_app::context;

use super::today;
use crate::error::PageResult;
use crate::pages::{errors_ctx, notice_text, HtmlForm, NoticeQuery};
use crate::session::{page, SignedIn, Visitor};
use crate::templates::money;
use crate::AppState;

/// What the plan page shows beside the plan itself: the public figures its outcomes follow
/// and the choices of the form that links one.
pub(super) struct Figures {
    figures: Vec<lz_app::intelligence::OutcomeFigure>,
    indicators: Vec<Value>,
    areas: Vec<Value>,
}

pub(super) async fn figures(s: &AppState, view: &PlanView) -> Result<Figures, AppError> {
    let intel = s.app.intelligence();
    Ok(Figures {
        figures: intel.plan_outcomes(view.plan.id.as_str()).await?,
        indicators: intel
            .indicators()
            .await?
            .into_iter()
            .map(|i| context! { value => i.id, label => format!("{} ({} {})", i.name, i.source_label(), i.source_id) })
            .collect(),
        areas: intel
            .areas()
            .await?
            .into_iter()
            .map(|a| context! { value => a.code.as_str(), label => format!("{} ({})", a.name, a.code.as_str()) })
            .collect(),
    })
}

/// A linked public figure as the outcome shows it.
fn figure_ctx(f: &lz_app::intelligence::OutcomeFigure) -> Value {
    let shown = |o: &Option<lz_app::intelligence::ObservationRecord>| {
        o.as_ref().and_then(|o| {
            o.value.map(|v| context! { value => crate::charts::format_value(v, &f.unit), period => o.period.clone(), illustrative => o.illustrative })
        })
    };
    context! {
        indicator_id => f.indicator_id.clone(), indicator => f.indicator_name.clone(), source => f.source.clone(),
        area_code => f.area_code.clone(), area => f.area_name.clone(),
        baseline => shown(&f.baseline), latest => shown(&f.latest),
        target => f.target.map(|t| crate::charts::format_value(t, &f.unit)), target_year => f.target_year,
        movement => f.movement, illustrative => f.illustrative,
    }
}

/// One work area with everything the page lists under it.
fn area_ctx(view: &PlanView, w: &WorkAreaRecord, today: &str, figures: &Figures) -> Value {
    let leads: Vec<String> = view.leads_of(&w.id).map(|l| l.name.clone()).collect();
    let lines: Vec<Value> = view
        .budget_lines
        .iter()
        .filter(|b| b.work_area_id == w.id)
        .map(|b| context! { label => b.label.clone(), amount => money(b.amount_pence) })
        .collect();
    let outcomes: Vec<Value> = view.outcomes.iter().filter(|o| o.work_area_id == w.id).map(|o| context! {
        id => o.id.clone(), text => o.text.clone(), indicator => o.indicator.clone(), baseline => o.baseline.clone(), target => o.target.clone(), current => o.current_value.clone(),
        figure => figures.figures.iter().find(|f| f.outcome_id == o.id.as_str()).map(figure_ctx),
    }).collect();
    let updates: Vec<Value> = view.updates.iter().filter(|u| u.work_area_id == w.id).map(|u| context! {
        posted_on => u.posted_on.clone(), body => u.body.clone(), rag => u.rag, author => u.author.clone(), spent => u.spent_pence.map(money),
    }).collect();
    let milestones: Vec<Value> = view.milestones.iter().filter(|m| m.work_area_id == w.id).map(|m| context! {
        id => m.id.clone(), title => m.title.clone(), due => m.due_date.clone(), status => m.status, missed => m.missed_on(today),
    }).collect();
    let learning: Vec<Value> = view.learning.iter().filter(|l| l.work_area_id == w.id).map(|l| context! {
        id => l.id.clone(), title => l.title.clone(), organisation => l.organisation_name.clone(), kind => l.kind.clone(),
    }).collect();
    context! {
        id => w.id.clone(), kind => w.kind, title => w.title.clone(), why => w.why.clone(), what => w.what_we_will_do.clone(),
        progress => w.progress.clone(), when_text => w.when_text.clone(), start => w.start_date.clone(), end => w.end_date.clone(), end_open => w.end_open,
        rag => w.rag, leads, budget_lines => lines, budget => (w.budget_allocated_pence > 0).then(|| money(w.budget_allocated_pence)), outcomes,
        spent => money(w.budget_spent_pence),
        over_budget => (w.budget_spent_pence > w.budget_allocated_pence).then(|| money(w.budget_spent_pence - w.budget_allocated_pence)),
        committed => (w.budget_committed_pence > 0).then(|| money(w.budget_committed_pence)), updates, milestones, learning,
        may_update => view.may_update(&w.id),
        places => view.places_of(&w.id).map(|p| context! { name => p.place_name.clone(), slug => p.place_slug.clone() }).collect::<Vec<_>>(),
    }
}

/// The plan page's context.
pub(super) fn plan_ctx(view: &PlanView, today: &str, figures: &Figures) -> Value {
    let areas_of = |kind: WorkAreaKind| -> Vec<Value> {
        view.work_areas
            .iter()
            .filter(|w| w.kind == kind)
            .map(|w| area_ctx(view, w, today, figures))
            .collect()
    };
    let actions: Vec<Value> = view.actions.iter().map(|a| context! {
        id => a.id.clone(), description => a.description.clone(), owner => a.owner_name.clone(), owner_id => a.owner_user_id.clone(), due => a.due_date.clone(), status => a.status,
        meeting => a.meeting_title.clone(), overdue => a.overdue_on(today),
        work_area_id => a.work_area_id.clone(), work_area => a.work_area_title.clone(),
    }).collect();
    let p = &view.plan;
    context! {
        plan => context! { id => p.id.clone(), title => p.title.clone(), owner => p.owner_organisation.clone(), cluster => p.cluster.clone(), lead_applicant => p.lead_applicant.clone(), period_start => p.period_start.clone(), period_end => p.period_end.clone(), visibility => p.visibility },
        work_areas => areas_of(WorkAreaKind::WorkArea),
        mandates => areas_of(WorkAreaKind::Mandate),
        budget_total => money(view.budget_allocated_pence()), actions, can_edit => view.may_edit(),
        timeline => super::timeline::svg(view, today).map(Value::from_safe_string),
        figure_indicators => figures.indicators.clone(), figure_areas => figures.areas.clone(),
    }
}

pub(super) async fn show(
    State(s): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let view = s.app.plans().view(visitor.actor.as_ref(), &id).await?;
    let people = people(&s, &view).await?;
    let evidence = s
        .app
        .plans()
        .evidence_lines(visitor.actor.as_ref(), &id)
        .await?;
    Ok(page(
        &s,
        &visitor,
        "plans/show.html",
        context! { notice => notice_text(q.notice.as_deref()), people, evidence, ..plan_ctx(&view, &today(&s), &figures(&s, &view).await?) },
    ))
}

/// People an action may be given to, for those who may change the plan.
pub(super) async fn people(s: &AppState, view: &PlanView) -> Result<Vec<Value>, AppError> {
    if !view.may_edit() {
        return Ok(vec![]);
    }
    Ok(s.app
        .plans()
        .assignable_people()
        .await?
        .into_iter()
        .map(|(id, name)| context! { value => id, label => name })
        .collect())
}

#[derive(serde::Deserialize, Default)]
pub(super) struct ActionForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_date: String,
}

pub(super) async fn add_action(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<ActionForm>,
) -> PageResult {
    let plans = s.app.plans();
    match plans
        .add_action(&actor, &id, &form.description, &form.owner, &form.due_date)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{id}?notice=saved#actions")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let view = plans.view(Some(&actor), &id).await?;
            let people = people(&s, &view).await?;
            let (errors, error_for) = errors_ctx(&errs);
            let action = context! { description => form.description, owner => form.owner, due_date => form.due_date };
            Ok(crate::session::page_with_status(
                &s,
                &visitor,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "plans/show.html",
                context! { errors, error_for, action, people, ..plan_ctx(&view, &today(&s), &figures(&s, &view).await?) },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct MinutesForm {
    #[serde(default)]
    text: String,
}

pub(super) async fn add_minutes(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<MinutesForm>,
) -> PageResult {
    match s
        .app
        .plans()
        .import_minutes(Some(&actor), &id, &form.text)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let view = s.app.plans().view(Some(&actor), &id).await?;
            let (errors, error_for) = errors_ctx(&errs);
            Ok(crate::session::page_with_status(
                &s,
                &visitor,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "plans/show.html",
                context! { errors, error_for, minutes => form.text, ..plan_ctx(&view, &today(&s), &figures(&s, &view).await?) },
            ))
        }
        Err(e) => Err(e.into()),
    }
}
