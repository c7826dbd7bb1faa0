//! The JSON API under `/api/v1`: the same use cases as the pages, authenticated by personal
//! API tokens (`Authorization: Bearer`), errors as RFC 9457 problem details, described by
//! the OpenAPI document at `/api/v1/openapi.json`.

mod accounts;
mod advocacy;
mod events;
mod evidence;
mod intelligence;
mod library;
mod network;
mod plans;
pub(crate) mod transfer;

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::problem;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Learning Zone API", version = "1", description = "Share and find learning across a network of places and partners."),
    paths(
        accounts::sign_up, accounts::verify, accounts::create_token, accounts::revoke_current_token,
        accounts::me, accounts::request_reset, accounts::complete_reset,
        network::places, network::create_place, network::update_place,
        network::organisations, network::create_organisation, network::update_organisation,
        network::request_to_join, network::join_requests, network::decide, network::users, network::set_role, network::set_analyst,
        library::search, library::item, library::create_item, library::update_item, library::workflow, library::history, library::mark, library::upload, library::terms,
        events::events, events::event, events::create_event, events::update_event, events::cancel_event, events::create_series, events::register, events::cancel_registration, events::registrations, events::attendance, events::feedback, events::report,
        evidence::list, evidence::one, evidence::create, evidence::update, evidence::check, evidence::publish, evidence::remove,
        intelligence::areas, intelligence::indicators, intelligence::indicator, intelligence::observations, intelligence::observations_csv, intelligence::dry_run, intelligence::tag_item, intelligence::tag_evidence,
        transfer::import, transfer::import_folder, transfer::folder, transfer::change_folder,
        advocacy::list, advocacy::one, advocacy::create, advocacy::update, advocacy::pack_docx, advocacy::pack_pdf, advocacy::pack_pptx, advocacy::share,
        plans::plans, plans::plan, plans::import, plans::minutes, plans::my_actions, plans::close_action, plans::add_action, plans::assign_action, plans::post_update, plans::link_learning, plans::unlink_learning, plans::report,
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&BearerAuth, &DescribedResponses),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// OpenAPI requires a description on every response; utoipa 6 leaves it out where the
/// attribute gives none, so each such response is described by its status's reason phrase.
struct DescribedResponses;

impl Modify for DescribedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                for (status, response) in op.responses.responses.iter_mut() {
                    if let utoipa::openapi::RefOr::T(r) = response {
                        if r.description.is_empty() {
                            r.description = status
                                .parse::<u16>()
                                .ok()
                                .and_then(|c| axum::http::StatusCode::from_u16(c).ok())
                                .and_then(|c| c.canonical_reason())
                                .unwrap_or("Response")
                                .to_string();
                        }
                    }
                }
            }
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .merge(accounts::routes())
        .merge(network::routes())
        .merge(plans::routes())
        .merge(library::routes())
        .merge(events::routes())
        .merge(evidence::routes())
        .merge(advocacy::routes())
        .merge(intelligence::routes())
        .merge(transfer::routes())
        .fallback(|| async {
            problem(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                "No such API route.",
                vec![],
            )
        })
}

/// A JSON body whose rejections (malformed JSON, wrong types, unknown fields, wrong content
/// type, too large) become problem details.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;
    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, s).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => {
                let status = e.status();
                let (slug, title) = match status {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                        "unsupported-media-type",
                        "Send JSON with Content-Type: application/json",
                    ),
                    StatusCode::PAYLOAD_TOO_LARGE => ("too-large", "Request body too large"),
                    StatusCode::UNPROCESSABLE_ENTITY => (
                        "invalid-body",
                        "The JSON does not match the expected fields and types",
                    ),
                    _ => ("malformed-json", "The body is not valid JSON"),
                };
                Err(problem(status, slug, title, e.body_text(), vec![]))
            }
        }
    }
}

/// A file sent as the request body, at most `max_upload_bytes`: past it the answer is 413,
/// and an empty body is 422 saying `missing`. (Read after the caller's access is checked.)
pub(crate) async fn file_body(
    s: &AppState,
    body: axum::body::Body,
    missing: &'static str,
) -> Result<axum::body::Bytes, Response> {
    let limit = s.app.config.max_upload_bytes;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return Err(problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "File too large",
            format!("Files can be at most {} kB.", limit / 1024),
            vec![],
        ));
    };
    if bytes.is_empty() {
        return Err(
            crate::error::ApiError(lz_app::AppError::field("file", missing)).into_response(),
        );
    }
    Ok(bytes)
}

pub fn created<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}
