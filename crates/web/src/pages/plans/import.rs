//! The plan list and importing a plan document: paste or upload it, review what was read
//! and its flags, confirm, save. Also the CSV template to fill in.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use lz_app::plans::{ImportScreen, PlanImport};
use lz_app::AppError;
use minijinja::Value;

use lz_app::context;

use super::download;
use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

pub(super) async fn list(State(s): State<AppState>, visitor: Visitor) -> PageResult {
    let list = s.app.plans().list(visitor.actor.as_ref()).await?;
    let plans: Vec<Value> = list.plans.into_iter().map(|p| context! {
        id => p.id, title => p.title, owner => p.owner_organisation, period_start => p.period_start, period_end => p.period_end, visibility => p.visibility,
    }).collect();
    Ok(page(
        &s,
        &visitor,
        "plans/list.html",
        context! { plans, can_import => list.may_import },
    ))
}

/// The form's choices: organisations and who can see the plan.
fn choices(screen: &ImportScreen) -> Value {
    let organisations: Vec<Value> = screen
        .organisations
        .iter()
        .map(|(id, name)| context! { value => id, label => name })
        .collect();
    let visibilities: Vec<Value> = screen
        .visibilities
        .iter()
        .map(|(v, l)| context! { value => v, label => l })
        .collect();
    context! { organisations, visibilities }
}

pub(super) async fn import_form(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
) -> PageResult {
    let screen = s.app.plans().import_screen(&actor).await?;
    Ok(page(
        &s,
        &visitor,
        "plans/import.html",
        context! { values => context! { visibility => "network" }, ..choices(&screen) },
    ))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct ImportForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    owner_organisation_id: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    confirmed: String,
    /// "preview" shows the review screen; "save" imports.
    #[serde(default)]
    step: String,
}

pub(super) async fn import(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    HtmlForm(form): HtmlForm<ImportForm>,
) -> PageResult {
    let screen = s.app.plans().import_screen(&actor).await?;
    import_with(&s, &actor, &visitor, &screen, form).await
}

/// An uploaded document (text, CSV or XLSX) goes to the same review as a pasted one.
pub(super) async fn import_upload(
    State(s): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    multipart: axum::extract::Multipart,
) -> PageResult {
    let screen = s.app.plans().import_screen(&actor).await?;
    let (mut form, file) = read_upload(multipart).await?;
    let text = match file.filter(|b| !b.is_empty()) {
        None => Err(AppError::field(
            "file",
            "Choose the plan document to upload",
        )),
        Some(bytes) => lz_app::plans::uploaded_plan_text(&bytes),
    };
    match text {
        Ok(text) => {
            form.text = text;
            import_with(&s, &actor, &visitor, &screen, form).await
        }
        Err(AppError::Invalid(errs)) => {
            let values = context! { title => form.title, owner_organisation_id => form.owner_organisation_id, visibility => form.visibility };
            Ok(form_again(
                &s,
                &visitor,
                "plans/import.html",
                &errs,
                context! { values, ..choices(&screen) },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The upload form's fields and the file's bytes.
async fn read_upload(
    mut multipart: axum::extract::Multipart,
) -> Result<(ImportForm, Option<axum::body::Bytes>), AppError> {
    let unreadable = |_| AppError::field("file", "The upload could not be read: try again");
    let mut form = ImportForm {
        step: "preview".into(),
        ..Default::default()
    };
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => file = Some(field.bytes().await.map_err(unreadable)?),
            // Field names differ from the paste form's, so each field id on the page is unique.
            "upload_title" => form.title = field.text().await.map_err(unreadable)?,
            "upload_owner" => {
                form.owner_organisation_id = field.text().await.map_err(unreadable)?
            }
            "upload_visibility" => form.visibility = field.text().await.map_err(unreadable)?,
            _ => {}
        }
    }
    Ok((form, file))
}

async fn import_with(
    s: &AppState,
    actor: &lz_app::Actor,
    visitor: &Visitor,
    screen: &ImportScreen,
    form: ImportForm,
) -> PageResult {
    let values = context! { text => form.text.clone(), title => form.title.clone(), owner_organisation_id => form.owner_organisation_id.clone(), visibility => form.visibility.clone() };
    let base = context! { values, ..choices(screen) };
    let preview = match s.app.plans().preview_plan(Some(actor), &form.text) {
        Ok(p) => p,
        Err(AppError::Invalid(errs)) => {
            return Ok(form_again(s, visitor, "plans/import.html", &errs, base))
        }
        Err(e) => return Err(e.into()),
    };
    let with_preview = context! { preview => lz_app::context::to_value(&preview), ..base };
    if form.step != "save" {
        return Ok(page(s, visitor, "plans/import.html", with_preview));
    }
    let input = PlanImport {
        text: form.text,
        title: Some(form.title),
        owner_organisation_id: Some(form.owner_organisation_id),
        visibility: form.visibility,
        confirmed: form.confirmed == "yes",
    };
    match s.app.plans().import_plan(Some(actor), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/plans/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            s,
            visitor,
            "plans/import.html",
            &errs,
            with_preview,
        )),
        Err(e) => Err(e.into()),
    }
}

/// The CSV template for a delivery plan (a spreadsheet a place can fill in and import).
pub(super) async fn template() -> axum::response::Response {
    download(
        "text/csv; charset=utf-8",
        "delivery-plan-template.csv".into(),
        lz_app::plans::plan_template_csv().into_bytes(),
    )
}
