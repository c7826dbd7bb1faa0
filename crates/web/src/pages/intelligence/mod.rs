//! Shared intelligence pages, by what a person does: `read` (the indicators, one indicator
//! compared across the region and over time for an area, the CSV downloads, the figures on a
//! place's page) and `import` (upload, review with flags, save or discard; the template).
//! Charts are server-rendered SVG (`crate::charts`) with the same figures as a table beside
//! them; who may do what comes from `lz_app::intelligence::IntelligenceAccess`.

mod import;
pub(crate) mod read;
pub(crate) mod tags;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/indicators", get(read::list))
        .route("/indicators/import", get(import::form).post(import::upload))
        .route("/indicators/import/template.csv", get(import::template))
        .route(
            "/indicators/import/{id}",
            get(import::review).post(import::save),
        )
        .route("/indicators/import/{id}/discard", post(import::discard))
        .route("/indicators/{id}", get(read::show).post(read::update))
        .route("/indicators/{id}/data.csv", get(read::data_csv))
        .route("/indicators/{id}/chart.csv", get(read::chart_csv))
        .route("/places/{slug}/figures.csv", get(read::place_csv))
        .route("/library/{id}/indicators", post(tags::tag_item))
        .route("/evidence/{id}/indicators", post(tags::tag_evidence))
}
