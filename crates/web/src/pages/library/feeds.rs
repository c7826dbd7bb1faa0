//! Atom feeds: new public learning, and per theme.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use lz_app::library::ItemList;
use lz_app::Context;
use lz_domain::library::Vocabulary;
use minijinja::Value;

use lz_app::context;

use crate::error::PageResult;
use crate::AppState;

fn rfc3339(ms: i64) -> String {
    lz_domain::dates::rfc3339(ms / 1000).unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

async fn atom(s: &AppState, title: String, self_path: String, term_id: Option<&str>) -> PageResult {
    let rows = s
        .app
        .library()
        .list(None, ItemList::PublicFeed { term_id }, 50)
        .await?;
    let base = s.app.config.base_url.to_string();
    let updated = rows
        .iter()
        .filter_map(|r| r.published_at)
        .max()
        .unwrap_or(0);
    let entries: Vec<Value> = rows
        .iter()
        .map(|r| context! {
            id => r.id, title => r.title, summary => r.summary,
            published => rfc3339(r.published_at.unwrap_or(r.created_at)), updated => rfc3339(r.updated_at),
            organisation => r.organisation_name,
        })
        .collect();
    let xml = s.templates.render("library/feed.xml", context! {
        site => s.templates.site.clone(), title, base, self_path, updated => rfc3339(updated), entries,
    }).context("feed template")?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

pub(super) async fn feed(State(s): State<AppState>) -> PageResult {
    let title = format!("{}: new learning", s.app.config.site_name);
    atom(&s, title, "feed.atom".into(), None).await
}

pub(super) async fn theme_feed(State(s): State<AppState>, Path(slug): Path<String>) -> PageResult {
    let term = s
        .app
        .library()
        .term_by_slug(Vocabulary::Theme, &slug)
        .await?;
    let title = format!("{}: {}", s.app.config.site_name, term.name);
    atom(
        &s,
        title,
        format!("themes/{}/feed.atom", term.slug),
        Some(&term.id),
    )
    .await
}
