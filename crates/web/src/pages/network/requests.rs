//! Requests to join organisations (organisation admins for their own organisations, network
//! admins for all): the administration index with the count waiting, the list, and the
//! decision.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::context;
use lz_app::network::Decision;
use lz_app::AppError;

use crate::error::PageResult;
use crate::pages::{notice_text, HtmlForm, NoticeQuery};
use crate::session::{page, SignedIn};
use crate::AppState;

pub(super) async fn index(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
) -> PageResult {
    let overview = state.app.network().overview(&actor).await?;
    Ok(page(
        &state,
        &visitor,
        "admin/index.html",
        context! {
            pending => overview.pending,
            exports => lz_app::transfer::access::own_organisations_to_export(&actor)
                .into_iter()
                .map(|(id, name)| context! { id, name })
                .collect::<Vec<_>>(),
        },
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Query(query): Query<NoticeQuery>,
) -> PageResult {
    let requests = state.app.network().join_requests(&actor).await?;
    let rows: Vec<_> = requests
        .into_iter()
        .map(|m| {
            context! {
                id => m.id, name => m.user_name, email => m.user_email,
                organisation => m.organisation_name, message => m.message, created_at => m.created_at,
            }
        })
        .collect();
    Ok(page(
        &state,
        &visitor,
        "admin/requests.html",
        context! { requests => rows, notice => notice_text(query.notice.as_deref()) },
    ))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct DecisionForm {
    #[serde(default)]
    decision: String,
}

pub(super) async fn decide(
    State(state): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<DecisionForm>,
) -> PageResult {
    let (decision, notice) = match form.decision.as_str() {
        "approve" => (Decision::Approve, "approved"),
        "decline" => (Decision::Decline, "declined"),
        _ => return Err(AppError::field("decision", "Choose approve or decline").into()),
    };
    let network = state.app.network();
    network.decide_join_request(&actor, &id, decision).await?;
    Ok(Redirect::to(&format!("/admin/requests?notice={notice}")).into_response())
}
