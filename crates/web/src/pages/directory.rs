//! The network directory: its places and member organisations (public information).

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use lz_domain::{PlaceKind, Sector};
use minijinja::context;

use crate::error::PageResult;
use crate::session::{page, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/places", get(places))
        .route("/organisations", get(organisations))
}

async fn places(State(s): State<AppState>, v: Visitor) -> PageResult {
    let rows: Vec<_> = s.app.places().await?.into_iter().map(|p| context! {
        name => p.name, kind => PlaceKind::parse(&p.kind).map(|k| k.label()).unwrap_or(""), gss_code => p.gss_code, summary => p.summary,
    }).collect();
    Ok(directory(&s, &v, "Places", rows, true))
}

async fn organisations(State(s): State<AppState>, v: Visitor) -> PageResult {
    let rows: Vec<_> = s.app.organisations().await?.into_iter().map(|o| context! {
        name => o.name.clone(), kind => Sector::parse(&o.sector).map(|k| k.label()).unwrap_or(""), place => o.place_name.clone(),
    }).collect();
    Ok(directory(&s, &v, "Organisations", rows, false))
}

fn directory(
    s: &AppState,
    v: &Visitor,
    title: &str,
    rows: Vec<minijinja::Value>,
    places: bool,
) -> Response {
    page(s, v, "directory.html", context! { title, rows, places })
}
