//! The review workflow from an item's page (submit, approve, send back, withdraw, reopen)
//! and the review queue.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::{Actor, AppError};
use lz_domain::library::Transition;
use minijinja::Value;

use lz_app::context;

use super::item::item_ctx;
use super::mine::list_ctx;
use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

#[derive(serde::Deserialize)]
pub(super) struct WorkflowForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    comment: String,
}

pub(super) async fn workflow(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<WorkflowForm>,
) -> PageResult {
    let Some(t) = Transition::parse(&f.action) else {
        return Err(AppError::field("action", "Choose what to do with the item").into());
    };
    match s.app.library().transition(&actor, &id, t, &f.comment).await {
        Ok(_) => {
            let code = match t {
                Transition::Submit => "submitted",
                Transition::Approve => "approved",
                Transition::SendBack => "sent_back",
                Transition::Withdraw => "withdrawn",
                Transition::Reopen => "reopened",
            };
            s.app.wake_mailer();
            Ok(Redirect::to(&format!("/library/{id}?notice={code}")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            item_again(
                &s,
                &v,
                &actor,
                &id,
                &errs,
                context! { comment => f.comment },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The item page again (422) with the problems of a form on it (workflow comment, upload).
pub(super) async fn item_again(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: &str,
    errs: &[lz_app::FieldError],
    extra: Value,
) -> PageResult {
    let view = s.app.library().item(Some(actor), id).await?;
    let is_moderator = view.access.may_feature();
    Ok(form_again(
        s,
        v,
        "library/item.html",
        errs,
        context! { item => item_ctx(s, &view), more => Vec::<Value>::new(), is_moderator, ..extra },
    ))
}

/// Items in review that the person may decide on (reviewers only).
pub(super) async fn queue(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    let items = list_ctx(s.app.library().review_queue(&actor, 200).await?);
    Ok(page(&s, &v, "library/review.html", context! { items }))
}
