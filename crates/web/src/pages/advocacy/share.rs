//! Share links: a curator makes one (the link is shown once, on the page the form returns)
//! or withdraws one; a link's holder, who needs no account, reads the pack's page and
//! downloads its files. A withdrawn or expired link answers 410 and says only that.

use axum::extract::{Path, State};
use lz_app::advocacy::{PackFormat, ShareInput};
use lz_app::context;
use lz_app::AppError;

use super::read::{collection_ctx, download, shares_ctx};
use crate::error::PageResult;
use crate::pages::{form_again, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;
use axum::response::{IntoResponse, Redirect};

pub(super) async fn create(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(input): HtmlForm<ShareInput>,
) -> PageResult {
    match s.app.advocacy().share(&actor, &id, &input).await {
        Ok(link) => {
            let view = s.app.advocacy().collection(Some(&actor), &id).await?;
            Ok(page(
                &s,
                &v,
                "advocacy/shared_created.html",
                context! { c => collection_ctx(&view, true), link },
            ))
        }
        Err(AppError::Invalid(errs)) => {
            let view = s.app.advocacy().collection(Some(&actor), &id).await?;
            let a = view.access;
            Ok(form_again(
                &s,
                &v,
                "advocacy/show.html",
                &errs,
                context! {
                                    c => collection_ctx(&view, a.may_oversee()), may_edit => a.may_edit(),
                                    may_publish => a.may_publish(), may_share => a.may_share(), may_oversee => a.may_oversee(),
                shares => shares_ctx(&s, &actor, &id).await?,
                                    share_values => input,
                                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn revoke(
    State(s): State<AppState>,
    SignedIn(actor, _): SignedIn,
    Path((id, link)): Path<(String, String)>,
) -> PageResult {
    s.app.advocacy().revoke_share(&actor, &id, &link).await?;
    Ok(Redirect::to(&format!("/collections/{id}?notice=revoked#share-links")).into_response())
}

pub(super) async fn open(
    State(s): State<AppState>,
    v: Visitor,
    Path(token): Path<String>,
) -> PageResult {
    let shared = s.app.advocacy().open_share(&token, true).await?;
    let mut r = page(
        &s,
        &v,
        "advocacy/shared.html",
        context! { c => collection_ctx(&shared.view, false), token, expires_at => shared.expires_at },
    );
    // The link is for the people it was sent to: not for search engines, not kept by caches.
    let h = r.headers_mut();
    h.insert(
        "x-robots-tag",
        axum::http::HeaderValue::from_static("noindex, nofollow"),
    );
    h.insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("private, no-store"),
    );
    Ok(r)
}

async fn pack(s: AppState, token: String, format: PackFormat) -> PageResult {
    Ok(download(
        s.app.advocacy().shared_pack(&token, format).await?,
    ))
}

pub(super) async fn pack_docx(State(s): State<AppState>, Path(token): Path<String>) -> PageResult {
    pack(s, token, PackFormat::Docx).await
}
pub(super) async fn pack_pdf(State(s): State<AppState>, Path(token): Path<String>) -> PageResult {
    pack(s, token, PackFormat::Pdf).await
}
pub(super) async fn pack_pptx(State(s): State<AppState>, Path(token): Path<String>) -> PageResult {
    pack(s, token, PackFormat::Pptx).await
}
