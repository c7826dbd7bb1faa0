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
use lz_app::AppError;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiResult, Problem};
use crate::session::ApiCaller;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/meeting-records", post(import))
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
    let limit = s.app.config.max_upload_bytes;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return Ok(crate::error::problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "File too large",
            format!("Files can be at most {} kB.", limit / 1024),
            vec![],
        ));
    };
    if bytes.is_empty() {
        return Err(AppError::field(
            "file",
            "Send the file of meeting records as the request body",
        )
        .into());
    }
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
