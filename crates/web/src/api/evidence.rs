//! The evidence bank over the API: list, read, record, edit, check, publish and delete. Same use
//! cases and permission checks as the pages; unknown fields (a mass-assigned `status` or
//! `checked_by`) are refused.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use lz_app::evidence::{EvidenceFilter, EvidenceInput, EvidenceRecord, EvidenceSource};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{created, ApiJson};
use crate::error::{ApiResult, Problem};
use crate::session::{ApiCaller, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/evidence", get(list).post(create))
        .route("/evidence/{id}", get(one).put(update).delete(remove))
        .route("/evidence/{id}/check", post(check))
        .route("/evidence/{id}/publish", post(publish))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// An agenda term's id.
    #[serde(default)]
    agenda: String,
    /// A place's id.
    #[serde(default)]
    place: String,
    /// A type of evidence (e.g. evaluation).
    #[serde(default, rename = "type")]
    evidence_type: String,
    /// A Nesta level, 1 to 5.
    #[serde(default)]
    strength: String,
}

/// An agenda, place or organisation.
#[derive(Serialize, ToSchema)]
pub struct Linked {
    id: String,
    name: String,
}

/// One evidence record.
#[derive(Serialize, ToSchema)]
pub struct Evidence {
    id: String,
    /// One plain sentence.
    claim: String,
    agendas: Vec<Linked>,
    places: Vec<Linked>,
    organisations: Vec<Linked>,
    measure_name: String,
    /// A decimal number as text.
    measure_value: Option<String>,
    measure_unit: String,
    measure_baseline: Option<String>,
    measure_period: String,
    sample_size: Option<i64>,
    /// The library item the claim comes from, or none for an external publication.
    source_item_id: Option<String>,
    source_locator: String,
    source_title: String,
    source_publisher: String,
    source_date: Option<String>,
    source_url: String,
    source_licence: String,
    /// randomised_trial, quasi_experimental, evaluation, monitoring_data, survey, case_study or testimony.
    evidence_type: String,
    /// The Nesta Standards of Evidence level, 1 to 5.
    strength: u8,
    consent_to_quote: bool,
    /// public, network or organisation.
    visibility: String,
    /// draft, checked or published.
    status: String,
    created_by: String,
    checked_by: Option<String>,
    checked_at: Option<i64>,
    published_at: Option<i64>,
}

impl From<EvidenceRecord> for Evidence {
    fn from(r: EvidenceRecord) -> Self {
        let linked = |l: Vec<lz_app::evidence::EvidenceLink>| {
            l.into_iter()
                .map(|x| Linked {
                    id: x.id,
                    name: x.name,
                })
                .collect()
        };
        let (item, locator, title, publisher, date, url, licence) = match r.source {
            EvidenceSource::Item {
                item_id,
                title,
                locator,
            } => (
                Some(item_id.into_string()),
                locator,
                title,
                String::new(),
                None,
                String::new(),
                String::new(),
            ),
            EvidenceSource::External {
                title,
                publisher,
                date,
                url,
                licence,
            } => (None, String::new(), title, publisher, date, url, licence),
        };
        Self {
            id: r.id.into_string(),
            claim: r.claim,
            agendas: linked(r.agendas),
            places: linked(r.places),
            organisations: linked(r.organisations),
            measure_name: r.measure.name,
            measure_value: r.measure.value,
            measure_unit: r.measure.unit,
            measure_baseline: r.measure.baseline,
            measure_period: r.measure.period,
            sample_size: r.measure.sample_size,
            source_item_id: item,
            source_locator: locator,
            source_title: title,
            source_publisher: publisher,
            source_date: date,
            source_url: url,
            source_licence: licence,
            evidence_type: r.evidence_type.code().to_string(),
            strength: r.strength.level(),
            consent_to_quote: r.consent_to_quote,
            visibility: r.visibility.code().to_string(),
            status: r.status.code().to_string(),
            created_by: r.created_by.into_string(),
            checked_by: r.checked_by.map(|u| u.into_string()),
            checked_at: r.checked_at,
            published_at: r.published_at,
        }
    }
}

/// What a caller sends to record or edit evidence. The workflow's fields (`status`,
/// `checked_by`, …) are not among them: sending one is refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceBody {
    claim: String,
    /// Agenda term ids (at least one).
    #[serde(default)]
    agendas: Vec<String>,
    /// Place ids (at least one place or organisation).
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    organisations: Vec<String>,
    #[serde(default)]
    measure_name: String,
    /// A number (or a number as text); anything else is refused.
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    measure_value: Option<serde_json::Value>,
    #[serde(default)]
    measure_unit: String,
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    measure_baseline: Option<serde_json::Value>,
    #[serde(default)]
    measure_period: String,
    #[serde(default)]
    sample_size: Option<i64>,
    /// A library item's id: give this, or `source_title` for an external publication.
    #[serde(default)]
    source_item_id: Option<String>,
    #[serde(default)]
    source_locator: String,
    #[serde(default)]
    source_title: String,
    #[serde(default)]
    source_publisher: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    source_date: String,
    /// http(s) only.
    #[serde(default)]
    source_url: String,
    #[serde(default)]
    source_licence: String,
    evidence_type: String,
    /// The Nesta Standards of Evidence level, 1 to 5.
    strength: i64,
    #[serde(default)]
    consent_to_quote: bool,
    /// public, network or organisation.
    visibility: String,
}

fn number_text(v: Option<serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
    }
}

impl From<EvidenceBody> for EvidenceInput {
    fn from(b: EvidenceBody) -> Self {
        let from_item = b
            .source_item_id
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty());
        let source_kind = if from_item {
            "item"
        } else if !b.source_title.trim().is_empty() {
            "external"
        } else {
            ""
        };
        EvidenceInput {
            claim: b.claim,
            agendas: b.agendas,
            places: b.places,
            organisations: b.organisations,
            measure_name: b.measure_name,
            measure_value: number_text(b.measure_value),
            measure_unit: b.measure_unit,
            measure_baseline: number_text(b.measure_baseline),
            measure_period: b.measure_period,
            sample_size: b.sample_size.map(|n| n.to_string()).unwrap_or_default(),
            source_kind: source_kind.to_string(),
            source_item_id: b.source_item_id.unwrap_or_default(),
            source_locator: b.source_locator,
            source_title: b.source_title,
            source_publisher: b.source_publisher,
            source_date: b.source_date,
            source_url: b.source_url,
            source_licence: b.source_licence,
            evidence_type: b.evidence_type,
            strength: b.strength.to_string(),
            consent_to_quote: if b.consent_to_quote {
                "yes".into()
            } else {
                String::new()
            },
            visibility: b.visibility,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// Evidence the caller may see (published by visibility, their own, everything for
/// moderators and network admins), filtered.
#[utoipa::path(get, path = "/api/v1/evidence", params(EvidenceQuery), responses((status = 200, body = Vec<Evidence>)))]
pub async fn list(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<EvidenceQuery>,
) -> ApiResult<Json<Vec<Evidence>>> {
    let filter = EvidenceFilter {
        agenda: q.agenda,
        place: q.place,
        evidence_type: q.evidence_type,
        strength: q.strength,
    };
    let view = s.app.evidence().list(v.actor.as_ref(), &filter).await?;
    Ok(Json(view.records.into_iter().map(Evidence::from).collect()))
}

/// One record, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/evidence/{id}", responses((status = 200, body = Evidence), (status = 404, body = Problem)))]
pub async fn one(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> ApiResult<Json<Evidence>> {
    let view = s.app.evidence().get(v.actor.as_ref(), &id).await?;
    Ok(Json(view.record.into()))
}

/// Records evidence as a draft (contributors and above).
#[utoipa::path(post, path = "/api/v1/evidence", request_body = EvidenceBody, responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<EvidenceBody>,
) -> ApiResult<Response> {
    let id = s.app.evidence().create(&actor, &b.into()).await?;
    Ok(created(Created { id }))
}

/// Saves the author's own draft.
#[utoipa::path(put, path = "/api/v1/evidence/{id}", request_body = EvidenceBody, responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EvidenceBody>,
) -> ApiResult<StatusCode> {
    s.app.evidence().update(&actor, &id, &b.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks a draft as checked (moderators and network admins; never their own).
#[utoipa::path(post, path = "/api/v1/evidence/{id}/check", responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem)), security(("bearer" = [])))]
pub async fn check(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.app.evidence().check(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes a checked record (moderators and network admins; never their own).
#[utoipa::path(post, path = "/api/v1/evidence/{id}/publish", responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem)), security(("bearer" = [])))]
pub async fn publish(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.app.evidence().publish(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a record (its author while a draft, or a moderator or network admin); the row is
/// kept for the audit trail.
#[utoipa::path(delete, path = "/api/v1/evidence/{id}", responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn remove(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.app.evidence().delete(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
