//! Account pages: sign up, confirm email, sign in and out, reset password, the account page
//! (memberships, joining an organisation, personal API tokens).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lz_app::accounts::SignUp;
use lz_app::AppError;
use minijinja::context;

use super::{errors_ctx, form_again, notice_text, HtmlForm, NoticeQuery};
use crate::error::PageResult;
use crate::session::{cookie, page, SignedIn, Visitor, SESSION_COOKIE};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-up", get(sign_up_form).post(sign_up))
        .route("/sign-up/check-email", get(check_email))
        .route("/verify", get(verify_form).post(verify))
        .route("/verify/resend", post(resend))
        .route("/sign-in", get(sign_in_form).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password/reset", get(reset_form).post(reset))
        .route("/account", get(account))
        .route("/account/join", post(join))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
}

async fn home(State(s): State<AppState>, v: Visitor, Query(q): Query<NoticeQuery>) -> PageResult {
    let (places, orgs) = {
        let p = s.app.places().await?;
        let o = s.app.organisations().await?;
        (p.len(), o.len())
    };
    let list = |rows: Vec<lz_app::library::ItemRecord>| -> Vec<minijinja::Value> {
        rows.into_iter()
            .map(|i| context! { id => i.id, title => i.title, summary => i.summary, organisation => i.organisation_name, published_at => i.published_at })
            .collect()
    };
    let actor = v.actor.as_ref();
    let newest = list(
        s.app
            .library()
            .list(actor, lz_app::library::ItemList::Newest, 6)
            .await?,
    );
    let featured = list(
        s.app
            .library()
            .list(actor, lz_app::library::ItemList::Featured, 3)
            .await?,
    );
    let events: Vec<minijinja::Value> = s
        .app
        .events()
        .upcoming(actor)
        .await?
        .into_iter()
        .filter(|e| e.status != lz_domain::events::EventStatus::Draft)
        .take(3)
        .map(|e| context! { id => e.id, title => e.title, when => lz_domain::events::display_range(e.starts_at, e.ends_at) })
        .collect();
    Ok(page(
        &s,
        &v,
        "home.html",
        context! { places => places, organisations => orgs, notice => notice_text(q.notice.as_deref()), newest, featured, events },
    ))
}

#[derive(serde::Deserialize, Default)]
struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

async fn sign_up_form(State(s): State<AppState>, v: Visitor) -> Response {
    page(&s, &v, "sign_up.html", context! {})
}

async fn sign_up(
    State(s): State<AppState>,
    v: Visitor,
    HtmlForm(f): HtmlForm<SignUpForm>,
) -> PageResult {
    let email = f.email.clone();
    match s
        .app
        .sign_up(SignUp {
            email: f.email,
            name: f.name.clone(),
            password: f.password,
        })
        .await
    {
        Ok(_) => Ok(Redirect::to("/sign-up/check-email").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "sign_up.html",
            &errs,
            context! { values => context! { email, name => f.name } },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn check_email(State(s): State<AppState>, v: Visitor) -> Response {
    page(&s, &v, "check_email.html", context! {})
}

#[derive(serde::Deserialize, Default)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// Shows a button rather than confirming on GET: mail scanners open links, and must not use them up.
async fn verify_form(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<TokenQuery>,
) -> Response {
    page(&s, &v, "verify.html", context! { token => q.token })
}

async fn verify(
    State(s): State<AppState>,
    v: Visitor,
    HtmlForm(f): HtmlForm<TokenQuery>,
) -> PageResult {
    match s.app.verify_email(&f.token).await {
        Ok(done) => Ok(page(
            &s,
            &v,
            "verify.html",
            context! { verified => true, joined => done.joined },
        )),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "verify.html",
            &errs,
            context! { failed => true },
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct EmailForm {
    #[serde(default)]
    email: String,
}

async fn resend(
    State(s): State<AppState>,
    v: Visitor,
    HtmlForm(f): HtmlForm<EmailForm>,
) -> PageResult {
    match s.app.resend_verification(&f.email).await {
        Ok(()) => Ok(Redirect::to("/sign-in?notice=verification-sent").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "verify.html",
            &errs,
            context! { failed => true },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn sign_in_form(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<NoticeQuery>,
) -> Response {
    if v.actor.is_some() {
        return Redirect::to("/account").into_response();
    }
    page(
        &s,
        &v,
        "sign_in.html",
        context! { notice => notice_text(q.notice.as_deref()) },
    )
}

#[derive(serde::Deserialize, Default)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn sign_in(
    State(s): State<AppState>,
    v: Visitor,
    HtmlForm(f): HtmlForm<SignInForm>,
) -> PageResult {
    let mut problems = lz_app::Problems::default();
    if f.email.trim().is_empty() {
        problems.add("email", "Enter your email address");
    }
    if f.password.is_empty() {
        problems.add("password", "Enter your password");
    }
    let result = match problems.into_result() {
        Ok(()) => s.app.sign_in(&f.email, &f.password, &v.client).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(user) => {
            // A fresh session id on every sign-in; the old one (if any) ends.
            if let Some(old) = &v.session_token {
                s.app.sign_out(old).await?;
            }
            let session = s.app.create_session(&user.id).await?;
            let mut r = Redirect::to("/account").into_response();
            r.headers_mut().append(
                header::SET_COOKIE,
                cookie(&s, SESSION_COOKIE, session.token, None),
            );
            Ok(r)
        }
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "sign_in.html",
            &errs,
            context! { values => context! { email => f.email } },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn sign_out(State(s): State<AppState>, v: Visitor) -> PageResult {
    if let Some(token) = &v.session_token {
        s.app.sign_out(token).await?;
    }
    let mut r = Redirect::to("/sign-in?notice=signed-out").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        cookie(&s, SESSION_COOKIE, String::new(), Some(0)),
    );
    Ok(r)
}

async fn forgot_form(State(s): State<AppState>, v: Visitor) -> Response {
    page(&s, &v, "password_forgot.html", context! {})
}

async fn forgot(
    State(s): State<AppState>,
    v: Visitor,
    HtmlForm(f): HtmlForm<EmailForm>,
) -> PageResult {
    match s.app.request_password_reset(&f.email, &v.client).await {
        Ok(()) => Ok(page(
            &s,
            &v,
            "password_forgot.html",
            context! { sent => true },
        )),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "password_forgot.html",
            &errs,
            context! { values => context! { email => f.email } },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn reset_form(
    State(s): State<AppState>,
    v: Visitor,
    Query(q): Query<TokenQuery>,
) -> Response {
    page(&s, &v, "password_reset.html", context! { token => q.token })
}

#[derive(serde::Deserialize, Default)]
struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

async fn reset(
    State(s): State<AppState>,
    v: Visitor,
    HtmlForm(f): HtmlForm<ResetForm>,
) -> PageResult {
    match s.app.reset_password(&f.token, &f.password).await {
        Ok(()) => Ok(Redirect::to("/sign-in?notice=password-reset").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "password_reset.html",
            &errs,
            context! { token => f.token },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn account(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    account_page(
        &s,
        &v,
        &actor,
        context! { notice => notice_text(q.notice.as_deref()) },
    )
    .await
}

async fn account_page(
    s: &AppState,
    v: &Visitor,
    actor: &lz_app::Actor,
    extra: minijinja::Value,
) -> PageResult {
    let organisations = s.app.organisations().await?;
    let tokens = s.app.api_tokens(actor).await?;
    let memberships: Vec<_> = actor.memberships.iter().map(|m| context! {
        organisation => m.organisation_name.clone(),
        place => m.place_name.clone(),
        status => m.status.clone(),
        status_label => lz_domain::MembershipStatus::parse(&m.status).map(|s| s.label()).unwrap_or(""),
        via => m.via.clone(),
    }).collect();
    let orgs: Vec<_> = organisations
        .iter()
        .map(|o| context! { id => o.id.clone(), name => o.name.clone() })
        .collect();
    let tokens: Vec<_> = tokens.iter().map(|t| context! { id => t.id.clone(), name => t.name.clone(), created_at => t.created_at, last_used_at => t.last_used_at, revoked => t.revoked_at.is_some() }).collect();
    Ok(page(
        s,
        v,
        "account.html",
        context! {
            account => context! { name => actor.user.name.clone(), email => actor.user.email.clone(), role => actor.role_label() },
            memberships, organisations => orgs, tokens, ..extra
        },
    ))
}

#[derive(serde::Deserialize, Default)]
struct JoinForm {
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    message: String,
}

async fn join(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(f): HtmlForm<JoinForm>,
) -> PageResult {
    let result = if f.organisation_id.trim().is_empty() {
        Err(AppError::field(
            "organisation_id",
            "Select the organisation you work for",
        ))
    } else {
        s.app
            .request_to_join(&actor, &f.organisation_id, &f.message)
            .await
    };
    match result {
        Ok(_) => Ok(Redirect::to("/account?notice=join-requested").into_response()),
        Err(AppError::Invalid(errs)) => {
            let (errors, error_for) = errors_ctx(&errs);
            account_page(&s, &v, &actor, context! { errors, error_for }).await
        }
        Err(AppError::Conflict(m)) => {
            let errs = vec![lz_app::FieldError {
                field: "organisation_id",
                message: m,
            }];
            let (errors, error_for) = errors_ctx(&errs);
            account_page(&s, &v, &actor, context! { errors, error_for }).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

async fn create_token(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(f): HtmlForm<TokenForm>,
) -> PageResult {
    match s.app.create_api_token(&actor, &f.name).await {
        Ok((_, token)) => account_page(&s, &v, &actor, context! { new_token => token }).await,
        Err(AppError::Invalid(errs)) => {
            let (errors, error_for) = errors_ctx(&errs);
            account_page(&s, &v, &actor, context! { errors, error_for }).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn revoke_token(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> PageResult {
    s.app.revoke_api_token(&actor, &id).await?;
    Ok(Redirect::to("/account?notice=token-revoked").into_response())
}
