//! Network pages: the public directory (places, organisations) and the administration
//! pages: places, organisations, people and roles (network admins), join requests
//! (organisation and network admins), the mail outbox and the audit log. Who may see each
//! page is decided by the use cases (`lz_app::network::access`), never here.

mod directory;
mod export;
mod organisations;
mod oversight;
mod people;
mod places;
mod requests;

use axum::routing::{get, post};
use axum::Router;
use lz_domain::{PlaceKind, Sector};
use minijinja::Value;

use lz_app::context;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/places", get(directory::places))
        .route("/organisations", get(directory::organisations))
        .route("/admin", get(requests::index))
        .route("/admin/places", get(places::list).post(places::create))
        .route("/admin/places/{id}", get(places::edit).post(places::update))
        .route("/admin/places/{id}/areas", post(places::set_areas))
        .route(
            "/admin/organisations",
            get(organisations::list).post(organisations::create),
        )
        .route(
            "/admin/organisations/{id}",
            get(organisations::edit).post(organisations::update),
        )
        .route(
            "/admin/organisations/{id}/export.zip",
            get(export::organisation),
        )
        .route("/admin/users", get(people::list))
        .route(
            "/admin/users/{id}",
            get(people::person).post(people::set_role),
        )
        .route("/admin/users/{id}/analyst", post(people::set_analyst))
        .route("/admin/requests", get(requests::list))
        .route("/admin/requests/{id}", post(requests::decide))
        .route("/admin/outbox", get(oversight::outbox))
        .route("/admin/audit", get(oversight::audit))
}

/// The kinds of place, as select options.
fn kinds() -> Vec<Value> {
    PlaceKind::ALL
        .iter()
        .map(|k| context! { value => k.code(), label => k.label() })
        .collect()
}

/// The sectors, as select options.
fn sectors() -> Vec<Value> {
    Sector::ALL
        .iter()
        .map(|k| context! { value => k.code(), label => k.label() })
        .collect()
}
