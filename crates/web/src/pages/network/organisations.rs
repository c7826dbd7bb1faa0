//! Managing organisations and their verified email domains (network admins): the list
//! with the add form, and editing one.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use lz_app::network::{NetworkAccess, OrganisationInput, OrganisationRecord};
use lz_app::{Actor, AppError};
use minijinja::Value;

use lz_app::context;

use super::sectors;
use crate::error::PageResult;
use crate::pages::{errors_ctx, form_again, notice_text, HtmlForm, NoticeQuery};
use crate::session::{page, page_with_status, SignedIn, Visitor};
use crate::AppState;

/// The places, as select options.
async fn place_options(state: &AppState) -> Result<Vec<Value>, AppError> {
    Ok(state
        .app
        .network()
        .places()
        .await?
        .into_iter()
        .map(|p| context! { value => p.id, label => p.name })
        .collect())
}

pub(super) async fn list(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Query(query): Query<NoticeQuery>,
) -> PageResult {
    let notice = notice_text(query.notice.as_deref());
    list_page(
        &state,
        &visitor,
        &actor,
        context! { notice },
        StatusCode::OK,
    )
    .await
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    extra: Value,
    status: StatusCode,
) -> PageResult {
    let list = state.app.network().organisations_to_manage(actor).await?;
    let rows: Vec<_> = list
        .organisations
        .iter()
        .map(|o| {
            let domains = domains_text(o, list.access);
            context! { id => &o.id, name => &o.name, sector => o.sector.label(), place => &o.place_name, domains }
        })
        .collect();
    Ok(page_with_status(
        state,
        visitor,
        status,
        "admin/organisations.html",
        context! { organisations => rows, sectors => sectors(), places => place_options(state).await?, ..extra },
    ))
}

fn domains_text(organisation: &OrganisationRecord, access: NetworkAccess) -> String {
    organisation
        .domains_for(access)
        .unwrap_or_default()
        .join(", ")
}

fn values(form: &OrganisationInput) -> Value {
    context! {
        name => &form.name, slug => &form.slug, sector => &form.sector,
        place_id => &form.place_id, domains => &form.domains,
    }
}

pub(super) async fn create(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    HtmlForm(form): HtmlForm<OrganisationInput>,
) -> PageResult {
    match state
        .app
        .network()
        .save_organisation(&actor, None, &form)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/organisations?notice=saved").into_response()),
        Err(AppError::Invalid(errs)) => {
            let (errors, error_for) = errors_ctx(&errs);
            let extra = context! { errors, error_for, values => values(&form) };
            list_page(
                &state,
                &visitor,
                &actor,
                extra,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn edit(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let network = state.app.network();
    let edit = network.organisation_to_edit(&actor, &id).await?;
    let organisation = &edit.organisation;
    let values = context! {
        name => &organisation.name, slug => &organisation.slug, sector => organisation.sector.code(),
        place_id => organisation.place_id.as_deref().unwrap_or_default(),
        domains => domains_text(organisation, edit.access),
    };
    Ok(page(
        &state,
        &visitor,
        "admin/organisation_form.html",
        context! { id, values, sectors => sectors(), places => place_options(&state).await? },
    ))
}

pub(super) async fn update(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<OrganisationInput>,
) -> PageResult {
    let network = state.app.network();
    match network.save_organisation(&actor, Some(&id), &form).await {
        Ok(_) => Ok(Redirect::to("/admin/organisations?notice=saved").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "admin/organisation_form.html",
            &errs,
            context! { id, values => values(&form), sectors => sectors(), places => place_options(&state).await? },
        )),
        Err(e) => Err(e.into()),
    }
}
