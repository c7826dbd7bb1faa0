//! Index schema, text analyser and the mapping from [`SearchDoc`] to a tantivy document.
//! Bump [`SCHEMA_VERSION`] whenever anything here changes: old indexes are then wiped and rebuilt.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, TantivyDocument, Term};

use crate::{SearchDoc, SearchError};

/// Version of the schema *and* of what is indexed (analysis chain, the `nobody` access token):
/// an index written with another version is wiped on open and rebuilt from the change log.
/// 5: evidence records (type and strength fields, places stored, several per document).
pub const SCHEMA_VERSION: u32 = 5;

/// Name under which [`analyser`] is registered on every opened index (tokenizers are not
/// persisted by tantivy, only their names).
pub const ANALYSER: &str = "lz_en";
/// Name of [`spelling_analyser`]: words as written (lowercased, accents folded), for finding
/// what a misspelt word was meant to be.
pub const SPELLING: &str = "lz_spelling";

/// Attachments can be whole books: index at most this much of their text per item.
pub const MAX_ATTACHMENT_INDEXED_BYTES: usize = 200 * 1024;
/// Only the start of the attachments text is stored (for snippets), to keep the index small.
pub const MAX_ATTACHMENT_STORED_BYTES: usize = 20 * 1024;
/// Body text is indexed and stored up to this size; longer bodies are truncated.
pub const MAX_BODY_BYTES: usize = 200 * 1024;

// Field names; the string-valued facet fields are also read by name from the fast fields.
pub const F_ID: &str = "id";
pub const F_KIND: &str = "kind";
pub const F_TITLE: &str = "title";
pub const F_SUMMARY: &str = "summary";
pub const F_BODY: &str = "body";
pub const F_ATTACHMENTS: &str = "attachments_text";
pub const F_ATTACHMENTS_EXCERPT: &str = "attachments_excerpt";
pub const F_THEME: &str = "theme";
pub const F_AGENDA: &str = "agenda";
pub const F_AUDIENCE: &str = "audience";
pub const F_PLACE: &str = "place";
pub const F_ORGANISATION: &str = "organisation";
pub const F_YEAR: &str = "year";
pub const F_PUBLISHED_AT: &str = "published_at";
pub const F_ACCESS: &str = "access";
pub const F_SPELLING: &str = "spelling";
pub const F_EVIDENCE_TYPE: &str = "evidence_type";
pub const F_STRENGTH: &str = "strength";

/// Resolved field handles, so that queries never look fields up by name.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub kind: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub attachments: Field,
    pub attachments_excerpt: Field,
    pub theme: Field,
    pub agenda: Field,
    pub audience: Field,
    pub place: Field,
    pub organisation: Field,
    pub year: Field,
    pub published_at: Field,
    pub access: Field,
    /// The words of title, summary and body as written (not stemmed): its dictionary is
    /// where a misspelling finds its word ("walkng" → "walking"; against stems, "walk",
    /// it is two edits away). Never scored; doc ids only.
    pub spelling: Field,
    /// Evidence records only: type code and strength level ("1".."5"), facets.
    pub evidence_type: Field,
    pub strength: Field,
}

impl Fields {
    /// The full-text fields with their relevance boosts (title matters most).
    pub fn text_fields(&self) -> [(Field, f32); 4] {
        [
            (self.title, 3.0),
            (self.summary, 2.0),
            (self.body, 1.0),
            (self.attachments, 1.0),
        ]
    }
}

/// Builds the schema and returns it with its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYSER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = TextOptions::default().set_indexing_options(text_indexing);
    let stored_text = text.clone().set_stored();
    // Raw (untokenised) keyword fields; FAST so facet counts read columns, not stored docs.
    let keyword = STRING | FAST;

    let fields = Fields {
        // FAST: "more like this" neighbour lists read ids from the column, not stored docs.
        id: b.add_text_field(F_ID, STRING | STORED | FAST),
        kind: b.add_text_field(F_KIND, STRING | FAST | STORED),
        title: b.add_text_field(F_TITLE, stored_text.clone()),
        summary: b.add_text_field(F_SUMMARY, stored_text.clone()),
        body: b.add_text_field(F_BODY, stored_text),
        attachments: b.add_text_field(F_ATTACHMENTS, text),
        attachments_excerpt: b.add_text_field(F_ATTACHMENTS_EXCERPT, STORED),
        theme: b.add_text_field(F_THEME, keyword.clone()),
        agenda: b.add_text_field(F_AGENDA, keyword.clone()),
        audience: b.add_text_field(F_AUDIENCE, keyword.clone()),
        // Stored as well: an evidence hit names its places.
        place: b.add_text_field(F_PLACE, keyword.clone() | STORED),
        organisation: b.add_text_field(F_ORGANISATION, keyword),
        year: b.add_i64_field(F_YEAR, NumericOptions::default().set_indexed().set_fast()),
        published_at: b.add_i64_field(
            F_PUBLISHED_AT,
            NumericOptions::default().set_fast().set_stored(),
        ),
        // Indexed but not stored: only ever used as a filter.
        access: b.add_text_field(F_ACCESS, STRING),
        spelling: b.add_text_field(
            F_SPELLING,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(SPELLING)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        evidence_type: b.add_text_field(F_EVIDENCE_TYPE, STRING | FAST | STORED),
        strength: b.add_text_field(F_STRENGTH, STRING | FAST | STORED),
    };
    (b.build(), fields)
}

/// English analysis: split on non-alphanumerics, drop absurdly long tokens, lowercase, fold
/// accents (so "café" finds "cafe"), drop stop words (AND semantics would otherwise require
/// "the" to match) and stem (so "walking" finds "walk").
pub fn analyser() -> Result<TextAnalyzer, SearchError> {
    let stop_words = StopWordFilter::new(Language::English).ok_or(SearchError::Analyser(
        "tantivy has no English stop word list",
    ))?;
    Ok(TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_words)
        .filter(Stemmer::new(Language::English))
        .build())
}

/// Words as written: the English analysis without stop words and stemming.
pub fn spelling_analyser() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Tokenizers live in memory only, so every opened `Index` needs this.
pub fn register_analyser(index: &Index) -> Result<(), SearchError> {
    index.tokenizers().register(ANALYSER, analyser()?);
    index.tokenizers().register(SPELLING, spelling_analyser());
    Ok(())
}

/// Cuts `s` to at most `max` bytes without splitting a character.
pub fn truncate_utf8(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The access token of an item that only those who see everything may see.
pub const NOBODY: &str = "nobody";

/// The tantivy document for one item or evidence record.
pub fn to_document(f: &Fields, doc: &SearchDoc) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.id, &doc.id);
    d.add_text(f.kind, &doc.kind);
    d.add_text(f.title, &doc.title);
    d.add_text(f.summary, &doc.summary);
    d.add_text(f.body, truncate_utf8(&doc.body, MAX_BODY_BYTES));
    for text in [&doc.title, &doc.summary] {
        d.add_text(f.spelling, text);
    }
    d.add_text(f.spelling, truncate_utf8(&doc.body, MAX_BODY_BYTES));
    d.add_text(
        f.attachments,
        truncate_utf8(&doc.attachments_text, MAX_ATTACHMENT_INDEXED_BYTES),
    );
    d.add_text(
        f.attachments_excerpt,
        truncate_utf8(&doc.attachments_text, MAX_ATTACHMENT_STORED_BYTES),
    );
    for v in &doc.themes {
        d.add_text(f.theme, v);
    }
    for v in &doc.agendas {
        d.add_text(f.agenda, v);
    }
    for v in &doc.audiences {
        d.add_text(f.audience, v);
    }
    for v in &doc.places {
        d.add_text(f.place, v);
    }
    for v in &doc.organisations {
        d.add_text(f.organisation, v);
    }
    if let Some(v) = &doc.evidence_type {
        d.add_text(f.evidence_type, v);
    }
    if let Some(v) = doc.strength {
        d.add_text(f.strength, v.to_string());
    }
    d.add_i64(f.year, i64::from(doc.year));
    d.add_i64(f.published_at, doc.published_at);
    // An item nobody's tokens open still needs a token, so that "everything but what the
    // reader may not see" (see `query::access_filter`) leaves it out.
    if doc.access.is_empty() {
        d.add_text(f.access, NOBODY);
    }
    for v in &doc.access {
        d.add_text(f.access, v);
    }
    d
}

/// The unique-key term used for upserts and deletes.
pub fn id_term(f: &Fields, id: &str) -> Term {
    Term::from_field_text(f.id, id)
}
