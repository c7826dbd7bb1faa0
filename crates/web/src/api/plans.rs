//! Delivery plans over the API: list, read, import (with a dry run), add minutes, actions.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lz_app::plans::{ActionRecord, PlanImport, PlanView, WorkAreaRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{created, ApiJson};
use crate::error::{ApiResult, Problem};
use crate::session::{ApiCaller, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(plans))
        .route("/plans/import", post(import))
        .route("/plans/{id}", get(plan))
        .route("/plans/{id}/minutes", post(minutes))
        .route("/plans/{id}/actions", post(add_action))
        .route("/plans/{id}/report", get(report))
        .route("/actions/mine", get(my_actions))
        .route("/actions/{id}/close", post(close_action))
        .route("/actions/{id}/assign", post(assign_action))
        .route("/work-areas/{id}/updates", post(post_update))
        .route("/work-areas/{id}/learning", post(link_learning))
        .route(
            "/work-areas/{id}/learning/{item}",
            axum::routing::delete(unlink_learning),
        )
}

#[derive(Serialize, ToSchema)]
pub struct PlanSummary {
    id: String,
    title: String,
    owner_organisation_id: Option<String>,
    period_start: Option<String>,
    period_end: Option<String>,
    visibility: String,
}

/// Plans the caller may see (public ones without a token).
#[utoipa::path(get, path = "/api/v1/plans", responses((status = 200, body = Vec<PlanSummary>)))]
pub async fn plans(State(s): State<AppState>, v: Visitor) -> ApiResult<Json<Vec<PlanSummary>>> {
    Ok(Json(
        s.app
            .plans()
            .list(v.actor.as_ref())
            .await?
            .plans
            .into_iter()
            .map(|p| PlanSummary {
                id: p.id.into_string(),
                title: p.title,
                owner_organisation_id: p.owner_organisation_id.map(|o| o.into_string()),
                period_start: p.period_start,
                period_end: p.period_end,
                visibility: p.visibility.code().to_string(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct BudgetLine {
    label: String,
    amount_pence: i64,
}

#[derive(Serialize, ToSchema)]
pub struct WorkArea {
    id: String,
    /// work_area or mandate.
    kind: String,
    title: String,
    accountable_leads: Vec<String>,
    why: String,
    what_we_will_do: String,
    start_date: Option<String>,
    end_date: Option<String>,
    end_open: bool,
    rag: Option<String>,
    budget_lines: Vec<BudgetLine>,
    budget_allocated_pence: i64,
    budget_committed_pence: i64,
    budget_spent_pence: i64,
    outcomes: Vec<String>,
    /// Ids of the library items linked to it that the caller may see.
    /// Linked library items' ids.
    learning: Vec<String>,
    /// Linked events' ids.
    events: Vec<String>,
    /// Slugs of the places that deliver it (their place leads may post its progress).
    places: Vec<String>,
    /// Key milestones and progress to date, as the plan document says.
    progress: String,
    /// Milestones: title, due date and status.
    milestones: Vec<Milestone>,
}

#[derive(Serialize, ToSchema)]
pub struct Milestone {
    title: String,
    due_date: Option<String>,
    /// planned, done or dropped.
    status: String,
}

#[derive(Serialize, ToSchema)]
pub struct Action {
    id: String,
    plan_id: String,
    description: String,
    owner: String,
    due_date: Option<String>,
    /// open, done or dropped.
    status: String,
    meeting: Option<String>,
    /// The work area or mandate the action serves.
    work_area_id: Option<String>,
    completion_note: String,
}

fn action(a: ActionRecord) -> Action {
    Action {
        id: a.id.into_string(),
        plan_id: a.plan_id.into_string(),
        description: a.description,
        owner: a.owner_name,
        due_date: a.due_date,
        status: a.status.code().to_string(),
        meeting: a.meeting_title,
        work_area_id: a.work_area_id.map(|w| w.into_string()),
        completion_note: a.completion_note,
    }
}

fn work_area(view: &PlanView, w: &WorkAreaRecord) -> WorkArea {
    let learning_of = |events: bool| {
        view.learning
            .iter()
            .filter(|l| l.work_area_id == w.id && l.is_event() == events)
            .map(|l| l.id.clone())
            .collect()
    };
    WorkArea {
        id: w.id.to_string(),
        kind: w.kind.code().to_string(),
        title: w.title.clone(),
        accountable_leads: view.leads_of(&w.id).map(|l| l.name.clone()).collect(),
        why: w.why.clone(),
        what_we_will_do: w.what_we_will_do.clone(),
        start_date: w.start_date.clone(),
        end_date: w.end_date.clone(),
        end_open: w.end_open,
        rag: w.rag.map(|r| r.code().to_string()),
        budget_lines: view
            .budget_lines
            .iter()
            .filter(|b| b.work_area_id == w.id)
            .map(|b| BudgetLine {
                label: b.label.clone(),
                amount_pence: b.amount_pence,
            })
            .collect(),
        budget_allocated_pence: w.budget_allocated_pence,
        budget_committed_pence: w.budget_committed_pence,
        budget_spent_pence: w.budget_spent_pence,
        outcomes: view
            .outcomes
            .iter()
            .filter(|o| o.work_area_id == w.id)
            .map(|o| o.text.clone())
            .collect(),
        learning: learning_of(false),
        events: learning_of(true),
        places: view
            .places_of(&w.id)
            .map(|p| p.place_slug.clone())
            .collect(),
        progress: w.progress.clone(),
        milestones: view
            .milestones
            .iter()
            .filter(|m| m.work_area_id == w.id)
            .map(|m| Milestone {
                title: m.title.clone(),
                due_date: m.due_date.clone(),
                status: m.status.code().to_string(),
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Plan {
    id: String,
    title: String,
    cluster: String,
    lead_applicant: String,
    owner_organisation_id: Option<String>,
    period_start: Option<String>,
    period_end: Option<String>,
    visibility: String,
    budget_allocated_pence: i64,
    work_areas: Vec<WorkArea>,
    actions: Vec<Action>,
}

/// One plan with its work areas, mandates, budgets and actions.
#[utoipa::path(get, path = "/api/v1/plans/{id}", responses((status = 200, body = Plan), (status = 404, body = Problem)))]
pub async fn plan(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> ApiResult<Json<Plan>> {
    let view = s.app.plans().view(v.actor.as_ref(), &id).await?;
    let work_areas = view
        .work_areas
        .iter()
        .map(|w| work_area(&view, w))
        .collect();
    let budget_allocated_pence = view.budget_allocated_pence();
    let p = view.plan;
    Ok(Json(Plan {
        budget_allocated_pence,
        id: p.id.into_string(),
        title: p.title,
        cluster: p.cluster,
        lead_applicant: p.lead_applicant,
        owner_organisation_id: p.owner_organisation_id.map(|o| o.into_string()),
        period_start: p.period_start,
        period_end: p.period_end,
        visibility: p.visibility.code().to_string(),
        work_areas,
        actions: view.actions.into_iter().map(action).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// The plan document as text: a Word table saved as plain text (tab-separated).
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    owner_organisation_id: Option<String>,
    /// public, network or organisation.
    #[serde(default = "network")]
    visibility: String,
    /// Confirms the fields the parser flagged for a person to check.
    #[serde(default)]
    confirmed: bool,
    /// Return what was read without saving.
    #[serde(default)]
    dry_run: bool,
}

fn network() -> String {
    "network".into()
}

/// Import a delivery plan. With `dry_run`, returns what was read (amounts in pence, ISO dates,
/// flags) and saves nothing; otherwise flagged fields must be `confirmed`.
#[utoipa::path(post, path = "/api/v1/plans/import", security(("bearer" = [])), request_body = ImportBody,
    responses((status = 200, description = "dry run: the parsed plan"), (status = 201, body = super::network::Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn import(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<ImportBody>,
) -> ApiResult<Response> {
    // Both ask the plans rule whether the caller may import (for this owner, when saving).
    if b.dry_run {
        let parsed = s.app.plans().preview_plan(Some(&actor), &b.text)?;
        return Ok(Json(parsed).into_response());
    }
    let input = PlanImport {
        text: b.text,
        title: b.title,
        owner_organisation_id: b.owner_organisation_id,
        visibility: b.visibility,
        confirmed: b.confirmed,
    };
    let id = s.app.plans().import_plan(Some(&actor), &input).await?;
    Ok(created(serde_json::json!({ "id": id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesBody {
    text: String,
}

/// Add Executive minutes to a plan: the meeting, its mandates and its actions.
#[utoipa::path(post, path = "/api/v1/plans/{id}/minutes", security(("bearer" = [])), request_body = MinutesBody,
    responses((status = 201, body = super::network::Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn minutes(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MinutesBody>,
) -> ApiResult<Response> {
    let meeting = s
        .app
        .plans()
        .import_minutes(Some(&actor), &id, &b.text)
        .await?;
    Ok(created(serde_json::json!({ "id": meeting })))
}

/// The caller's actions, open first.
#[utoipa::path(get, path = "/api/v1/actions/mine", security(("bearer" = [])), responses((status = 200, body = Vec<Action>), (status = 401, body = Problem)))]
pub async fn my_actions(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
) -> ApiResult<Json<Vec<Action>>> {
    Ok(Json(
        s.app
            .plans()
            .my_actions(&actor)
            .await?
            .into_iter()
            .map(action)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// done or dropped.
    status: String,
    #[serde(default)]
    note: String,
}

/// Close an action (its owner, or someone who may change the plan).
#[utoipa::path(post, path = "/api/v1/actions/{id}/close", security(("bearer" = [])), request_body = CloseBody,
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn close_action(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CloseBody>,
) -> ApiResult<axum::http::StatusCode> {
    s.app
        .plans()
        .close_action(&actor, &id, &b.status, &b.note)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    user_id: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// What is to be done.
    description: String,
    /// The member who does it (a user id), if anyone yet.
    #[serde(default)]
    owner_user_id: String,
    /// YYYY-MM-DD, optional.
    #[serde(default)]
    due_date: String,
}

/// Add an action to a plan by hand (people who may change the plan).
#[utoipa::path(post, path = "/api/v1/plans/{id}/actions", security(("bearer" = [])), request_body = ActionBody,
    responses((status = 201, body = super::network::Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_action(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActionBody>,
) -> ApiResult<Response> {
    let id = s
        .app
        .plans()
        .add_action(&actor, &id, &b.description, &b.owner_user_id, &b.due_date)
        .await?;
    Ok(created(serde_json::json!({ "id": id })))
}

/// Give an action to a member (people who may change the plan).
#[utoipa::path(post, path = "/api/v1/actions/{id}/assign", security(("bearer" = [])), request_body = AssignBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn assign_action(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AssignBody>,
) -> ApiResult<axum::http::StatusCode> {
    s.app.plans().assign_action(&actor, &id, &b.user_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LearningBody {
    /// The library item's id or its web address.
    item: String,
}

/// Link a published library item to a work area (its leads, or people who may change the plan).
#[utoipa::path(post, path = "/api/v1/work-areas/{id}/learning", security(("bearer" = [])), request_body = LearningBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn link_learning(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<LearningBody>,
) -> ApiResult<axum::http::StatusCode> {
    s.app.plans().link_learning(&actor, &id, &b.item).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Unlink a library item from a work area.
#[utoipa::path(delete, path = "/api/v1/work-areas/{id}/learning/{item}", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unlink_learning(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path((id, item)): Path<(String, String)>,
) -> ApiResult<axum::http::StatusCode> {
    s.app.plans().unlink_learning(&actor, &id, &item).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    /// red, amber or green.
    rag: String,
    body: String,
    /// YYYY-MM-DD, not in the future; today when left out.
    #[serde(default)]
    posted_on: String,
    /// Spend to date in pounds ("1,250.50"); left out keeps the current figure.
    #[serde(default)]
    spent: String,
}

/// Post a progress update on a work area (its accountable leads, or people who may change the plan).
#[utoipa::path(post, path = "/api/v1/work-areas/{id}/updates", security(("bearer" = [])), request_body = UpdateBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn post_update(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<UpdateBody>,
) -> ApiResult<axum::http::StatusCode> {
    let u = lz_app::plans::ProgressUpdate {
        posted_on: b.posted_on,
        body: b.body,
        rag: b.rag,
        spent: b.spent,
    };
    // An overspend is saved like any update; the report flags it.
    s.app.plans().post_update(&actor, &id, &u).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    date: String,
}

/// The Executive report for a date (YYYY-MM-DD, default today): RAG by work area as it stood
/// then, actions overdue and due soon by owner, budget allocated and spent, recent updates.
#[utoipa::path(get, path = "/api/v1/plans/{id}/report", params(("date" = Option<String>, Query, description = "YYYY-MM-DD")),
    responses((status = 200, description = "the report"), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn report(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ReportQuery>,
) -> ApiResult<Response> {
    let r = s
        .app
        .plans()
        .executive_report(v.actor.as_ref(), &id, &q.date)
        .await?;
    Ok(Json(r).into_response())
}
