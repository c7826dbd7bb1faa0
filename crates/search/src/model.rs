//! What goes into the index and what a search asks and answers.

/// One published learning item, as the index sees it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchDoc {
    /// Item id (UUID text), unique key.
    pub id: String,
    /// Code, e.g. "case_study", "practice_guide".
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// Markdown body + structured sections, as plain text.
    pub body: String,
    /// Text extracted from attachments; only the first 200 kB is indexed, 20 kB stored.
    pub attachments_text: String,
    /// Term slugs, e.g. "enabling-active-environments".
    pub themes: Vec<String>,
    pub agendas: Vec<String>,
    pub audiences: Vec<String>,
    pub place: Option<String>,
    pub organisation: Option<String>,
    /// Publication year.
    pub year: i32,
    /// Publication time, UTC milliseconds.
    pub published_at: i64,
    /// Who may see it: "public", "network", "place:<id>", "org:<id>".
    pub access: Vec<String>,
}

/// Who is asking: `Everything` (network admins), or the access tokens they hold
/// (signed out: ["public"]; signed in: ["public","network","place:..","org:.."]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Everything,
    Tokens(Vec<String>),
}

/// Result order. With empty text every item scores the same, so callers browsing should
/// ask for `Newest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
}

/// Each list is OR within its field; non-empty lists are ANDed together.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub kind: Vec<String>,
    pub theme: Vec<String>,
    pub agenda: Vec<String>,
    /// Audience slugs (added: the index has them, so they can be filtered on too).
    pub audience: Vec<String>,
    pub place: Vec<String>,
    pub organisation: Vec<String>,
    pub year: Vec<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Free text; "quoted phrases" are the only syntax. Empty = browse everything.
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    /// 1-based; 0 is treated as 1, and pages beyond offset 10,000 as the last allowed page.
    pub page: usize,
    /// Clamped to 1..=100.
    pub per_page: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub published_at: i64,
    /// BM25 score for `Sort::Relevance`; 0 for `Sort::Newest`.
    pub score: f32,
    /// HTML-escaped text with matches wrapped in <mark>…</mark>; safe to insert as HTML.
    pub snippet_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Value counts over the whole filtered result set; count desc, then value asc; at most 50 each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub kind: Vec<FacetCount>,
    pub theme: Vec<FacetCount>,
    pub agenda: Vec<FacetCount>,
    /// Added alongside `Filters::audience`.
    pub audience: Vec<FacetCount>,
    pub place: Vec<FacetCount>,
    pub organisation: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// "Did you mean": (typed word, a matching word seen in the results), for words that
    /// matched nothing and were searched fuzzily. Only words from visible results are offered.
    pub corrected: Vec<(String, String)>,
    /// Every typed word that was searched fuzzily (a superset of `corrected`'s first elements).
    pub fuzzy_words: Vec<String>,
}
