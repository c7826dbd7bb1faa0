//! What goes into the index and what a search asks and answers.

/// The `kind` of a published evidence record's document (items carry their item kind).
pub const EVIDENCE_KIND: &str = "evidence";

/// Evidence records are indexed under `evidence:<id>`, so that no evidence id can be taken
/// for an item's (item ids are UUIDs, which never hold a colon).
const EVIDENCE_PREFIX: &str = "evidence:";

/// The index id (and change-log key) of an evidence record.
pub fn evidence_doc_id(evidence_id: &str) -> String {
    format!("{EVIDENCE_PREFIX}{evidence_id}")
}

/// The evidence record's id when `doc_id` is an evidence record's index id.
pub fn evidence_id_of(doc_id: &str) -> Option<&str> {
    doc_id.strip_prefix(EVIDENCE_PREFIX)
}

/// One published learning item or evidence record, as the index sees it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchDoc {
    /// Item id (UUID text), or `evidence:<id>` ([`evidence_doc_id`]) for an evidence
    /// record; unique key.
    pub id: String,
    /// Item kind code, e.g. "case_study", "practice_guide"; [`EVIDENCE_KIND`] for evidence.
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
    /// Place slugs (an item has at most one; an evidence record may have several).
    pub places: Vec<String>,
    /// Organisation slugs.
    pub organisations: Vec<String>,
    /// Evidence records only: the type's code, e.g. "evaluation".
    pub evidence_type: Option<String>,
    /// Evidence records only: the level on the Nesta Standards of Evidence, 1–5.
    pub strength: Option<u8>,
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
    /// Evidence type codes (only evidence records carry one).
    pub evidence_type: Vec<String>,
    /// Strength levels "1".."5" (only evidence records carry one).
    pub strength: Vec<String>,
    /// Leaves evidence records out: the item lists of theme, agenda, place and
    /// organisation pages.
    pub items_only: bool,
}

impl Filters {
    /// Whether no value filter is chosen (`items_only` is a scope, not a filter).
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
            && self.theme.is_empty()
            && self.agenda.is_empty()
            && self.audience.is_empty()
            && self.place.is_empty()
            && self.organisation.is_empty()
            && self.year.is_empty()
            && self.evidence_type.is_empty()
            && self.strength.is_empty()
    }
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
    /// The document's index id: an item id, or `evidence:<id>` (see [`Hit::evidence_id`]).
    pub id: String,
    pub title: String,
    pub kind: String,
    pub published_at: i64,
    /// Evidence records only: type code and strength level.
    pub evidence_type: Option<String>,
    pub strength: Option<u8>,
    /// Place slugs.
    pub places: Vec<String>,
    /// BM25 score for `Sort::Relevance`; 0 for `Sort::Newest`.
    pub score: f32,
    /// HTML-escaped text with matches wrapped in <mark>…</mark>; safe to insert as HTML.
    pub snippet_html: String,
}

impl Hit {
    /// The evidence record's id when this hit is an evidence record.
    pub fn evidence_id(&self) -> Option<&str> {
        if self.kind == EVIDENCE_KIND {
            evidence_id_of(&self.id)
        } else {
            None
        }
    }
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
    /// Evidence type codes of the evidence records among the results.
    pub evidence_type: Vec<FacetCount>,
    /// Strength levels ("1".."5") of the evidence records among the results.
    pub strength: Vec<FacetCount>,
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
