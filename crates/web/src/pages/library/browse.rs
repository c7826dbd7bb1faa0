//! Search and browsing: the library's search page with facets (learning items and published
//! evidence records, with the evidence's type and strength as facets when there are any),
//! the pages of a theme, agenda, audience, place or organisation (the same results with one
//! facet fixed, items only), the display names of facet values, and following a subject.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use lz_app::library::LibraryAccess;
use lz_app::AppError;
use lz_domain::evidence::EvidenceType;
use lz_domain::library::{ItemKind, Vocabulary};
use minijinja::Value;

use lz_app::context;

use crate::error::PageResult;
use crate::pages::HtmlForm;
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

#[derive(serde::Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: Vec<String>,
    #[serde(default)]
    pub theme: Vec<String>,
    #[serde(default)]
    pub agenda: Vec<String>,
    #[serde(default)]
    pub place: Vec<String>,
    #[serde(default)]
    pub organisation: Vec<String>,
    #[serde(default)]
    pub year: Vec<String>,
    /// Evidence type codes (`type=evaluation`), for evidence records.
    #[serde(default, rename = "type")]
    pub evidence_type: Vec<String>,
    /// Strength levels `1`..`5`, for evidence records.
    #[serde(default)]
    pub strength: Vec<String>,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: Option<String>,
}

impl SearchParams {
    pub fn request(&self) -> lz_search::SearchRequest {
        let q: String = self.q.chars().take(2_000).collect();
        let page = self
            .page
            .as_deref()
            .and_then(|p| p.trim().parse::<usize>().ok())
            .unwrap_or(1)
            .clamp(1, 500);
        let sort = match self.sort.as_str() {
            "newest" => lz_search::Sort::Newest,
            "relevance" => lz_search::Sort::Relevance,
            _ if q.trim().is_empty() => lz_search::Sort::Newest,
            _ => lz_search::Sort::Relevance,
        };
        let clean = |v: &[String]| {
            v.iter()
                .map(|s| s.trim().chars().take(100).collect::<String>())
                .filter(|s| !s.is_empty())
                .take(20)
                .collect::<Vec<_>>()
        };
        lz_search::SearchRequest {
            text: q,
            filters: lz_search::Filters {
                kind: clean(&self.kind),
                theme: clean(&self.theme),
                agenda: clean(&self.agenda),
                place: clean(&self.place),
                organisation: clean(&self.organisation),
                evidence_type: clean(&self.evidence_type),
                strength: clean(&self.strength),
                items_only: false,
                audience: vec![],
                year: self
                    .year
                    .iter()
                    .filter_map(|y| y.trim().parse().ok())
                    .take(20)
                    .collect(),
            },
            sort,
            page,
            per_page: 20,
        }
    }
}

/// Display names for facet values (slugs and codes).
pub struct Names {
    pub terms: BTreeMap<(String, String), String>,
    pub places: BTreeMap<String, String>,
    pub organisations: BTreeMap<String, String>,
}

/// Display names with the moment they were read.
pub type CachedNames = (std::time::Instant, std::sync::Arc<Names>);

/// How long display names are reused: a renamed term shows its new name within this.
const LABELS_FOR: std::time::Duration = std::time::Duration::from_secs(10);

pub async fn names(s: &AppState) -> Result<std::sync::Arc<Names>, AppError> {
    if let Ok(cache) = s.labels.lock() {
        if let Some((at, names)) = cache.as_ref() {
            if at.elapsed() < LABELS_FOR {
                return Ok(names.clone());
            }
        }
    }
    let fresh = std::sync::Arc::new(read_names(s).await?);
    if let Ok(mut cache) = s.labels.lock() {
        *cache = Some((std::time::Instant::now(), fresh.clone()));
    }
    Ok(fresh)
}

async fn read_names(s: &AppState) -> Result<Names, AppError> {
    Ok(Names {
        terms: s
            .app
            .library()
            .terms()
            .await?
            .into_iter()
            .map(|t| ((t.vocabulary.code().to_string(), t.slug), t.name))
            .collect(),
        places: s
            .app
            .network()
            .places()
            .await?
            .into_iter()
            .map(|p| (p.slug, p.name))
            .collect(),
        organisations: s
            .app
            .network()
            .organisations()
            .await?
            .into_iter()
            .map(|o| (o.slug, o.name))
            .collect(),
    })
}

impl Names {
    pub fn label(&self, facet: &str, value: &str) -> String {
        let found = match facet {
            "kind" if value == lz_search::EVIDENCE_KIND => Some("Evidence".to_string()),
            "kind" => ItemKind::parse(value).map(|k| k.label().to_string()),
            "type" => EvidenceType::parse(value).map(|t| t.label().to_string()),
            "strength" => Some(format!("Level {value}")),
            "theme" | "agenda" => self
                .terms
                .get(&(facet.to_string(), value.to_string()))
                .cloned(),
            "place" => self.places.get(value).cloned(),
            "organisation" => self.organisations.get(value).cloned(),
            _ => None,
        };
        found.unwrap_or_else(|| value.to_string())
    }
}

/// One result: an item (linked to `/library/{id}`), or an evidence record (its claim linked
/// to `/evidence/{evidence_id}`, with a line "Type · Level N · places" as `evidence`).
pub(super) fn hit_ctx(h: &lz_search::Hit, names: &Names) -> Value {
    let evidence_id = h.evidence_id();
    let evidence = evidence_id.map(|_| {
        let mut line: Vec<String> = Vec::new();
        if let Some(t) = &h.evidence_type {
            line.push(names.label("type", t));
        }
        if let Some(level) = h.strength {
            line.push(names.label("strength", &level.to_string()));
        }
        let places: Vec<String> = h.places.iter().map(|p| names.label("place", p)).collect();
        if !places.is_empty() {
            line.push(places.join(", "));
        }
        line.join(" · ")
    });
    context! {
        id => h.id, evidence_id, title => h.title, kind => names.label("kind", &h.kind), evidence,
        published_at => h.published_at, snippet => Value::from_safe_string(h.snippet_html.clone()),
    }
}

/// The facets of a result page with each value's display name and whether it is chosen;
/// a page's fixed facet is left out.
fn facets_ctx(
    results: &lz_search::SearchResults,
    selected: &lz_search::Filters,
    names: &Names,
    fixed: Option<&str>,
) -> Vec<Value> {
    let facet = |name: &str, counts: &[lz_search::FacetCount], chosen: &[String]| {
        let values: Vec<Value> = counts
            .iter()
            .map(|c| {
                context! {
                    value => c.value, count => c.count, label => names.label(name, &c.value),
                    checked => chosen.iter().any(|x| x == &c.value),
                }
            })
            .collect();
        context! { name => name, values => values }
    };
    let years: Vec<String> = selected.year.iter().map(|y| y.to_string()).collect();
    let f = &results.facets;
    // Levels read in their order (1 to 5), not by how many records each has.
    let mut strengths = f.strength.clone();
    strengths.sort_by(|a, b| a.value.cmp(&b.value));
    [
        ("kind", facet("kind", &f.kind, &selected.kind)),
        ("theme", facet("theme", &f.theme, &selected.theme)),
        ("agenda", facet("agenda", &f.agenda, &selected.agenda)),
        ("place", facet("place", &f.place, &selected.place)),
        (
            "organisation",
            facet("organisation", &f.organisation, &selected.organisation),
        ),
        ("year", facet("year", &f.year, &years)),
        (
            "type",
            facet("type", &f.evidence_type, &selected.evidence_type),
        ),
        (
            "strength",
            facet("strength", &strengths, &selected.strength),
        ),
    ]
    .into_iter()
    .filter(|(name, _)| Some(*name) != fixed)
    .map(|(_, value)| value)
    .collect()
}

/// The query string without `page` (nor a page's fixed facet), for the pagination links.
fn base_query(params: &SearchParams, selected: &lz_search::Filters, fixed: Option<&str>) -> String {
    let mut qs: Vec<(String, String)> = vec![("q".into(), params.q.clone())];
    for (k, vals) in [
        ("kind", &selected.kind),
        ("theme", &selected.theme),
        ("agenda", &selected.agenda),
        ("place", &selected.place),
        ("organisation", &selected.organisation),
        ("type", &selected.evidence_type),
        ("strength", &selected.strength),
    ] {
        if fixed == Some(k) {
            continue;
        }
        qs.extend(vals.iter().map(|x| (k.to_string(), x.clone())));
    }
    qs.extend(
        selected
            .year
            .iter()
            .map(|y| ("year".to_string(), y.to_string())),
    );
    if !params.sort.is_empty() {
        qs.push(("sort".into(), params.sort.clone()));
    }
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(qs.iter())
        .finish()
}

/// Search results as a page: the library, and the item lists of theme, place and
/// organisation pages (a fixed filter added).
async fn results_ctx(
    s: &AppState,
    v: &Visitor,
    params: &SearchParams,
    fixed: Option<(&str, String)>,
) -> Result<Value, AppError> {
    let mut req = params.request();
    // A theme, agenda, place or organisation page lists learning items (a place's page shows
    // its evidence apart); the search page holds evidence records too.
    req.filters.items_only = fixed.is_some();
    if let Some((facet, value)) = &fixed {
        let list = match *facet {
            "theme" => &mut req.filters.theme,
            "agenda" => &mut req.filters.agenda,
            "place" => &mut req.filters.place,
            _ => &mut req.filters.organisation,
        };
        list.clear();
        list.push(value.clone());
    }
    let selected = req.filters.clone();
    let page_no = req.page;
    let results = s.app.search(v.actor.as_ref(), req).await?;
    let names = names(s).await?;
    let fixed_facet = fixed.as_ref().map(|(f, _)| *f);
    let facets = facets_ctx(&results, &selected, &names, fixed_facet);
    let per_page = 20usize;
    let pages = results.total.div_ceil(per_page).clamp(1, 500);
    let hits: Vec<Value> = results.hits.iter().map(|h| hit_ctx(h, &names)).collect();
    let corrected: Vec<Value> = results
        .corrected
        .iter()
        .map(|(a, b)| context! { typed => a, meant => b })
        .collect();
    let base_qs = base_query(params, &selected, fixed_facet);
    // How many filters the reader chose (a place's own page fixes one, which is not a choice).
    let f = &selected;
    let filtered = f.kind.len()
        + f.theme.len()
        + f.agenda.len()
        + f.audience.len()
        + f.place.len()
        + f.organisation.len()
        + f.year.len()
        + f.evidence_type.len()
        + f.strength.len()
        + usize::from(!params.sort.is_empty())
        - usize::from(fixed.is_some());
    Ok(context! {
        q => params.q, sort => params.sort, total => results.total, hits, facets, corrected, filtered,
        page => page_no, pages, base_qs,
        prev_page => (page_no > 1).then(|| page_no - 1),
        next_page => (page_no < pages).then(|| page_no + 1),
    })
}

pub(super) async fn search_page(
    State(s): State<AppState>,
    v: Visitor,
    axum_extra::extract::Query(params): axum_extra::extract::Query<SearchParams>,
) -> PageResult {
    let results = results_ctx(&s, &v, &params, None).await?;
    let can_write = v.actor.as_ref().is_some_and(LibraryAccess::may_write);
    Ok(page(
        &s,
        &v,
        "library/search.html",
        context! { results, can_write },
    ))
}

#[derive(serde::Deserialize)]
pub(super) struct FollowForm {
    #[serde(default)]
    subject_type: String,
    #[serde(default)]
    subject_id: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    back: String,
}

pub(super) async fn follow(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    HtmlForm(f): HtmlForm<FollowForm>,
) -> PageResult {
    s.app
        .library()
        .set_follow(&actor, &f.subject_type, &f.subject_id, f.on == "1")
        .await?;
    // Only a local path is followed back, so the form cannot redirect elsewhere.
    let back = if f.back.starts_with('/') && !f.back.starts_with("//") && !f.back.contains('\\') {
        f.back
    } else {
        "/library/mine".into()
    };
    Ok(Redirect::to(&back).into_response())
}

async fn following(
    s: &AppState,
    v: &Visitor,
    subject_type: &str,
    subject_id: &str,
) -> Result<bool, AppError> {
    Ok(match &v.actor {
        Some(a) => s.app.library().follows(a, subject_type, subject_id).await?,
        None => false,
    })
}

async fn term_page(
    s: AppState,
    v: Visitor,
    vocab: Vocabulary,
    slug: String,
    params: SearchParams,
) -> PageResult {
    let term = s.app.library().term_by_slug(vocab, &slug).await?;
    if term.slug != slug {
        // A merged term: its old address leads to the term it became part of.
        return Ok(
            Redirect::permanent(&format!("/{}s/{}", vocab.code(), term.slug)).into_response(),
        );
    }
    let results = results_ctx(&s, &v, &params, Some((vocab.code(), term.slug.clone()))).await?;
    let is_following = following(&s, &v, "term", &term.id).await?;
    Ok(page(
        &s,
        &v,
        "library/browse.html",
        context! {
            heading => term.name, description => term.description, kind => vocab.label(),
            subject_type => "term", subject_id => term.id, following => is_following,
            feed => (vocab == Vocabulary::Theme).then(|| format!("/themes/{}/feed.atom", term.slug)),
            path_here => format!("/{}s/{}", vocab.code(), term.slug), results,
        },
    ))
}

/// The page of one term of `vocab` (`/themes/{slug}`, `/agendas/{slug}`, `/audiences/{slug}`).
pub(super) fn term_route(vocab: Vocabulary) -> axum::routing::MethodRouter<AppState> {
    get(
        move |State(s): State<AppState>,
              v: Visitor,
              Path(slug): Path<String>,
              axum_extra::extract::Query(p): axum_extra::extract::Query<SearchParams>| {
            term_page(s, v, vocab, slug, p)
        },
    )
}

pub(super) async fn place_page(
    State(s): State<AppState>,
    v: Visitor,
    Path(slug): Path<String>,
    uri: axum::http::Uri,
    axum_extra::extract::Query(p): axum_extra::extract::Query<SearchParams>,
) -> PageResult {
    // Every signed-out visitor sees the same place page (public content, no filters, no
    // notice): kept for a few seconds (`App::anonymous_page`).
    let ticket = if v.actor.is_none() && uri.query().is_none() {
        match s.app.anonymous_page(uri.path()) {
            Ok(html) => {
                return Ok((
                    [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    axum::body::Bytes::from_owner(KeptPage(html)),
                )
                    .into_response())
            }
            Err(ticket) => Some(ticket),
        }
    } else {
        None
    };
    let response = place_page_fresh(&s, &v, slug, &p).await?;
    match ticket {
        Some(ticket) if response.status() == axum::http::StatusCode::OK => {
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, 16 << 20)
                .await
                .map_err(|e| AppError::internal(format!("reading the page: {e}")))?;
            s.app.keep_anonymous_page(
                ticket,
                uri.path().to_string(),
                std::sync::Arc::new(bytes.to_vec()),
            );
            Ok(axum::response::Response::from_parts(
                parts,
                axum::body::Body::from(bytes),
            ))
        }
        _ => Ok(response),
    }
}

/// A kept page's bytes, handed to the response without copying them.
struct KeptPage(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for KeptPage {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

async fn place_page_fresh(s: &AppState, v: &Visitor, slug: String, p: &SearchParams) -> PageResult {
    let place = s
        .app
        .network()
        .places()
        .await?
        .into_iter()
        .find(|x| x.slug == slug)
        .ok_or(AppError::NotFound)?;
    let in_place: Vec<_> = s
        .app
        .network()
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.place_id.as_ref() == Some(&place.id))
        .collect();
    // The coming events run by the place's organisations, as the reader may see them.
    let events: Vec<Value> = s
        .app
        .events()
        .upcoming(v.actor.as_ref())
        .await?
        .into_iter()
        .filter(|e| in_place.iter().any(|o| o.id.as_str() == e.organisation_id.as_str()))
        .filter(|e| e.status != lz_domain::events::EventStatus::Draft)
        .take(5)
        .map(|e| context! { id => e.id, title => e.title, when => lz_domain::events::display_range(e.starts_at, e.ends_at) })
        .collect();
    let organisations = in_place
        .into_iter()
        .map(|o| context! { name => o.name, path => format!("/organisations/{}", o.slug) })
        .collect();
    // The delivery plan work this place delivers, in plans the reader may see.
    let work = s
        .app
        .plans()
        .delivered_by_place(v.actor.as_ref(), place.id.as_str())
        .await?
        .into_iter()
        .map(|w| {
            context! {
                title => w.work_area_title, plan_title => w.plan_title,
                path => format!("/plans/{}#wa-{}", w.plan_id, w.work_area_id),
                rag => w.rag, start => w.start_date, end => w.end_date,
            }
        })
        .collect();
    // Published evidence about the place, as the reader may see it.
    let filter = lz_app::evidence::EvidenceFilter {
        place: place.id.as_str().to_string(),
        ..Default::default()
    };
    let mut about: Vec<_> = s
        .app
        .evidence()
        .list(v.actor.as_ref(), &filter)
        .await?
        .records
        .into_iter()
        .filter(|r| r.status == lz_domain::evidence::EvidenceStatus::Published)
        .collect();
    about.sort_by_key(|r| std::cmp::Reverse(r.published_at));
    let evidence = about
        .into_iter()
        .take(5)
        .map(|r| context! { id => r.id, claim => r.claim })
        .collect();
    // The place's narratives (collections of evidence telling its story), as the reader may see them.
    let narratives = s
        .app
        .advocacy()
        .narratives_of_place(v.actor.as_ref(), place.id.as_str())
        .await?
        .into_iter()
        .map(|c| context! { id => c.id, title => c.title, summary => c.summary, status => c.status.label() })
        .collect();
    let figures = Some(
        crate::pages::intelligence::read::place_figures_block(s, place.id.as_str(), &place.name)
            .await?,
    );
    let subject = Subject {
        facet: "place",
        kind: "Place",
        id: place.id.into_string(),
        slug: place.slug,
        heading: place.name,
        description: place.summary,
        path: "places",
        organisations,
        place: None,
        events,
        work,
        evidence,
        narratives,
        figures,
    };
    browse_page(s, v, p, subject).await
}

pub(super) async fn organisation_page(
    State(s): State<AppState>,
    v: Visitor,
    Path(slug): Path<String>,
    axum_extra::extract::Query(p): axum_extra::extract::Query<SearchParams>,
) -> PageResult {
    let org = s
        .app
        .network()
        .organisations()
        .await?
        .into_iter()
        .find(|x| x.slug == slug)
        .ok_or(AppError::NotFound)?;
    let place = match &org.place_id {
        Some(id) => s
            .app
            .network()
            .places()
            .await?
            .into_iter()
            .find(|p| &p.id == id)
            .map(|p| context! { name => p.name, path => format!("/places/{}", p.slug) }),
        None => None,
    };
    let subject = Subject {
        facet: "organisation",
        kind: "Organisation",
        id: org.id.into_string(),
        slug: org.slug,
        heading: org.name,
        description: String::new(),
        path: "organisations",
        organisations: Vec::new(),
        place,
        events: Vec::new(),
        work: Vec::new(),
        evidence: Vec::new(),
        narratives: Vec::new(),
        figures: None,
    };
    browse_page(&s, &v, &p, subject).await
}

/// What a place or organisation page is about.
struct Subject {
    /// The search facet (and follow subject type) it fixes.
    facet: &'static str,
    kind: &'static str,
    id: String,
    slug: String,
    heading: String,
    description: String,
    /// The first part of its address.
    path: &'static str,
    /// A place's organisations (name and path).
    organisations: Vec<Value>,
    /// An organisation's place (name and path).
    place: Option<Value>,
    /// A place's coming events (id, title, when).
    events: Vec<Value>,
    /// The plan work areas a place delivers (title, plan, status).
    work: Vec<Value>,
    /// Published evidence about a place (id, claim), the newest first.
    evidence: Vec<Value>,
    /// A place's narratives (id, title, summary, status).
    narratives: Vec<Value>,
    /// A place's figures: its key indicators against England (`intelligence::read`).
    figures: Option<Value>,
}

async fn browse_page(s: &AppState, v: &Visitor, p: &SearchParams, subject: Subject) -> PageResult {
    let results = results_ctx(s, v, p, Some((subject.facet, subject.slug.clone()))).await?;
    let is_following = following(s, v, subject.facet, &subject.id).await?;
    Ok(page(
        s,
        v,
        "library/browse.html",
        context! {
            heading => subject.heading, description => subject.description, kind => subject.kind,
            subject_type => subject.facet, subject_id => subject.id, following => is_following,
            path_here => format!("/{}/{}", subject.path, subject.slug), results,
            organisations => subject.organisations, place => subject.place, events => subject.events,
            work => subject.work, evidence => subject.evidence, narratives => subject.narratives,
            figures => subject.figures,
        },
    ))
}
