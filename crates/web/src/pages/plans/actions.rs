//! A person's actions (`/actions`): the list, closing one, and giving one to a member from
//! the plan page.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use minijinja::Value;

use lz_app::context;

use super::today;
use crate::error::PageResult;
use crate::pages::{notice_text, HtmlForm, NoticeQuery};
use crate::session::{page, SignedIn};
use crate::AppState;

pub(super) async fn my_actions(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let today = today(&s);
    let actions: Vec<Value> = s.app.plans().my_actions(&actor).await?.into_iter().map(|a| context! {
        overdue => a.overdue_on(&today),
        id => a.id, plan_id => a.plan_id, plan => a.plan_title, description => a.description, due => a.due_date, status => a.status,
        note => a.completion_note,
    }).collect();
    Ok(page(
        &s,
        &visitor,
        "plans/actions.html",
        context! { actions, notice => notice_text(q.notice.as_deref()) },
    ))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct CloseForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

pub(super) async fn close_action(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<CloseForm>,
) -> PageResult {
    s.app
        .plans()
        .close_action(&actor, &id, &f.status, &f.note)
        .await?;
    Ok(Redirect::to("/actions?notice=saved").into_response())
}

#[derive(serde::Deserialize, Default)]
pub(super) struct AssignForm {
    #[serde(default)]
    owner: String,
    #[serde(default)]
    plan_id: String,
}

pub(super) async fn assign_action(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<AssignForm>,
) -> PageResult {
    s.app.plans().assign_action(&actor, &id, &f.owner).await?;
    Ok(Redirect::to(&format!("/plans/{}?notice=saved", f.plan_id)).into_response())
}
