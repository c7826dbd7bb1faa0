//! Accounts over the API: sign up, confirm, sign in (a token), sign out, who am I, reset.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use lz_app::accounts::SignUp;
use lz_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{created, ApiJson};
use crate::error::{ApiError, ApiResult, Problem};
use crate::session::{ApiCaller, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts", post(sign_up))
        .route("/accounts/verify", post(verify))
        .route("/tokens", post(create_token))
        .route("/tokens/current", delete(revoke_current_token))
        .route("/me", get(me))
        .route("/password-reset", post(request_reset))
        .route("/password-reset/complete", post(complete_reset))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUpRequest {
    email: String,
    name: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SignUpResponse {
    /// Always `email_sent`: the email either has a link to confirm the address (follow it, or
    /// POST its token to /accounts/verify) or says that the address already has an account.
    /// The answer is the same either way, so that nobody can learn who has an account.
    status: &'static str,
}

/// Create an account; a verification link is emailed (or, if the address already has an
/// account, an email that says so). At most 3 an hour to one address, 20 from one client.
#[utoipa::path(post, path = "/api/v1/accounts", request_body = SignUpRequest,
    responses((status = 202, body = SignUpResponse), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn sign_up(
    State(s): State<AppState>,
    visitor: crate::session::Visitor,
    ApiJson(r): ApiJson<SignUpRequest>,
) -> ApiResult<Response> {
    let input = SignUp {
        email: r.email,
        name: r.name,
        password: r.password,
    };
    s.app.accounts().sign_up(input, &visitor.client).await?;
    Ok((
        axum::http::StatusCode::ACCEPTED,
        Json(SignUpResponse {
            status: "email_sent",
        }),
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    token: String,
}

#[derive(Serialize, ToSchema)]
pub struct VerifyResponse {
    user_id: String,
    /// The organisation joined by verified email domain, if any.
    joined: Option<String>,
}

/// Confirm an email address with the token from the emailed link.
#[utoipa::path(post, path = "/api/v1/accounts/verify", request_body = VerifyRequest,
    responses((status = 200, body = VerifyResponse), (status = 422, body = Problem)))]
pub async fn verify(
    State(s): State<AppState>,
    ApiJson(r): ApiJson<VerifyRequest>,
) -> ApiResult<Json<VerifyResponse>> {
    let v = s.app.accounts().verify_email(&r.token).await?;
    Ok(Json(VerifyResponse {
        user_id: v.user_id,
        joined: v.joined,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    email: String,
    password: String,
    /// What the token is for.
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    id: String,
    /// The secret: shown once, send it as `Authorization: Bearer <token>`.
    token: String,
}

/// Sign in: exchange email and password for a personal API token.
#[utoipa::path(post, path = "/api/v1/tokens", request_body = TokenRequest,
    responses((status = 201, body = TokenResponse), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn create_token(
    State(s): State<AppState>,
    v: Visitor,
    ApiJson(r): ApiJson<TokenRequest>,
) -> ApiResult<Response> {
    let accounts = s.app.accounts();
    let created_token = accounts
        .sign_in_with_token(&r.email, &r.password, &v.client, &r.name)
        .await?;
    Ok(created(TokenResponse {
        id: created_token.id.into_string(),
        token: created_token.token,
    }))
}

/// Sign out: revoke the token this request is made with.
#[utoipa::path(delete, path = "/api/v1/tokens/current", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn revoke_current_token(
    State(s): State<AppState>,
    ApiCaller(actor, v): ApiCaller,
) -> ApiResult<Response> {
    let id = v.api_token_id.ok_or(ApiError(AppError::field(
        "authorization",
        "Sign out applies to API tokens: send one as a Bearer token",
    )))?;
    s.app.accounts().revoke_api_token(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct Membership {
    organisation_id: String,
    organisation: String,
    place_id: Option<String>,
    place: Option<String>,
    /// `pending`, `active` or `declined`.
    status: String,
    /// `domain` (verified email domain), `request` or `admin`.
    via: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: String,
    email: String,
    name: String,
    /// One of member, contributor, place_lead, org_admin, moderator, network_admin.
    role: String,
    memberships: Vec<Membership>,
}

/// The caller's account, memberships and role.
#[utoipa::path(get, path = "/api/v1/me", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(s): State<AppState>, ApiCaller(actor, _): ApiCaller) -> ApiResult<Json<Me>> {
    let profile = s.app.accounts().profile(&actor)?;
    let user = profile.user;
    Ok(Json(Me {
        id: user.id.into_string(),
        email: user.email,
        name: user.name,
        role: user.role.code().to_string(),
        memberships: profile
            .memberships
            .into_iter()
            .map(|m| Membership {
                organisation_id: m.organisation_id.into_string(),
                organisation: m.organisation_name,
                place_id: m.place_id.map(|p| p.into_string()),
                place: m.place_name,
                status: m.status.code().to_string(),
                via: m.via.code().to_string(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    email: String,
}

/// Ask for a password reset link (the answer is the same whether or not the account exists).
#[utoipa::path(post, path = "/api/v1/password-reset", request_body = ResetRequest,
    responses((status = 202), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn request_reset(
    State(s): State<AppState>,
    v: Visitor,
    ApiJson(r): ApiJson<ResetRequest>,
) -> ApiResult<Response> {
    let accounts = s.app.accounts();
    accounts.request_password_reset(&r.email, &v.client).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteResetRequest {
    token: String,
    password: String,
}

/// Set a new password with the token from the emailed link; ends every session and revokes
/// every personal API token of the account.
#[utoipa::path(post, path = "/api/v1/password-reset/complete", request_body = CompleteResetRequest,
    responses((status = 204), (status = 422, body = Problem)))]
pub async fn complete_reset(
    State(s): State<AppState>,
    ApiJson(r): ApiJson<CompleteResetRequest>,
) -> ApiResult<Response> {
    s.app
        .accounts()
        .reset_password(&r.token, &r.password)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
