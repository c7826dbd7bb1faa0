//! Getting an account: the sign-up form, "check your email", confirming the address from
//! the emailed link, and asking for a new link.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use lz_app::accounts::SignUp;
use lz_app::context;
use lz_app::AppError;

use super::{EmailForm, TokenQuery};
use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm};
use crate::session::{page, Visitor};
use crate::AppState;

#[derive(serde::Deserialize, Default)]
pub(super) struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

pub(super) async fn form(State(state): State<AppState>, visitor: Visitor) -> Response {
    page(&state, &visitor, "sign_up.html", context! {})
}

pub(super) async fn sign_up(
    State(state): State<AppState>,
    visitor: Visitor,
    HtmlForm(form): HtmlForm<SignUpForm>,
) -> PageResult {
    let email = form.email.clone();
    let input = SignUp {
        email: form.email,
        name: form.name.clone(),
        password: form.password,
    };
    match state.app.accounts().sign_up(input, &visitor.client).await {
        Ok(_) => Ok(Redirect::to("/sign-up/check-email").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "sign_up.html",
            &errs,
            context! { values => context! { email, name => form.name } },
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn check_email(State(state): State<AppState>, visitor: Visitor) -> Response {
    page(&state, &visitor, "check_email.html", context! {})
}

/// Shows a button rather than confirming on GET: mail scanners open links, and must not use them up.
pub(super) async fn verify_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<TokenQuery>,
) -> Response {
    page(
        &state,
        &visitor,
        "verify.html",
        context! { token => query.token },
    )
}

pub(super) async fn verify(
    State(state): State<AppState>,
    visitor: Visitor,
    HtmlForm(form): HtmlForm<TokenQuery>,
) -> PageResult {
    match state.app.accounts().verify_email(&form.token).await {
        Ok(done) => Ok(page(
            &state,
            &visitor,
            "verify.html",
            context! { verified => true, joined => done.joined },
        )),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "verify.html",
            &errs,
            context! { failed => true },
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn resend(
    State(state): State<AppState>,
    visitor: Visitor,
    HtmlForm(form): HtmlForm<EmailForm>,
) -> PageResult {
    match state.app.accounts().resend_verification(&form.email).await {
        Ok(()) => Ok(Redirect::to("/sign-in?notice=verification-sent").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "verify.html",
            &errs,
            context! { failed => true },
        )),
        Err(e) => Err(e.into()),
    }
}
