//! Collections of evidence and their packs, by what a person does: `read` (the list, one
//! collection with its pack and what was left out, its history, the pack's files), `write`
//! (the details form, sections, choosing evidence, publishing, deleting) and `share` (share
//! links: make, revoke, and the page a link's holder opens). Handlers extract, call one use
//! case on `app.advocacy()` and render; who may do what comes from
//! `lz_app::advocacy::CollectionAccess`.

mod read;
mod share;
mod write;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/collections", get(read::list).post(write::create))
        .route("/collections/new", get(write::new_form))
        .route("/collections/{id}", get(read::show))
        .route(
            "/collections/{id}/edit",
            get(write::edit_form).post(write::update),
        )
        .route("/collections/{id}/history", get(read::history))
        .route("/collections/{id}/pack.docx", get(read::pack_docx))
        .route("/collections/{id}/pack.pdf", get(read::pack_pdf))
        .route("/collections/{id}/pack.pptx", get(read::pack_pptx))
        .route("/collections/{id}/publish", post(write::publish))
        .route("/collections/{id}/delete", post(write::delete))
        .route("/collections/{id}/sections", post(write::add_section))
        .route(
            "/collections/{id}/sections/{section}/edit",
            get(write::section_form).post(write::edit_section),
        )
        .route(
            "/collections/{id}/sections/{section}/move",
            post(write::move_section),
        )
        .route(
            "/collections/{id}/sections/{section}/delete",
            post(write::delete_section),
        )
        .route(
            "/collections/{id}/sections/{section}/evidence",
            get(write::evidence_picker).post(write::add_evidence),
        )
        .route(
            "/collections/{id}/sections/{section}/evidence/{evidence}/move",
            post(write::move_evidence),
        )
        .route(
            "/collections/{id}/sections/{section}/evidence/{evidence}/remove",
            post(write::remove_evidence),
        )
        .route("/collections/{id}/shares", post(share::create))
        .route(
            "/collections/{id}/shares/{link}/revoke",
            post(share::revoke),
        )
        .route("/shared/{token}", get(share::open))
        .route("/shared/{token}/pack.docx", get(share::pack_docx))
        .route("/shared/{token}/pack.pdf", get(share::pack_pdf))
        .route("/shared/{token}/pack.pptx", get(share::pack_pptx))
}
