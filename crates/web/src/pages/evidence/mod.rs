//! Evidence bank pages, by what a person does: `read` (the list with its filters and counts,
//! one record, the CSV) and `write` (the form, new and edit; check, publish and delete). Handlers
//! extract, call one use case on `app.evidence()` and render; who may do what comes from
//! `lz_app::evidence::EvidenceAccess`.

pub(crate) mod read;
mod write;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/evidence", get(read::list))
        .route("/evidence.csv", get(read::csv))
        .route("/evidence/new", get(write::new_form).post(write::create))
        .route("/evidence/{id}", get(read::show))
        .route(
            "/evidence/{id}/edit",
            get(write::edit_form).post(write::update),
        )
        .route("/evidence/{id}/check", post(write::check))
        .route("/evidence/{id}/publish", post(write::publish))
        .route("/evidence/{id}/delete", post(write::delete))
}
