//! The network over the API: places, organisations, join requests, people and roles.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use lz_app::network::{OrganisationInput, PlaceInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{created, ApiJson};
use crate::error::{ApiResult, Problem};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/places", get(places).post(create_place))
        .route("/places/{id}", put(update_place))
        .route(
            "/organisations",
            get(organisations).post(create_organisation),
        )
        .route("/organisations/{id}", put(update_organisation))
        .route("/organisations/{id}/join-requests", post(request_to_join))
        .route("/join-requests", get(join_requests))
        .route("/join-requests/{id}/decision", post(decide))
        .route("/users", get(users))
        .route("/users/{id}/role", put(set_role))
}

#[derive(Serialize, ToSchema)]
pub struct Place {
    id: String,
    slug: String,
    name: String,
    /// se, ldp, uo, ics or local.
    kind: String,
    gss_code: Option<String>,
    summary: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceBody {
    name: String,
    #[serde(default)]
    slug: String,
    /// se, ldp, uo, ics or local.
    kind: String,
    #[serde(default)]
    gss_code: String,
    #[serde(default)]
    summary: String,
}

impl From<PlaceBody> for PlaceInput {
    fn from(b: PlaceBody) -> Self {
        PlaceInput {
            name: b.name,
            slug: b.slug,
            kind: b.kind,
            gss_code: b.gss_code,
            summary: b.summary,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// The network's places.
#[utoipa::path(get, path = "/api/v1/places", security(("bearer" = [])), responses((status = 200, body = Vec<Place>), (status = 401, body = Problem)))]
pub async fn places(
    State(s): State<AppState>,
    ApiCaller(..): ApiCaller,
) -> ApiResult<Json<Vec<Place>>> {
    Ok(Json(
        s.app
            .places()
            .await?
            .into_iter()
            .map(|p| Place {
                id: p.id,
                slug: p.slug,
                name: p.name,
                kind: p.kind,
                gss_code: p.gss_code,
                summary: p.summary,
            })
            .collect(),
    ))
}

/// Add a place (network admins).
#[utoipa::path(post, path = "/api/v1/places", security(("bearer" = [])), request_body = PlaceBody,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_place(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<PlaceBody>,
) -> ApiResult<Response> {
    let id = s.app.save_place(&actor, None, &b.into()).await?;
    Ok(created(Created { id }))
}

/// Change a place (network admins).
#[utoipa::path(put, path = "/api/v1/places/{id}", security(("bearer" = [])), request_body = PlaceBody,
    responses((status = 200, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_place(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PlaceBody>,
) -> ApiResult<Json<Created>> {
    let id = s.app.save_place(&actor, Some(&id), &b.into()).await?;
    Ok(Json(Created { id }))
}

#[derive(Serialize, ToSchema)]
pub struct Organisation {
    id: String,
    slug: String,
    name: String,
    sector: String,
    place_id: Option<String>,
    place: Option<String>,
    /// Verified email domains (shown to network admins only).
    domains: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationBody {
    name: String,
    #[serde(default)]
    slug: String,
    sector: String,
    #[serde(default)]
    place_id: String,
    #[serde(default)]
    domains: Vec<String>,
}

impl From<OrganisationBody> for OrganisationInput {
    fn from(b: OrganisationBody) -> Self {
        OrganisationInput {
            name: b.name,
            slug: b.slug,
            sector: b.sector,
            place_id: b.place_id,
            domains: b.domains.join(","),
        }
    }
}

/// The network's member organisations.
#[utoipa::path(get, path = "/api/v1/organisations", security(("bearer" = [])), responses((status = 200, body = Vec<Organisation>), (status = 401, body = Problem)))]
pub async fn organisations(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
) -> ApiResult<Json<Vec<Organisation>>> {
    let admin = actor.administers_network();
    Ok(Json(
        s.app
            .organisations()
            .await?
            .into_iter()
            .map(|o| {
                let domains = admin.then(|| o.domain_list());
                Organisation {
                    id: o.id,
                    slug: o.slug,
                    name: o.name,
                    sector: o.sector,
                    place_id: o.place_id,
                    place: o.place_name,
                    domains,
                }
            })
            .collect(),
    ))
}

/// Add an organisation (network admins).
#[utoipa::path(post, path = "/api/v1/organisations", security(("bearer" = [])), request_body = OrganisationBody,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_organisation(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<OrganisationBody>,
) -> ApiResult<Response> {
    let id = s.app.save_organisation(&actor, None, &b.into()).await?;
    Ok(created(Created { id }))
}

/// Change an organisation and its verified email domains (network admins).
#[utoipa::path(put, path = "/api/v1/organisations/{id}", security(("bearer" = [])), request_body = OrganisationBody,
    responses((status = 200, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_organisation(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OrganisationBody>,
) -> ApiResult<Json<Created>> {
    let id = s
        .app
        .save_organisation(&actor, Some(&id), &b.into())
        .await?;
    Ok(Json(Created { id }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinBody {
    #[serde(default)]
    message: String,
}

/// Ask to join an organisation.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/join-requests", security(("bearer" = [])), request_body = JoinBody,
    responses((status = 201, body = Created), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request_to_join(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<JoinBody>,
) -> ApiResult<Response> {
    let id = s.app.request_to_join(&actor, &id, &b.message).await?;
    Ok(created(Created { id }))
}

#[derive(Serialize, ToSchema)]
pub struct JoinRequest {
    id: String,
    user_id: String,
    name: String,
    email: String,
    organisation_id: String,
    organisation: String,
    message: String,
    status: String,
}

fn join_request(m: lz_store::users::MembershipRow) -> JoinRequest {
    JoinRequest {
        id: m.id,
        user_id: m.user_id,
        name: m.user_name,
        email: m.user_email,
        organisation_id: m.organisation_id,
        organisation: m.organisation_name,
        message: m.message,
        status: m.status,
    }
}

/// Pending requests the caller may decide (organisation admins: their organisations).
#[utoipa::path(get, path = "/api/v1/join-requests", security(("bearer" = [])), responses((status = 200, body = Vec<JoinRequest>), (status = 403, body = Problem)))]
pub async fn join_requests(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
) -> ApiResult<Json<Vec<JoinRequest>>> {
    Ok(Json(
        s.app
            .join_requests(&actor)
            .await?
            .into_iter()
            .map(join_request)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    approve: bool,
}

/// Approve or decline a request; the person is emailed either way.
#[utoipa::path(post, path = "/api/v1/join-requests/{id}/decision", security(("bearer" = [])), request_body = DecisionBody,
    responses((status = 200, body = JoinRequest), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decide(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> ApiResult<Json<JoinRequest>> {
    Ok(Json(join_request(
        s.app.decide_join_request(&actor, &id, b.approve).await?,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct User {
    id: String,
    email: String,
    name: String,
    role: String,
    verified: bool,
}

#[derive(Deserialize)]
pub struct UserQuery {
    #[serde(default)]
    q: String,
}

/// People (network admins), optionally filtered by name or email.
#[utoipa::path(get, path = "/api/v1/users", security(("bearer" = [])), params(("q" = Option<String>, Query, description = "part of a name or email")),
    responses((status = 200, body = Vec<User>), (status = 403, body = Problem)))]
pub async fn users(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Query(q): Query<UserQuery>,
) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(
        s.app
            .users(&actor, &q.q)
            .await?
            .into_iter()
            .map(|u| User {
                id: u.id,
                email: u.email,
                name: u.name,
                role: u.role,
                verified: u.email_verified_at.is_some(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    /// member, contributor, place_lead, org_admin, moderator or network_admin.
    role: String,
}

/// Change a person's role (network admins).
#[utoipa::path(put, path = "/api/v1/users/{id}/role", security(("bearer" = [])), request_body = RoleBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_role(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RoleBody>,
) -> ApiResult<axum::http::StatusCode> {
    s.app.set_role(&actor, &id, &b.role).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
