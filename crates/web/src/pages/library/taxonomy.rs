//! The curators' pages: the managed taxonomy (add, rename, merge terms) and the searches
//! that found nothing.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::library::LibraryAccess;
use lz_app::AppError;
use lz_domain::library::Vocabulary;
use minijinja::Value;

use lz_app::context;

use crate::error::PageResult;
use crate::pages::{form_again, notice_text, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

pub(super) async fn taxonomy_page(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<crate::pages::NoticeQuery>,
) -> PageResult {
    LibraryAccess::require_curate(&actor)?;
    Ok(page(
        &s,
        &v,
        "library/taxonomy.html",
        taxonomy_ctx(&s, q.notice.as_deref()).await?,
    ))
}

async fn taxonomy_ctx(s: &AppState, notice: Option<&str>) -> Result<Value, AppError> {
    let terms = s.app.library().terms().await?;
    let vocabularies: Vec<Value> = Vocabulary::ALL
        .iter()
        .map(|voc| {
            let list: Vec<Value> = terms
                .iter()
                .filter(|t| t.vocabulary == *voc)
                .map(|t| context! { id => t.id, name => t.name, slug => t.slug, description => t.description, path => t.path() })
                .collect();
            context! { code => voc.code(), label => voc.label(), terms => list }
        })
        .collect();
    let notice = match notice {
        Some("term-created") => Some("The term has been added."),
        Some("term-renamed") => Some("The term has been renamed. Its address has not changed."),
        Some("term-merged") => {
            Some("The terms have been merged. Links to the old term lead to the new one.")
        }
        other => notice_text(other),
    };
    Ok(
        context! { vocabularies, notice, vocabulary_options => Vocabulary::ALL.iter().map(|v| context! { value => v.code(), label => v.label() }).collect::<Vec<_>>() },
    )
}

#[derive(serde::Deserialize)]
pub(super) struct TermForm {
    #[serde(default)]
    vocabulary: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    into: String,
}

/// After a taxonomy change: back to the list with a notice, or the list again with the problems.
async fn taxonomy_done(
    s: &AppState,
    v: &Visitor,
    result: Result<(), AppError>,
    notice: &str,
    values: Value,
) -> PageResult {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/taxonomy?notice={notice}")).into_response()),
        Err(AppError::Invalid(errs)) => {
            let ctx = taxonomy_ctx(s, None).await?;
            Ok(form_again(
                s,
                v,
                "library/taxonomy.html",
                &errs,
                context! { values, ..ctx },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn create_term(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(f): HtmlForm<TermForm>,
) -> PageResult {
    let result = s
        .app
        .library()
        .create_term(Some(&actor), &f.vocabulary, &f.name, &f.description)
        .await
        .map(|_| ());
    let values =
        context! { vocabulary => f.vocabulary, name => f.name, description => f.description };
    taxonomy_done(&s, &v, result, "term-created", values).await
}

pub(super) async fn rename_term(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<TermForm>,
) -> PageResult {
    let result = s
        .app
        .library()
        .rename_term(&actor, &id, &f.name, &f.description)
        .await;
    taxonomy_done(&s, &v, result, "term-renamed", context! {}).await
}

pub(super) async fn merge_term(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<TermForm>,
) -> PageResult {
    let result = s.app.library().merge_term(&actor, &id, &f.into).await;
    taxonomy_done(&s, &v, result, "term-merged", context! {}).await
}

pub(super) async fn search_gaps(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
) -> PageResult {
    let rows: Vec<Value> = s
        .app
        .search_gaps(&actor, 90)
        .await?
        .into_iter()
        .map(|m| context! { query => m.query, times => m.times, last_at => m.last_at })
        .collect();
    Ok(page(&s, &v, "library/gaps.html", context! { rows }))
}
