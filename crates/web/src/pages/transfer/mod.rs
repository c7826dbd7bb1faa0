//! Bringing past network meetings in (`lz_app::transfer::meetings`): the upload form with
//! the template, the review of what was read (flags, unknown organisations with the nearest
//! match offered, the series), and the save. Nothing is saved before the person confirms.

use axum::extract::{Multipart, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use lz_app::context;
use lz_app::transfer::meetings::{MeetingsChoices, MeetingsPreview};
use lz_app::{Actor, AppError};
use minijinja::Value;

use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

pub(crate) mod folder;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/library/import/meetings", get(form).post(upload))
        .route("/library/import/meetings/save", axum::routing::post(save))
        .route("/library/import/meetings/template.csv", get(template))
}

fn require(actor: &Actor) -> Result<(), AppError> {
    lz_app::transfer::access::require_import_meetings(actor)
}

async fn form(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    require(&actor)?;
    Ok(page(&s, &v, "transfer/meetings.html", upload_ctx(&s)))
}

/// The upload form again, with what was wrong with the file.
fn upload_again(
    s: &AppState,
    v: &Visitor,
    errs: &[lz_app::FieldError],
) -> axum::response::Response {
    form_again(s, v, "transfer/meetings.html", errs, upload_ctx(s))
}

fn upload_ctx(s: &AppState) -> Value {
    let max = lz_app::transfer::meetings::max_file_bytes(&s.app.config);
    context! { max_size => format!("{} KB", max >> 10), max_records => lz_app::transfer::meetings::MAX_RECORDS }
}

async fn template(SignedIn(actor, _): SignedIn) -> PageResult {
    require(&actor)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"meeting-records-template.csv\"",
            ),
        ],
        lz_domain::meetings::TEMPLATE_CSV,
    )
        .into_response())
}

async fn upload(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    // Who may comes before what was sent: a refused caller learns nothing from the body.
    require(&actor)?;
    let read = crate::pages::Upload::read(multipart).await;
    let choices = MeetingsChoices {
        visibility: "network".into(),
        ..MeetingsChoices::default()
    };
    let previewed = match read {
        Err(e) => Err(e),
        Ok(upload) => match upload.bytes() {
            Some(bytes) => {
                s.app
                    .transfer()
                    .preview_meetings(&actor, bytes, &choices)
                    .await
            }
            None => Err(AppError::field(
                "file",
                "Choose the file of meeting records to upload: a CSV (the template, or an export) or JSON",
            )),
        },
    };
    match previewed {
        Ok(p) => review(&s, &v, &actor, &p, &choices, &[]).await,
        Err(AppError::Invalid(errs)) => Ok(upload_again(&s, &v, &errs)),
        Err(e) => Err(e.into()),
    }
}

/// The review screen: what was read and what saving will do.
async fn review(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    p: &MeetingsPreview,
    choices: &MeetingsChoices,
    errors: &[lz_app::FieldError],
) -> PageResult {
    let organisations: Vec<Value> = s
        .app
        .network()
        .organisations()
        .await?
        .into_iter()
        .map(|o| context! { value => o.id.as_str(), label => o.name })
        .collect();
    let _ = actor;
    let ctx = context! {
        preview => p,
        text => &p.text,
        organisations,
        visibility => if choices.visibility.is_empty() { "network" } else { choices.visibility.as_str() },
        flagged => p.records.iter().filter(|r| !r.flags.is_empty()).collect::<Vec<_>>(),
    };
    if errors.is_empty() {
        Ok(page(s, v, "transfer/meetings_review.html", ctx))
    } else {
        Ok(form_again(
            s,
            v,
            "transfer/meetings_review.html",
            errors,
            ctx,
        ))
    }
}

#[derive(serde::Deserialize, Default)]
struct SaveForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    map_name: Vec<String>,
    #[serde(default)]
    map_to: Vec<String>,
    #[serde(default)]
    confirmed: String,
    /// "check" shows the review again with the choices; "save" imports.
    #[serde(default)]
    step: String,
}

async fn save(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(form): HtmlForm<SaveForm>,
) -> PageResult {
    require(&actor)?;
    let choices = MeetingsChoices {
        visibility: form.visibility.clone(),
        organisations: form
            .map_name
            .iter()
            .cloned()
            .zip(form.map_to.iter().cloned())
            .collect(),
        confirmed: form.confirmed == "yes",
    };
    let transfer = s.app.transfer();
    if form.step == "check" {
        let p = transfer
            .preview_meetings(&actor, form.text.as_bytes(), &choices)
            .await;
        return match p {
            Ok(p) => review(&s, &v, &actor, &p, &choices, &[]).await,
            Err(AppError::Invalid(errs)) => Ok(upload_again(&s, &v, &errs)),
            Err(e) => Err(e.into()),
        };
    }
    match transfer.import_meetings(&actor, &form.text, &choices).await {
        Ok(done) => Ok(page(
            &s,
            &v,
            "transfer/meetings_done.html",
            context! { done => &done },
        )),
        Err(AppError::Invalid(errs)) => {
            match transfer
                .preview_meetings(&actor, form.text.as_bytes(), &choices)
                .await
            {
                Ok(p) => review(&s, &v, &actor, &p, &choices, &errs).await,
                Err(AppError::Invalid(more)) => Ok(upload_again(&s, &v, &more)),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}
