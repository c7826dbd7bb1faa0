//! Reading the evidence bank: the list (filters by agenda, place, type and strength from
//! the query string, with counts), one record's page, and the CSV download.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use lz_app::context;
use lz_app::evidence::{EvidenceFilter, EvidenceRecord, EvidenceSource, FacetCount};
use lz_domain::evidence::NESTA_LEVELS;
use minijinja::Value;

use crate::error::PageResult;
use crate::pages::{notice_text, HtmlQuery, NoticeQuery};
use crate::session::{page, Visitor};
use crate::AppState;

/// A record as the pages show it.
pub(crate) fn record_ctx(r: &EvidenceRecord) -> Value {
    let names = |l: &[lz_app::evidence::EvidenceLink]| {
        l.iter()
            .map(|x| context! { id => x.id, name => x.name, slug => x.slug })
            .collect::<Vec<_>>()
    };
    let source = match &r.source {
        EvidenceSource::Item {
            item_id,
            title,
            locator,
        } => {
            context! { kind => "item", item_id, title, locator }
        }
        EvidenceSource::External {
            title,
            publisher,
            date,
            url,
            licence,
        } => {
            context! { kind => "external", title, publisher, date, url, licence }
        }
    };
    context! {
        id => r.id, claim => r.claim, measure => r.measure, source,
        evidence_type => r.evidence_type.label(), strength => r.strength.level(), strength_label => r.strength.label(),
        consent_to_quote => r.consent_to_quote, visibility => r.visibility.label(),
        status => r.status.code(), status_label => r.status.label(),
        created_by_name => r.created_by_name, checked_by_name => r.checked_by_name, checked_at => r.checked_at,
        published_at => r.published_at,
        agendas => names(&r.agendas), places => names(&r.places), organisations => names(&r.organisations),
    }
}

fn facets(list: &[FacetCount]) -> Vec<Value> {
    list.iter().map(|f| context! { value => f.value, label => f.label, count => f.count, chosen => f.chosen }).collect()
}

pub(super) async fn list(
    State(s): State<AppState>,
    v: Visitor,
    HtmlQuery(filter): HtmlQuery<EvidenceFilter>,
) -> PageResult {
    let view = s.app.evidence().list(v.actor.as_ref(), &filter).await?;
    let records: Vec<Value> = view.records.iter().map(record_ctx).collect();
    Ok(page(
        &s,
        &v,
        "evidence/list.html",
        context! {
            records, may_record => view.access.may_record(),
            csv_query => serde_html_form::to_string(&filter).unwrap_or_default(),
            agendas => facets(&view.agendas), places => facets(&view.places),
            types => facets(&view.types), strengths => facets(&view.strengths),
            filter => context! { agenda => filter.agenda, place => filter.place, type => filter.evidence_type, strength => filter.strength },
            levels => NESTA_LEVELS.iter().map(|(n, l)| context! { level => n, label => l }).collect::<Vec<_>>(),
        },
    ))
}

fn evidence_notice(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "created" => {
            "Your evidence has been saved as a draft. A moderator checks it before it is published."
        }
        "checked" => "Checked: the evidence can now be published.",
        "published" => "Published: readers can now see this evidence.",
        other => return notice_text(Some(other)),
    })
}

pub(super) async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    HtmlQuery(q): HtmlQuery<NoticeQuery>,
) -> PageResult {
    let view = s.app.evidence().get(v.actor.as_ref(), &id).await?;
    let a = view.access;
    let collections: Vec<Value> = s
        .app
        .advocacy()
        .citing(v.actor.as_ref(), &id)
        .await?
        .into_iter()
        .map(|c| context! { id => c.id, title => c.title, kind => c.kind.label() })
        .collect();
    let tags =
        crate::pages::intelligence::tags::tags_ctx(&s, "evidence", &id, a.may_edit()).await?;
    Ok(page(
        &s,
        &v,
        "evidence/show.html",
        context! {
            record => record_ctx(&view.record), notice => evidence_notice(q.notice.as_deref()), collections,
            may_edit => a.may_edit(), may_check => a.may_check(), may_publish => a.may_publish(), ..tags
        },
    ))
}

pub(super) async fn csv(
    State(s): State<AppState>,
    v: Visitor,
    HtmlQuery(filter): HtmlQuery<EvidenceFilter>,
) -> PageResult {
    let body = s.app.evidence().csv(v.actor.as_ref(), &filter).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"evidence.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
