//! The network directory: its places and member organisations (public information).

use axum::extract::State;
use axum::response::Response;
use lz_app::context;

use crate::error::PageResult;
use crate::session::{page, Visitor};
use crate::AppState;

pub(super) async fn places(State(state): State<AppState>, visitor: Visitor) -> PageResult {
    let rows: Vec<_> = state
        .app
        .network()
        .places()
        .await?
        .into_iter()
        .map(|p| {
            context! {
                name => p.name, kind => p.kind.label(), gss_code => p.gss_code, summary => p.summary,
                path => format!("/places/{}", p.slug),
            }
        })
        .collect();
    Ok(directory(&state, &visitor, "Places", rows, true))
}

pub(super) async fn organisations(State(state): State<AppState>, visitor: Visitor) -> PageResult {
    let rows: Vec<_> = state
        .app
        .network()
        .organisations()
        .await?
        .into_iter()
        .map(|o| context! { name => o.name, kind => o.sector.label(), place => o.place_name, path => format!("/organisations/{}", o.slug) })
        .collect();
    Ok(directory(&state, &visitor, "Organisations", rows, false))
}

fn directory(
    state: &AppState,
    visitor: &Visitor,
    title: &str,
    rows: Vec<minijinja::Value>,
    places: bool,
) -> Response {
    page(
        state,
        visitor,
        "directory.html",
        context! { title, rows, places },
    )
}
