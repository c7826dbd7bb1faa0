//! Managing places (network admins): the list with the add form, and editing one.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use lz_app::network::{PlaceInput, PlaceRecord};
use lz_app::{Actor, AppError};
use minijinja::Value;

use lz_app::context;

use super::kinds;
use crate::error::PageResult;
use crate::pages::{errors_ctx, form_again, notice_text, HtmlForm, NoticeQuery};
use crate::session::{page, page_with_status, SignedIn, Visitor};
use crate::AppState;

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
    let places = state.app.network().places_to_manage(actor).await?;
    let rows: Vec<_> = places
        .into_iter()
        .map(|p| {
            context! {
                id => p.id, name => p.name, slug => p.slug, kind => p.kind.label(), gss_code => p.gss_code,
            }
        })
        .collect();
    Ok(page_with_status(
        state,
        visitor,
        status,
        "admin/places.html",
        context! { places => rows, kinds => kinds(), ..extra },
    ))
}

pub(super) async fn create(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    HtmlForm(form): HtmlForm<PlaceInput>,
) -> PageResult {
    match state.app.network().save_place(&actor, None, &form).await {
        Ok(_) => Ok(Redirect::to("/admin/places?notice=saved").into_response()),
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

fn values(form: &PlaceInput) -> Value {
    context! {
        name => &form.name, slug => &form.slug, kind => &form.kind,
        gss_code => &form.gss_code, summary => &form.summary,
    }
}

fn record_values(place: PlaceRecord) -> Value {
    context! {
        name => place.name, slug => place.slug, kind => place.kind.code(),
        gss_code => place.gss_code.unwrap_or_default(), summary => place.summary,
    }
}

pub(super) async fn edit(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let place = state.app.network().place_to_edit(&actor, &id).await?;
    let values = record_values(place);
    let areas = area_codes(&state, &id).await?;
    Ok(page(
        &state,
        &visitor,
        "admin/place_form.html",
        context! { id, values, kinds => kinds(), areas },
    ))
}

/// The GSS codes of the areas a place covers, as the form shows them.
async fn area_codes(state: &AppState, place_id: &str) -> Result<String, AppError> {
    Ok(state
        .app
        .intelligence()
        .place_areas(place_id)
        .await?
        .iter()
        .map(|a| a.code.as_str().to_string())
        .collect::<Vec<_>>()
        .join(", "))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct AreasForm {
    #[serde(default)]
    areas: String,
}

/// Which areas (GSS codes) a place covers: its figures are theirs.
pub(super) async fn set_areas(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<AreasForm>,
) -> PageResult {
    match state
        .app
        .intelligence()
        .set_place_areas(&actor, &id, &form.areas)
        .await
    {
        Ok(()) => Ok(Redirect::to("/admin/places?notice=saved").into_response()),
        Err(AppError::Invalid(errs)) => {
            let place = state.app.network().place_to_edit(&actor, &id).await?;
            Ok(form_again(
                &state,
                &visitor,
                "admin/place_form.html",
                &errs,
                context! { id, values => record_values(place), kinds => kinds(), areas => form.areas },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn update(
    State(state): State<AppState>,
    SignedIn(actor, visitor): SignedIn,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<PlaceInput>,
) -> PageResult {
    match state
        .app
        .network()
        .save_place(&actor, Some(&id), &form)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/places?notice=saved").into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &state,
            &visitor,
            "admin/place_form.html",
            &errs,
            context! { id, values => values(&form), kinds => kinds(), areas => area_codes(&state, &id).await? },
        )),
        Err(e) => Err(e.into()),
    }
}
