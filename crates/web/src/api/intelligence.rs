//! Shared intelligence over the API: areas, indicators, their observations (filtered and
//! paged, or as CSV), and a dry run of an import (the file's indicators, observations and
//! flags, nothing saved). Figures are open data: reading needs no token.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use lz_app::intelligence::{
    AreaRecord, ImportSource, IndicatorRecord, ObservationQuery, ObservationRecord,
};
use lz_app::AppError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use crate::error::{ApiResult, Problem};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/areas", get(areas))
        .route("/indicators", get(indicators))
        .route("/indicators/imports", post(dry_run))
        .route("/indicators/{id}", get(indicator))
        .route("/indicators/{id}/observations", get(observations))
        .route("/indicators/{id}/observations.csv", get(observations_csv))
        .route("/items/{id}/indicators", put(tag_item))
        .route("/evidence/{id}/indicators", put(tag_evidence))
}

/// An area by its ONS GSS code.
#[derive(Serialize, ToSchema)]
pub struct Area {
    code: String,
    name: String,
    /// country, region, combined_authority, county, metropolitan_county, unitary, district, metropolitan_district, london_borough or other.
    area_type: String,
    parent_code: Option<String>,
    /// YYYY-MM-DD: when the area began, if it began within our records.
    valid_from: Option<String>,
    /// YYYY-MM-DD: when the area ended (Cumbria's districts on 2023-03-31).
    valid_to: Option<String>,
}

impl From<AreaRecord> for Area {
    fn from(a: AreaRecord) -> Self {
        Self {
            code: a.code.as_str().to_string(),
            name: a.name,
            area_type: a.area_type.code().to_string(),
            parent_code: a.parent_code,
            valid_from: a.valid_from,
            valid_to: a.valid_to,
        }
    }
}

/// An indicator's definition.
#[derive(Serialize, ToSchema)]
pub struct Indicator {
    id: String,
    /// fingertips, iod, tidy or illustrative.
    source: String,
    /// The source's own id, e.g. 93015.
    source_id: String,
    name: String,
    unit: String,
    /// higher_is_better, lower_is_better or no_judgement.
    polarity: String,
    age: String,
    licence: String,
    attribution: String,
    definition_url: String,
    key_indicator: bool,
    observations: i64,
    latest_period: Option<String>,
}

impl From<IndicatorRecord> for Indicator {
    fn from(i: IndicatorRecord) -> Self {
        Self {
            id: i.id,
            source: i.source,
            source_id: i.source_id,
            name: i.name,
            unit: i.unit,
            polarity: i.polarity.code().to_string(),
            age: i.age,
            licence: i.licence,
            attribution: i.attribution,
            definition_url: i.definition_url,
            key_indicator: i.key_indicator,
            observations: i.observations,
            latest_period: i.latest_period,
        }
    }
}

/// One figure. Missing values are null, never 0.
#[derive(Serialize, ToSchema)]
pub struct Observation {
    area_code: String,
    area_name: String,
    /// As published, e.g. 2018/19.
    period: String,
    /// YYYY-MM-DD.
    period_start: String,
    period_end: String,
    sex: String,
    age: String,
    value: Option<f64>,
    lower_ci95: Option<f64>,
    upper_ci95: Option<f64>,
    count: Option<f64>,
    denominator: Option<f64>,
    note: Option<String>,
    /// As the source published it: better, similar, worse, higher, lower or not_compared.
    compared_to_england: Option<String>,
    /// A demo value, not an official figure.
    illustrative: bool,
    source_file: String,
    source_row: i64,
    /// When it was read from its file (Unix milliseconds).
    retrieved_at: i64,
}

impl From<ObservationRecord> for Observation {
    fn from(o: ObservationRecord) -> Self {
        Self {
            area_code: o.area_code,
            area_name: o.area_name,
            period: o.period,
            period_start: o.period_start,
            period_end: o.period_end,
            sex: o.sex,
            age: o.age,
            value: o.value,
            lower_ci95: o.lower_ci95,
            upper_ci95: o.upper_ci95,
            count: o.count,
            denominator: o.denominator,
            note: o.note,
            compared_to_england: o.compared_to_england.map(|c| c.code().to_string()),
            illustrative: o.illustrative,
            source_file: o.source_file,
            source_row: o.source_row,
            retrieved_at: o.retrieved_at,
        }
    }
}

/// Every area we know, with its parent and dates.
#[utoipa::path(get, path = "/api/v1/areas", responses((status = 200, body = Vec<Area>)))]
pub async fn areas(State(s): State<AppState>) -> ApiResult<Json<Vec<Area>>> {
    Ok(Json(
        s.app
            .intelligence()
            .areas()
            .await?
            .into_iter()
            .map(Area::from)
            .collect(),
    ))
}

/// Every indicator, key indicators first.
#[utoipa::path(get, path = "/api/v1/indicators", responses((status = 200, body = Vec<Indicator>)))]
pub async fn indicators(State(s): State<AppState>) -> ApiResult<Json<Vec<Indicator>>> {
    Ok(Json(
        s.app
            .intelligence()
            .indicators()
            .await?
            .into_iter()
            .map(Indicator::from)
            .collect(),
    ))
}

/// One indicator, by its id or its source id (93015).
#[utoipa::path(get, path = "/api/v1/indicators/{id}", responses((status = 200, body = Indicator), (status = 404, body = Problem)))]
pub async fn indicator(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Indicator>> {
    Ok(Json(s.app.intelligence().indicator(&id).await?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObservationParams {
    /// GSS codes, separated by commas (at most 100).
    #[serde(default)]
    area: String,
    /// A period as published, e.g. 2018/19.
    #[serde(default)]
    period: String,
    /// Persons, Male or Female.
    #[serde(default)]
    sex: String,
    /// From 1.
    #[serde(default)]
    page: String,
    /// 1 to 1000 (default 100).
    #[serde(default)]
    per_page: String,
}

fn whole(raw: &str, field: &'static str, default: i64, max: i64) -> Result<i64, AppError> {
    match raw.trim() {
        "" => Ok(default),
        t => match t.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(AppError::field(
                field,
                format!("{field} must be a whole number from 1 to {max}"),
            )),
        },
    }
}

fn query(p: &ObservationParams) -> Result<ObservationQuery, AppError> {
    let areas: Vec<String> = p
        .area
        .split(',')
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    for a in &areas {
        lz_domain::intelligence::GssCode::parse(a)
            .map_err(|e| AppError::field("area", e.to_string()))?;
    }
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(ObservationQuery {
        areas,
        period: opt(&p.period),
        sex: opt(&p.sex),
        page: whole(&p.page, "page", 1, 1_000_000)?,
        per_page: whole(&p.per_page, "per_page", 100, 1000)?,
    })
}

/// An indicator's figures, oldest period first, filtered and paged.
#[utoipa::path(get, path = "/api/v1/indicators/{id}/observations", params(ObservationParams), responses((status = 200, body = Vec<Observation>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn observations(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<ObservationParams>,
) -> ApiResult<Json<Vec<Observation>>> {
    let q = query(&p)?;
    Ok(Json(
        s.app
            .intelligence()
            .observations(&id, &q)
            .await?
            .into_iter()
            .map(Observation::from)
            .collect(),
    ))
}

/// Every figure of an indicator as CSV (numbers as numbers, missing values empty).
#[utoipa::path(get, path = "/api/v1/indicators/{id}/observations.csv", responses((status = 200, content_type = "text/csv"), (status = 404, body = Problem)))]
pub async fn observations_csv(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (_, body) = s.app.intelligence().indicator_csv(&id).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        body,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The file's name, for the flags' messages.
    #[serde(default)]
    name: String,
}

/// A dry run of an import: the request body is the file (CSV or XLSX); the answer is what
/// was read, `{"indicators": […], "observations": […], "flags": [{"row": N, "message": …}]}`.
/// Nothing is saved: import on the web page's review screen or with the command line.
/// Network admins and analysts.
#[utoipa::path(post, path = "/api/v1/indicators/imports", params(ImportParams), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 200, body = serde_json::Value), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn dry_run(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Query(q): Query<ImportParams>,
    body: axum::body::Body,
) -> ApiResult<Response> {
    lz_app::intelligence::IntelligenceAccess::require_import(Some(&actor))?;
    let bytes = match super::file_body(&s, body, "Send the file as the request body").await {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let name = if q.name.trim().is_empty() {
        "upload"
    } else {
        q.name.trim()
    };
    let preview = s
        .app
        .intelligence()
        .preview(
            Some(&actor),
            &ImportSource::Bytes {
                name,
                bytes: &bytes,
            },
        )
        .await?;
    Ok(Json(preview.to_json()).into_response())
}

/// The indicators something addresses: ids or source ids (93015); at most 20.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagsBody {
    indicators: Vec<String>,
}

/// Says which indicators a library item addresses (those who may edit it).
#[utoipa::path(put, path = "/api/v1/items/{id}/indicators", request_body = TagsBody, responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn tag_item(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TagsBody>,
) -> ApiResult<axum::http::StatusCode> {
    s.app
        .intelligence()
        .tag_item(&actor, &id, &b.indicators)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Says which indicators an evidence record addresses (those who may edit it).
#[utoipa::path(put, path = "/api/v1/evidence/{id}/indicators", request_body = TagsBody, responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn tag_evidence(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TagsBody>,
) -> ApiResult<axum::http::StatusCode> {
    s.app
        .intelligence()
        .tag_evidence(&actor, &id, &b.indicators)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
