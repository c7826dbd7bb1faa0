//! HTML pages, one module per area: accounts (sign-up to sign-out), the network directory,
//! and administration.

mod about;
mod accounts;
mod advocacy;
pub mod date_input;
mod events;
mod evidence;
mod home;
pub(crate) mod intelligence;
pub(crate) mod library;
mod network;
mod plans;
pub(crate) mod transfer;

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use lz_app::FieldError;
use minijinja::Value;
use serde::de::DeserializeOwned;

use crate::error::error_page;
use crate::session::{page_with_status, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/app.css", get(app_css))
        .route("/assets/govuk/govuk-frontend.min.css", get(govuk_css))
        .route("/assets/govuk/govuk-frontend.min.js", get(govuk_js))
        .route("/assets/lz-init.mjs", get(init_js))
        .route("/assets/theme.css", get(theme_css))
        .merge(home::routes())
        .merge(about::routes())
        .merge(accounts::routes())
        .merge(network::routes())
        .merge(plans::routes())
        .merge(library::routes())
        .merge(events::routes())
        .merge(evidence::routes())
        .merge(advocacy::routes())
        .merge(intelligence::routes())
        .merge(transfer::routes())
}

/// A form with a file: the bytes of its `file` field and its other fields' text. A body that
/// cannot be read is an error on the `file` field.
pub struct Upload {
    pub file: Option<axum::body::Bytes>,
    pub fields: std::collections::HashMap<String, String>,
}

impl Upload {
    pub async fn read(
        multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    ) -> Result<Upload, lz_app::AppError> {
        fn unreadable(_: impl std::fmt::Display) -> lz_app::AppError {
            lz_app::AppError::field("file", "The upload could not be read: try again")
        }
        let mut multipart = multipart.map_err(unreadable)?;
        let mut upload = Upload {
            file: None,
            fields: Default::default(),
        };
        while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
            match field.name().map(str::to_string) {
                Some(name) if name == "file" => {
                    upload.file = Some(field.bytes().await.map_err(unreadable)?)
                }
                Some(name) => {
                    let text = field.text().await.map_err(unreadable)?;
                    upload.fields.insert(name, text);
                }
                None => {}
            }
        }
        Ok(upload)
    }

    /// The file, unless none (or an empty one) was sent.
    pub fn bytes(&self) -> Option<&axum::body::Bytes> {
        self.file.as_ref().filter(|b| !b.is_empty())
    }
}

pub async fn not_found(_: Visitor) -> Response {
    error_page(StatusCode::NOT_FOUND, "Page not found", "If you typed the web address, check it is correct. If you followed a link, it may be out of date.")
}

/// A stylesheet or script compiled into the binary (so `cargo run` needs no npm).
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn app_css() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../assets/app.css"),
    )
}

/// GOV.UK Frontend, built by `tools/govuk-frontend/build.sh` from a pinned release.
async fn govuk_css() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../assets/govuk/govuk-frontend.min.css"),
    )
}

async fn govuk_js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../assets/govuk/govuk-frontend.min.js"),
    )
}

async fn init_js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../assets/lz-init.mjs"),
    )
}

async fn theme_css(State(state): State<AppState>) -> Response {
    let css = format!(
        ":root {{ --lz-brand: {}; }}\n",
        state.app.config.brand_colour
    );
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        css,
    )
        .into_response()
}

/// A URL-encoded form (fields may repeat, as checkboxes do; GOV.UK date inputs are joined
/// first, see `date_input`) whose rejections (wrong types, malformed bodies) become an
/// error page.
pub struct HtmlForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for HtmlForm<T> {
    type Rejection = Response;
    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let body = axum::body::Bytes::from_request(req, s).await.map_err(|e| {
            error_page(
                StatusCode::BAD_REQUEST,
                "This form could not be read",
                format!("Check what you entered and try again ({}).", e.body_text()),
            )
        })?;
        read_form(&body).map(HtmlForm).map_err(|e| *e)
    }
}

/// A query string read like a form (a GET form with a GOV.UK date input, say), whose
/// rejections become an error page.
pub struct HtmlQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for HtmlQuery<T> {
    type Rejection = Response;
    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        read_form(req.uri().query().unwrap_or_default().as_bytes())
            .map(HtmlQuery)
            .map_err(|e| *e)
    }
}

/// A form body as `T`; a malformed one becomes an error page.
pub fn read_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, Box<Response>> {
    serde_html_form::from_bytes::<T>(&date_input::join_date_parts(body)).map_err(|e| {
        Box::new(error_page(
            StatusCode::BAD_REQUEST,
            "This form could not be read",
            format!("Check what you entered and try again ({e})."),
        ))
    })
}

/// The same form again (422) with every problem listed in the error summary and beside
/// its field; `ctx` holds what else the page needs (the values entered).
pub fn form_again(
    state: &AppState,
    visitor: &Visitor,
    template: &str,
    errs: &[FieldError],
    ctx: Value,
) -> Response {
    let (errors, error_for) = errors_ctx(errs);
    page_with_status(
        state,
        visitor,
        StatusCode::UNPROCESSABLE_ENTITY,
        template,
        lz_app::context! { errors, error_for, ..ctx },
    )
}

/// Field errors for a template: a list for the error summary, a map for each field.
pub fn errors_ctx(errors: &[FieldError]) -> (Value, Value) {
    let map: BTreeMap<&str, &str> = errors
        .iter()
        .map(|e| (e.field, e.message.as_str()))
        .collect();
    (
        lz_app::context::to_value(errors),
        lz_app::context::to_value(&map),
    )
}

/// The organisations a person may write for, as select options: their own, or all of them
/// for network admins and moderators.
pub async fn own_organisation_options(
    s: &AppState,
    actor: &lz_app::Actor,
) -> Result<Vec<Value>, lz_app::AppError> {
    let everyone = actor.sees_all_content();
    let mine = actor.active_organisation_ids();
    Ok(s.app
        .network()
        .organisations()
        .await?
        .into_iter()
        .filter(|o| everyone || mine.iter().any(|m| o.id == m.as_str()))
        .map(|o| lz_app::context! { value => o.id, label => o.name })
        .collect())
}

/// Fixed confirmation messages, chosen by a code in the query string (never free text).
pub fn notice_text(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "signed-out" => "You have signed out.",
        "password-changed" => {
            "Your password has been changed. You have been signed out everywhere else."
        }
        "password-reset" => "Your password has been changed, you have been signed out everywhere, and any personal API tokens have been revoked. Sign in with your new password.",
        "join-requested" => {
            "Your request has been sent. You will get an email when it has been decided."
        }
        "token-revoked" => "The API token has been revoked.",
        "folder-changed" => "The chosen drafts have been changed.",
        "folder-submitted" => "The chosen drafts have been submitted for review. A reviewer will publish them or send them back to you with a comment.",
        "folder-discarded" => "The chosen drafts have been discarded.",
        "saved" => "Your changes have been saved.",
        "saved-over-budget" => "Your update has been saved. The spend is more than this work area's budget: check it, because the Executive report will flag it.",
        "approved" => "The request has been approved and the person has been emailed.",
        "declined" => "The request has been declined and the person has been emailed.",
        "role-changed" => "The role has been changed.",
        "verification-sent" => {
            "If that account exists and is not confirmed yet, we have sent a new link."
        }
        _ => return None,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

/// Search parameters from the API, in the form the search page uses.
#[allow(clippy::too_many_arguments)]
pub fn library_search_params(
    q: String,
    kind: Vec<String>,
    theme: Vec<String>,
    agenda: Vec<String>,
    place: Vec<String>,
    organisation: Vec<String>,
    year: Vec<String>,
    evidence_type: Vec<String>,
    strength: Vec<String>,
    sort: String,
    page: Option<String>,
) -> library::SearchParams {
    library::SearchParams {
        q,
        kind,
        theme,
        agenda,
        place,
        organisation,
        year,
        evidence_type,
        strength,
        sort,
        page,
    }
}
