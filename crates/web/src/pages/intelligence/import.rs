//! Importing figures: the upload form (with the tidy template), the review of a staged upload
//! (what was read, and the flags grouped by kind), then save (confirming the flags) or
//! discard. Nothing is saved before the person confirms.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::context;
use lz_app::intelligence::{ImportPreview, IntelligenceAccess};
use lz_app::AppError;
use minijinja::Value;

use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm};
use crate::session::{page, SignedIn};
use crate::AppState;

async fn screen(s: &AppState, actor: &lz_app::Actor) -> Result<Value, AppError> {
    IntelligenceAccess::require_import(Some(actor))?;
    let imports: Vec<Value> = s
        .app
        .intelligence()
        .recent_imports(actor)
        .await?
        .into_iter()
        .map(|m| context! { file_name => m.file_name, format => m.format, added => m.added, replaced => m.replaced, unchanged => m.unchanged, by => m.created_by_name, at => m.decided_at })
        .collect();
    let max = s.app.config.max_upload_bytes;
    let max_size = if max >= 1 << 20 {
        format!("{} MB", max >> 20)
    } else {
        format!("{} KB", max >> 10)
    };
    Ok(context! { imports, max_size })
}

pub(super) async fn form(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    let ctx = screen(&s, &actor).await?;
    Ok(page(&s, &v, "intelligence/import.html", ctx))
}

pub(super) async fn upload(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    mut multipart: Multipart,
) -> PageResult {
    IntelligenceAccess::require_import(Some(&actor))?;
    let unreadable = |_| AppError::field("file", "The upload could not be read: try again");
    let mut file: Option<(String, axum::body::Bytes)> = None;
    let read: Result<(), AppError> = async {
        while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(unreadable)?));
            }
        }
        Ok(())
    }
    .await;
    let staged = match (read, file) {
        (Err(e), _) => Err(e),
        (Ok(()), Some((name, bytes))) if !bytes.is_empty() => {
            s.app.intelligence().stage(&actor, &name, &bytes).await
        }
        (Ok(()), _) => Err(AppError::field(
            "file",
            "Choose the file to upload: a Fingertips CSV, the template filled in, or the IoD summary sheet",
        )),
    };
    match staged {
        Ok(p) => Ok(Redirect::to(&format!(
            "/indicators/import/{}",
            p.import_id.unwrap_or_default()
        ))
        .into_response()),
        Err(AppError::Invalid(errs)) => {
            let ctx = screen(&s, &actor).await?;
            Ok(form_again(&s, &v, "intelligence/import.html", &errs, ctx))
        }
        Err(e) => Err(e.into()),
    }
}

fn preview_ctx(p: &ImportPreview) -> Value {
    let indicators: Vec<Value> = p
        .indicators
        .iter()
        .map(|i| context! { source_id => i.source_id, name => i.name, unit => i.unit, polarity => i.polarity.map(|p| p.label()), age => i.age })
        .collect();
    let known = p.areas.iter().filter(|a| a.2).count();
    let areas: Vec<Value> = p
        .areas
        .iter()
        .map(|(code, name, known)| context! { code, name, known })
        .collect();
    let groups: Vec<Value> = p
        .flag_groups
        .iter()
        .map(|g| {
            context! {
                heading => g.heading, count => g.count, more => g.count.saturating_sub(g.flags.len()),
                flags => g.flags.iter().map(|f| context! { row => f.row, message => f.message }).collect::<Vec<_>>(),
            }
        })
        .collect();
    context! {
        id => p.import_id, file_name => p.file_name, format => p.format_label, rows_read => p.rows_read,
        rows_skipped => p.rows_skipped, observations => p.observations, missing => p.missing_values,
        indicators, areas, areas_known => known, areas_new => p.areas.len() - known, periods => p.periods,
        flagged => p.flagged(), flag_count => p.flags.len(), groups,
    }
}

pub(super) async fn review(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let p = s.app.intelligence().staged(&actor, &id).await?;
    Ok(page(
        &s,
        &v,
        "intelligence/review.html",
        context! { preview => preview_ctx(&p) },
    ))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct SaveForm {
    #[serde(default)]
    confirmed: String,
}

pub(super) async fn save(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<SaveForm>,
) -> PageResult {
    match s
        .app
        .intelligence()
        .save_staged(&actor, &id, form.confirmed == "yes")
        .await
    {
        Ok(_) => Ok(Redirect::to("/indicators?notice=imported").into_response()),
        Err(AppError::Invalid(errs)) => {
            let p = s.app.intelligence().staged(&actor, &id).await?;
            Ok(form_again(
                &s,
                &v,
                "intelligence/review.html",
                &errs,
                context! { preview => preview_ctx(&p) },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn discard(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    s.app.intelligence().discard_staged(&actor, &id).await?;
    Ok(Redirect::to("/indicators?notice=discarded").into_response())
}

pub(super) async fn template() -> axum::response::Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"indicator-template.csv\"",
            ),
        ],
        lz_domain::intelligence::TIDY_TEMPLATE,
    )
        .into_response()
}
