//! Administration pages: places, organisations, people and roles (network admins), join
//! requests (organisation and network admins), the mail outbox and the audit log.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use lz_app::network::{OrganisationInput, PlaceInput};
use lz_app::{Actor, AppError};
use lz_domain::{PlaceKind, Role, Sector};
use minijinja::{context, Value};

use super::{errors_ctx, form_again, notice_text, HtmlForm, NoticeQuery};
use crate::error::PageResult;
use crate::session::{page, page_with_status, SignedIn, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/places", get(places).post(create_place))
        .route("/admin/places/{id}", get(edit_place).post(update_place))
        .route(
            "/admin/organisations",
            get(organisations).post(create_organisation),
        )
        .route(
            "/admin/organisations/{id}",
            get(edit_organisation).post(update_organisation),
        )
        .route("/admin/users", get(users))
        .route("/admin/users/{id}", get(user).post(set_role))
        .route("/admin/requests", get(requests))
        .route("/admin/requests/{id}", post(decide))
        .route("/admin/outbox", get(outbox))
        .route("/admin/audit", get(audit))
}

async fn index(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    if !actor.decides_join_requests() {
        return Err(AppError::Forbidden.into());
    }
    let pending = s.app.join_requests(&actor).await?.len();
    Ok(page(&s, &v, "admin/index.html", context! { pending }))
}

fn kinds() -> Vec<Value> {
    PlaceKind::ALL
        .iter()
        .map(|k| context! { value => k.code(), label => k.label() })
        .collect()
}

fn sectors() -> Vec<Value> {
    Sector::ALL
        .iter()
        .map(|k| context! { value => k.code(), label => k.label() })
        .collect()
}

async fn places(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    actor.require_network_admin()?;
    places_page(
        &s,
        &v,
        context! { notice => notice_text(q.notice.as_deref()) },
        StatusCode::OK,
    )
    .await
}

async fn places_page(s: &AppState, v: &Visitor, extra: Value, status: StatusCode) -> PageResult {
    let rows: Vec<_> = s.app.places().await?.into_iter().map(|p| context! {
        id => p.id, name => p.name, slug => p.slug, kind => PlaceKind::parse(&p.kind).map(|k| k.label()).unwrap_or(""), gss_code => p.gss_code,
    }).collect();
    Ok(page_with_status(
        s,
        v,
        status,
        "admin/places.html",
        context! { places => rows, kinds => kinds(), ..extra },
    ))
}

async fn create_place(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(f): HtmlForm<PlaceInput>,
) -> PageResult {
    match s.app.save_place(&actor, None, &f).await {
        Ok(_) => Ok(Redirect::to("/admin/places?notice=saved").into_response()),
        Err(AppError::Invalid(errs)) => {
            let (errors, error_for) = errors_ctx(&errs);
            places_page(
                &s,
                &v,
                context! { errors, error_for, values => place_values(&f) },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn place_values(f: &PlaceInput) -> Value {
    context! { name => f.name.clone(), slug => f.slug.clone(), kind => f.kind.clone(), gss_code => f.gss_code.clone(), summary => f.summary.clone() }
}

async fn edit_place(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    actor.require_network_admin()?;
    let p = s.app.place(&id).await?;
    let values = context! { name => p.name, slug => p.slug, kind => p.kind, gss_code => p.gss_code.unwrap_or_default(), summary => p.summary };
    Ok(page(
        &s,
        &v,
        "admin/place_form.html",
        context! { id, values, kinds => kinds() },
    ))
}

async fn update_place(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<PlaceInput>,
) -> PageResult {
    match s.app.save_place(&actor, Some(&id), &f).await {
        Ok(_) => Ok(Redirect::to("/admin/places?notice=saved").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "admin/place_form.html",
            &errs,
            context! { id, values => place_values(&f), kinds => kinds() },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn place_options(s: &AppState) -> Result<Vec<Value>, AppError> {
    Ok(s.app
        .places()
        .await?
        .into_iter()
        .map(|p| context! { value => p.id, label => p.name })
        .collect())
}

async fn organisations(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    actor.require_network_admin()?;
    organisations_page(
        &s,
        &v,
        context! { notice => notice_text(q.notice.as_deref()) },
        StatusCode::OK,
    )
    .await
}

async fn organisations_page(
    s: &AppState,
    v: &Visitor,
    extra: Value,
    status: StatusCode,
) -> PageResult {
    let rows: Vec<_> = s.app.organisations().await?.into_iter().map(|o| {
        let domains = o.domain_list().join(", ");
        context! { id => o.id, name => o.name, sector => Sector::parse(&o.sector).map(|k| k.label()).unwrap_or(""), place => o.place_name, domains }
    }).collect();
    Ok(page_with_status(
        s,
        v,
        status,
        "admin/organisations.html",
        context! { organisations => rows, sectors => sectors(), places => place_options(s).await?, ..extra },
    ))
}

fn org_values(f: &OrganisationInput) -> Value {
    context! { name => f.name.clone(), slug => f.slug.clone(), sector => f.sector.clone(), place_id => f.place_id.clone(), domains => f.domains.clone() }
}

async fn create_organisation(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(f): HtmlForm<OrganisationInput>,
) -> PageResult {
    match s.app.save_organisation(&actor, None, &f).await {
        Ok(_) => Ok(Redirect::to("/admin/organisations?notice=saved").into_response()),
        Err(AppError::Invalid(errs)) => {
            let (errors, error_for) = errors_ctx(&errs);
            organisations_page(
                &s,
                &v,
                context! { errors, error_for, values => org_values(&f) },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_organisation(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    actor.require_network_admin()?;
    let o = s.app.organisation(&id).await?;
    let values = context! { name => o.name.clone(), slug => o.slug.clone(), sector => o.sector.clone(), place_id => o.place_id.clone().unwrap_or_default(), domains => o.domain_list().join(", ") };
    Ok(page(
        &s,
        &v,
        "admin/organisation_form.html",
        context! { id, values, sectors => sectors(), places => place_options(&s).await? },
    ))
}

async fn update_organisation(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<OrganisationInput>,
) -> PageResult {
    match s.app.save_organisation(&actor, Some(&id), &f).await {
        Ok(_) => Ok(Redirect::to("/admin/organisations?notice=saved").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "admin/organisation_form.html",
            &errs,
            context! { id, values => org_values(&f), sectors => sectors(), places => place_options(&s).await? },
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct UserQuery {
    #[serde(default)]
    q: String,
    notice: Option<String>,
}

async fn users(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<UserQuery>,
) -> PageResult {
    let rows: Vec<_> = s.app.users(&actor, &q.q).await?.into_iter().map(|u| context! {
        id => u.id, name => u.name, email => u.email, role => u.role.parse::<Role>().map(|r| r.label()).unwrap_or(""), verified => u.email_verified_at.is_some(),
    }).collect();
    Ok(page(
        &s,
        &v,
        "admin/users.html",
        context! { users => rows, q => q.q, notice => notice_text(q.notice.as_deref()) },
    ))
}

fn roles() -> Vec<Value> {
    Role::ALL
        .iter()
        .map(|r| context! { value => r.code(), label => r.label() })
        .collect()
}

async fn user_page(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: &str,
    extra: Value,
    status: StatusCode,
) -> PageResult {
    let (u, memberships) = s.app.user(actor, id).await?;
    let memberships: Vec<_> = memberships
        .into_iter()
        .map(|m| context! { organisation => m.organisation_name, status => m.status, via => m.via })
        .collect();
    Ok(page_with_status(
        s,
        v,
        status,
        "admin/user.html",
        context! {
            person => context! { id => u.id, name => u.name, email => u.email, role => u.role, verified_at => u.email_verified_at, created_at => u.created_at },
            memberships, roles => roles(), ..extra
        },
    ))
}

async fn user(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    user_page(
        &s,
        &v,
        &actor,
        &id,
        context! { notice => notice_text(q.notice.as_deref()) },
        StatusCode::OK,
    )
    .await
}

#[derive(serde::Deserialize, Default)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn set_role(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<RoleForm>,
) -> PageResult {
    match s.app.set_role(&actor, &id, &f.role).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/users/{id}?notice=role-changed")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let (errors, error_for) = errors_ctx(&errs);
            user_page(
                &s,
                &v,
                &actor,
                &id,
                context! { errors, error_for },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn requests(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let rows: Vec<_> = s.app.join_requests(&actor).await?.into_iter().map(|m| context! {
        id => m.id, name => m.user_name, email => m.user_email, organisation => m.organisation_name, message => m.message, created_at => m.created_at,
    }).collect();
    Ok(page(
        &s,
        &v,
        "admin/requests.html",
        context! { requests => rows, notice => notice_text(q.notice.as_deref()) },
    ))
}

#[derive(serde::Deserialize, Default)]
struct DecisionForm {
    #[serde(default)]
    decision: String,
}

async fn decide(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<DecisionForm>,
) -> PageResult {
    let approve = match f.decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(AppError::field("decision", "Choose approve or decline").into()),
    };
    s.app.decide_join_request(&actor, &id, approve).await?;
    let notice = if approve { "approved" } else { "declined" };
    Ok(Redirect::to(&format!("/admin/requests?notice={notice}")).into_response())
}

async fn outbox(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    let rows = s.app.outbox(&actor, 100).await?;
    Ok(page(
        &s,
        &v,
        "admin/outbox.html",
        context! { messages => rows, smtp => s.app.config.smtp_url.is_some() },
    ))
}

async fn audit(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    let rows = s.app.audit_log(&actor, 200).await?;
    Ok(page(
        &s,
        &v,
        "admin/audit.html",
        context! { entries => rows },
    ))
}
