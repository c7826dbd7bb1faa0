//! The pages every public service has, linked from the footer: the accessibility statement
//! (in the GOV.UK model form), the privacy notice and how to contact the host. Their facts
//! (the host, the contact address, how long data is kept) come from configuration.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use lz_app::context;

use crate::session::{page, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accessibility", get(accessibility))
        .route("/privacy", get(privacy))
        .route("/contact", get(contact))
}

async fn accessibility(State(s): State<AppState>, v: Visitor) -> Response {
    page(&s, &v, "about/accessibility.html", context! {})
}

async fn privacy(State(s): State<AppState>, v: Visitor) -> Response {
    page(&s, &v, "about/privacy.html", context! {})
}

async fn contact(State(s): State<AppState>, v: Visitor) -> Response {
    page(&s, &v, "about/contact.html", context! {})
}
