//! Bringing past meeting records in over the API: the request body is the file (CSV or
//! JSON); a dry run answers what would be saved, with every record's flags; otherwise the
//! records are saved as the dry run showed them (unknown organisations as their nearest
//! match, else the caller's organisation), once the caller accepts the flags.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use lz_app::transfer::meetings::MeetingsChoices;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiResult, Problem};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/meeting-records", post(import))
}

/// The folder routes, which `crate::router` gives a longer time limit (a folder of documents
/// takes about a second per 20 of them).
pub fn folder_routes() -> Router<AppState> {
    Router::new()
        .route("/folder-imports", post(import_folder))
        .route("/folder-imports/{id}", axum::routing::get(folder))
        .route("/folder-imports/{id}/changes", post(change_folder))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MeetingParams {
    /// Read and check only: nothing is saved.
    #[serde(default)]
    dry_run: bool,
    /// Save even though records are flagged (the flagged ones as the dry run shows them).
    #[serde(default)]
    accept_flags: bool,
    /// `network` (default) or `public`.
    #[serde(default)]
    visibility: String,
}

/// Past meeting records (CSV or JSON, as the request body) into library items of kind event
/// material, and past events of the series they name. `dry_run=true` answers what was read
/// (`records` with their `flags` and `outcome`: new, already_imported or left_out); without
/// it the records are saved (201) and the answer counts what was made. A file imported again
/// adds nothing. Moderators and network admins.
#[utoipa::path(post, path = "/api/v1/meeting-records", params(MeetingParams), request_body(content = Vec<u8>, content_type = "text/csv"), responses((status = 200, body = serde_json::Value), (status = 201, body = serde_json::Value), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn import(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Query(q): Query<MeetingParams>,
    body: axum::body::Body,
) -> ApiResult<Response> {
    lz_app::transfer::access::require_import_meetings(&actor)?;
    let bytes = match super::file_body(
        &s,
        body,
        "Send the file of meeting records as the request body",
    )
    .await
    {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let choices = MeetingsChoices {
        visibility: q.visibility,
        organisations: Vec::new(),
        confirmed: q.accept_flags,
    };
    let transfer = s.app.transfer();
    let preview = transfer.preview_meetings(&actor, &bytes, &choices).await?;
    if q.dry_run {
        return Ok(Json(&preview).into_response());
    }
    let done = transfer
        .import_meetings(&actor, &preview.text, &choices)
        .await?;
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FolderParams {
    /// The organisation the drafts belong to (one of the caller's); the caller's first when
    /// left out.
    #[serde(default)]
    organisation_id: String,
}

/// A folder of documents (a ZIP of PDF, Word, PowerPoint and Excel files, as the request
/// body) brought in as the caller's drafts, one per document, titled and dated from each
/// document's properties. Files that cannot come in are listed in `refused` with the reason;
/// a ZIP that is unsafe to unpack (a name outside the folder, a link, a bomb) brings nothing
/// in (422). The same ZIP sent again by the same caller makes nothing new: 200 with
/// `already_here` and the drafts it made before. Contributors and above.
#[utoipa::path(post, path = "/api/v1/folder-imports", params(FolderParams), request_body(content = Vec<u8>, content_type = "application/zip"), responses((status = 200, body = serde_json::Value), (status = 201, body = serde_json::Value), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn import_folder(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Query(q): Query<FolderParams>,
    body: axum::body::Body,
) -> ApiResult<Response> {
    lz_app::transfer::access::require_import_folder(&actor)?;
    let bytes = match super::file_body(
        &s,
        body,
        "Send the ZIP file of the folder as the request body",
    )
    .await
    {
        Ok(b) => b,
        Err(r) => return Ok(r),
    };
    let choices = lz_app::transfer::folder::FolderChoices {
        organisation_id: q.organisation_id,
    };
    let done = s
        .app
        .transfer()
        .import_folder(&actor, std::io::Cursor::new(bytes), &choices)
        .await?;
    // The same ZIP sent again makes nothing: 200 with the drafts already here.
    let status = if done.already_here {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(done)).into_response())
}

/// The drafts of a folder the caller brought in, and what became of them.
#[utoipa::path(get, path = "/api/v1/folder-imports/{id}", params(("id" = String, Path)), responses((status = 200, body = serde_json::Value), (status = 403, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn folder(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    axum::extract::Path(batch): axum::extract::Path<String>,
) -> ApiResult<Response> {
    let list = s.app.transfer().folder_batch(&actor, &batch).await?;
    Ok(Json(list).into_response())
}

/// One change to many drafts of a folder: `ids`, and `action` `apply` (set `kind`, add
/// `terms`, set `place_id`, `organisation_id`; empty leaves each draft's own), `submit` (the
/// same, then submit for review) or `discard` (with `confirmed: true`). Checked in full before
/// any draft changes.
#[utoipa::path(post, path = "/api/v1/folder-imports/{id}/changes", params(("id" = String, Path)), request_body(content = serde_json::Value, content_type = "application/json"), responses((status = 200, body = serde_json::Value), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn change_folder(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    axum::extract::Path(batch): axum::extract::Path<String>,
    super::ApiJson(b): super::ApiJson<FolderChangeBody>,
) -> ApiResult<Response> {
    let change = lz_app::transfer::folder::FolderChange {
        ids: b.ids,
        kind: b.kind,
        terms: b.terms,
        place_id: b.place_id,
        organisation_id: b.organisation_id,
        action: Some(b.action),
        confirmed: b.confirmed,
    };
    let changed = s
        .app
        .transfer()
        .change_folder(&actor, &batch, &change)
        .await?;
    Ok(Json(serde_json::json!({ "changed": changed })).into_response())
}

/// The body of a change: only these fields (a draft's status, say, is not one of them).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FolderChangeBody {
    ids: Vec<String>,
    action: lz_app::transfer::folder::FolderAction,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    place_id: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    confirmed: bool,
}
