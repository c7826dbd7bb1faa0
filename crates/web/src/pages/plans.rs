//! Delivery plan pages: the list, importing a plan document (paste, review the parsed
//! result and its flags, confirm), a plan's page, adding Executive minutes, and my actions.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use lz_app::plans::{PlanImport, PlanView, ProgressUpdate, VISIBILITIES};
use lz_app::AppError;
use minijinja::{context, Value};

use super::{errors_ctx, form_again, notice_text, HtmlForm, NoticeQuery};
use crate::error::PageResult;
use crate::session::{page, SignedIn, Visitor};
use crate::templates::money;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list))
        .route("/plans/import", get(import_form).post(import))
        .route("/plans/template.csv", get(template))
        // The session middleware has already bounded the upload (LZ_MAX_UPLOAD_BYTES).
        .route(
            "/plans/import/upload",
            post(import_upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/plans/{id}", get(show))
        .route("/plans/{id}/minutes", post(add_minutes))
        .route("/plans/{id}/report", get(report))
        .route("/plans/{id}/report/csv", get(report_csv))
        .route("/plans/{id}/report/schedule", post(schedule_report))
        .route("/plans/{id}/report/docx", get(report_docx))
        .route("/plans/{id}/report/pdf", get(report_pdf))
        .route("/work-areas/{id}/updates", post(post_update))
        .route(
            "/work-areas/{id}/edit",
            get(edit_work_area_form).post(edit_work_area),
        )
        .route("/work-areas/{id}/learning", post(link_learning))
        .route(
            "/work-areas/{id}/learning/{item}/remove",
            post(unlink_learning),
        )
        .route("/work-areas/{id}/milestones", post(add_milestone))
        .route("/milestones/{id}/status", post(milestone_status))
        .route("/outcomes/{id}/indicator", post(set_indicator))
        .route("/actions/{id}/assign", post(assign_action))
        .route("/actions", get(my_actions))
        .route("/actions/{id}/close", post(close_action))
}

async fn list(State(s): State<AppState>, v: Visitor) -> PageResult {
    let plans: Vec<Value> = s.app.plans(v.actor.as_ref()).await?.into_iter().map(|p| context! {
        id => p.id, title => p.title, owner => p.owner_organisation, period_start => p.period_start, period_end => p.period_end, visibility => p.visibility,
    }).collect();
    let can_import = v.actor.as_ref().is_some_and(|a| a.decides_join_requests());
    Ok(page(
        &s,
        &v,
        "plans/list.html",
        context! { plans, can_import },
    ))
}

fn visibilities() -> Vec<Value> {
    VISIBILITIES
        .iter()
        .map(|(v, l)| context! { value => v, label => l })
        .collect()
}

async fn org_options(s: &AppState) -> Result<Vec<Value>, AppError> {
    Ok(s.app
        .organisations()
        .await?
        .into_iter()
        .map(|o| context! { value => o.id, label => o.name })
        .collect())
}

async fn import_form(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    if !actor.decides_join_requests() {
        return Err(AppError::Forbidden.into());
    }
    Ok(page(
        &s,
        &v,
        "plans/import.html",
        context! { organisations => org_options(&s).await?, visibilities => visibilities(), values => context! { visibility => "network" } },
    ))
}

#[derive(serde::Deserialize, Default)]
struct ImportForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    owner_organisation_id: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    confirmed: String,
    /// "preview" shows the review screen; "save" imports.
    #[serde(default)]
    step: String,
}

async fn import(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(f): HtmlForm<ImportForm>,
) -> PageResult {
    import_with(&s, &actor, &v, f).await
}

/// An uploaded document (text, CSV or XLSX) goes to the same review as a pasted one.
async fn import_upload(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    mut form: axum::extract::Multipart,
) -> PageResult {
    if !actor.decides_join_requests() {
        return Err(AppError::Forbidden.into());
    }
    let unreadable = |_| AppError::field("file", "The upload could not be read: try again");
    let mut f = ImportForm {
        step: "preview".into(),
        ..Default::default()
    };
    let mut file: Option<axum::body::Bytes> = None;
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => file = Some(field.bytes().await.map_err(unreadable)?),
            // Field names differ from the paste form's, so each field id on the page is unique.
            "upload_title" => f.title = field.text().await.map_err(unreadable)?,
            "upload_owner" => f.owner_organisation_id = field.text().await.map_err(unreadable)?,
            "upload_visibility" => f.visibility = field.text().await.map_err(unreadable)?,
            _ => {}
        }
    }
    let text = match file.filter(|b| !b.is_empty()) {
        None => Err(AppError::field(
            "file",
            "Choose the plan document to upload",
        )),
        Some(bytes) => lz_app::plans::uploaded_plan_text(&bytes),
    };
    match text {
        Ok(text) => {
            f.text = text;
            import_with(&s, &actor, &v, f).await
        }
        Err(AppError::Invalid(errs)) => {
            let values = context! { title => f.title, owner_organisation_id => f.owner_organisation_id, visibility => f.visibility };
            Ok(form_again(
                &s,
                &v,
                "plans/import.html",
                &errs,
                context! { organisations => org_options(&s).await?, visibilities => visibilities(), values },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn import_with(
    s: &AppState,
    actor: &lz_app::Actor,
    v: &Visitor,
    f: ImportForm,
) -> PageResult {
    if !actor.decides_join_requests() {
        return Err(AppError::Forbidden.into());
    }
    let values = context! { text => f.text.clone(), title => f.title.clone(), owner_organisation_id => f.owner_organisation_id.clone(), visibility => f.visibility.clone() };
    let base =
        context! { organisations => org_options(s).await?, visibilities => visibilities(), values };
    let preview = match s.app.preview_plan(&f.text) {
        Ok(p) => p,
        Err(AppError::Invalid(errs)) => {
            return Ok(form_again(s, v, "plans/import.html", &errs, base))
        }
        Err(e) => return Err(e.into()),
    };
    if f.step != "save" {
        return Ok(page(
            s,
            v,
            "plans/import.html",
            context! { preview => Value::from_serialize(&preview), ..base },
        ));
    }
    let input = PlanImport {
        text: f.text.clone(),
        title: Some(f.title.clone()),
        owner_organisation_id: Some(f.owner_organisation_id.clone()),
        visibility: f.visibility.clone(),
        confirmed: f.confirmed == "yes",
    };
    match s.app.import_plan(Some(actor), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/plans/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            s,
            v,
            "plans/import.html",
            &errs,
            context! { preview => Value::from_serialize(&preview), ..base },
        )),
        Err(e) => Err(e.into()),
    }
}

fn plan_ctx(view: &PlanView, today: &str, actor_id: Option<&str>) -> Value {
    let areas: Vec<Value> = view.work_areas.iter().map(|w| {
        let leads: Vec<String> = view.leads.iter().filter(|l| l.work_area_id == w.id).map(|l| l.name.clone()).collect();
        let lines: Vec<Value> = view.budget_lines.iter().filter(|b| b.work_area_id == w.id).map(|b| context! { label => b.label.clone(), amount => money(b.amount_pence) }).collect();
        let outcomes: Vec<Value> = view.outcomes.iter().filter(|o| o.work_area_id == w.id).map(|o| context! {
            id => o.id.clone(), text => o.text.clone(), indicator => o.indicator.clone(), baseline => o.baseline.clone(), target => o.target.clone(), current => o.current_value.clone(),
        }).collect();
        let updates: Vec<Value> = view.updates.iter().filter(|u| u.work_area_id == w.id).map(|u| context! {
            posted_on => u.posted_on.clone(), body => u.body.clone(), rag => u.rag.clone(), author => u.author.clone(), spent => u.spent_pence.map(money),
        }).collect();
        let milestones: Vec<Value> = view.milestones.iter().filter(|m| m.work_area_id == w.id).map(|m| context! {
            id => m.id.clone(), title => m.title.clone(), due => m.due_date.clone(), status => m.status.clone(),
            missed => m.status == "planned" && m.due_date.as_deref().is_some_and(|d| d < today),
        }).collect();
        let learning: Vec<Value> = view.learning.iter().filter(|l| l.work_area_id == w.id).map(|l| context! {
            id => l.id.clone(), title => l.title.clone(), organisation => l.organisation_name.clone(), kind => l.kind.clone(),
        }).collect();
        let is_lead = actor_id.is_some_and(|me| view.leads.iter().any(|l| l.work_area_id == w.id && l.user_id.as_deref() == Some(me)));
        context! {
            id => w.id.clone(), kind => w.kind.clone(), title => w.title.clone(), why => w.why.clone(), what => w.what_we_will_do.clone(),
            progress => w.progress.clone(), when_text => w.when_text.clone(), start => w.start_date.clone(), end => w.end_date.clone(), end_open => w.end_open == 1,
            rag => w.rag.clone(), leads, budget_lines => lines, budget => (w.budget_allocated_pence > 0).then(|| money(w.budget_allocated_pence)), outcomes,
            spent => money(w.budget_spent_pence), committed => (w.budget_committed_pence > 0).then(|| money(w.budget_committed_pence)), updates, milestones, learning, may_update => view.can_edit || is_lead,
        }
    }).collect();
    let total: i64 = view
        .work_areas
        .iter()
        .map(|w| w.budget_allocated_pence)
        .sum();
    let actions: Vec<Value> = view.actions.iter().map(|a| context! {
        id => a.id.clone(), description => a.description.clone(), owner => a.owner_name.clone(), owner_id => a.owner_user_id.clone(), due => a.due_date.clone(), status => a.status.clone(),
        meeting => a.meeting_title.clone(), overdue => a.status == "open" && a.due_date.as_deref().is_some_and(|d| d < today),
    }).collect();
    let p = &view.plan;
    context! {
        plan => context! { id => p.id.clone(), title => p.title.clone(), owner => p.owner_organisation.clone(), cluster => p.cluster.clone(), lead_applicant => p.lead_applicant.clone(), period_start => p.period_start.clone(), period_end => p.period_end.clone(), visibility => p.visibility.clone() },
        work_areas => areas.iter().filter(|a| a.get_attr("kind").map(|k| k.as_str() == Some("work_area")).unwrap_or(false)).cloned().collect::<Vec<_>>(),
        mandates => areas.iter().filter(|a| a.get_attr("kind").map(|k| k.as_str() == Some("mandate")).unwrap_or(false)).cloned().collect::<Vec<_>>(),
        budget_total => money(total), actions, can_edit => view.can_edit,
        timeline => super::timeline::svg(view, today).map(Value::from_safe_string),
    }
}

fn today(s: &AppState) -> String {
    let ms = s.app.now();
    lz_domain::dates::utc_date(ms / 1000)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let view = s.app.plan_view(v.actor.as_ref(), &id).await?;
    let people = people(&s, &view).await?;
    Ok(page(
        &s,
        &v,
        "plans/show.html",
        context! { notice => notice_text(q.notice.as_deref()), people, ..plan_ctx(&view, &today(&s), v.actor.as_ref().map(|a| a.id())) },
    ))
}

/// People an action may be given to, for those who may change the plan.
async fn people(s: &AppState, view: &PlanView) -> Result<Vec<Value>, AppError> {
    if !view.can_edit {
        return Ok(vec![]);
    }
    Ok(s.app
        .assignable_people()
        .await?
        .into_iter()
        .map(|(id, name)| context! { value => id, label => name })
        .collect())
}

#[derive(serde::Deserialize, Default)]
struct UpdateForm {
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

async fn post_update(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<UpdateForm>,
) -> PageResult {
    let input = ProgressUpdate {
        posted_on: f.posted_on.clone(),
        body: f.body.clone(),
        rag: f.rag.clone(),
        spent: f.spent.clone(),
    };
    match s.app.post_update(&actor, &id, &input).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/plans/{}?notice=saved#wa-{id}", f.plan_id)).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let values = context! { posted_on => f.posted_on, body => f.body, rag => f.rag, spent => f.spent };
            work_area_form_again(&s, &v, &actor, &f.plan_id, &id, "update", "", &errs, values).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct LearningForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    plan_id: String,
}

async fn link_learning(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<LearningForm>,
) -> PageResult {
    match s.app.link_learning(&actor, &id, &f.item).await {
        Ok(plan) => {
            Ok(Redirect::to(&format!("/plans/{plan}?notice=saved#wa-{id}")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let values = context! { item => f.item };
            work_area_form_again(
                &s, &v, &actor, &f.plan_id, &id, "learning", "", &errs, values,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn unlink_learning(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path((id, item)): Path<(String, String)>,
) -> PageResult {
    let plan = s.app.unlink_learning(&actor, &id, &item).await?;
    Ok(Redirect::to(&format!("/plans/{plan}?notice=saved#wa-{id}")).into_response())
}

#[derive(serde::Deserialize, Default)]
struct AssignForm {
    #[serde(default)]
    owner: String,
    #[serde(default)]
    plan_id: String,
}

async fn assign_action(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<AssignForm>,
) -> PageResult {
    s.app.assign_action(&actor, &id, &f.owner).await?;
    Ok(Redirect::to(&format!("/plans/{}?notice=saved", f.plan_id)).into_response())
}

#[derive(serde::Deserialize, Default)]
struct MinutesForm {
    #[serde(default)]
    text: String,
}

async fn add_minutes(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<MinutesForm>,
) -> PageResult {
    match s.app.import_minutes(Some(&actor), &id, &f.text).await {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let view = s.app.plan_view(Some(&actor), &id).await?;
            let (errors, error_for) = errors_ctx(&errs);
            Ok(crate::session::page_with_status(
                &s,
                &v,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "plans/show.html",
                context! { errors, error_for, minutes => f.text, ..plan_ctx(&view, &today(&s), Some(actor.id())) },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn my_actions(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let today = today(&s);
    let actions: Vec<Value> = s.app.my_actions(&actor).await?.into_iter().map(|a| context! {
        id => a.id, plan_id => a.plan_id, plan => a.plan_title, description => a.description, due => a.due_date.clone(), status => a.status.clone(),
        overdue => a.status == "open" && a.due_date.as_deref().is_some_and(|d| d < today.as_str()), note => a.completion_note,
    }).collect();
    Ok(page(
        &s,
        &v,
        "plans/actions.html",
        context! { actions, notice => notice_text(q.notice.as_deref()) },
    ))
}

#[derive(serde::Deserialize, Default)]
struct CloseForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

async fn close_action(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<CloseForm>,
) -> PageResult {
    s.app.close_action(&actor, &id, &f.status, &f.note).await?;
    Ok(Redirect::to("/actions?notice=saved").into_response())
}

#[derive(serde::Deserialize, Default)]
struct ReportQuery {
    #[serde(default)]
    date: String,
    notice: Option<String>,
    #[serde(default)]
    table: String,
}

async fn report(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let r = match s.app.executive_report(v.actor.as_ref(), &id, &q.date).await {
        Ok(r) => r,
        Err(AppError::Invalid(errs)) => {
            let fallback = s.app.executive_report(v.actor.as_ref(), &id, "").await?;
            let ctx = minijinja::value::merge_maps([
                report_ctx(&fallback, &q.date),
                schedules_ctx(&s, &v, &id).await?,
            ]);
            return Ok(form_again(&s, &v, "plans/report.html", &errs, ctx));
        }
        Err(e) => return Err(e.into()),
    };
    let ctx = minijinja::value::merge_maps([
        report_ctx(&r, &r.date),
        schedules_ctx(&s, &v, &id).await?,
        context! { notice => notice_text(q.notice.as_deref()) },
    ]);
    Ok(page(&s, &v, "plans/report.html", ctx))
}

/// Scheduled emails of the report, for people who may change the plan (others see none).
async fn schedules_ctx(s: &AppState, v: &Visitor, plan_id: &str) -> Result<Value, AppError> {
    let Some(actor) = v.actor.as_ref() else {
        return Ok(context! {});
    };
    match s.app.report_schedules(actor, plan_id).await {
        Ok(rows) => Ok(context! {
            can_schedule => true,
            schedules => rows.into_iter().map(|r| context! { send_on => r.send_on, recipients => r.recipients.replace(',', ", "), sent => r.sent_at.is_some() }).collect::<Vec<_>>(),
        }),
        Err(AppError::Forbidden) => Ok(context! {}),
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize, Default)]
struct ScheduleForm {
    #[serde(default)]
    recipients: String,
    #[serde(default)]
    send_on: String,
}

async fn schedule_report(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<ScheduleForm>,
) -> PageResult {
    match s
        .app
        .schedule_report(&actor, &id, &f.recipients, &f.send_on)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/plans/{id}/report?notice=saved#schedule")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let r = s.app.executive_report(Some(&actor), &id, "").await?;
            let ctx = minijinja::value::merge_maps([
                report_ctx(&r, &r.date),
                schedules_ctx(&s, &v, &id).await?,
                context! { schedule => context! { recipients => f.recipients, send_on => f.send_on } },
            ]);
            Ok(form_again(&s, &v, "plans/report.html", &errs, ctx))
        }
        Err(e) => Err(e.into()),
    }
}

fn report_ctx(r: &lz_app::report::Report, date_value: &str) -> Value {
    let areas: Vec<Value> = r.areas.iter().map(|a| {
        // Width of the spent bar as a share of the allocation (capped: overspend shows full and red).
        let share = if a.allocated_pence > 0 { (a.spent_pence as f64 / a.allocated_pence as f64).min(1.0) } else { 0.0 };
        context! {
            title => a.title.clone(), kind => a.kind.clone(), leads => a.leads.join(", "), rag => a.rag.clone(), reason => a.reason.clone(),
            allocated => money(a.allocated_pence), committed => money(a.committed_pence), has_committed => a.committed_pence > 0, spent => money(a.spent_pence), bar => (share * 200.0).round() as i64,
            over => a.spent_pence > a.allocated_pence, has_budget => a.allocated_pence > 0,
        }
    }).collect();
    let action = |a: &lz_app::report::ActionLine| context! { description => a.description.clone(), owner => a.owner.clone(), due => a.due.clone() };
    context! {
        report => context! { plan_id => r.plan_id.clone(), plan_title => r.plan_title.clone(), date => r.date.clone(), red => r.rag_counts[0], amber => r.rag_counts[1], green => r.rag_counts[2], unknown => r.rag_counts[3],
            allocated => money(r.allocated_pence), committed => money(r.committed_pence), spent => money(r.spent_pence) },
        areas, overdue => r.overdue.iter().map(action).collect::<Vec<_>>(), due_soon => r.due_soon.iter().map(action).collect::<Vec<_>>(),
        updates => Value::from_serialize(&r.recent_updates), learning => Value::from_serialize(&r.learning), date_value,
        milestones_missed => Value::from_serialize(&r.milestones_missed), milestones_due => Value::from_serialize(&r.milestones_due),
        indicators => r.indicators.iter().map(|i| context! {
            indicator => i.indicator.clone(), outcome => i.outcome.clone(), work_area => i.work_area.clone(), baseline => i.baseline.clone(), target => i.target.clone(), current => i.current.clone(),
            chart => indicator_svg(i).map(Value::from_safe_string),
        }).collect::<Vec<_>>(),
    }
}

async fn report_csv(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let r = s
        .app
        .executive_report(v.actor.as_ref(), &id, &q.date)
        .await?;
    let body = lz_app::report::csv(&r, &q.table)?;
    let name = format!(
        "attachment; filename=\"plan-report-{}-{}.csv\"",
        r.date, q.table
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}

fn download(
    content_type: &'static str,
    filename: String,
    body: Vec<u8>,
) -> axum::response::Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

async fn report_docx(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let r = s
        .app
        .executive_report(v.actor.as_ref(), &id, &q.date)
        .await?;
    let body = lz_app::report_docs::docx(&r)?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("plan-report-{}.docx", r.date),
        body,
    ))
}

async fn report_pdf(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let r = s
        .app
        .executive_report(v.actor.as_ref(), &id, &q.date)
        .await?;
    Ok(download(
        "application/pdf",
        format!("plan-report-{}.pdf", r.date),
        lz_app::report_docs::pdf(&r),
    ))
}

#[derive(serde::Deserialize, Default)]
struct MilestoneForm {
    #[serde(default)]
    plan_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    due_date: String,
}

async fn add_milestone(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<MilestoneForm>,
) -> PageResult {
    match s
        .app
        .add_milestone(&actor, &id, &f.title, &f.due_date)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/plans/{}?notice=saved#wa-{id}", f.plan_id)).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let values = context! { title => f.title, due_date => f.due_date };
            work_area_form_again(
                &s,
                &v,
                &actor,
                &f.plan_id,
                &id,
                "milestone",
                "m",
                &errs,
                values,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct StatusForm {
    #[serde(default)]
    status: String,
}

async fn milestone_status(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<StatusForm>,
) -> PageResult {
    let plan_id = s.app.set_milestone_status(&actor, &id, &f.status).await?;
    Ok(Redirect::to(&format!("/plans/{plan_id}?notice=saved")).into_response())
}

/// The plan page again with one work area's `form` ("update" or "milestone") open, showing
/// what was entered and each problem. Field ids there are `{prefix}{field}-{work area id}`,
/// so the error summary links to them.
#[allow(clippy::too_many_arguments)]
async fn work_area_form_again(
    s: &AppState,
    v: &Visitor,
    actor: &lz_app::Actor,
    plan_id: &str,
    work_area_id: &str,
    form: &str,
    prefix: &str,
    errs: &[lz_app::FieldError],
    values: Value,
) -> PageResult {
    // `work_area_id` names the thing whose form is shown: a work area, or an outcome of one.
    let view = s.app.plan_view(Some(actor), plan_id).await?;
    let (_, error_for) = errors_ctx(errs);
    let errors: Vec<Value> = errs.iter().map(|e| context! { field => format!("{prefix}{}-{work_area_id}", e.field), message => e.message.clone() }).collect();
    let mut form_ctx = std::collections::BTreeMap::new();
    form_ctx.insert(format!("{form}_errors"), error_for);
    form_ctx.insert(format!("{form}_for"), Value::from(work_area_id));
    form_ctx.insert(form.to_string(), values);
    let ctx = minijinja::value::merge_maps([
        context! { errors, people => people(s, &view).await? },
        Value::from(form_ctx),
        plan_ctx(&view, &today(s), Some(actor.id())),
    ]);
    Ok(crate::session::page_with_status(
        s,
        v,
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "plans/show.html",
        ctx,
    ))
}

#[derive(serde::Deserialize, Default)]
struct IndicatorForm {
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

async fn set_indicator(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<IndicatorForm>,
) -> PageResult {
    let input = lz_app::plans::OutcomeIndicator {
        indicator: f.indicator.clone(),
        baseline: f.baseline.clone(),
        target: f.target.clone(),
        current: f.current.clone(),
    };
    match s.app.set_outcome_indicator(&actor, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/plans/{}?notice=saved", f.plan_id)).into_response()),
        Err(AppError::Invalid(errs)) => {
            let values = context! { indicator => f.indicator, baseline => f.baseline, target => f.target, current => f.current };
            work_area_form_again(
                &s,
                &v,
                &actor,
                &f.plan_id,
                &id,
                "indicator",
                "i",
                &errs,
                values,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A small chart of one indicator: the current value as a bar, the target as a line, the
/// baseline as a tick, on a scale from zero (or the lowest value) to just past the highest.
pub fn indicator_svg(i: &lz_app::report::IndicatorLine) -> Option<String> {
    let num = |s: &str| s.parse::<f64>().ok();
    let target = num(&i.target)?;
    let current = num(&i.current);
    let baseline = num(&i.baseline);
    let values: Vec<f64> = [Some(target), current, baseline, Some(0.0)]
        .into_iter()
        .flatten()
        .collect();
    let lo = values.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let span = if (hi - lo).abs() < f64::EPSILON {
        1.0
    } else {
        (hi - lo) * 1.1
    };
    let x = |v: f64| 10.0 + (v - lo) / span * 380.0;
    let label = format!(
        "{}: current {}, target {}{}",
        i.indicator,
        if i.current.is_empty() {
            "not yet measured"
        } else {
            &i.current
        },
        i.target,
        if i.baseline.is_empty() {
            String::new()
        } else {
            format!(", baseline {}", i.baseline)
        }
    );
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut out = format!("<svg class=\"lz-indicator\" viewBox=\"0 0 400 44\" width=\"400\" height=\"44\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">", esc(&label));
    out.push_str("<rect x=\"10\" y=\"12\" width=\"380\" height=\"18\" fill=\"#f3f2f1\"/>");
    if let Some(c) = current {
        out.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"12\" width=\"{:.1}\" height=\"18\" fill=\"#1d70b8\"/>",
            x(lo.max(0.0).min(c)),
            (x(c) - x(lo.max(0.0).min(c))).abs().max(2.0)
        ));
    }
    if let Some(b) = baseline {
        out.push_str(&format!("<line x1=\"{0:.1}\" y1=\"8\" x2=\"{0:.1}\" y2=\"34\" stroke=\"#505a5f\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>", x(b)));
    }
    out.push_str(&format!("<line x1=\"{0:.1}\" y1=\"4\" x2=\"{0:.1}\" y2=\"40\" stroke=\"#0b0c0c\" stroke-width=\"3\"/>", x(target)));
    out.push_str("</svg>");
    Some(out)
}

/// The CSV template for a delivery plan (a spreadsheet a place can fill in and import).
async fn template() -> axum::response::Response {
    download(
        "text/csv; charset=utf-8",
        "delivery-plan-template.csv".into(),
        lz_app::plans::plan_template_csv().into_bytes(),
    )
}

/// The work area's plan view, if the actor may change that work area (a lead or a plan editor).
async fn editable_area(
    s: &AppState,
    actor: &lz_app::Actor,
    id: &str,
) -> Result<(PlanView, usize), AppError> {
    let plan_id = s.app.plan_of_work_area(id).await?;
    let view = s.app.plan_view(Some(actor), &plan_id).await?;
    let index = view
        .work_areas
        .iter()
        .position(|w| w.id == id)
        .ok_or(AppError::NotFound)?;
    let is_lead = view
        .leads
        .iter()
        .any(|l| l.work_area_id == id && l.user_id.as_deref() == Some(actor.id()));
    if !view.can_edit && !is_lead {
        return Err(AppError::Forbidden);
    }
    Ok((view, index))
}

async fn edit_work_area_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let (view, i) = editable_area(&s, &actor, &id).await?;
    let w = &view.work_areas[i];
    let leads: Vec<String> = view
        .leads
        .iter()
        .filter(|l| l.work_area_id == id)
        .map(|l| l.name.clone())
        .collect();
    let budget: Vec<String> = view
        .budget_lines
        .iter()
        .filter(|b| b.work_area_id == id)
        .map(|b| format!("{} {}", b.label, money(b.amount_pence)))
        .collect();
    let values = context! {
        title => w.title.clone(), leads => leads.join("\n"), why => w.why.clone(), what_we_will_do => w.what_we_will_do.clone(),
        start => w.start_date.clone(), end => w.end_date.clone(), budget => budget.join("\n"),
        committed => if w.budget_committed_pence > 0 { money(w.budget_committed_pence) } else { String::new() },
    };
    Ok(page(
        &s,
        &v,
        "plans/work_area_form.html",
        context! { id, plan => context! { id => view.plan.id.clone(), title => view.plan.title.clone() }, values },
    ))
}

#[derive(serde::Deserialize, Default)]
struct WorkAreaForm {
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
}

async fn edit_work_area(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<WorkAreaForm>,
) -> PageResult {
    let edit = lz_app::plans::WorkAreaEdit {
        title: f.title.clone(),
        leads: f.leads.clone(),
        why: f.why.clone(),
        what_we_will_do: f.what_we_will_do.clone(),
        start: f.start.clone(),
        end: f.end.clone(),
        budget: f.budget.clone(),
        committed: f.committed.clone(),
    };
    match s.app.edit_work_area(&actor, &id, &edit).await {
        Ok(()) => {
            let plan_id = s.app.plan_of_work_area(&id).await?;
            Ok(Redirect::to(&format!("/plans/{plan_id}?notice=saved#wa-{id}")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let (view, _) = editable_area(&s, &actor, &id).await?;
            let values = context! { title => f.title, leads => f.leads, why => f.why, what_we_will_do => f.what_we_will_do, start => f.start, end => f.end, budget => f.budget, committed => f.committed };
            Ok(form_again(
                &s,
                &v,
                "plans/work_area_form.html",
                &errs,
                context! { id, plan => context! { id => view.plan.id.clone(), title => view.plan.title.clone() }, values },
            ))
        }
        Err(e) => Err(e.into()),
    }
}
