//! Delivery plan pages: the list and importing a plan document (`import`), a plan's page and
//! its Executive minutes (`show`), a work area's progress, milestones, indicators and links
//! (`work_areas`), a person's actions (`actions`), the Executive report with its downloads and
//! schedule (`report`), and the timeline picture (`timeline`). Handlers extract, call one use
//! case of `app.plans()`, and render; who may do what is decided in `lz_app::plans::access`.

mod actions;
mod import;
mod report;
mod show;
mod timeline;
mod work_areas;

use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(import::list))
        .route(
            "/plans/import",
            get(import::import_form).post(import::import),
        )
        .route("/plans/template.csv", get(import::template))
        // The session middleware has already bounded the upload (LZ_MAX_UPLOAD_BYTES).
        .route(
            "/plans/import/upload",
            post(import::import_upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/plans/{id}", get(show::show))
        .route("/plans/{id}/minutes", post(show::add_minutes))
        .route("/plans/{id}/actions", post(show::add_action))
        .route("/plans/{id}/report", get(report::report))
        .route("/plans/{id}/report/csv", get(report::report_csv))
        .route("/plans/{id}/report/xlsx", get(report::report_xlsx))
        .route("/plans/{id}/report/schedule", post(report::schedule_report))
        .route("/plans/{id}/report/docx", get(report::report_docx))
        .route("/plans/{id}/report/pdf", get(report::report_pdf))
        .route("/work-areas/{id}/updates", post(work_areas::post_update))
        .route(
            "/work-areas/{id}/edit",
            get(work_areas::edit_form).post(work_areas::edit),
        )
        .route("/work-areas/{id}/learning", post(work_areas::link_learning))
        .route(
            "/work-areas/{id}/learning/{item}/remove",
            post(work_areas::unlink_learning),
        )
        .route(
            "/work-areas/{id}/milestones",
            post(work_areas::add_milestone),
        )
        .route(
            "/milestones/{id}/status",
            post(work_areas::milestone_status),
        )
        .route("/outcomes/{id}/indicator", post(work_areas::set_indicator))
        .route("/outcomes/{id}/figure", post(work_areas::set_figure))
        .route(
            "/outcomes/{id}/figure/remove",
            post(work_areas::remove_figure),
        )
        .route("/actions/{id}/assign", post(actions::assign_action))
        .route("/actions", get(actions::my_actions))
        .route("/actions/{id}/close", post(actions::close_action))
}

/// Today's date (UTC) as YYYY-MM-DD, by the app's clock.
fn today(state: &AppState) -> String {
    lz_app::plans::input::today(state.app.now())
}

/// A file to download.
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
