//! Signing in and out (a fresh session id every time), and a forgotten password: asking for
//! a reset link and choosing a new password from it.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use lz_app::context;
use lz_app::AppError;

use super::{EmailForm, TokenQuery};
use crate::error::PageResult;
use crate::pages::{form_again, notice_text, HtmlForm};
use crate::session::{cookie, page, Visitor, SESSION_COOKIE};
use crate::AppState;

#[derive(serde::Deserialize, Default)]
pub(super) struct SignInQuery {
    notice: Option<String>,
    /// Where to go after signing in (a page of this site).
    next: Option<String>,
}

pub(super) async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<SignInQuery>,
) -> Response {
    let next = query.next.as_deref().and_then(local_path);
    if visitor.actor.is_some() {
        return Redirect::to(next.unwrap_or("/account")).into_response();
    }
    page(
        &state,
        &visitor,
        "sign_in.html",
        context! { notice => notice_text(query.notice.as_deref()), next },
    )
}

/// `next` if it is a page of this site: a path, never another site (`//host`, `/\host`,
/// `https://…`), and not the sign-in page itself.
pub(crate) fn local_path(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2_000
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && !next.starts_with("/sign-in")
        && !next.starts_with("/sign-out");
    local.then_some(next)
}

#[derive(serde::Deserialize, Default)]
pub(super) struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub(super) async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    HtmlForm(form): HtmlForm<SignInForm>,
) -> PageResult {
    let old_session = visitor.session_token.as_deref();
    let accounts = state.app.accounts();
    let signed_in = accounts
        .sign_in_with_session(&form.email, &form.password, &visitor.client, old_session)
        .await;
    match signed_in {
        Ok(session) => {
            let to = local_path(&form.next).unwrap_or("/account");
            let mut response = Redirect::to(to).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie(&state, SESSION_COOKIE, session.token, None),
            );
            Ok(response)
        }
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "sign_in.html",
            &errs,
            context! { values => context! { email => form.email }, next => local_path(&form.next) },
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn sign_out(State(state): State<AppState>, visitor: Visitor) -> PageResult {
    if let Some(token) = &visitor.session_token {
        state.app.accounts().sign_out(token).await?;
    }
    let mut response = Redirect::to("/sign-in?notice=signed-out").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie(&state, SESSION_COOKIE, String::new(), Some(0)),
    );
    Ok(response)
}

pub(super) async fn forgot_form(State(state): State<AppState>, visitor: Visitor) -> Response {
    page(&state, &visitor, "password_forgot.html", context! {})
}

pub(super) async fn forgot(
    State(state): State<AppState>,
    visitor: Visitor,
    HtmlForm(form): HtmlForm<EmailForm>,
) -> PageResult {
    let accounts = state.app.accounts();
    match accounts
        .request_password_reset(&form.email, &visitor.client)
        .await
    {
        Ok(()) => Ok(page(
            &state,
            &visitor,
            "password_forgot.html",
            context! { sent => true },
        )),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "password_forgot.html",
            &errs,
            context! { values => context! { email => form.email } },
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn reset_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<TokenQuery>,
) -> Response {
    page(
        &state,
        &visitor,
        "password_reset.html",
        context! { token => query.token },
    )
}

#[derive(serde::Deserialize, Default)]
pub(super) struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub(super) async fn reset(
    State(state): State<AppState>,
    visitor: Visitor,
    HtmlForm(form): HtmlForm<ResetForm>,
) -> PageResult {
    match state
        .app
        .accounts()
        .reset_password(&form.token, &form.password)
        .await
    {
        Ok(()) => Ok(Redirect::to("/sign-in?notice=password-reset").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "password_reset.html",
            &errs,
            context! { token => form.token },
        )),
        Err(e) => Err(e.into()),
    }
}
