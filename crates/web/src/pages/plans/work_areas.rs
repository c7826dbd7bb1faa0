//! What a work area's leads (and those who may change the plan) do on the plan page: post a
//! progress update, add a milestone or mark it, set an outcome's indicator, link or unlink
//! learning, and change the work area itself on its own form.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::plans::{OutcomeIndicator, PlanView, ProgressUpdate, WorkAreaEdit};
use lz_app::AppError;
use minijinja::Value;

use lz_app::context;

use super::show::{people, plan_ctx};
use super::today;
use crate::error::PageResult;
use crate::pages::{errors_ctx, form_again, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::templates::money;
use crate::AppState;

/// Where to go back to on the plan page after a change to work area `id`.
fn back_to(plan_id: &str, id: &str) -> axum::response::Response {
    Redirect::to(&format!("/plans/{plan_id}?notice=saved#wa-{id}")).into_response()
}

/// A form on the plan page that failed: which form, and what was entered.
struct FailedForm<'a> {
    plan_id: &'a str,
    /// The work area (or outcome of one) whose form is shown.
    for_id: &'a str,
    /// "update", "learning", "milestone" or "indicator".
    form: &'a str,
    /// Field ids on the page are `{prefix}{field}-{for_id}`, so the error summary links to them.
    prefix: &'a str,
    values: Value,
}

/// The plan page again with one work area's form open, showing what was entered and each
/// problem.
async fn form_again_on_plan(
    s: &AppState,
    visitor: &Visitor,
    actor: &lz_app::Actor,
    failed: FailedForm<'_>,
    errs: &[lz_app::FieldError],
) -> PageResult {
    let view = s.app.plans().view(Some(actor), failed.plan_id).await?;
    let (_, error_for) = errors_ctx(errs);
    let errors: Vec<Value> = errs.iter().map(|e| context! { field => format!("{}{}-{}", failed.prefix, e.field, failed.for_id), message => e.message.clone() }).collect();
    let mut form_ctx = std::collections::BTreeMap::new();
    form_ctx.insert(format!("{}_errors", failed.form), error_for);
    form_ctx.insert(format!("{}_for", failed.form), Value::from(failed.for_id));
    form_ctx.insert(failed.form.to_string(), failed.values);
    let ctx = minijinja::value::merge_maps([
        context! { errors, people => people(s, &view).await? },
        Value::from(form_ctx),
        plan_ctx(&view, &today(s), &super::show::figures(s, &view).await?),
    ]);
    Ok(crate::session::page_with_status(
        s,
        visitor,
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "plans/show.html",
        ctx,
    ))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct UpdateForm {
    #[serde(default)]
    plan_id: String,
    #[serde(default)]
    posted_on: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    rag: String,
    #[serde(default)]
    spent: String,
}

pub(super) async fn post_update(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<UpdateForm>,
) -> PageResult {
    let input = ProgressUpdate {
        posted_on: f.posted_on.clone(),
        body: f.body.clone(),
        rag: f.rag.clone(),
        spent: f.spent.clone(),
    };
    match s.app.plans().post_update(&actor, &id, &input).await {
        Ok(None) => Ok(back_to(&f.plan_id, &id)),
        Ok(Some(_)) => Ok(Redirect::to(&format!(
            "/plans/{}?notice=saved-over-budget#wa-{id}",
            f.plan_id
        ))
        .into_response()),
        Err(AppError::Invalid(errs)) => {
            let values = context! { posted_on => f.posted_on, body => f.body, rag => f.rag, spent => f.spent };
            let failed = FailedForm {
                plan_id: &f.plan_id,
                for_id: &id,
                form: "update",
                prefix: "",
                values,
            };
            form_again_on_plan(&s, &visitor, &actor, failed, &errs).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct LearningForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    plan_id: String,
}

pub(super) async fn link_learning(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<LearningForm>,
) -> PageResult {
    match s.app.plans().link_learning(&actor, &id, &f.item).await {
        Ok(plan) => Ok(back_to(&plan, &id)),
        Err(AppError::Invalid(errs)) => {
            let values = context! { item => f.item };
            let failed = FailedForm {
                plan_id: &f.plan_id,
                for_id: &id,
                form: "learning",
                prefix: "",
                values,
            };
            form_again_on_plan(&s, &visitor, &actor, failed, &errs).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn unlink_learning(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path((id, item)): Path<(String, String)>,
) -> PageResult {
    let plan = s.app.plans().unlink_learning(&actor, &id, &item).await?;
    Ok(back_to(&plan, &id))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct MilestoneForm {
    #[serde(default)]
    plan_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    due_date: String,
}

pub(super) async fn add_milestone(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<MilestoneForm>,
) -> PageResult {
    match s
        .app
        .plans()
        .add_milestone(&actor, &id, &f.title, &f.due_date)
        .await
    {
        Ok(()) => Ok(back_to(&f.plan_id, &id)),
        Err(AppError::Invalid(errs)) => {
            let values = context! { title => f.title, due_date => f.due_date };
            let failed = FailedForm {
                plan_id: &f.plan_id,
                for_id: &id,
                form: "milestone",
                prefix: "m",
                values,
            };
            form_again_on_plan(&s, &visitor, &actor, failed, &errs).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct StatusForm {
    #[serde(default)]
    status: String,
}

pub(super) async fn milestone_status(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<StatusForm>,
) -> PageResult {
    let plan_id = s
        .app
        .plans()
        .set_milestone_status(&actor, &id, &f.status)
        .await?;
    Ok(Redirect::to(&format!("/plans/{plan_id}?notice=saved")).into_response())
}

#[derive(serde::Deserialize, Default)]
pub(super) struct IndicatorForm {
    #[serde(default)]
    plan_id: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    baseline: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    current: String,
}

pub(super) async fn set_indicator(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<IndicatorForm>,
) -> PageResult {
    let input = OutcomeIndicator {
        indicator: f.indicator.clone(),
        baseline: f.baseline.clone(),
        target: f.target.clone(),
        current: f.current.clone(),
    };
    match s
        .app
        .plans()
        .set_outcome_indicator(&actor, &id, &input)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/plans/{}?notice=saved", f.plan_id)).into_response()),
        Err(AppError::Invalid(errs)) => {
            let values = context! { indicator => f.indicator, baseline => f.baseline, target => f.target, current => f.current };
            let failed = FailedForm {
                plan_id: &f.plan_id,
                for_id: &id,
                form: "indicator",
                prefix: "i",
                values,
            };
            form_again_on_plan(&s, &visitor, &actor, failed, &errs).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The work area form's context: its plan and the values shown.
/// The edit form's context; the places that deliver the work are offered to those who may
/// change the plan (a place lead posts progress but does not choose the places).
async fn edit_ctx(
    s: &AppState,
    id: &str,
    view: &PlanView,
    values: Value,
    chosen: &[String],
) -> Result<Value, AppError> {
    let places: Vec<Value> = if view.may_edit() {
        s.app.network().places().await?.into_iter().map(|p| context! {
            value => p.id.as_str(), label => p.name, checked => chosen.iter().any(|c| c == p.id.as_str()),
        }).collect()
    } else {
        Vec::new()
    };
    Ok(
        context! { id, plan => context! { id => view.plan.id.clone(), title => view.plan.title.clone() }, values, places },
    )
}

pub(super) async fn edit_form(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let view = s.app.plans().view_for_work_area(&actor, &id).await?;
    let w = view
        .work_areas
        .iter()
        .find(|w| w.id.as_str() == id)
        .ok_or(AppError::NotFound)?;
    let leads: Vec<String> = view.leads_of(&w.id).map(|l| l.name.clone()).collect();
    let budget: Vec<String> = view
        .budget_lines
        .iter()
        .filter(|b| b.work_area_id == w.id)
        .map(|b| format!("{} {}", b.label, money(b.amount_pence)))
        .collect();
    let values = context! {
        title => w.title.clone(), leads => leads.join("\n"), why => w.why.clone(), what_we_will_do => w.what_we_will_do.clone(),
        start => w.start_date.clone(), end => w.end_date.clone(), budget => budget.join("\n"),
        committed => if w.budget_committed_pence > 0 { money(w.budget_committed_pence) } else { String::new() },
    };
    let chosen: Vec<String> = view.places_of(&w.id).map(|p| p.place_id.clone()).collect();
    Ok(page(
        &s,
        &visitor,
        "plans/work_area_form.html",
        edit_ctx(&s, &id, &view, values, &chosen).await?,
    ))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct WorkAreaForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    leads: String,
    #[serde(default)]
    why: String,
    #[serde(default)]
    what_we_will_do: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    committed: String,
    /// Checked places; `places_shown` says the form offered them (an empty list then means
    /// "none", not "unchanged").
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    places_shown: String,
}

pub(super) async fn edit(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<WorkAreaForm>,
) -> PageResult {
    let edit = WorkAreaEdit {
        title: f.title.clone(),
        leads: f.leads.clone(),
        why: f.why.clone(),
        what_we_will_do: f.what_we_will_do.clone(),
        start: f.start.clone(),
        end: f.end.clone(),
        budget: f.budget.clone(),
        committed: f.committed.clone(),
        places: (!f.places_shown.is_empty()).then(|| f.places.clone()),
    };
    match s.app.plans().edit_work_area(&actor, &id, &edit).await {
        Ok(()) => {
            let plan_id = s.app.plans().plan_of_work_area(&id).await?;
            Ok(back_to(&plan_id, &id))
        }
        Err(AppError::Invalid(errs)) => {
            let view = s.app.plans().view_for_work_area(&actor, &id).await?;
            let values = context! { title => f.title, leads => f.leads, why => f.why, what_we_will_do => f.what_we_will_do, start => f.start, end => f.end, budget => f.budget, committed => f.committed };
            let ctx = edit_ctx(&s, &id, &view, values, &f.places).await?;
            Ok(form_again(
                &s,
                &visitor,
                "plans/work_area_form.html",
                &errs,
                ctx,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct FigureForm {
    #[serde(default)]
    plan_id: String,
    #[serde(flatten)]
    input: lz_app::intelligence::OutcomeInput,
}

/// Makes an outcome follow a public indicator for an area (baseline and latest read from
/// the published figures).
pub(super) async fn set_figure(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<FigureForm>,
) -> PageResult {
    match s
        .app
        .intelligence()
        .set_outcome(&actor, &id, &f.input)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/plans/{}?notice=saved#outcome-{id}", f.plan_id))
                .into_response(),
        ),
        Err(AppError::Invalid(errs)) => {
            let i = &f.input;
            let values = context! { indicator => i.indicator, area => i.area, baseline_period => i.baseline_period, target => i.target, target_year => i.target_year };
            let failed = FailedForm {
                plan_id: &f.plan_id,
                for_id: &id,
                form: "figure",
                prefix: "f",
                values,
            };
            form_again_on_plan(&s, &visitor, &actor, failed, &errs).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct PlanIdForm {
    #[serde(default)]
    plan_id: String,
}

pub(super) async fn remove_figure(
    State(s): State<AppState>,
    SignedIn(actor, _visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<PlanIdForm>,
) -> PageResult {
    s.app.intelligence().remove_outcome(&actor, &id).await?;
    Ok(Redirect::to(&format!("/plans/{}?notice=saved", f.plan_id)).into_response())
}
