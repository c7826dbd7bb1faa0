//! The learning library over the API: search, items (read, write, workflow, history),
//! attachments and the taxonomy. Same use cases and permission checks as the pages.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use lz_app::library::ItemInput;
use lz_app::AppError;
use lz_domain::library::{Mark, Transition};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{created, ApiJson};
use crate::error::{ApiResult, Problem};
use crate::session::{ApiCaller, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .route("/items", post(create_item))
        .route("/items/{id}", get(item).put(update_item))
        .route("/items/{id}/workflow", post(workflow))
        .route("/items/{id}/history", get(history))
        .route("/items/{id}/marks", post(mark))
        .route(
            "/items/{id}/attachments",
            post(upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/terms", get(terms))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Free text; "quoted phrases"; misspellings tolerated.
    #[serde(default)]
    q: String,
    /// Filters (repeat a parameter for several values): kind ("evidence" for evidence
    /// records), theme, agenda, place, organisation slugs, year, and for evidence records
    /// type (evidence type code) and strength (1–5).
    #[serde(default)]
    kind: Vec<String>,
    #[serde(default)]
    theme: Vec<String>,
    #[serde(default)]
    agenda: Vec<String>,
    #[serde(default)]
    place: Vec<String>,
    #[serde(default)]
    organisation: Vec<String>,
    #[serde(default)]
    year: Vec<String>,
    #[serde(default, rename = "type")]
    evidence_type: Vec<String>,
    #[serde(default)]
    strength: Vec<String>,
    /// relevance (default with text) or newest.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    /// The item's id, or the evidence record's id when `kind` is "evidence".
    id: String,
    /// An item's title, or an evidence record's claim.
    title: String,
    /// The item's kind, or "evidence".
    kind: String,
    /// Its page: `/library/{id}` or `/evidence/{id}`.
    url: String,
    published_at: i64,
    /// Evidence records only: type code and strength (Nesta level 1–5).
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strength: Option<u8>,
    /// HTML: escaped text with matches in <mark>.
    snippet_html: String,
}

#[derive(Serialize, ToSchema)]
pub struct FacetValue {
    value: String,
    count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct SearchFacets {
    kind: Vec<FacetValue>,
    theme: Vec<FacetValue>,
    agenda: Vec<FacetValue>,
    place: Vec<FacetValue>,
    organisation: Vec<FacetValue>,
    year: Vec<FacetValue>,
    /// Evidence type codes of the evidence records found.
    #[serde(rename = "type")]
    evidence_type: Vec<FacetValue>,
    /// Strength levels of the evidence records found.
    strength: Vec<FacetValue>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResponse {
    total: usize,
    page: usize,
    hits: Vec<SearchHit>,
    facets: SearchFacets,
}

/// Searches the items and published evidence records the caller may see (public ones
/// without a token).
#[utoipa::path(get, path = "/api/v1/search", params(SearchQuery), responses((status = 200, body = SearchResponse)))]
pub async fn search(
    State(s): State<AppState>,
    v: Visitor,
    axum_extra::extract::Query(q): axum_extra::extract::Query<SearchQuery>,
) -> ApiResult<Json<SearchResponse>> {
    let params = crate::pages::library_search_params(
        q.q,
        q.kind,
        q.theme,
        q.agenda,
        q.place,
        q.organisation,
        q.year,
        q.evidence_type,
        q.strength,
        q.sort,
        q.page,
    );
    let req = params.request();
    let page = req.page;
    let r = s.app.search(v.actor.as_ref(), req).await?;
    let f = |v: Vec<lz_search::FacetCount>| {
        v.into_iter()
            .map(|c| FacetValue {
                value: c.value,
                count: c.count,
            })
            .collect()
    };
    Ok(Json(SearchResponse {
        total: r.total,
        page,
        hits: r
            .hits
            .into_iter()
            .map(|h| {
                let (id, url) = match h.evidence_id() {
                    Some(e) => (e.to_string(), format!("/evidence/{e}")),
                    None => (h.id.clone(), format!("/library/{}", h.id)),
                };
                SearchHit {
                    id,
                    url,
                    title: h.title,
                    kind: h.kind,
                    published_at: h.published_at,
                    evidence_type: h.evidence_type,
                    strength: h.strength,
                    snippet_html: h.snippet_html,
                }
            })
            .collect(),
        facets: SearchFacets {
            kind: f(r.facets.kind),
            theme: f(r.facets.theme),
            agenda: f(r.facets.agenda),
            place: f(r.facets.place),
            organisation: f(r.facets.organisation),
            year: f(r.facets.year),
            evidence_type: f(r.facets.evidence_type),
            strength: f(r.facets.strength),
        },
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Attachment {
    id: String,
    file_name: String,
    kind: String,
    size_bytes: i64,
    /// pending, done, failed or none: whether its text is searchable yet.
    text_status: String,
    download: String,
}

#[derive(Serialize, ToSchema)]
pub struct Item {
    id: String,
    kind: String,
    title: String,
    summary: String,
    context: String,
    what_we_did: String,
    what_we_learned: String,
    do_differently: String,
    outcomes: String,
    contacts: String,
    body_md: String,
    organisation_id: String,
    place_id: Option<String>,
    visibility: String,
    /// draft, in_review, published or withdrawn.
    status: String,
    version: i64,
    published_at: Option<i64>,
    terms: Vec<String>,
    authors: Vec<String>,
    links: Vec<String>,
    attachments: Vec<Attachment>,
    useful_count: i64,
    /// When it was first published elsewhere: "2023", "2023-05" or "2023-05-14".
    original_date: Option<String>,
    /// cc-by-4.0, cc-by-sa-4.0, cc-by-nc-4.0, ogl-3.0 or all-rights-reserved.
    licence: Option<String>,
    /// The authors as they should be cited ("Surname, Given names").
    cite_as: Vec<String>,
    /// The reference in APA (7th edition) and Harvard style; RIS and BibTeX records are at
    /// `/library/{id}/cite.ris` and `/library/{id}/cite.bib`.
    citation: Citation,
}

#[derive(Serialize, ToSchema)]
pub struct Citation {
    apa: String,
    harvard: String,
}

/// One item, if the caller may see it.
#[utoipa::path(get, path = "/api/v1/items/{id}", responses((status = 200, body = Item), (status = 404, body = Problem)))]
pub async fn item(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> ApiResult<Json<Item>> {
    let view = s.app.library().item(v.actor.as_ref(), &id).await?;
    let cited = view.citation(s.app.config.base_url.as_str(), s.app.now());
    let citation = Citation {
        apa: cited.apa(),
        harvard: cited.harvard(),
    };
    let i = view.item;
    Ok(Json(Item {
        original_date: i.original_date.map(|d| d.to_string()),
        licence: i.licence.map(|l| l.code().to_string()),
        cite_as: i.cite_as,
        citation,
        id: i.id.into_string(),
        kind: i.kind.code().to_string(),
        title: i.title,
        summary: i.summary,
        context: i.context,
        what_we_did: i.what_we_did,
        what_we_learned: i.what_we_learned,
        do_differently: i.do_differently,
        outcomes: i.outcomes,
        contacts: i.contacts,
        body_md: i.body_md,
        organisation_id: i.organisation_id.into_string(),
        place_id: i.place_id.map(|p| p.into_string()),
        visibility: i.visibility.code().to_string(),
        status: i.status.code().to_string(),
        version: i.version,
        published_at: i.published_at,
        terms: view
            .terms
            .into_iter()
            .map(|t| t.term_id.into_string())
            .collect(),
        authors: view.authors.into_iter().map(|a| a.name).collect(),
        links: view.links.into_iter().map(|l| l.url).collect(),
        attachments: view
            .attachments
            .into_iter()
            .map(|a| Attachment {
                download: format!("/attachments/{}", a.id),
                id: a.id.into_string(),
                file_name: a.file_name,
                kind: a.kind.code().to_string(),
                size_bytes: a.size_bytes,
                text_status: a.text_status.code().to_string(),
            })
            .collect(),
        useful_count: view.useful_count,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// case_study, practice_guide, evaluation, tool, event_material or learning_log.
    kind: String,
    title: String,
    summary: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    what_we_did: String,
    #[serde(default)]
    what_we_learned: String,
    #[serde(default)]
    do_differently: String,
    #[serde(default)]
    outcomes: String,
    #[serde(default)]
    contacts: String,
    /// Markdown (CommonMark with tables).
    #[serde(default)]
    body_md: String,
    organisation_id: String,
    #[serde(default)]
    place_id: Option<String>,
    /// public, network, place or organisation.
    visibility: String,
    /// Term ids (see /api/v1/terms).
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    /// Links (http or https) to videos or web pages.
    #[serde(default)]
    links: Vec<String>,
    /// When it was first published elsewhere: "2023", "2023-05" or "2023-05-14"; "" clears
    /// it. Left out (or null), an update keeps what the item has.
    #[serde(default)]
    original_date: Option<String>,
    /// cc-by-4.0, cc-by-sa-4.0, cc-by-nc-4.0, ogl-3.0 or all-rights-reserved; "" clears it.
    /// Left out (or null), an update keeps what the item has.
    #[serde(default)]
    licence: Option<String>,
    /// The authors as they should be cited, "Surname, Given names" each; [] clears them.
    /// Left out (or null), an update keeps what the item has.
    #[serde(default)]
    cite_as: Option<Vec<String>>,
}

impl From<ItemBody> for ItemInput {
    fn from(b: ItemBody) -> Self {
        ItemInput {
            kind: b.kind,
            title: b.title,
            summary: b.summary,
            context: b.context,
            what_we_did: b.what_we_did,
            what_we_learned: b.what_we_learned,
            do_differently: b.do_differently,
            outcomes: b.outcomes,
            contacts: b.contacts,
            body_md: b.body_md,
            organisation_id: b.organisation_id,
            place_id: b.place_id.unwrap_or_default(),
            visibility: b.visibility,
            terms: b.terms,
            authors: b.authors.join("\n"),
            links: b.links.join("\n"),
            original_date: b.original_date.unwrap_or_default(),
            licence: b.licence.unwrap_or_default(),
            cite_as: b.cite_as.unwrap_or_default().join("\n"),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// Writes a new item as a draft (contributors and above).
#[utoipa::path(post, path = "/api/v1/items", request_body = ItemBody, responses((status = 201, body = Created), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn create_item(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    ApiJson(b): ApiJson<ItemBody>,
) -> ApiResult<Response> {
    let id = s.app.library().create(&actor, &b.into()).await?;
    Ok(created(Created { id }))
}

/// Saves a changed item as a new version (its editors).
#[utoipa::path(put, path = "/api/v1/items/{id}", request_body = ItemBody, responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn update_item(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(mut b): ApiJson<ItemBody>,
) -> ApiResult<axum::http::StatusCode> {
    // The citation details came after the API's first clients: left out, they are kept, so
    // that an update written before them does not clear what was set on the page.
    if b.original_date.is_none() || b.licence.is_none() || b.cite_as.is_none() {
        let view = s.app.library().item(Some(&actor), &id).await?;
        let i = &view.item;
        b.original_date
            .get_or_insert_with(|| i.original_date.map(|d| d.to_string()).unwrap_or_default());
        b.licence
            .get_or_insert_with(|| i.licence.map(|l| l.code().to_string()).unwrap_or_default());
        b.cite_as.get_or_insert_with(|| i.cite_as.clone());
    }
    s.app.library().update(&actor, &id, &b.into()).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowBody {
    /// submit, approve, send_back, withdraw or reopen.
    action: String,
    #[serde(default)]
    comment: String,
}

#[derive(Serialize, ToSchema)]
pub struct Status {
    status: String,
}

/// Moves an item through its workflow.
#[utoipa::path(post, path = "/api/v1/items/{id}/workflow", request_body = WorkflowBody, responses((status = 200, body = Status), (status = 409, body = Problem)), security(("bearer" = [])))]
pub async fn workflow(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<WorkflowBody>,
) -> ApiResult<Json<Status>> {
    let t = Transition::parse(&b.action).ok_or_else(|| {
        AppError::field(
            "action",
            "Use submit, approve, send_back, withdraw or reopen",
        )
    })?;
    let to = s
        .app
        .library()
        .transition(&actor, &id, t, &b.comment)
        .await?;
    s.app.wake_mailer();
    Ok(Json(Status {
        status: to.code().to_string(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Change {
    field: String,
    /// Pieces of text: op is same, ins or del.
    parts: Vec<ChangePart>,
}

#[derive(Serialize, ToSchema)]
pub struct ChangePart {
    op: String,
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct Version {
    version: i64,
    status: String,
    changed_by: Option<String>,
    created_at: i64,
    changes: Vec<Change>,
}

/// Every version of an item with what changed, newest first.
#[utoipa::path(get, path = "/api/v1/items/{id}/history", responses((status = 200, body = Vec<Version>), (status = 404, body = Problem)))]
pub async fn history(
    State(s): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Version>>> {
    let (_, versions) = s.app.library().history(v.actor.as_ref(), &id).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| Version {
                version: v.version,
                status: v.status.code().to_string(),
                changed_by: v.changed_by,
                created_at: v.created_at,
                changes: v
                    .changes
                    .into_iter()
                    .map(|(field, parts)| Change {
                        field,
                        parts: parts
                            .into_iter()
                            .map(|p| ChangePart {
                                op: p.op.to_string(),
                                text: p.text,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkBody {
    /// useful or bookmark.
    mark: String,
    on: bool,
}

/// Marks a published item useful, or bookmarks it (or removes the mark).
#[utoipa::path(post, path = "/api/v1/items/{id}/marks", request_body = MarkBody, responses((status = 204)), security(("bearer" = [])))]
pub async fn mark(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MarkBody>,
) -> ApiResult<axum::http::StatusCode> {
    let m =
        Mark::parse(&b.mark).ok_or_else(|| AppError::field("mark", "Use useful or bookmark"))?;
    s.app.library().set_mark(&actor, &id, m, b.on).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (shown to readers; never used on disk).
    #[serde(default)]
    name: String,
}

/// Adds a file to an item: the request body is the file's bytes; its type is read from them.
#[utoipa::path(post, path = "/api/v1/items/{id}/attachments", params(UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 201, body = Created), (status = 413, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn upload(
    State(s): State<AppState>,
    ApiCaller(actor, _): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    body: axum::body::Body,
) -> ApiResult<Response> {
    // Read at most LZ_MAX_UPLOAD_BYTES: a larger body is refused without being held.
    let limit = s.app.config.max_upload_bytes;
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        return Ok(crate::error::problem(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "File too large",
            format!("Files can be at most {} kB.", limit / 1024),
            vec![],
        ));
    };
    let id = s.app.library().attach(&actor, &id, &q.name, &body).await?;
    Ok(created(Created { id }))
}

#[derive(Serialize, ToSchema)]
pub struct Term {
    id: String,
    /// theme, agenda or audience.
    vocabulary: String,
    slug: String,
    name: String,
}

/// The managed taxonomy.
#[utoipa::path(get, path = "/api/v1/terms", responses((status = 200, body = Vec<Term>)))]
pub async fn terms(State(s): State<AppState>) -> ApiResult<Json<Vec<Term>>> {
    Ok(Json(
        s.app
            .library()
            .terms()
            .await?
            .into_iter()
            .map(|t| Term {
                id: t.id.into_string(),
                vocabulary: t.vocabulary.code().to_string(),
                slug: t.slug,
                name: t.name,
            })
            .collect(),
    ))
}
