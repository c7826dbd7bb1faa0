//! Learning library pages, by what a person does: `browse` (search, facets, theme, place
//! and organisation pages, follows), `item` (an item's page, history, marks, featuring,
//! deleting), `write` (the item form), `review` (the workflow and the review queue),
//! `attachments` (upload, download, remove), `mine` (my items, bookmarks, following),
//! `feeds` (Atom) and `taxonomy` (the curators' terms and search gaps). Handlers extract,
//! call one use case on `app.library()` and render; who may do what comes from
//! `lz_app::library::access`.

mod attachments;
mod browse;
mod feeds;
mod item;
mod mine;
mod review;
mod taxonomy;
mod write;
pub(crate) use write::form_options;

use axum::routing::{get, post};
use axum::Router;
use lz_domain::library::Vocabulary;

pub use browse::{CachedNames, SearchParams};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/library", get(browse::search_page))
        .route("/library/new", get(write::new_form).post(write::create))
        .route("/library/mine", get(mine::mine))
        .route("/library/review", get(review::queue))
        .route("/library/{id}", get(item::show))
        .route(
            "/library/{id}/edit",
            get(write::edit_form).post(write::update),
        )
        .route("/library/{id}/workflow", post(review::workflow))
        .route("/library/{id}/history", get(item::history))
        .route("/library/{id}/cite.ris", get(item::cite_ris))
        .route("/library/{id}/cite.bib", get(item::cite_bib))
        .route("/library/{id}/marks", post(item::mark))
        .route("/library/{id}/feature", post(item::feature))
        .route("/library/{id}/delete", post(item::delete))
        .route(
            "/library/{id}/attachments",
            post(attachments::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/attachments/{id}", get(attachments::download))
        .route("/attachments/{id}/delete", post(attachments::remove))
        .route("/follow", post(browse::follow))
        .route("/themes/{slug}", browse::term_route(Vocabulary::Theme))
        .route("/agendas/{slug}", browse::term_route(Vocabulary::Agenda))
        .route(
            "/audiences/{slug}",
            browse::term_route(Vocabulary::Audience),
        )
        .route("/themes/{slug}/feed.atom", get(feeds::theme_feed))
        .route("/places/{slug}", get(browse::place_page))
        .route("/organisations/{slug}", get(browse::organisation_page))
        .route("/feed.atom", get(feeds::feed))
        .route(
            "/admin/taxonomy",
            get(taxonomy::taxonomy_page).post(taxonomy::create_term),
        )
        .route("/admin/taxonomy/{id}", post(taxonomy::rename_term))
        .route("/admin/taxonomy/{id}/merge", post(taxonomy::merge_term))
        .route("/admin/search-gaps", get(taxonomy::search_gaps))
}
