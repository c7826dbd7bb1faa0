//! The account page: who the person is, the organisations they belong to (or asked to
//! join), asking to join another, and their personal API tokens.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use lz_app::accounts::AccountOverview;
use lz_app::{Actor, AppError, FieldError};
use minijinja::Value;

use lz_app::context;

use crate::error::PageResult;
use crate::pages::{errors_ctx, notice_text, HtmlForm, NoticeQuery};
use crate::session::{page_with_status, SignedIn, Visitor};
use crate::AppState;

pub(super) async fn account(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Query(query): Query<NoticeQuery>,
) -> PageResult {
    let notice = notice_text(query.notice.as_deref());
    account_page(&state, &visitor, &actor, context! { notice }).await
}

async fn account_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    extra: Value,
) -> PageResult {
    account_page_with(state, visitor, actor, StatusCode::OK, extra).await
}

async fn account_page_with(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    status: StatusCode,
    extra: Value,
) -> PageResult {
    let overview = state.app.accounts().overview(actor).await?;
    Ok(page_with_status(
        state,
        visitor,
        status,
        "account.html",
        overview_ctx(overview, extra),
    ))
}

fn overview_ctx(overview: AccountOverview, extra: Value) -> Value {
    let user = &overview.user;
    let memberships: Vec<_> = overview
        .memberships
        .iter()
        .map(|m| {
            context! {
                organisation => &m.organisation_name,
                place => &m.place_name,
                status => m.status.code(),
                status_label => m.status.label(),
                via => m.via.code(),
            }
        })
        .collect();
    let organisations: Vec<_> = overview
        .organisations
        .iter()
        .map(|o| context! { id => &o.id, name => &o.name })
        .collect();
    let tokens: Vec<_> = overview
        .tokens
        .iter()
        .map(|t| {
            context! {
                id => &t.id, name => &t.name, created_at => t.created_at,
                last_used_at => t.last_used_at, revoked => t.revoked,
            }
        })
        .collect();
    context! {
        account => context! { name => &user.name, email => &user.email, role => user.role_label() },
        memberships, organisations, tokens, ..extra
    }
}

/// The account page again with the form's problems.
async fn with_errors(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    errs: &[FieldError],
) -> PageResult {
    let (errors, error_for) = errors_ctx(errs);
    let extra = context! { errors, error_for };
    account_page_with(
        state,
        visitor,
        actor,
        StatusCode::UNPROCESSABLE_ENTITY,
        extra,
    )
    .await
}

#[derive(serde::Deserialize, Default)]
pub(super) struct JoinForm {
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    message: String,
}

pub(super) async fn join(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    HtmlForm(form): HtmlForm<JoinForm>,
) -> PageResult {
    let network = state.app.network();
    match network
        .request_to_join(&actor, &form.organisation_id, &form.message)
        .await
    {
        Ok(_) => Ok(Redirect::to("/account?notice=join-requested").into_response()),
        Err(AppError::Invalid(errs)) => with_errors(&state, &visitor, &actor, &errs).await,
        // Already a member, or already asked: said next to the organisation field.
        Err(AppError::Conflict(message)) => {
            let errs = [FieldError {
                field: "organisation_id",
                message,
            }];
            with_errors(&state, &visitor, &actor, &errs).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    HtmlForm(form): HtmlForm<PasswordForm>,
) -> PageResult {
    let changed = state
        .app
        .accounts()
        .change_password(
            &actor,
            &form.current_password,
            &form.new_password,
            visitor.session_token.as_deref(),
        )
        .await;
    match changed {
        Ok(()) => Ok(Redirect::to("/account?notice=password-changed").into_response()),
        Err(AppError::Invalid(errs)) => with_errors(&state, &visitor, &actor, &errs).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct TokenForm {
    #[serde(default)]
    name: String,
}

pub(super) async fn create_token(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    HtmlForm(form): HtmlForm<TokenForm>,
) -> PageResult {
    match state
        .app
        .accounts()
        .create_api_token(&actor, &form.name)
        .await
    {
        Ok(created) => {
            let extra = context! { new_token => created.token };
            account_page(&state, &visitor, &actor, extra).await
        }
        Err(AppError::Invalid(errs)) => with_errors(&state, &visitor, &actor, &errs).await,
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn revoke_token(
    State(state): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    state.app.accounts().revoke_api_token(&actor, &id).await?;
    Ok(Redirect::to("/account?notice=token-revoked").into_response())
}
