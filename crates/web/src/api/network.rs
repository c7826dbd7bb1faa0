//! The network over the API: places, organisations, join requests, people and roles.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use lz_app::network::{
    Decision, MembershipRecord, OrganisationInput, OrganisationRecord, PlaceInput, PlaceRecord,
};
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
        .route("/users/{id}/analyst", put(set_analyst))
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
    let places = s.app.network().places().await?;
    Ok(Json(places.into_iter().map(Place::from).collect()))
}

impl From<PlaceRecord> for Place {
    fn from(p: PlaceRecord) -> Self {
        Place {
            id: p.id.into_string(),
            slug: p.slug,
            name: p.name,
            kind: p.kind.code().to_string(),
            gss_code: p.gss_code,
            summary: p.summary,
        }
    }
}

/// Add a place (network admins).
#[utoipa::path(post, path = "/api/v1/places", security(("bearer" = [])), request_body = PlaceBody,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_place(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<PlaceBody>,
) -> ApiResult<Response> {
    let id = s.app.network().save_place(&actor, None, &b.into()).await?;
    Ok(created(Created {
        id: id.into_string(),
    }))
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
    let network = s.app.network();
    let id = network.save_place(&actor, Some(&id), &b.into()).await?;
    Ok(Json(Created {
        id: id.into_string(),
    }))
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
    let list = s.app.network().organisations_seen_by(&actor).await?;
    let access = list.access;
    Ok(Json(
        list.organisations
            .into_iter()
            .map(|o| Organisation::seen_with(o, access))
            .collect(),
    ))
}

impl Organisation {
    /// The organisation with its domains only when `access` may see them.
    fn seen_with(o: OrganisationRecord, access: lz_app::network::NetworkAccess) -> Self {
        let domains = o.domains_for(access).map(<[String]>::to_vec);
        Organisation {
            id: o.id.into_string(),
            slug: o.slug,
            name: o.name,
            sector: o.sector.code().to_string(),
            place_id: o.place_id.map(|p| p.into_string()),
            place: o.place_name,
            domains,
        }
    }
}

/// Add an organisation (network admins).
#[utoipa::path(post, path = "/api/v1/organisations", security(("bearer" = [])), request_body = OrganisationBody,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_organisation(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<OrganisationBody>,
) -> ApiResult<Response> {
    let network = s.app.network();
    let id = network.save_organisation(&actor, None, &b.into()).await?;
    Ok(created(Created {
        id: id.into_string(),
    }))
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
    let network = s.app.network();
    let id = network
        .save_organisation(&actor, Some(&id), &b.into())
        .await?;
    Ok(Json(Created {
        id: id.into_string(),
    }))
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
    let network = s.app.network();
    let id = network.request_to_join(&actor, &id, &b.message).await?;
    Ok(created(Created {
        id: id.into_string(),
    }))
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

fn join_request(m: MembershipRecord) -> JoinRequest {
    JoinRequest {
        id: m.id.into_string(),
        user_id: m.user_id.into_string(),
        name: m.user_name,
        email: m.user_email,
        organisation_id: m.organisation_id.into_string(),
        organisation: m.organisation_name,
        message: m.message,
        status: m.status.code().to_string(),
    }
}

/// Pending requests the caller may decide (organisation admins: their organisations).
#[utoipa::path(get, path = "/api/v1/join-requests", security(("bearer" = [])), responses((status = 200, body = Vec<JoinRequest>), (status = 403, body = Problem)))]
pub async fn join_requests(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
) -> ApiResult<Json<Vec<JoinRequest>>> {
    let requests = s.app.network().join_requests(&actor).await?;
    Ok(Json(requests.into_iter().map(join_request).collect()))
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
    let decision = if b.approve {
        Decision::Approve
    } else {
        Decision::Decline
    };
    let network = s.app.network();
    let decided = network.decide_join_request(&actor, &id, decision).await?;
    Ok(Json(join_request(decided)))
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
    let people = s.app.network().people(&actor, &q.q).await?;
    Ok(Json(
        people
            .into_iter()
            .map(|u| User {
                role: u.role_code().to_string(),
                id: u.id.into_string(),
                email: u.email,
                name: u.name,
                verified: u.verified,
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
    s.app.network().set_role(&actor, &id, &b.role).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalystBody {
    /// true: may import figures (indicator data).
    analyst: bool,
}

/// Grants or withdraws the analyst permission (network admins).
#[utoipa::path(put, path = "/api/v1/users/{id}/analyst", request_body = AnalystBody, responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn set_analyst(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AnalystBody>,
) -> ApiResult<axum::http::StatusCode> {
    s.app
        .intelligence()
        .set_analyst(&actor, &id, b.analyst)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
