//! An item's page (with "more like this" and schema.org metadata), its history, and what
//! a reader does from it: mark it, feature it, delete it.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use lz_app::library::{ItemView, SECTIONS};
use lz_app::AppError;
use lz_domain::library::{ItemKind, ItemStatus, Mark, Visibility};
use minijinja::Value;

use lz_app::context;

use super::browse::{hit_ctx, names};
use crate::error::PageResult;
use crate::pages::{notice_text, HtmlForm};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

#[derive(serde::Deserialize, Default)]
pub(super) struct ItemQuery {
    notice: Option<String>,
}

fn item_notice(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "item-created" => {
            "Your draft has been saved. Add files, then submit it for review when it is ready."
        }
        "submitted" => "Submitted for review. A moderator or place lead will look at it.",
        "approved" => "Approved: the item is published.",
        "sent_back" => "Sent back to the author with your comment.",
        "withdrawn" => "The item has been withdrawn.",
        "reopened" => "The item is a draft again.",
        "attached" => "The file has been added. Its text will be searchable in a moment.",
        "attachment-removed" => "The file has been removed.",
        "marked" => "Thank you: your mark has been saved.",
        other => return notice_text(Some(other)),
    })
}

pub fn item_ctx(s: &AppState, view: &ItemView) -> Value {
    let i = &view.item;
    let access = view.access;
    let sections: Vec<Value> = SECTIONS
        .iter()
        .filter_map(|(field, heading)| {
            let text = i.section(field);
            (!text.trim().is_empty()).then(|| context! { heading => heading, html => Value::from_safe_string(s.markdown.render(text).to_string()) })
        })
        .collect();
    let terms: Vec<Value> = view
        .terms
        .iter()
        .map(|t| context! { vocabulary => t.vocabulary, slug => t.slug, name => t.name, path => t.path() })
        .collect();
    let attachments: Vec<Value> = view
        .attachments
        .iter()
        .map(|a| {
            context! {
                id => a.id, name => a.file_name, size => human_size(a.size_bytes),
                kind => a.kind.label(),
                text_status => a.text_status.code(),
            }
        })
        .collect();
    context! {
        id => i.id, title => i.title, summary => i.summary, kind => i.kind.label(),
        status => i.status.code(), status_label => i.status.label(),
        visibility => i.visibility.label(),
        visibility_code => i.visibility.code(),
        organisation => i.organisation_name, organisation_slug => i.organisation_slug,
        place => i.place_name, place_slug => i.place_slug,
        published_at => i.published_at, updated_at => i.updated_at, version => i.version,
        body_html => Value::from_safe_string(s.markdown.render(&i.body_md).to_string()),
        sections, terms, attachments,
        authors => view.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
        links => view.links.iter().map(|l| context! { url => l.url, title => l.title }).collect::<Vec<_>>(),
        reviews => view.reviews.iter().map(|r| context! { decision => r.decision.code(), comment => r.comment, by => r.decided_by_name, at => r.created_at }).collect::<Vec<_>>(),
        useful_count => view.useful_count,
        marked_useful => view.marked(Mark::Useful),
        bookmarked => view.marked(Mark::Bookmark),
        can_edit => access.may_edit(), can_review => access.may_decide_now(), can_submit => access.may_submit(),
        can_withdraw => access.may_withdraw(), can_reopen => access.may_reopen(),
        featured => i.featured,
        original_date => i.original_date.map(|d| d.to_string()),
        licence => i.licence.map(|l| context! { label => l.label(), url => l.url() }),
        citation => cite_ctx(s, view),
    }
}

/// "Cite this": APA (its title set apart, for italics) and Harvard, for published items.
fn cite_ctx(s: &AppState, view: &ItemView) -> Option<Value> {
    if view.item.status != ItemStatus::Published {
        return None;
    }
    let c = view.citation(s.app.config.base_url.as_str(), s.app.now());
    let (before, title, after) = c.apa_parts();
    Some(
        context! { apa_before => before, apa_title => title, apa_after => after, harvard => c.harvard() },
    )
}

/// A reference manager's record of the item, as RIS.
pub(super) async fn cite_ris(s: State<AppState>, v: Visitor, id: Path<String>) -> PageResult {
    cite_file(s, v, id, "ris").await
}

/// A reference manager's record of the item, as BibTeX.
pub(super) async fn cite_bib(s: State<AppState>, v: Visitor, id: Path<String>) -> PageResult {
    cite_file(s, v, id, "bib").await
}

/// Anyone who may read the item may cite it.
async fn cite_file(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    ext: &str,
) -> PageResult {
    let view = s.app.library().item(v.actor.as_ref(), &id).await?;
    let c = view.citation(s.app.config.base_url.as_str(), s.app.now());
    let (content_type, body) = if ext == "ris" {
        ("application/x-research-info-systems", c.ris())
    } else {
        ("application/x-bibtex; charset=utf-8", c.bibtex())
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"learning-zone-{}.{ext}\"",
                    view.item.id
                ),
            ),
        ],
        body,
    )
        .into_response())
}

fn human_size(bytes: i64) -> String {
    if bytes >= 1_048_576 {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// schema.org metadata for a public, published item, safe inside a script element.
fn json_ld(s: &AppState, view: &ItemView) -> Option<String> {
    let i = &view.item;
    if i.visibility != Visibility::Public || i.status != ItemStatus::Published {
        return None;
    }
    // The original publication date where there is one (a year, a month or a day, as ISO
    // 8601 allows), else the day it was published here.
    let published = i.original_date.map(|d| d.to_string()).or_else(|| {
        i.published_at
            .and_then(|ms| lz_domain::dates::rfc3339(ms / 1000))
    });
    let cited = view.citation(s.app.config.base_url.as_str(), s.app.now());
    let doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": i.title,
        "description": i.summary,
        "genre": i.kind.label(),
        "url": format!("{}library/{}", s.app.config.base_url, i.id),
        "datePublished": published,
        "author": cited.authors.iter().map(|a| serde_json::json!({"@type": "Person", "familyName": a.family, "givenName": a.given, "name": if a.given.is_empty() { a.family.clone() } else { format!("{} {}", a.given, a.family) }})).collect::<Vec<_>>(),
        "license": i.licence.and_then(|l| l.url()),
        "copyrightNotice": i.licence.map(|l| l.label()),
        "publisher": {"@type": "Organization", "name": i.organisation_name},
        "spatialCoverage": i.place_name,
        "keywords": view.terms.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join(", "),
    });
    // `<` is escaped so that no text can close the script element.
    Some(
        doc.to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
    )
}

pub(super) async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<ItemQuery>,
) -> PageResult {
    let view = s.app.library().item(v.actor.as_ref(), &id).await?;
    let names = names(&s).await?;
    let more: Vec<Value> = if view.item.status == ItemStatus::Published {
        s.app
            .more_like_this(v.actor.as_ref(), &id)
            .await?
            .iter()
            .map(|h| hit_ctx(h, &names))
            .collect()
    } else {
        vec![]
    };
    let ld = json_ld(&s, &view).map(Value::from_safe_string);
    let from_event = if view.item.kind == ItemKind::EventMaterial {
        s.app
            .events()
            .event_of_item(v.actor.as_ref(), &id.as_str().into())
            .await?
            .map(|(id, title)| context! { id, title })
    } else {
        None
    };
    let is_moderator = view.access.may_feature();
    let evidence: Vec<Value> = s
        .app
        .evidence()
        .from_item(v.actor.as_ref(), &id)
        .await?
        .iter()
        .map(|r| context! { id => r.id, claim => r.claim, strength => r.strength.level(), evidence_type => r.evidence_type.label() })
        .collect();
    let may_record_evidence =
        lz_app::evidence::EvidenceAccess::general(v.actor.as_ref()).may_record();
    let tags =
        crate::pages::intelligence::tags::tags_ctx(&s, "library", &id, view.access.may_edit())
            .await?;
    Ok(page(
        &s,
        &v,
        "library/item.html",
        context! { item => item_ctx(&s, &view), more, json_ld => ld, notice => item_notice(q.notice.as_deref()), is_moderator, from_event, evidence, may_record_evidence, ..tags },
    ))
}

pub(super) async fn history(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> PageResult {
    let (view, versions) = s.app.library().history(v.actor.as_ref(), &id).await?;
    let versions: Vec<Value> = versions
        .into_iter()
        .map(|ver| context! {
            version => ver.version, status => ver.status.label(),
            by => ver.changed_by, at => ver.created_at,
            changes => ver.changes.into_iter().map(|(field, parts)| context! { field => field, parts => lz_app::context::to_value(&parts) }).collect::<Vec<_>>(),
        })
        .collect();
    Ok(page(
        &s,
        &v,
        "library/history.html",
        context! { item => item_ctx(&s, &view), versions },
    ))
}

#[derive(serde::Deserialize)]
pub(super) struct MarkForm {
    #[serde(default)]
    mark: String,
    #[serde(default)]
    on: String,
}

pub(super) async fn mark(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<MarkForm>,
) -> PageResult {
    let Some(m) = Mark::parse(&f.mark) else {
        return Err(AppError::field("mark", "Choose useful or bookmark").into());
    };
    s.app
        .library()
        .set_mark(&actor, &id, m, f.on == "1")
        .await?;
    Ok(Redirect::to(&format!("/library/{id}?notice=marked")).into_response())
}

#[derive(serde::Deserialize)]
pub(super) struct OnForm {
    #[serde(default)]
    on: String,
}

pub(super) async fn feature(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<OnForm>,
) -> PageResult {
    s.app
        .library()
        .set_featured(&actor, &id, f.on == "1")
        .await?;
    Ok(Redirect::to(&format!("/library/{id}?notice=saved")).into_response())
}

pub(super) async fn delete(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    s.app.library().delete(&actor, &id).await?;
    Ok(Redirect::to("/library/mine?notice=deleted").into_response())
}
