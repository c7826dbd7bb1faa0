//! The Executive report of a plan for a date: the page (with its charts and the schedule of
//! emails for those who may change the plan), and its CSV, Word and PDF downloads.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::AppError;
use minijinja::Value;

use lz_app::context;

use super::download;
use crate::error::PageResult;
use crate::pages::{form_again, notice_text, HtmlForm, HtmlQuery};
use crate::session::{page, SignedIn, Visitor};
use crate::templates::money;
use crate::AppState;

#[derive(serde::Deserialize, Default)]
pub(super) struct ReportQuery {
    #[serde(default)]
    date: String,
    notice: Option<String>,
    #[serde(default)]
    table: String,
}

pub(super) async fn report(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<ReportQuery>,
) -> PageResult {
    let r = match s
        .app
        .plans()
        .executive_report(v.actor.as_ref(), &id, &q.date)
        .await
    {
        Ok(r) => r,
        Err(AppError::Invalid(errs)) => {
            let fallback = s
                .app
                .plans()
                .executive_report(v.actor.as_ref(), &id, "")
                .await?;
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
    match s.app.plans().report_schedules(actor, plan_id).await {
        Ok(rows) => Ok(context! {
            can_schedule => true,
            schedules => rows.into_iter().map(|r| context! { send_on => r.send_on, recipients => r.recipients.join(", "), sent => r.sent }).collect::<Vec<_>>(),
        }),
        Err(AppError::Forbidden) => Ok(context! {}),
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct ScheduleForm {
    #[serde(default)]
    recipients: String,
    #[serde(default)]
    send_on: String,
}

pub(super) async fn schedule_report(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<ScheduleForm>,
) -> PageResult {
    match s
        .app
        .plans()
        .schedule_report(&actor, &id, &f.recipients, &f.send_on)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/plans/{id}/report?notice=saved#schedule")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let r = s
                .app
                .plans()
                .executive_report(Some(&actor), &id, "")
                .await?;
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

fn report_ctx(r: &lz_app::plans::report::Report, date_value: &str) -> Value {
    let areas: Vec<Value> = r.areas.iter().map(|a| {
        // Width of the spent bar as a share of the allocation (capped: overspend shows full and red).
        let share = if a.allocated_pence > 0 { (a.spent_pence as f64 / a.allocated_pence as f64).min(1.0) } else { 0.0 };
        context! {
            title => a.title.clone(), kind => a.kind, leads => a.leads.join(", "), rag => a.rag, reason => a.reason.clone(),
            allocated => money(a.allocated_pence), committed => money(a.committed_pence), has_committed => a.committed_pence > 0, spent => money(a.spent_pence), bar => (share * 200.0).round() as i64,
            over => a.spent_pence > a.allocated_pence, has_budget => a.allocated_pence > 0, flags => a.flags,
        }
    }).collect();
    let action = |a: &lz_app::plans::report::ActionLine| context! { description => a.description.clone(), owner => a.owner.clone(), due => a.due.clone() };
    context! {
        report => context! { plan_id => r.plan_id.clone(), plan_title => r.plan_title.clone(), date => r.date.clone(), red => r.rag_counts[0], amber => r.rag_counts[1], green => r.rag_counts[2], unknown => r.rag_counts[3],
            allocated => money(r.allocated_pence), committed => money(r.committed_pence), spent => money(r.spent_pence) },
        areas, overdue => r.overdue.iter().map(action).collect::<Vec<_>>(), due_soon => r.due_soon.iter().map(action).collect::<Vec<_>>(),
        updates => lz_app::context::to_value(&r.recent_updates), learning => lz_app::context::to_value(&r.learning), evidence => lz_app::context::to_value(&r.evidence), date_value,
        milestones_missed => lz_app::context::to_value(&r.milestones_missed), milestones_due => lz_app::context::to_value(&r.milestones_due),
        indicators => r.indicators.iter().map(|i| context! {
            indicator => i.indicator.clone(), outcome => i.outcome.clone(), work_area => i.work_area.clone(), baseline => i.baseline.clone(), target => i.target.clone(), current => i.current.clone(), source => i.source.clone(),
            chart => indicator_svg(i).map(Value::from_safe_string),
        }).collect::<Vec<_>>(),
    }
}

/// The formats the report downloads in.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
    Docx,
    Pdf,
}

/// The report for the query's date, as a file in `format`.
async fn report_file(
    s: &AppState,
    v: &Visitor,
    id: &str,
    q: &ReportQuery,
    format: Format,
) -> PageResult {
    let r = s
        .app
        .plans()
        .executive_report(v.actor.as_ref(), id, &q.date)
        .await?;
    let date = &r.date;
    let (content_type, name, body) = match format {
        Format::Csv => (
            "text/csv; charset=utf-8",
            format!("plan-report-{date}-{}.csv", q.table),
            lz_app::plans::report::csv(&r, &q.table)?.into_bytes(),
        ),
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("plan-report-{date}.xlsx"),
            lz_app::plans::report::xlsx(&r)?,
        ),
        Format::Docx => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            format!("plan-report-{date}.docx"),
            lz_app::documents::docx(&lz_app::plans::report_docs::document(&r, &s.app.config))?,
        ),
        Format::Pdf => (
            "application/pdf",
            format!("plan-report-{date}.pdf"),
            lz_app::documents::pdf(&lz_app::plans::report_docs::document(&r, &s.app.config))?,
        ),
    };
    Ok(download(content_type, name, body))
}

pub(super) async fn report_csv(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<ReportQuery>,
) -> PageResult {
    report_file(&s, &v, &id, &q, Format::Csv).await
}

pub(super) async fn report_xlsx(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<ReportQuery>,
) -> PageResult {
    report_file(&s, &v, &id, &q, Format::Xlsx).await
}

pub(super) async fn report_docx(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<ReportQuery>,
) -> PageResult {
    report_file(&s, &v, &id, &q, Format::Docx).await
}

pub(super) async fn report_pdf(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<ReportQuery>,
) -> PageResult {
    report_file(&s, &v, &id, &q, Format::Pdf).await
}

/// A small chart of one indicator: the current value as a bar, the target as a line, the
/// baseline as a tick, on a scale from zero (or the lowest value) to just past the highest.
fn indicator_svg(i: &lz_app::plans::report::IndicatorLine) -> Option<String> {
    // "36.6% (2023/24)" and "30% by 2028" (a published figure's line) read as their numbers.
    let num = |s: &str| {
        s.split_whitespace()
            .next()?
            .trim_end_matches('%')
            .parse::<f64>()
            .ok()
    };
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
