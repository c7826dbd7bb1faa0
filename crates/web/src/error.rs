//! Errors mapped once to responses: an HTML error page (rendered by the session middleware,
//! which knows who is asking) or RFC 9457 problem details for the API.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use lz_app::{AppError, FieldError};

/// Placed in a response's extensions; the session middleware renders the page.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub title: String,
    pub message: String,
}

pub fn error_page(status: StatusCode, title: &str, message: impl Into<String>) -> Response {
    let mut r = status.into_response();
    r.extensions_mut().insert(ErrorPage {
        status,
        title: title.into(),
        message: message.into(),
    });
    r
}

/// Error of an HTML handler.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Unauthenticated => Redirect::to("/sign-in").into_response(),
            AppError::Forbidden => error_page(StatusCode::FORBIDDEN, "You do not have permission to see this page", "If you think you should, ask a network administrator."),
            AppError::NotFound => error_page(StatusCode::NOT_FOUND, "Page not found", "If you typed the web address, check it is correct. If you followed a link, it may be out of date."),
            AppError::Conflict(m) => error_page(StatusCode::CONFLICT, "That could not be done", m),
            AppError::Gone(m) => error_page(StatusCode::GONE, "This link no longer works", m),
            AppError::TooManyAttempts { retry_after_secs } => with_retry_after(
                error_page(StatusCode::TOO_MANY_REQUESTS, "Too many attempts", format!("For your security, wait {} minutes and try again.", (retry_after_secs + 59) / 60)),
                retry_after_secs,
            ),
            AppError::Invalid(errors) => error_page(StatusCode::BAD_REQUEST, "There is a problem", errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(". ")),
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error");
                error_page(StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service", "Try again later. The problem has been logged.")
            }
            AppError::StorageFull(cause) => {
                tracing::error!(error = format!("{cause:#}"), "no space left to save");
                error_page(StatusCode::INSUFFICIENT_STORAGE, "Nothing was saved", "The server has run out of space to save this, so what you sent was not saved. Go back to keep what you wrote, and try again later. The problem has been logged.")
            }
            AppError::Unavailable(cause) => {
                tracing::error!(error = format!("{cause:#}"), "database unavailable");
                with_retry_after(error_page(StatusCode::SERVICE_UNAVAILABLE, "The service is unavailable for a moment", "The database is not answering. Wait a few seconds and try again. The problem has been logged."), RETRY_UNAVAILABLE_SECS)
            }
        }
    }
}

/// How long to wait before trying again while the database is away: about a restart.
const RETRY_UNAVAILABLE_SECS: i64 = 5;

fn with_retry_after(mut r: Response, secs: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

pub type PageResult = Result<Response, PageError>;

/// RFC 9457 problem details.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For invalid input: one entry per field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<ProblemField>)]
    pub errors: Vec<FieldError>,
}

/// A problem with one input field.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documents FieldError's shape in the OpenAPI document
pub struct ProblemField {
    pub field: String,
    pub message: String,
}

pub fn problem(
    status: StatusCode,
    slug: &str,
    title: &str,
    detail: impl Into<String>,
    errors: Vec<FieldError>,
) -> Response {
    let body = Problem {
        kind: format!("/api/v1/problems/{slug}"),
        title: title.into(),
        status: status.as_u16(),
        detail: detail.into(),
        errors,
    };
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

/// Error of an API handler.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Invalid(errors) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-input",
                "There is a problem with the input",
                "See `errors` for each field.",
                errors,
            ),
            AppError::NotFound => problem(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                "No such resource, or you may not see it.",
                vec![],
            ),
            AppError::Unauthenticated => {
                let mut r = problem(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "Authentication required",
                    "Send a personal API token as `Authorization: Bearer <token>`.",
                    vec![],
                );
                r.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                r
            }
            AppError::Forbidden => problem(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                "Your role does not allow this.",
                vec![],
            ),
            AppError::Conflict(m) => {
                problem(StatusCode::CONFLICT, "conflict", "Conflict", m, vec![])
            }
            AppError::Gone(m) => problem(StatusCode::GONE, "gone", "Gone", m, vec![]),
            AppError::TooManyAttempts { retry_after_secs } => with_retry_after(
                problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too-many-attempts",
                    "Too many attempts",
                    format!("Try again in {retry_after_secs} seconds."),
                    vec![],
                ),
                retry_after_secs,
            ),
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error");
                problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    "The problem has been logged.",
                    vec![],
                )
            }
            AppError::StorageFull(cause) => {
                tracing::error!(error = format!("{cause:#}"), "no space left to save");
                problem(
                    StatusCode::INSUFFICIENT_STORAGE,
                    "storage-full",
                    "No space left to save",
                    "The server has run out of space, so nothing of this request was saved. \
                     Try again later; the problem has been logged.",
                    vec![],
                )
            }
            AppError::Unavailable(cause) => {
                tracing::error!(error = format!("{cause:#}"), "database unavailable");
                with_retry_after(
                    problem(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "unavailable",
                        "Service unavailable",
                        format!(
                            "The database is not answering for the moment. Try again in \
                             {RETRY_UNAVAILABLE_SECS} seconds; the problem has been logged."
                        ),
                        vec![],
                    ),
                    RETRY_UNAVAILABLE_SECS,
                )
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
