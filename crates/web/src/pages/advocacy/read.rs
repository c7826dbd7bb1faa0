//! Reading collections: the list, one collection with its pack (sections, numbered claims,
//! what was left out and why, share links for curators), its history, and the pack's files.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lz_app::advocacy::{CollectionView, PackFile, PackFormat};
use lz_app::context;
use lz_domain::advocacy::audience_label;
use minijinja::Value;

use super::super::evidence::read::record_ctx;
use crate::error::PageResult;
use crate::pages::{notice_text, HtmlQuery, NoticeQuery};
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

/// A collection as the pages show it (the share page too: `oversee` adds what only
/// curators and moderators see).
pub(super) fn collection_ctx(v: &CollectionView, oversee: bool) -> Value {
    let c = &v.collection;
    let sections: Vec<Value> = v
        .sections
        .iter()
        .map(|s| {
            context! {
                id => s.id, heading => s.heading,
                paragraphs => s.body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>(),
                entries => s.entries.iter().map(|e| context! { number => e.number, record => record_ctx(&e.record),
                    figure => lz_domain::advocacy::figure(e.record.measure.value.as_deref(), &e.record.measure.unit) }).collect::<Vec<_>>(),
                chosen => s.chosen.iter().map(|(id, claim)| context! { id, claim }).collect::<Vec<_>>(),
            }
        })
        .collect();
    context! {
        id => c.id, kind => c.kind.code(), kind_label => c.kind.label(), title => c.title, summary => c.summary,
        ask_paragraphs => c.ask.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>(),
        audience => c.audience.code(), audience_label => audience_label(c.audience),
        status => c.status.code(), status_label => c.status.label(), version => c.version,
        updated_at => c.updated_at, place => c.place, work_area => c.work_area, organisation => c.organisation,
        sections, record_count => v.record_count(),
        agendas => v.agendas, places => v.places,
        events => v.events.iter().map(|(id, title)| context! { id, title }).collect::<Vec<_>>(),
        curators => if oversee { v.curators.iter().map(|p| context! { name => p.name }).collect::<Vec<_>>() } else { vec![] },
        left_out => if oversee { context::to_value(&v.left_out) } else { Value::from(Vec::<Value>::new()) },
    }
}

pub(super) async fn list(State(s): State<AppState>, v: Visitor) -> PageResult {
    let list = s.app.advocacy().list(v.actor.as_ref()).await?;
    let may_create = lz_app::advocacy::CollectionAccess::general(v.actor.as_ref()).may_create();
    let collections: Vec<Value> = list
        .iter()
        .map(|c| {
            context! {
                id => c.id, title => c.title, summary => c.summary, kind_label => c.kind.label(),
                status => c.status.code(), status_label => c.status.label(), place => c.place,
                work_area => c.work_area, updated_at => c.updated_at,
            }
        })
        .collect();
    Ok(page(
        &s,
        &v,
        "advocacy/list.html",
        context! { collections, may_create },
    ))
}

fn collection_notice(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "created" => "Collection started. Add its sections, then choose the evidence for each.",
        "saved" => "Saved.",
        "section-added" => "Section added.",
        "evidence-added" => "Evidence added to the section.",
        "published" => "Published: its audience can now read it.",
        "unpublished" => "Back to draft: only curators, moderators and network admins can read it.",
        "revoked" => "Share link withdrawn: it now says the pack has been withdrawn.",
        other => return notice_text(Some(other)),
    })
}

pub(super) async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<NoticeQuery>,
) -> PageResult {
    let view = s.app.advocacy().collection(v.actor.as_ref(), &id).await?;
    let a = view.access;
    let shares = match (&v.actor, a.may_oversee()) {
        (Some(actor), true) => shares_ctx(&s, actor, &id).await?,
        _ => vec![],
    };
    Ok(page(
        &s,
        &v,
        "advocacy/show.html",
        context! {
            c => collection_ctx(&view, a.may_oversee()), notice => collection_notice(q.notice.as_deref()),
            may_edit => a.may_edit(), may_publish => a.may_publish(), may_share => a.may_share(),
            may_oversee => a.may_oversee(), shares,
        },
    ))
}

/// A collection's share links as its page lists them (for those who oversee it).
pub(super) async fn shares_ctx(
    s: &AppState,
    actor: &lz_app::Actor,
    id: &str,
) -> Result<Vec<Value>, lz_app::AppError> {
    use lz_domain::advocacy::{share_state, ShareState};
    let now = s.app.now();
    Ok(s.app
        .advocacy()
        .share_links(actor, id)
        .await?
        .into_iter()
        .map(|l| {
            let state = share_state(l.revoked_at, l.expires_at, now);
            context! {
                id => l.id, label => l.label, created_by_name => l.created_by_name, created_at => l.created_at,
                expires_at => l.expires_at, revoked_at => l.revoked_at, views => l.views,
                last_viewed_at => l.last_viewed_at,
                open => state == ShareState::Open,
                state_label => match state {
                    ShareState::Open => "Open",
                    ShareState::Revoked => "Withdrawn",
                    ShareState::Expired => "Expired",
                },
            }
        })
        .collect())
}

pub(super) async fn history(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let (view, versions) = s.app.advocacy().history(&actor, &id).await?;
    let versions: Vec<Value> = versions
        .iter()
        .map(|ver| {
            context! {
                version => ver.version, changed_by => ver.changed_by, note => ver.note, created_at => ver.created_at,
                changes => ver.changes.iter().map(|(field, parts)| context! { field, parts => context::to_value(parts) }).collect::<Vec<_>>(),
            }
        })
        .collect();
    Ok(page(
        &s,
        &v,
        "advocacy/history.html",
        context! { c => collection_ctx(&view, true), versions },
    ))
}

/// A pack file as a download.
pub(super) fn download(f: PackFile) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", f.file_name);
    (
        [
            (header::CONTENT_TYPE, f.content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        f.bytes,
    )
        .into_response()
}

async fn pack(s: AppState, v: Visitor, id: String, format: PackFormat) -> PageResult {
    let f = s.app.advocacy().pack(v.actor.as_ref(), &id, format).await?;
    Ok(download(f))
}

pub(super) async fn pack_docx(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> PageResult {
    pack(s, v, id, PackFormat::Docx).await
}
pub(super) async fn pack_pdf(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> PageResult {
    pack(s, v, id, PackFormat::Pdf).await
}
pub(super) async fn pack_pptx(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> PageResult {
    pack(s, v, id, PackFormat::Pptx).await
}
