//! Learning library pages: search and browse (facets), an item's page, writing and editing,
//! the review workflow, attachments, history, marks, follows, theme/place/organisation pages,
//! Atom feeds, and the curators' taxonomy and search-gap pages.

use lz_app::Context;
use std::collections::BTreeMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lz_app::library::{ItemInput, ItemView, SECTIONS};
use lz_app::{Actor, AppError};
use lz_domain::library::{ItemKind, ItemStatus, Mark, Transition, Visibility, Vocabulary};
use lz_store::library::ItemList;
use minijinja::{context, Value};

use super::{form_again, notice_text, HtmlForm};
use crate::error::PageResult;
use crate::session::{page, SignedIn, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/library", get(search_page))
        .route("/library/new", get(new_form).post(create))
        .route("/library/mine", get(mine))
        .route("/library/review", get(review_queue))
        .route("/library/{id}", get(show))
        .route("/library/{id}/edit", get(edit_form).post(update))
        .route("/library/{id}/workflow", post(workflow))
        .route("/library/{id}/history", get(history))
        .route("/library/{id}/marks", post(mark))
        .route("/library/{id}/feature", post(feature))
        .route("/library/{id}/delete", post(delete))
        .route(
            "/library/{id}/attachments",
            post(upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/attachments/{id}", get(download))
        .route("/attachments/{id}/delete", post(remove_attachment))
        .route("/follow", post(follow))
        .route("/themes/{slug}", term_route(Vocabulary::Theme))
        .route("/agendas/{slug}", term_route(Vocabulary::Agenda))
        .route("/audiences/{slug}", term_route(Vocabulary::Audience))
        .route("/themes/{slug}/feed.atom", get(theme_feed))
        .route("/places/{slug}", get(place_page))
        .route("/organisations/{slug}", get(organisation_page))
        .route("/feed.atom", get(feed))
        .route("/admin/taxonomy", get(taxonomy).post(create_term))
        .route("/admin/taxonomy/{id}", post(rename_term))
        .route("/admin/taxonomy/{id}/merge", post(merge_term))
        .route("/admin/search-gaps", get(search_gaps))
}

// ---------- search and browse ----------

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
            .terms()
            .await?
            .into_iter()
            .map(|t| ((t.vocabulary, t.slug), t.name))
            .collect(),
        places: s
            .app
            .places()
            .await?
            .into_iter()
            .map(|p| (p.slug, p.name))
            .collect(),
        organisations: s
            .app
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
            "kind" => ItemKind::parse(value).map(|k| k.label().to_string()),
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

fn hit_ctx(h: &lz_search::Hit, names: &Names) -> Value {
    context! {
        id => h.id, title => h.title, kind => names.label("kind", &h.kind),
        published_at => h.published_at, snippet => Value::from_safe_string(h.snippet_html.clone()),
    }
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
    let mut facets = vec![
        facet("kind", &results.facets.kind, &selected.kind),
        facet("theme", &results.facets.theme, &selected.theme),
        facet("agenda", &results.facets.agenda, &selected.agenda),
        facet("place", &results.facets.place, &selected.place),
        facet(
            "organisation",
            &results.facets.organisation,
            &selected.organisation,
        ),
        facet("year", &results.facets.year, &years),
    ];
    if let Some((fixed_facet, _)) = &fixed {
        facets.retain(|f| {
            f.get_attr("name")
                .ok()
                .and_then(|n| n.as_str().map(String::from))
                .as_deref()
                != Some(*fixed_facet)
        });
    }
    let per_page = 20usize;
    let pages = results.total.div_ceil(per_page).clamp(1, 500);
    let hits: Vec<Value> = results.hits.iter().map(|h| hit_ctx(h, &names)).collect();
    let corrected: Vec<Value> = results
        .corrected
        .iter()
        .map(|(a, b)| context! { typed => a, meant => b })
        .collect();
    // The query string without `page`, for the pagination links.
    let mut qs: Vec<(String, String)> = vec![("q".into(), params.q.clone())];
    for (k, vals) in [
        ("kind", &selected.kind),
        ("theme", &selected.theme),
        ("agenda", &selected.agenda),
        ("place", &selected.place),
        ("organisation", &selected.organisation),
    ] {
        if fixed.as_ref().is_some_and(|(f, _)| *f == k) {
            continue;
        }
        qs.extend(vals.iter().map(|x| (k.to_string(), x.clone())));
    }
    qs.extend(years.iter().map(|y| ("year".to_string(), y.clone())));
    if !params.sort.is_empty() {
        qs.push(("sort".into(), params.sort.clone()));
    }
    let base_qs = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(qs.iter())
        .finish();
    Ok(context! {
        q => params.q, sort => params.sort, total => results.total, hits, facets, corrected,
        page => page_no, pages, base_qs,
        prev_page => (page_no > 1).then(|| page_no - 1),
        next_page => (page_no < pages).then(|| page_no + 1),
    })
}

async fn search_page(
    State(s): State<AppState>,
    v: Visitor,
    axum_extra::extract::Query(params): axum_extra::extract::Query<SearchParams>,
) -> PageResult {
    let results = results_ctx(&s, &v, &params, None).await?;
    let can_write = v.actor.as_ref().is_some_and(may_write);
    Ok(page(
        &s,
        &v,
        "library/search.html",
        context! { results, can_write },
    ))
}

fn may_write(a: &Actor) -> bool {
    a.contributes()
}

// ---------- writing ----------

fn kinds() -> Vec<Value> {
    ItemKind::ALL
        .iter()
        .map(|k| context! { value => k.code(), label => k.label() })
        .collect()
}

fn visibilities() -> Vec<Value> {
    Visibility::ALL
        .iter()
        .map(|k| context! { value => k.code(), label => k.label() })
        .collect()
}

/// The form's option lists: the writer's organisations (all for moderators), places, terms.
async fn form_options(
    s: &AppState,
    actor: &Actor,
    chosen_terms: &[String],
) -> Result<Value, AppError> {
    let organisations = super::own_organisation_options(s, actor).await?;
    let places: Vec<Value> = s
        .app
        .places()
        .await?
        .into_iter()
        .map(|p| context! { value => p.id, label => p.name })
        .collect();
    let terms = s.app.terms().await?;
    let vocab = |voc: Vocabulary| -> Vec<Value> {
        terms
            .iter()
            .filter(|t| t.vocabulary == voc.code())
            .map(|t| context! { value => t.id, label => t.name, checked => chosen_terms.contains(&t.id) })
            .collect()
    };
    Ok(context! {
        kinds => kinds(), visibilities => visibilities(), organisations, places,
        themes => vocab(Vocabulary::Theme), agendas => vocab(Vocabulary::Agenda), audiences => vocab(Vocabulary::Audience),
        sections => SECTIONS.iter().map(|(f, h)| context! { field => f, heading => h }).collect::<Vec<_>>(),
    })
}

fn input_values(i: &ItemInput) -> Value {
    context! {
        kind => i.kind, title => i.title, summary => i.summary, context => i.context, what_we_did => i.what_we_did,
        what_we_learned => i.what_we_learned, do_differently => i.do_differently, outcomes => i.outcomes,
        contacts => i.contacts, body_md => i.body_md, organisation_id => i.organisation_id, place_id => i.place_id,
        visibility => i.visibility, authors => i.authors, links => i.links,
    }
}

async fn new_form(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    if !may_write(&actor) {
        return Err(AppError::Forbidden.into());
    }
    let first_org = actor
        .active_organisation_ids()
        .into_iter()
        .next()
        .unwrap_or_default();
    let values = input_values(&ItemInput {
        visibility: "network".into(),
        organisation_id: first_org,
        ..Default::default()
    });
    Ok(page(
        &s,
        &v,
        "library/form.html",
        context! { options => form_options(&s, &actor, &[]).await?, values, action => "/library/new" },
    ))
}

/// The item form as posted: the term checkboxes come as repeated `terms` fields.
async fn read_item_form(body: axum::body::Bytes) -> Result<ItemInput, Response> {
    serde_html_form::from_bytes::<ItemInput>(&body).map_err(|e| {
        crate::error::error_page(
            StatusCode::BAD_REQUEST,
            "This form could not be read",
            format!("Check what you entered and try again ({e})."),
        )
    })
}

async fn create(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    body: axum::body::Bytes,
) -> PageResult {
    let input = match read_item_form(body).await {
        Ok(i) => i,
        Err(r) => return Ok(r),
    };
    match s.app.create_item(&actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/library/{id}?notice=item-created")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "library/form.html",
            &errs,
            context! { options => form_options(&s, &actor, &input.terms).await?, values => input_values(&input), action => "/library/new" },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let view = s.app.item(Some(&actor), &id).await?;
    if !view.can_edit {
        return Err(AppError::Forbidden.into());
    }
    let i = &view.item;
    let term_ids: Vec<String> = view.terms.iter().map(|t| t.term_id.clone()).collect();
    let input = ItemInput {
        kind: i.kind.clone(),
        title: i.title.clone(),
        summary: i.summary.clone(),
        context: i.context.clone(),
        what_we_did: i.what_we_did.clone(),
        what_we_learned: i.what_we_learned.clone(),
        do_differently: i.do_differently.clone(),
        outcomes: i.outcomes.clone(),
        contacts: i.contacts.clone(),
        body_md: i.body_md.clone(),
        organisation_id: i.organisation_id.clone(),
        place_id: i.place_id.clone().unwrap_or_default(),
        visibility: i.visibility.clone(),
        terms: term_ids.clone(),
        authors: view
            .authors
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        links: view
            .links
            .iter()
            .map(|l| format!("{} {}", l.url, l.title))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    Ok(page(
        &s,
        &v,
        "library/form.html",
        context! { options => form_options(&s, &actor, &term_ids).await?, values => input_values(&input), action => format!("/library/{id}/edit"), editing => true, title => i.title },
    ))
}

async fn update(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let input = match read_item_form(body).await {
        Ok(i) => i,
        Err(r) => return Ok(r),
    };
    match s.app.update_item(&actor, &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/library/{id}?notice=saved")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(form_again(
            &s,
            &v,
            "library/form.html",
            &errs,
            context! { options => form_options(&s, &actor, &input.terms).await?, values => input_values(&input), action => format!("/library/{id}/edit"), editing => true },
        )),
        Err(e) => Err(e.into()),
    }
}

// ---------- an item ----------

#[derive(serde::Deserialize, Default)]
struct ItemQuery {
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
    let status = ItemStatus::parse(&i.status);
    let sections: Vec<Value> = SECTIONS
        .iter()
        .filter_map(|(field, heading)| {
            let text = match *field {
                "context" => &i.context,
                "what_we_did" => &i.what_we_did,
                "what_we_learned" => &i.what_we_learned,
                "do_differently" => &i.do_differently,
                "outcomes" => &i.outcomes,
                _ => &i.contacts,
            };
            (!text.trim().is_empty()).then(|| context! { heading => heading, html => Value::from_safe_string(s.markdown.render(text).to_string()) })
        })
        .collect();
    let terms: Vec<Value> = view
        .terms
        .iter()
        .map(|t| context! { vocabulary => t.vocabulary, slug => t.slug, name => t.name, path => format!("/{}s/{}", t.vocabulary, t.slug) })
        .collect();
    let attachments: Vec<Value> = view
        .attachments
        .iter()
        .map(|a| {
            context! {
                id => a.id, name => a.file_name, size => human_size(a.size_bytes),
                kind => lz_files::FileKind::parse(&a.kind).map(|k| k.label()).unwrap_or("File"),
                text_status => a.text_status,
            }
        })
        .collect();
    context! {
        id => i.id, title => i.title, summary => i.summary, kind => ItemKind::parse(&i.kind).map(|k| k.label()).unwrap_or(""),
        status => i.status, status_label => status.map(|s| s.label()).unwrap_or(""),
        visibility => Visibility::parse(&i.visibility).map(|v| v.label()).unwrap_or(""),
        visibility_code => i.visibility,
        organisation => i.organisation_name, organisation_slug => i.organisation_slug,
        place => i.place_name, place_slug => i.place_slug,
        published_at => i.published_at, updated_at => i.updated_at, version => i.version,
        body_html => Value::from_safe_string(s.markdown.render(&i.body_md).to_string()),
        sections, terms, attachments,
        authors => view.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
        links => view.links.iter().map(|l| context! { url => l.url, title => l.title }).collect::<Vec<_>>(),
        reviews => view.reviews.iter().map(|r| context! { decision => r.decision, comment => r.comment, by => r.decided_by_name, at => r.created_at }).collect::<Vec<_>>(),
        useful_count => view.useful_count,
        marked_useful => view.my_marks.iter().any(|m| m == "useful"),
        bookmarked => view.my_marks.iter().any(|m| m == "bookmark"),
        can_edit => view.can_edit, can_review => view.can_review, can_submit => view.can_submit, can_withdraw => view.can_withdraw,
        can_reopen => view.can_edit && status == Some(ItemStatus::Withdrawn),
        featured => i.featured == 1,
    }
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
    if i.visibility != "public" || i.status != "published" {
        return None;
    }
    let published = i
        .published_at
        .and_then(|ms| lz_domain::dates::rfc3339(ms / 1000));
    let doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": i.title,
        "description": i.summary,
        "genre": ItemKind::parse(&i.kind).map(|k| k.label()),
        "url": format!("{}library/{}", s.app.config.base_url, i.id),
        "datePublished": published,
        "author": view.authors.iter().map(|a| serde_json::json!({"@type": "Person", "name": a.name})).collect::<Vec<_>>(),
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

async fn show(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<ItemQuery>,
) -> PageResult {
    let view = s.app.item(v.actor.as_ref(), &id).await?;
    let names = names(&s).await?;
    let more: Vec<Value> = if view.item.status == "published" {
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
    let from_event = if view.item.kind == ItemKind::EventMaterial.code() {
        s.app
            .event_of_item(v.actor.as_ref(), &id)
            .await?
            .map(|(id, title)| context! { id, title })
    } else {
        None
    };
    let is_moderator = v.actor.as_ref().is_some_and(|a| a.sees_all_content());
    Ok(page(
        &s,
        &v,
        "library/item.html",
        context! { item => item_ctx(&s, &view), more, json_ld => ld, notice => item_notice(q.notice.as_deref()), is_moderator, from_event },
    ))
}

#[derive(serde::Deserialize)]
struct WorkflowForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    comment: String,
}

async fn workflow(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<WorkflowForm>,
) -> PageResult {
    let Some(t) = Transition::parse(&f.action) else {
        return Err(AppError::field("action", "Choose what to do with the item").into());
    };
    match s.app.transition(&actor, &id, t, &f.comment).await {
        Ok(_) => {
            let code = match t {
                Transition::Submit => "submitted",
                Transition::Approve => "approved",
                Transition::SendBack => "sent_back",
                Transition::Withdraw => "withdrawn",
                Transition::Reopen => "reopened",
            };
            s.app.wake_mailer();
            Ok(Redirect::to(&format!("/library/{id}?notice={code}")).into_response())
        }
        Err(AppError::Invalid(errs)) => {
            item_again(
                &s,
                &v,
                &actor,
                &id,
                &errs,
                context! { comment => f.comment },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The item page again (422) with the problems of a form on it (workflow comment, upload).
async fn item_again(
    s: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: &str,
    errs: &[lz_app::FieldError],
    extra: Value,
) -> PageResult {
    let view = s.app.item(Some(actor), id).await?;
    let is_moderator = actor.sees_all_content();
    Ok(form_again(
        s,
        v,
        "library/item.html",
        errs,
        context! { item => item_ctx(s, &view), more => Vec::<Value>::new(), is_moderator, ..extra },
    ))
}

async fn history(State(s): State<AppState>, v: Visitor, Path(id): Path<String>) -> PageResult {
    let (view, versions) = s.app.history(v.actor.as_ref(), &id).await?;
    let versions: Vec<Value> = versions
        .into_iter()
        .map(|ver| context! {
            version => ver.version, status => ItemStatus::parse(&ver.status).map(|s| s.label()).unwrap_or(""),
            by => ver.changed_by, at => ver.created_at,
            changes => ver.changes.into_iter().map(|(field, parts)| context! { field => field, parts => Value::from_serialize(&parts) }).collect::<Vec<_>>(),
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
struct MarkForm {
    #[serde(default)]
    mark: String,
    #[serde(default)]
    on: String,
}

async fn mark(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<MarkForm>,
) -> PageResult {
    let Some(m) = Mark::parse(&f.mark) else {
        return Err(AppError::field("mark", "Choose useful or bookmark").into());
    };
    s.app.set_mark(&actor, &id, m, f.on == "1").await?;
    Ok(Redirect::to(&format!("/library/{id}?notice=marked")).into_response())
}

#[derive(serde::Deserialize)]
struct OnForm {
    #[serde(default)]
    on: String,
}

async fn feature(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<OnForm>,
) -> PageResult {
    s.app.set_featured(&actor, &id, f.on == "1").await?;
    Ok(Redirect::to(&format!("/library/{id}?notice=saved")).into_response())
}

async fn delete(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    s.app.delete_item(&actor, &id).await?;
    Ok(Redirect::to("/library/mine?notice=deleted").into_response())
}

// ---------- attachments ----------

async fn upload(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    mut form: Multipart,
) -> PageResult {
    let unreadable = |_| AppError::field("file", "The upload could not be read: try again");
    let mut file: Option<(String, axum::body::Bytes)> = None;
    let res: Result<(), AppError> = async {
        while let Some(field) = form.next_field().await.map_err(unreadable)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(unreadable)?));
            }
        }
        Ok(())
    }
    .await;
    let result = match (res, file) {
        (Err(e), _) => Err(e),
        (Ok(()), None) => Err(AppError::field("file", "Choose a file to upload")),
        (Ok(()), Some((name, bytes))) => s.app.add_attachment(&actor, &id, &name, &bytes).await,
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/library/{id}?notice=attached")).into_response()),
        Err(AppError::Invalid(errs)) => item_again(&s, &v, &actor, &id, &errs, context! {}).await,
        Err(e) => Err(e.into()),
    }
}

async fn download(State(s): State<AppState>, v: Visitor, Path(id): Path<String>) -> PageResult {
    let d = s.app.download(v.actor.as_ref(), &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, d.mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                lz_files::content_disposition(&d.file_name),
            ),
        ],
        d.bytes,
    )
        .into_response())
}

async fn remove_attachment(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let item = s.app.remove_attachment(&actor, &id).await?;
    Ok(Redirect::to(&format!("/library/{item}?notice=attachment-removed")).into_response())
}

// ---------- lists ----------

fn list_ctx(rows: Vec<lz_store::library::ItemRow>) -> Vec<Value> {
    rows.into_iter()
        .map(|i| context! {
            id => i.id, title => i.title, summary => i.summary, kind => ItemKind::parse(&i.kind).map(|k| k.label()).unwrap_or(""),
            status => ItemStatus::parse(&i.status).map(|s| s.label()).unwrap_or(""), status_code => i.status,
            organisation => i.organisation_name, place => i.place_name, published_at => i.published_at, updated_at => i.updated_at,
        })
        .collect()
}

async fn mine(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<super::NoticeQuery>,
) -> PageResult {
    let items = list_ctx(s.app.item_list(Some(&actor), ItemList::Mine, 200).await?);
    let bookmarks = list_ctx(
        s.app
            .item_list(Some(&actor), ItemList::Bookmarked, 100)
            .await?,
    );
    let following = list_ctx(
        s.app
            .item_list(Some(&actor), ItemList::Following, 20)
            .await?,
    );
    let notice = match q.notice.as_deref() {
        Some("deleted") => Some("The item has been deleted."),
        other => notice_text(other),
    };
    Ok(page(
        &s,
        &v,
        "library/mine.html",
        context! { items, bookmarks, following, notice, can_write => may_write(&actor) },
    ))
}

async fn review_queue(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    if !matches!(
        actor.role,
        lz_domain::Role::NetworkAdmin | lz_domain::Role::Moderator | lz_domain::Role::PlaceLead
    ) {
        return Err(AppError::Forbidden.into());
    }
    let items = list_ctx(
        s.app
            .item_list(Some(&actor), ItemList::ReviewQueue, 200)
            .await?,
    );
    Ok(page(&s, &v, "library/review.html", context! { items }))
}

// ---------- follows and browsing pages ----------

#[derive(serde::Deserialize)]
struct FollowForm {
    #[serde(default)]
    subject_type: String,
    #[serde(default)]
    subject_id: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    back: String,
}

async fn follow(
    State(s): State<AppState>,
    SignedIn(actor, _v): SignedIn,
    HtmlForm(f): HtmlForm<FollowForm>,
) -> PageResult {
    s.app
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
        Some(a) => s
            .app
            .follows(a)
            .await?
            .iter()
            .any(|(t, i)| t == subject_type && i == subject_id),
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
    let term = s.app.term_by_slug(vocab, &slug).await?;
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
fn term_route(vocab: Vocabulary) -> axum::routing::MethodRouter<AppState> {
    get(
        move |State(s): State<AppState>,
              v: Visitor,
              Path(slug): Path<String>,
              axum_extra::extract::Query(p): axum_extra::extract::Query<SearchParams>| {
            term_page(s, v, vocab, slug, p)
        },
    )
}

async fn place_page(
    State(s): State<AppState>,
    v: Visitor,
    Path(slug): Path<String>,
    axum_extra::extract::Query(p): axum_extra::extract::Query<SearchParams>,
) -> PageResult {
    let place = s
        .app
        .places()
        .await?
        .into_iter()
        .find(|x| x.slug == slug)
        .ok_or(AppError::NotFound)?;
    let subject = Subject {
        facet: "place",
        kind: "Place",
        id: place.id,
        slug: place.slug,
        heading: place.name,
        description: place.summary,
        path: "places",
    };
    browse_page(&s, &v, &p, subject).await
}

async fn organisation_page(
    State(s): State<AppState>,
    v: Visitor,
    Path(slug): Path<String>,
    axum_extra::extract::Query(p): axum_extra::extract::Query<SearchParams>,
) -> PageResult {
    let org = s
        .app
        .organisations()
        .await?
        .into_iter()
        .find(|x| x.slug == slug)
        .ok_or(AppError::NotFound)?;
    let subject = Subject {
        facet: "organisation",
        kind: "Organisation",
        id: org.id,
        slug: org.slug,
        heading: org.name,
        description: org
            .place_name
            .map(|p| format!("A partner organisation in {p}."))
            .unwrap_or_default(),
        path: "organisations",
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
        },
    ))
}

// ---------- feeds ----------

fn rfc3339(ms: i64) -> String {
    lz_domain::dates::rfc3339(ms / 1000).unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

async fn atom(s: &AppState, title: String, self_path: String, term_id: Option<&str>) -> PageResult {
    let rows = s
        .app
        .item_list(None, ItemList::PublicFeed { term_id }, 50)
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

async fn feed(State(s): State<AppState>) -> PageResult {
    let title = format!("{}: new learning", s.app.config.site_name);
    atom(&s, title, "feed.atom".into(), None).await
}

async fn theme_feed(State(s): State<AppState>, Path(slug): Path<String>) -> PageResult {
    let term = s.app.term_by_slug(Vocabulary::Theme, &slug).await?;
    let title = format!("{}: {}", s.app.config.site_name, term.name);
    atom(
        &s,
        title,
        format!("themes/{}/feed.atom", term.slug),
        Some(&term.id),
    )
    .await
}

// ---------- curators ----------

async fn taxonomy(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<super::NoticeQuery>,
) -> PageResult {
    actor.require_network_admin()?;
    Ok(page(
        &s,
        &v,
        "library/taxonomy.html",
        taxonomy_ctx(&s, q.notice.as_deref()).await?,
    ))
}

async fn taxonomy_ctx(s: &AppState, notice: Option<&str>) -> Result<Value, AppError> {
    let terms = s.app.terms().await?;
    let vocabularies: Vec<Value> = Vocabulary::ALL
        .iter()
        .map(|voc| {
            let list: Vec<Value> = terms
                .iter()
                .filter(|t| t.vocabulary == voc.code())
                .map(|t| context! { id => t.id, name => t.name, slug => t.slug, description => t.description, path => format!("/{}s/{}", t.vocabulary, t.slug) })
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
struct TermForm {
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

async fn create_term(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    HtmlForm(f): HtmlForm<TermForm>,
) -> PageResult {
    let result = s
        .app
        .create_term(Some(&actor), &f.vocabulary, &f.name, &f.description)
        .await
        .map(|_| ());
    let values =
        context! { vocabulary => f.vocabulary, name => f.name, description => f.description };
    taxonomy_done(&s, &v, result, "term-created", values).await
}

async fn rename_term(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<TermForm>,
) -> PageResult {
    let result = s
        .app
        .rename_term(&actor, &id, &f.name, &f.description)
        .await;
    taxonomy_done(&s, &v, result, "term-renamed", context! {}).await
}

async fn merge_term(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<TermForm>,
) -> PageResult {
    let result = s.app.merge_term(&actor, &id, &f.into).await;
    taxonomy_done(&s, &v, result, "term-merged", context! {}).await
}

async fn search_gaps(State(s): State<AppState>, SignedIn(actor, v): SignedIn) -> PageResult {
    let rows: Vec<Value> = s
        .app
        .search_gaps(&actor, 90)
        .await?
        .into_iter()
        .map(|m| context! { query => m.query, times => m.times, last_at => m.last_at })
        .collect();
    Ok(page(&s, &v, "library/gaps.html", context! { rows }))
}
