//! Account pages: getting an account (sign up, confirm the email address), signing in and
//! out, a forgotten password, and the account page (memberships, asking to join an
//! organisation, personal API tokens).

mod account;
mod sign_in;
mod sign_up;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-up", get(sign_up::form).post(sign_up::sign_up))
        .route("/sign-up/check-email", get(sign_up::check_email))
        .route("/verify", get(sign_up::verify_form).post(sign_up::verify))
        .route("/verify/resend", post(sign_up::resend))
        .route("/sign-in", get(sign_in::form).post(sign_in::sign_in))
        .route("/sign-out", post(sign_in::sign_out))
        .route(
            "/password/forgot",
            get(sign_in::forgot_form).post(sign_in::forgot),
        )
        .route(
            "/password/reset",
            get(sign_in::reset_form).post(sign_in::reset),
        )
        .route("/account", get(account::account))
        .route("/account/join", post(account::join))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
}

/// A link's token, from the query string or the form that confirms it.
#[derive(serde::Deserialize, Default)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

#[derive(serde::Deserialize, Default)]
struct EmailForm {
    #[serde(default)]
    email: String,
}
