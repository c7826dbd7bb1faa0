//! Who is asking: the session cookie (HTML) or a personal API token (API), resolved once per
//! request; CSRF checks on every state-changing form; error pages rendered with the
//! visitor's context.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use lz_app::network::NetworkAccess;
use lz_app::{Actor, AppError};
use minijinja::Value;

use lz_app::context;
use subtle::ConstantTimeEq;

use crate::error::{error_page, problem, ApiError, ErrorPage, PageError};
use crate::AppState;

pub const SESSION_COOKIE: &str = "lz_session";
pub const CSRF_COOKIE: &str = "lz_csrf";

/// The person behind a request (if signed in) and their CSRF token.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub actor: Option<Actor>,
    pub csrf_token: String,
    /// The raw session cookie, to end the session on sign-out.
    pub session_token: Option<String>,
    /// The API token id when the request came with `Authorization: Bearer`.
    pub api_token_id: Option<String>,
    /// Client address, for rate limiting.
    pub client: String,
    pub path: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// A signed-in person on an HTML page; anyone else is sent to sign in.
pub struct SignedIn(pub Actor, pub Visitor);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let v = Visitor::from_request_parts(parts, s).await?;
        match v.actor.clone() {
            Some(a) => Ok(SignedIn(a, v)),
            None => Err(PageError(AppError::Unauthenticated).into_response()),
        }
    }
}

/// A signed-in caller of the API.
pub struct ApiCaller(pub Actor, pub Visitor);

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let v = Visitor::from_request_parts(parts, s).await?;
        match v.actor.clone() {
            Some(a) => Ok(ApiCaller(a, v)),
            None => Err(ApiError(AppError::Unauthenticated).into_response()),
        }
    }
}

fn client_address(state: &AppState, req: &Request) -> String {
    if state.app.config.trust_proxy {
        if let Some(first) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().to_string();
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age_secs: Option<i64>,
) -> HeaderValue {
    let mut c = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.app.config.secure_cookies());
    // Max-Age is the cookie crate's own `time::Duration`, converted from std's so that this
    // crate needs no date-time library besides jiff.
    let max_age = max_age_secs
        .and_then(|secs| u64::try_from(secs).ok())
        .and_then(|secs| std::time::Duration::from_secs(secs).try_into().ok());
    if let Some(age) = max_age {
        c = c.max_age(age);
    }
    HeaderValue::from_str(&c.build().to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub async fn load_visitor(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let unknown = Visitor {
        actor: None,
        csrf_token: String::new(),
        session_token: None,
        api_token_id: None,
        client: client_address(&state, &req),
        path: req.uri().path().to_string(),
    };
    // Who could not be told (the database away) still gets a whole error page.
    let anonymous = unknown.clone();
    let mut visitor = match identify(&state, unknown, bearer, &jar).await {
        Ok(visitor) => visitor,
        Err(refused) => return render_error_page(&state, &anonymous, refused),
    };
    if let Some(a) = &visitor.actor {
        tracing::Span::current().record("user_id", a.id());
    }
    let new_csrf_cookie = csrf_token_for(&mut visitor, &jar);
    let mut req = match check_csrf(&state, req, &visitor).await {
        Ok(req) => req,
        Err(refused) => return refused,
    };
    req.extensions_mut().insert(visitor.clone());
    // Where to come back to after signing in: the address as asked, without a notice.
    let here = (req.method() == Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.as_str().to_string()))
        .flatten()
        .map(|here| crate::flash::without_notice(&here));
    let shows_notice = crate::flash::take(&mut req, &jar);
    let resp = next.run(req).await;
    let resp = match (&visitor.actor, here) {
        (None, Some(here)) => ask_to_sign_in(&state, &visitor, &here, resp),
        _ => resp,
    };
    let mut resp = render_error_page(&state, &visitor, resp);
    if shows_notice {
        crate::flash::clear(&state, &mut resp);
    }
    let mut resp = crate::flash::carry(&state, resp);
    if let Some(v) = new_csrf_cookie {
        resp.headers_mut()
            .append(header::SET_COOKIE, cookie(&state, CSRF_COOKIE, v, None));
    }
    resp
}

/// Who is asking: a `Bearer` token on `/api/*` (an unknown or revoked one is refused), else
/// the session cookie, else nobody.
async fn identify(
    state: &AppState,
    mut visitor: Visitor,
    bearer: Option<String>,
    jar: &CookieJar,
) -> Result<Visitor, Response> {
    let is_api = visitor.path.starts_with("/api/");
    if let Some(token) = bearer.filter(|_| is_api) {
        match state.app.accounts().token_actor(&token).await {
            Ok(Some(caller)) => {
                visitor.actor = Some(caller.actor);
                visitor.api_token_id = Some(caller.token_id.into_string());
            }
            Ok(None) => {
                return Err(problem(
                    StatusCode::UNAUTHORIZED,
                    "invalid-token",
                    "Invalid token",
                    "The API token is unknown or revoked.",
                    vec![],
                ))
            }
            Err(e) => return Err(ApiError(e).into_response()),
        }
    } else if let Some(session) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        match state.app.accounts().session_actor(&session).await {
            Ok(Some(signed_in)) => {
                visitor.actor = Some(signed_in.actor);
                visitor.csrf_token = signed_in.csrf_token;
                visitor.session_token = Some(session);
            }
            Ok(None) => {}
            Err(e) => return Err(PageError(e).into_response()),
        }
    }
    Ok(visitor)
}

/// A signed-out browser's CSRF token is its `lz_csrf` cookie (double submit), made now if it
/// has none: the new value is returned so that the response sets the cookie. Token callers
/// need none; a session's token came with the session.
fn csrf_token_for(visitor: &mut Visitor, jar: &CookieJar) -> Option<String> {
    if !visitor.csrf_token.is_empty() || visitor.api_token_id.is_some() {
        return None;
    }
    match jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() >= 32)
    {
        Some(v) => {
            visitor.csrf_token = v;
            None
        }
        None => {
            let v = lz_app::secrets::random_token("");
            visitor.csrf_token = v.clone();
            Some(v)
        }
    }
}

/// Unsafe methods must prove they come from our own pages: HTML forms by their `csrf_token`
/// field, cookie-authenticated API calls by the `X-CSRF-Token` header.
async fn check_csrf(
    state: &AppState,
    req: Request,
    visitor: &Visitor,
) -> Result<Request, Response> {
    if !is_unsafe(req.method()) {
        return Ok(req);
    }
    if !visitor.path.starts_with("/api/") {
        return check_form_csrf(state, req, &visitor.csrf_token)
            .await
            .map_err(|resp| render_error_page(state, visitor, resp));
    }
    // Token callers and anonymous calls (sign-up, sign-in) carry no ambient credentials.
    if visitor.session_token.is_none() || visitor.api_token_id.is_some() {
        return Ok(req);
    }
    let sent = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if tokens_match(sent, &visitor.csrf_token) {
        Ok(req)
    } else {
        Err(problem(
            StatusCode::FORBIDDEN,
            "csrf",
            "Missing CSRF token",
            "Send the X-CSRF-Token header, or use a personal API token.",
            vec![],
        ))
    }
}

fn tokens_match(a: &str, b: &str) -> bool {
    !b.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Reads a form body (bounded), checks its `csrf_token`, and puts the body back.
async fn check_form_csrf(
    state: &AppState,
    req: Request,
    expected: &str,
) -> Result<Request, Response> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let multipart = content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data");
    if !multipart
        && !content_type
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    {
        return Err(error_page(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "This form could not be sent",
            "Send the form from the page in your browser.",
        ));
    }
    let limit = if multipart {
        state.app.config.max_upload_bytes
    } else {
        state.app.config.max_body_bytes
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            let what = if multipart { "A file" } else { "A form" };
            return Err(error_page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "What you sent is too large",
                format!(
                    "{what} can be at most {} KB. Send something smaller.",
                    limit / 1024
                ),
            ));
        }
    };
    let sent = if multipart {
        multipart_csrf(&content_type, bytes.clone()).await
    } else {
        url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    if !tokens_match(&sent, expected) {
        return Err(error_page(StatusCode::FORBIDDEN, "This form has expired", "For your security, forms only work from the page that showed them. Go back, reload the page and try again."));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Pages that only partners may see, whose addresses are followed from emails and other
/// partners' messages: a signed-out visitor is asked to sign in, whether or not the page
/// exists (so the answer says nothing about what is there).
const MEMBER_PAGES: [&str; 7] = [
    "/events/",
    "/library/",
    "/attachments/",
    "/evidence/",
    "/collections/",
    "/plans",
    "/actions",
];

/// For a signed-out visitor's GET: "not found" on a partners' page becomes "Sign in to see
/// this page", and a redirect to the sign-in page comes back here afterwards.
fn ask_to_sign_in(state: &AppState, visitor: &Visitor, here: &str, resp: Response) -> Response {
    let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    let sign_in = format!("/sign-in?next={next}");
    let redirected_to_sign_in = resp.status().is_redirection()
        && resp
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            == Some("/sign-in");
    if redirected_to_sign_in {
        return Redirect::to(&sign_in).into_response();
    }
    let not_found = resp
        .extensions()
        .get::<ErrorPage>()
        .is_some_and(|p| p.status == StatusCode::NOT_FOUND);
    // A guest's registration is reached by its emailed key, not by signing in.
    let guest_page = visitor.path.starts_with("/events/registration");
    if !not_found || guest_page || !MEMBER_PAGES.iter().any(|p| visitor.path.starts_with(p)) {
        return resp;
    }
    let html = render(state, visitor, "sign_in_needed.html", context! { sign_in })
        .unwrap_or_else(|fallback| fallback);
    let mut resp = (StatusCode::UNAUTHORIZED, Html(html)).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn render_error_page(state: &AppState, visitor: &Visitor, mut resp: Response) -> Response {
    let Some(page) = resp.extensions_mut().remove::<ErrorPage>() else {
        return resp;
    };
    let html = render(
        state,
        visitor,
        "error.html",
        context! { title => page.title, message => page.message, status => page.status.as_u16() },
    )
    .unwrap_or_else(|fallback| fallback);
    let (mut parts, _) = resp.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// Renders a page with the context every page shares.
pub fn render(
    state: &AppState,
    visitor: &Visitor,
    name: &str,
    ctx: Value,
) -> Result<String, String> {
    let user = visitor.actor.as_ref().map(|a| {
        // The menu shows what the network's access rule allows.
        let access = NetworkAccess::of(a);
        context! {
            id => a.id(),
            name => a.user.name.clone(),
            role => a.role_label(),
            is_admin => access.may_administer(),
            can_decide => access.may_decide(),
        }
    });
    let full = context! {
        site => state.templates.site.clone(),
        user => user,
        csrf_token => visitor.csrf_token.clone(),
        path => visitor.path.clone(),
        ..ctx
    };
    state.templates.render(name, full).map_err(|e| {
        tracing::error!(error = %e, template = name, "template failed");
        "<!doctype html><title>Error</title><p>Sorry, there is a problem with the service.</p>"
            .to_string()
    })
}

pub fn page(state: &AppState, visitor: &Visitor, name: &str, ctx: Value) -> Response {
    page_with_status(state, visitor, StatusCode::OK, name, ctx)
}

pub fn page_with_status(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    name: &str,
    ctx: Value,
) -> Response {
    match render(state, visitor, name, ctx) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(fallback) => (StatusCode::INTERNAL_SERVER_ERROR, Html(fallback)).into_response(),
    }
}

/// The `csrf_token` part of a buffered multipart body (read with axum's own parser). Our
/// forms send it first, so only the start of the body is parsed: a large file after it is
/// neither read twice nor held to the parser's default size limit.
async fn multipart_csrf(content_type: &str, bytes: axum::body::Bytes) -> String {
    use axum::extract::FromRequest;
    let head = bytes.slice(..bytes.len().min(64 * 1024));
    let Ok(req) = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(head))
    else {
        return String::new();
    };
    let Ok(mut form) = axum::extract::Multipart::from_request(req, &()).await else {
        return String::new();
    };
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("csrf_token") {
            return field.text().await.unwrap_or_default();
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::multipart_csrf;

    fn run<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    fn body(boundary: &str, token: &str, rest: &[u8]) -> Vec<u8> {
        let mut b = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
        )
        .into_bytes();
        b.extend_from_slice(rest);
        b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        b
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any body under any content type: no panic, and a token only when a part named
        /// csrf_token holds it. Cases per run: 256.
        #[test]
        fn any_multipart_body_is_read_without_panic(
            content_type in prop_oneof![
                Just("multipart/form-data; boundary=XyZ".to_string()),
                "multipart/form-data; boundary=[ -~]{0,80}",
                "[ -~]{0,60}",
            ],
            bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        ) {
            let token = run(multipart_csrf(&content_type, bytes.clone().into()));
            if !String::from_utf8_lossy(&bytes).contains("csrf_token") {
                prop_assert_eq!(token, "");
            }
        }

        /// A well-formed upload gives back its token, whatever the file holds (even a line
        /// that looks like a boundary or a part). Cases per run: 256.
        #[test]
        fn a_well_formed_upload_gives_its_token(
            boundary in "[A-Za-z0-9'()+_,./:=?-]{1,60}",
            token in "[A-Za-z0-9_-]{1,64}",
            file in proptest::collection::vec(any::<u8>(), 0..2048),
        ) {
            let b = body(&boundary, &token, &file);
            let got = run(multipart_csrf(
                &format!("multipart/form-data; boundary=\"{boundary}\""),
                b.into(),
            ));
            prop_assert_eq!(got, token);
        }
    }
}
