//! An organisation's library items as a ZIP, for its organisation admins and network admins
//! to take away (`lz_app::transfer`).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;

use crate::error::PageResult;
use crate::session::SignedIn;
use crate::AppState;

pub(super) async fn organisation(
    State(state): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let export = state
        .app
        .transfer()
        .export_organisation(&actor, &id)
        .await?;
    // Streamed from the (already unlinked) file: an organisation's attachments can be large.
    let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(export.file));
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                lz_files::content_disposition(&export.file_name),
            ),
            (header::CONTENT_LENGTH, export.size.to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
