//! A folder of documents brought in as drafts (`lz_app::transfer::folder`): the upload form,
//! the folder's list of drafts with what did not come in, and the changes made to many drafts
//! at once (kind, themes, place, organisation; submit for review; discard).

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use lz_app::context;
use lz_app::transfer::folder::{FolderAction, FolderChange, FolderChoices, FolderImported};
use lz_app::{Actor, AppError, FieldError};
use minijinja::Value;

use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        // The upload is bounded by `max_upload_bytes` where the form's CSRF token is checked,
        // not by the small limit of other forms.
        .route(
            "/library/import/folder",
            get(form)
                .post(upload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/library/import/folder/{id}", get(batch).post(change))
}

fn require(actor: &Actor) -> Result<(), AppError> {
    lz_app::transfer::access::require_import_folder(actor)
}

async fn upload_ctx(s: &AppState, actor: &Actor) -> Result<Value, AppError> {
    let limits = lz_app::transfer::folder::limits(&s.app.config);
    Ok(context! {
        organisations => crate::pages::own_organisation_options(s, actor).await?,
        max_size => format!("{} MB", s.app.config.max_upload_bytes >> 20),
        max_files => match limits.max_entries {
            n if n >= 1000 => format!("{},{:03}", n / 1000, n % 1000),
            n => n.to_string(),
        },
        chosen_organisation => actor.active_organisation_ids().into_iter().next().unwrap_or_default(),
    })
}

async fn form(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    require(&actor)?;
    Ok(page(
        &s,
        &v,
        "transfer/folder.html",
        upload_ctx(&s, &actor).await?,
    ))
}

async fn upload(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    // Who may comes before what was sent: a refused caller learns nothing from the body.
    require(&actor)?;
    let read = crate::pages::Upload::read(multipart).await;
    let choices = FolderChoices {
        organisation_id: read
            .as_ref()
            .ok()
            .and_then(|u| u.fields.get("organisation_id").cloned())
            .unwrap_or_default(),
    };
    let imported = match read {
        Err(e) => Err(e),
        Ok(upload) => match upload.bytes() {
            Some(bytes) => {
                s.app
                    .transfer()
                    .import_folder(&actor, std::io::Cursor::new(bytes.clone()), &choices)
                    .await
            }
            None => Err(AppError::field(
                "file",
                "Choose the ZIP file of the folder to upload",
            )),
        },
    };
    match imported {
        Ok(done) => show_batch(&s, &v, &actor, &done.batch, Some(&done), None, None).await,
        Err(AppError::Invalid(errs)) => {
            let mut ctx = upload_ctx(&s, &actor).await?;
            if !choices.organisation_id.is_empty() {
                ctx = context! { chosen_organisation => choices.organisation_id, ..ctx };
            }
            Ok(form_again(&s, &v, "transfer/folder.html", &errs, ctx))
        }
        Err(e) => Err(e.into()),
    }
}

async fn batch(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(batch): Path<String>,
    axum::extract::Query(q): axum::extract::Query<crate::pages::NoticeQuery>,
) -> PageResult {
    require(&actor)?;
    let notice = crate::pages::notice_text(q.notice.as_deref());
    show_batch(&s, &v, &actor, &batch, None, notice, None).await
}

/// The folder's drafts, with the bulk form; `imported` when they were made just now.
async fn show_batch(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    batch: &str,
    imported: Option<&FolderImported>,
    notice: Option<&str>,
    again: Option<(&[FieldError], &FolderChange)>,
) -> PageResult {
    let (errors, chosen) = match again {
        Some((errors, chosen)) => (errors, Some(chosen)),
        None => (&[][..], None),
    };
    let list = s.app.transfer().folder_batch(actor, batch).await?;
    let drafts = list.items.iter().filter(|i| i.status == "draft").count();
    let ctx = context! {
        list => &list,
        drafts,
        imported => imported,
        notice,
        // After an error the form keeps what was chosen (GOV.UK: never ask twice).
        again => chosen.is_some(),
        chosen_ids => chosen.map(|c| c.ids.clone()).unwrap_or_default(),
        chosen_kind => chosen.map(|c| c.kind.clone()).unwrap_or_default(),
        chosen_terms => chosen.map(|c| c.terms.clone()).unwrap_or_default(),
        chosen_place => chosen.map(|c| c.place_id.clone()).unwrap_or_default(),
        chosen_organisation => chosen.map(|c| c.organisation_id.clone()).unwrap_or_default(),
        options => crate::pages::library::form_options(s, actor, &[]).await?,
    };
    if errors.is_empty() {
        Ok(page(s, v, "transfer/folder_batch.html", ctx))
    } else {
        Ok(form_again(s, v, "transfer/folder_batch.html", errors, ctx))
    }
}

async fn change(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(batch): Path<String>,
    HtmlForm(change): HtmlForm<FolderChange>,
) -> PageResult {
    require(&actor)?;
    if change.action == Some(FolderAction::Discard) && !change.confirmed {
        // Asked first, as GOV.UK asks before anything is deleted.
        let list = s.app.transfer().folder_batch(&actor, &batch).await?;
        let chosen: Vec<_> = list
            .items
            .iter()
            .filter(|i| change.ids.contains(&i.id))
            .collect();
        if chosen.is_empty() {
            let errs = [FieldError {
                field: "ids",
                message: "Choose at least one draft".into(),
            }];
            return show_batch(&s, &v, &actor, &batch, None, None, Some((&errs, &change))).await;
        }
        return Ok(page(
            &s,
            &v,
            "transfer/folder_discard.html",
            context! { batch => &list.batch, chosen },
        ));
    }
    match s
        .app
        .transfer()
        .change_folder(&actor, &batch, &change)
        .await
    {
        Ok(n) => {
            let what = match change.action {
                Some(FolderAction::Submit) => "submitted",
                Some(FolderAction::Discard) => "discarded",
                _ => "changed",
            };
            let _ = n;
            // Every draft discarded: the folder has nothing left to list.
            let to = if what == "discarded"
                && s.app.transfer().folder_batch(&actor, &batch).await.is_err()
            {
                "/library/mine?notice=folder-discarded".to_string()
            } else {
                format!("/library/import/folder/{batch}?notice=folder-{what}")
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            show_batch(&s, &v, &actor, &batch, None, None, Some((&errs, &change))).await
        }
        Err(e) => Err(e.into()),
    }
}
