//! People and roles (network admins): the list, one person with their memberships, and
//! changing their role.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use lz_app::{Actor, AppError};
use minijinja::Value;

use lz_app::context;

use crate::error::PageResult;
use crate::pages::{errors_ctx, notice_text, HtmlForm, NoticeQuery};
use crate::session::{page, page_with_status, SignedIn, Visitor};
use crate::AppState;

#[derive(serde::Deserialize, Default)]
pub(super) struct PeopleQuery {
    #[serde(default)]
    q: String,
    notice: Option<String>,
}

pub(super) async fn list(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Query(query): Query<PeopleQuery>,
) -> PageResult {
    let people = state.app.network().people(&actor, &query.q).await?;
    let rows: Vec<_> = people
        .into_iter()
        .map(|u| {
            context! {
                id => u.id, name => u.name, email => u.email, role => u.role.label(), verified => u.verified,
            }
        })
        .collect();
    Ok(page(
        &state,
        &visitor,
        "admin/users.html",
        context! { users => rows, q => query.q, notice => notice_text(query.notice.as_deref()) },
    ))
}

/// The roles, as select options.
fn roles() -> Vec<Value> {
    lz_app::network::access::role_choices()
        .into_iter()
        .map(|(value, label)| context! { value, label })
        .collect()
}

async fn person_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: &str,
    extra: Value,
    status: StatusCode,
) -> PageResult {
    let person = state.app.network().person(actor, id).await?;
    let memberships: Vec<_> = person
        .memberships
        .iter()
        .map(|m| context! { organisation => &m.organisation_name, status => m.status.code(), via => m.via.code() })
        .collect();
    let user = &person.user;
    let person = context! {
        id => &user.id, name => &user.name, email => &user.email, role => user.role_code(),
        verified_at => user.verified_at, created_at => user.created_at, analyst => user.analyst,
    };
    Ok(page_with_status(
        state,
        visitor,
        status,
        "admin/user.html",
        context! { person, memberships, roles => roles(), ..extra },
    ))
}

pub(super) async fn person(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> PageResult {
    let notice = notice_text(query.notice.as_deref());
    person_page(
        &state,
        &visitor,
        &actor,
        &id,
        context! { notice },
        StatusCode::OK,
    )
    .await
}

#[derive(serde::Deserialize, Default)]
pub(super) struct RoleForm {
    #[serde(default)]
    role: String,
}

pub(super) async fn set_role(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<RoleForm>,
) -> PageResult {
    match state.app.network().set_role(&actor, &id, &form.role).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/users/{id}?notice=role-changed")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let (errors, error_for) = errors_ctx(&errs);
            let extra = context! { errors, error_for };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            person_page(&state, &visitor, &actor, &id, extra, status).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct AnalystForm {
    #[serde(default)]
    analyst: String,
}

/// Grants or withdraws the analyst permission (importing figures).
pub(super) async fn set_analyst(
    State(state): State<AppState>,
    SignedIn(actor, _visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<AnalystForm>,
) -> PageResult {
    state
        .app
        .intelligence()
        .set_analyst(&actor, &id, form.analyst == "yes")
        .await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?notice=saved")).into_response())
}
