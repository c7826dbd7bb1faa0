//! An item's files: upload (multipart, bounded), download (the item's visibility checked
//! on every request) and removal.

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use lz_app::context;
use lz_app::AppError;

use super::review::item_again;
use crate::error::PageResult;
use crate::session::{SignedIn, Visitor};
use crate::AppState;

pub(super) async fn upload(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let unreadable = |_| AppError::field("file", "The upload could not be read: try again");
    let mut file: Option<(String, axum::body::Bytes)> = None;
    let res: Result<(), AppError> = async {
        while let Some(field) = form.next_field().await.map_err(unreadable)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(unreadable)?));
            }
        }
        Ok(())
    }
    .await;
    let result = match (res, file) {
        (Err(e), _) => Err(e),
        (Ok(()), None) => Err(AppError::field("file", "Choose a file to upload")),
        (Ok(()), Some((name, bytes))) => s.app.library().attach(&actor, &id, &name, &bytes).await,
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/library/{id}?notice=attached")).into_response()),
        Err(AppError::Invalid(errs)) => item_again(&s, &v, &actor, &id, &errs, context! {}).await,
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn download(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> PageResult {
    let d = s.app.library().download(v.actor.as_ref(), &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, d.mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                lz_files::content_disposition(&d.file_name),
            ),
        ],
        d.bytes,
    )
        .into_response())
}

pub(super) async fn remove(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let item = s.app.library().remove_attachment(&actor, &id).await?;
    Ok(Redirect::to(&format!("/library/{item}?notice=attachment-removed")).into_response())
}
