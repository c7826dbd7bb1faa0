//! Collections over the API: list, read (sections with their evidence records inline),
//! create, save the whole outline, the pack as DOCX, PDF or PPTX, and share links. Same use
//! cases and permission checks as the pages; unknown fields (a mass-assigned `status`,
//! `version` or `organisation_id`) are refused.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use lz_app::advocacy::{CollectionInput, CollectionView, PackFormat, SectionInput, ShareInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evidence::Evidence;
use super::{created, ApiJson};
use crate::error::{ApiResult, Problem};
use crate::session::{ApiCaller, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/collections", get(list).post(create))
        .route("/collections/{id}", get(one).put(update))
        .route("/collections/{id}/pack.docx", get(pack_docx))
        .route("/collections/{id}/pack.pdf", get(pack_pdf))
        .route("/collections/{id}/pack.pptx", get(pack_pptx))
        .route("/collections/{id}/shares", post(share))
}

/// A collection in a list.
#[derive(Serialize, ToSchema)]
pub struct CollectionSummary {
    id: String,
    /// pack or narrative.
    kind: String,
    title: String,
    summary: String,
    /// draft or published.
    status: String,
    /// public, network or organisation.
    audience: String,
    place_id: Option<String>,
    work_area_id: Option<String>,
    version: i64,
}

/// A record in a section: its citation number in the pack (none when left out).
#[derive(Serialize, ToSchema)]
pub struct SectionRecord {
    number: Option<u32>,
    evidence: Evidence,
}

#[derive(Serialize, ToSchema)]
pub struct Section {
    id: String,
    heading: String,
    body: String,
    /// The records in the pack, in order, inline.
    evidence: Vec<SectionRecord>,
}

/// A chosen record that is not in the pack, and why (for curators and moderators).
#[derive(Serialize, ToSchema)]
pub struct LeftOut {
    evidence_id: String,
    section: String,
    reason: String,
}

/// A collection with its sections and their evidence records inline.
#[derive(Serialize, ToSchema)]
pub struct Collection {
    #[serde(flatten)]
    summary: CollectionSummary,
    ask: String,
    sections: Vec<Section>,
    left_out: Vec<LeftOut>,
    event_ids: Vec<String>,
    pack: PackLinks,
}

#[derive(Serialize, ToSchema)]
pub struct PackLinks {
    docx: String,
    pdf: String,
    pptx: String,
}

fn summary(c: &lz_app::advocacy::Collection) -> CollectionSummary {
    CollectionSummary {
        id: c.id.to_string(),
        kind: c.kind.code().into(),
        title: c.title.clone(),
        summary: c.summary.clone(),
        status: c.status.code().into(),
        audience: c.audience.code().into(),
        place_id: c.place.as_ref().map(|p| p.id.clone()),
        work_area_id: c.work_area.as_ref().map(|w| w.id.clone()),
        version: c.version,
    }
}

impl From<CollectionView> for Collection {
    fn from(v: CollectionView) -> Self {
        let id = v.collection.id.to_string();
        let oversee = v.access.may_oversee();
        Collection {
            summary: summary(&v.collection),
            ask: v.collection.ask.clone(),
            sections: v
                .sections
                .into_iter()
                .map(|s| Section {
                    id: s.id,
                    heading: s.heading,
                    body: s.body,
                    evidence: s
                        .entries
                        .into_iter()
                        .map(|e| SectionRecord {
                            number: Some(e.number),
                            evidence: e.record.into(),
                        })
                        .collect(),
                })
                .collect(),
            left_out: if oversee {
                v.left_out
                    .into_iter()
                    .map(|l| LeftOut {
                        evidence_id: l.evidence_id,
                        section: l.section,
                        reason: l.reason.into(),
                    })
                    .collect()
            } else {
                vec![]
            },
            event_ids: v.events.into_iter().map(|(id, _)| id).collect(),
            pack: PackLinks {
                docx: format!("/api/v1/collections/{id}/pack.docx"),
                pdf: format!("/api/v1/collections/{id}/pack.pdf"),
                pptx: format!("/api/v1/collections/{id}/pack.pptx"),
            },
        }
    }
}

/// One section as sent: its heading, text and evidence ids in order.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionBody {
    heading: String,
    #[serde(default)]
    body: String,
    /// Evidence record ids, in order.
    #[serde(default)]
    evidence: Vec<String>,
}

/// What a caller sends to start a collection or save its outline. Status, version, owner
/// and share links are not among the fields: sending one is refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionBody {
    /// pack or narrative (only when starting one).
    #[serde(default)]
    kind: String,
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    ask: String,
    /// public, network or organisation.
    audience: String,
    /// A narrative's place id.
    #[serde(default)]
    place_id: Option<String>,
    #[serde(default)]
    work_area_id: Option<String>,
    #[serde(default)]
    event_ids: Vec<String>,
    /// Other curators' emails; absent keeps the curators as they are.
    #[serde(default)]
    curators: Option<Vec<String>>,
    /// The whole outline in order; absent keeps it (on PUT) or starts empty.
    #[serde(default)]
    sections: Option<Vec<SectionBody>>,
}

impl From<CollectionBody> for CollectionInput {
    fn from(b: CollectionBody) -> Self {
        CollectionInput {
            kind: b.kind,
            title: b.title,
            summary: b.summary,
            ask: b.ask,
            audience: b.audience,
            place: b.place_id.unwrap_or_default(),
            work_area: b.work_area_id.unwrap_or_default(),
            events: b.event_ids,
            curators: b.curators.map(|l| l.join("\n")),
            sections: b.sections.map(|l| {
                l.into_iter()
                    .map(|s| SectionInput {
                        heading: s.heading,
                        body: s.body,
                        evidence: s.evidence,
                    })
                    .collect()
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// Collections the caller may read (curators and moderators: drafts too).
#[utoipa::path(get, path = "/api/v1/collections", responses((status = 200, body = Vec<CollectionSummary>)))]
pub async fn list(
    State(s): State<AppState>,
    v: Visitor,
) -> ApiResult<Json<Vec<CollectionSummary>>> {
    let list = s.app.advocacy().list(v.actor.as_ref()).await?;
    Ok(Json(list.iter().map(summary).collect()))
}

/// One collection with its sections and their evidence inline.
#[utoipa::path(get, path = "/api/v1/collections/{id}", responses((status = 200, body = Collection), (status = 404, body = Problem)))]
pub async fn one(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> ApiResult<Json<Collection>> {
    Ok(Json(
        s.app
            .advocacy()
            .collection(v.actor.as_ref(), &id)
            .await?
            .into(),
    ))
}

/// Starts a collection (contributors and above); the caller is its first curator.
#[utoipa::path(post, path = "/api/v1/collections", request_body = CollectionBody, responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<CollectionBody>,
) -> ApiResult<Response> {
    let id = s.app.advocacy().create(&actor, &b.into()).await?;
    Ok(created(Created { id }))
}

/// Saves the details and (when `sections` is sent) the whole outline, as the next version
/// (curators only).
#[utoipa::path(put, path = "/api/v1/collections/{id}", request_body = CollectionBody, responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CollectionBody>,
) -> ApiResult<StatusCode> {
    s.app.advocacy().update(&actor, &id, &b.into()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn pack(s: AppState, v: Visitor, id: String, format: PackFormat) -> ApiResult<Response> {
    let f = s.app.advocacy().pack(v.actor.as_ref(), &id, format).await?;
    let disposition = format!("attachment; filename=\"{}\"", f.file_name);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, f.content_type.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        f.bytes,
    )
        .into_response())
}

/// The pack as a Word document.
#[utoipa::path(get, path = "/api/v1/collections/{id}/pack.docx", responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 404, body = Problem)))]
pub async fn pack_docx(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    pack(s, v, id, PackFormat::Docx).await
}

/// The pack as a tagged PDF.
#[utoipa::path(get, path = "/api/v1/collections/{id}/pack.pdf", responses((status = 200, content_type = "application/pdf"), (status = 404, body = Problem)))]
pub async fn pack_pdf(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    pack(s, v, id, PackFormat::Pdf).await
}

/// The pack as a slide deck with speaker notes.
#[utoipa::path(get, path = "/api/v1/collections/{id}/pack.pptx", responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation"), (status = 404, body = Problem)))]
pub async fn pack_pptx(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    pack(s, v, id, PackFormat::Pptx).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareBody {
    /// Days until the link expires, 1 to 365 (30 when absent).
    #[serde(default)]
    days: Option<i64>,
    #[serde(default)]
    label: String,
}

#[derive(Serialize, ToSchema)]
pub struct ShareLink {
    id: String,
    /// The link; shown only in this response.
    url: String,
    expires_at: i64,
}

/// Makes a share link for a public collection's pack (curators only).
#[utoipa::path(post, path = "/api/v1/collections/{id}/shares", request_body = ShareBody, responses((status = 201, body = ShareLink), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn share(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ShareBody>,
) -> ApiResult<Response> {
    let input = ShareInput {
        days: b.days.map(|d| d.to_string()).unwrap_or_default(),
        label: b.label,
    };
    let link = s.app.advocacy().share(&actor, &id, &input).await?;
    Ok(created(ShareLink {
        id: link.id,
        url: link.url,
        expires_at: link.expires_at,
    }))
}
