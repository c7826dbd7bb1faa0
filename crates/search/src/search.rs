//! Runs searches and "more like this" against one reader snapshot, and builds hits/snippets.
//! Stored documents are loaded only for the hits of the requested page.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EnableScoring, MoreLikeThisQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue, Value};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Executor, Order, Searcher, TantivyDocument};

use crate::facets::FacetCollector;
use crate::query::{self, Clause};
use crate::schema::{self, Fields, F_PUBLISHED_AT};
use crate::{
    Access, Facets, Hit, SearchError, SearchRequest, SearchResults, Sort, MAX_OFFSET, MAX_PER_PAGE,
    SNIPPET_CHARS,
};

/// "More like this" looks at no more than this much of the body (term statistics cost a
/// dictionary lookup per distinct word).
const MLT_BODY_BYTES: usize = 4 * 1024;
const MLT_MAX_LIMIT: usize = 100;

fn analyser_of(searcher: &Searcher) -> Result<TextAnalyzer, SearchError> {
    searcher
        .index()
        .tokenizers()
        .get(schema::ANALYSER)
        .ok_or(SearchError::Analyser(
            "analyser not registered on the index",
        ))
}

/// Page and size after clamping: (offset, limit).
fn page_window(page: usize, per_page: usize) -> (usize, usize) {
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    let last_page = MAX_OFFSET / per_page + 1;
    let page = page.clamp(1, last_page);
    ((page - 1) * per_page, per_page)
}

pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    req: &SearchRequest,
    access: &Access,
) -> Result<SearchResults, SearchError> {
    let analyser = analyser_of(searcher)?;
    let access_q = query::access_filter(searcher, fields, access)?;
    let text = text_query(
        searcher,
        fields,
        &analyser,
        &query::parse(&req.text, &analyser),
        access_q.as_deref(),
    )?;
    let mut restrictions = query::filter_clauses(fields, &req.filters);
    restrictions.extend(access_q);
    let query = query::and_all(text.scored, restrictions);
    let (top, total, facets) = top_docs(searcher, &query, req)?;

    let snippets =
        SnippetGenerator::new(text.highlight, analyser.clone(), fields.body, SNIPPET_CHARS);
    let mut seen_variants: HashMap<String, String> = HashMap::new();
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let doc: TantivyDocument = searcher
            .doc(addr)
            .map_err(SearchError::tantivy("loading a hit"))?;
        let mut hit = hit_from_doc(fields, &doc, score);
        hit.snippet_html = match best_snippet(&snippets, fields, &doc) {
            Some(snippet) => {
                remember_variants(&snippet, &analyser, &mut seen_variants);
                render(&snippet)
            }
            None => plain_excerpt(&doc, fields),
        };
        hits.push(hit);
    }

    let mut corrected = Vec::new();
    let mut fuzzy_words = Vec::new();
    for (surface, variants) in text.fuzzy {
        if let Some(seen) = variants.iter().find_map(|v| seen_variants.get(v)) {
            corrected.push((surface.clone(), seen.clone()));
        }
        fuzzy_words.push(surface);
    }
    Ok(SearchResults {
        total,
        hits,
        facets,
        corrected,
        fuzzy_words,
    })
}

/// What the typed text asks for.
struct TextQuery {
    /// One scored query per word or phrase.
    scored: Vec<Box<dyn Query>>,
    /// Analysed terms to highlight, weighted by rarity (rarer = better snippet fragment).
    highlight: BTreeMap<String, f32>,
    /// (typed word, its variants most frequent first) for words searched fuzzily.
    fuzzy: Vec<(String, Vec<String>)>,
}

/// A word the reader's documents hold is searched exactly; another is searched fuzzily
/// (unless too short to guess): near its stem, or as any word near it as written
/// (`query::spelling_variants`). Its variants are remembered to say "showing results for".
fn text_query(
    searcher: &Searcher,
    fields: &Fields,
    analyser: &TextAnalyzer,
    clauses: &[Clause],
    access_q: Option<&dyn Query>,
) -> Result<TextQuery, SearchError> {
    let mut q = TextQuery {
        scored: Vec::with_capacity(clauses.len()),
        highlight: BTreeMap::new(),
        fuzzy: Vec::new(),
    };
    for clause in clauses {
        match clause {
            Clause::Word { term, surface } => {
                if query::word_exists(searcher, fields, term, access_q)? {
                    q.scored.push(query::exact_word(fields, term));
                    q.highlight
                        .insert(term.clone(), rarity(searcher, fields.body, term));
                    continue;
                }
                let distance = query::fuzzy_distance(surface);
                if distance == 0 {
                    // Too short (or a number) to guess: it matches nothing, honestly.
                    q.scored.push(query::exact_word(fields, term));
                    continue;
                }
                let spelt =
                    query::spelling_variants(searcher, fields, surface, distance, analyser)?;
                let mut alternatives = vec![query::fuzzy_word(fields, term, distance)];
                alternatives.extend(
                    spelt
                        .iter()
                        .map(|(stem, _)| query::exact_word(fields, stem)),
                );
                q.scored.push(query::boxed_or(alternatives));
                let mut variants: Vec<String> = Vec::new();
                let near = query::fuzzy_variants(searcher, fields, term, distance)?;
                for (v, doc_freq) in spelt.into_iter().chain(near) {
                    if &v != term && !variants.contains(&v) {
                        q.highlight.insert(v.clone(), 1.0 / (1.0 + doc_freq as f32));
                        variants.push(v);
                    }
                }
                q.fuzzy.push((surface.clone(), variants));
            }
            Clause::Phrase { terms } => {
                q.scored.push(query::phrase(fields, terms));
                for (_, t) in terms {
                    q.highlight
                        .insert(t.clone(), rarity(searcher, fields.body, t));
                }
            }
        }
    }
    Ok(q)
}

/// A page of hits (score, address), the total and the facets.
type Page = (Vec<(f32, DocAddress)>, usize, Facets);

/// The requested page of hits in the requested order, with the total and the facets.
fn top_docs(
    searcher: &Searcher,
    query: &dyn Query,
    req: &SearchRequest,
) -> Result<Page, SearchError> {
    let (offset, limit) = page_window(req.page, req.per_page);
    let top_docs = TopDocs::with_limit(limit).and_offset(offset);
    match req.sort {
        Sort::Relevance => searcher
            .search(query, &(top_docs.order_by_score(), Count, FacetCollector))
            .map_err(SearchError::tantivy("searching")),
        Sort::Newest => {
            let collector = (
                top_docs.order_by_fast_field::<i64>(F_PUBLISHED_AT, Order::Desc),
                Count,
                FacetCollector,
            );
            let (top, total, facets) = searcher
                .search(query, &collector)
                .map_err(SearchError::tantivy("searching"))?;
            Ok((
                top.into_iter().map(|(_, addr)| (0.0, addr)).collect(),
                total,
                facets,
            ))
        }
    }
}

/// The first of body, summary and attachment text that holds a highlighted term.
fn best_snippet(
    snippets: &SnippetGenerator,
    fields: &Fields,
    doc: &TantivyDocument,
) -> Option<Snippet> {
    let texts = [fields.body, fields.summary, fields.attachments_excerpt];
    texts.iter().find_map(|&field| {
        // Only the start of a long text is analysed for the snippet: analysing whole
        // stored bodies for every hit of every page costs more than the search itself.
        let text = crate::schema::truncate_utf8(text_of(doc, field), SNIPPET_SOURCE_BYTES);
        let snippet = snippets.snippet(text);
        (!snippet.highlighted().is_empty()).then_some(snippet)
    })
}

/// Snippet weight of a term: rarer terms make better fragments.
fn rarity(searcher: &Searcher, field: Field, term: &str) -> f32 {
    let doc_freq = searcher
        .doc_freq(&tantivy::Term::from_field_text(field, term))
        .unwrap_or(0);
    1.0 / (1.0 + doc_freq as f32)
}

/// How much of each stored text a snippet is looked for in.
const SNIPPET_SOURCE_BYTES: usize = 6_000;

fn text_of(doc: &TantivyDocument, field: Field) -> &str {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
}

fn hit_from_doc(fields: &Fields, doc: &TantivyDocument, score: f32) -> Hit {
    let evidence_type = text_of(doc, fields.evidence_type);
    Hit {
        id: text_of(doc, fields.id).to_string(),
        title: text_of(doc, fields.title).to_string(),
        kind: text_of(doc, fields.kind).to_string(),
        published_at: doc
            .get_first(fields.published_at)
            .and_then(|v| v.as_i64())
            .unwrap_or(0),
        evidence_type: (!evidence_type.is_empty()).then(|| evidence_type.to_string()),
        strength: text_of(doc, fields.strength).parse().ok(),
        places: doc
            .get_all(fields.place)
            .filter_map(|v| v.as_str())
            .map(str::to_string)
            .collect(),
        score,
        snippet_html: String::new(),
    }
}

/// Records, for each highlighted word, its analysed form -> the word as written, so a fuzzy
/// match can be suggested in a readable form ("hydrotherapy", not the stem "hydrotherapi").
fn remember_variants(
    snippet: &Snippet,
    analyser: &TextAnalyzer,
    seen: &mut HashMap<String, String>,
) {
    let mut analyser = analyser.clone();
    for range in snippet.highlighted() {
        if let Some(surface) = snippet.fragment().get(range.clone()) {
            let mut stream = analyser.token_stream(surface);
            if stream.advance() {
                seen.entry(stream.token().text.clone())
                    .or_insert_with(|| surface.to_lowercase());
            }
        }
    }
}

pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Escapes the fragment and wraps highlights in <mark>. Done here rather than with
/// `Snippet::to_html` so the escaping rules and tags are ours and tested.
fn render(snippet: &Snippet) -> String {
    let fragment = snippet.fragment();
    let mut out = String::with_capacity(fragment.len() + 32);
    let mut ranges: Vec<_> = snippet.highlighted().to_vec();
    ranges.sort_by_key(|r| r.start);
    let mut pos = 0;
    for r in ranges {
        if r.start < pos || r.end > fragment.len() {
            continue;
        }
        let (Some(before), Some(marked)) = (fragment.get(pos..r.start), fragment.get(r.clone()))
        else {
            continue;
        };
        escape_html(before, &mut out);
        out.push_str("<mark>");
        escape_html(marked, &mut out);
        out.push_str("</mark>");
        pos = r.end;
    }
    escape_html(fragment.get(pos..).unwrap_or(""), &mut out);
    out
}

/// The start of the summary (or body), escaped, for hits without highlights (browsing).
fn plain_excerpt(doc: &TantivyDocument, fields: &Fields) -> String {
    let summary = text_of(doc, fields.summary);
    let text = if summary.trim().is_empty() {
        text_of(doc, fields.body)
    } else {
        summary
    };
    let text = text.trim();
    let mut out = String::new();
    match text.char_indices().nth(SNIPPET_CHARS) {
        None => escape_html(text, &mut out),
        Some((cut, _)) => {
            // Prefer ending on a word boundary.
            let head = &text[..cut];
            let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
            escape_html(head.trim_end(), &mut out);
            out.push('…');
        }
    }
    out
}

pub fn more_like_this(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
    access: &Access,
    limit: usize,
) -> Result<Vec<Hit>, SearchError> {
    let limit = limit.min(MLT_MAX_LIMIT);
    if limit == 0 {
        return Ok(Vec::new());
    }
    let top = like_this(searcher, fields, id, access, limit)?.unwrap_or_default();
    load_hits(searcher, fields, top)
}

/// The item's nearest neighbours over the whole collection (ids with their scores, best
/// first): what [`visible_neighbours`] later narrows to one reader. `None` if the item is
/// not in the index.
pub fn neighbours(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
    limit: usize,
) -> Result<Option<Vec<(String, f32)>>, SearchError> {
    let Some(top) = like_this(searcher, fields, id, &Access::Everything, limit)? else {
        return Ok(None);
    };
    let mut columns = HashMap::new();
    let mut out = Vec::with_capacity(top.len());
    let mut name = String::new();
    for (score, addr) in top {
        let column = match columns.entry(addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(addr.segment_ord)
                    .fast_fields()
                    .str(schema::F_ID)
                    .map_err(SearchError::tantivy("opening the id column"))?,
            ),
        };
        let Some(column) = column else { continue };
        let Some(ord) = column.term_ords(addr.doc_id).next() else {
            continue;
        };
        name.clear();
        if column
            .ord_to_str(ord, &mut name)
            .map_err(SearchError::io("reading the id column"))?
        {
            out.push((name.clone(), score));
        }
    }
    Ok(Some(out))
}

/// Every live item's id (to compute all neighbours after opening or rebuilding the index);
/// evidence records have no neighbours and are left out.
pub fn all_ids(searcher: &Searcher) -> Result<Vec<String>, SearchError> {
    let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
    let mut name = String::new();
    for segment in searcher.segment_readers() {
        let Some(column) = segment
            .fast_fields()
            .str(schema::F_ID)
            .map_err(SearchError::tantivy("opening the id column"))?
        else {
            continue;
        };
        for doc in segment.doc_ids_alive() {
            if let Some(ord) = column.term_ords(doc).next() {
                name.clear();
                if column
                    .ord_to_str(ord, &mut name)
                    .map_err(SearchError::io("reading the id column"))?
                    && crate::writer::has_neighbours(&name)
                {
                    ids.push(name.clone());
                }
            }
        }
    }
    Ok(ids)
}

/// "More like this" from a precomputed neighbour list (see `neighbours.rs`): the reader's
/// access is applied in the query, each candidate scoring what it scored when the list was
/// made, so the answer is the same as [`more_like_this`] for that reader. `None` when the list
/// was cut at `list_cap` and too few of it are visible to this reader (the caller then runs
/// the full query).
pub fn visible_neighbours(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
    list: &[(std::sync::Arc<str>, f32)],
    list_cap: usize,
    access: &Access,
    limit: usize,
) -> Result<Option<Vec<Hit>>, SearchError> {
    let limit = limit.min(MLT_MAX_LIMIT);
    if limit == 0 {
        return Ok(Some(Vec::new()));
    }
    // The source item must itself be visible, or its words would leak through the results.
    let source: Box<dyn Query> = Box::new(TermQuery::new(
        schema::id_term(fields, id),
        IndexRecordOption::Basic,
    ));
    let visible = search_here(
        searcher,
        query::visible_among(fields, source, access).as_ref(),
        &Count,
    )
    .map_err(SearchError::tantivy("checking the item for more-like-this"))?;
    if visible == 0 {
        return Ok(Some(Vec::new()));
    }
    let candidates: Vec<(Occur, Box<dyn Query>)> = list
        .iter()
        .map(|(other, score)| {
            let term = TermQuery::new(schema::id_term(fields, other), IndexRecordOption::Basic);
            (
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(term), *score)) as Box<dyn Query>,
            )
        })
        .collect();
    let query = query::visible_among(fields, Box::new(BooleanQuery::new(candidates)), access);
    let top = search_here(
        searcher,
        query.as_ref(),
        &TopDocs::with_limit(limit).order_by_score(),
    )
    .map_err(SearchError::tantivy("narrowing neighbours to a reader"))?;
    if top.len() < limit && list.len() >= list_cap {
        return Ok(None);
    }
    load_hits(searcher, fields, top).map(Some)
}

/// Runs a query over a handful of named items on the calling thread: handing it to the
/// per-segment thread pool costs more in thread wake-ups than the query itself.
fn search_here<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
) -> tantivy::Result<C::Fruit> {
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    searcher.search_with_executor(query, collector, &Executor::single_thread(), scoring)
}

/// The best `limit` items like `id` that `access` may see, excluding itself; `None` if the
/// item does not exist or `access` may not see it.
fn like_this(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
    access: &Access,
    limit: usize,
) -> Result<Option<Vec<(f32, DocAddress)>>, SearchError> {
    // Evidence records have no "more like this", and are never among an item's.
    if !crate::writer::has_neighbours(id) {
        return Ok(None);
    }
    let access_q = query::access_filter(searcher, fields, access)?;
    let id_query = TermQuery::new(schema::id_term(fields, id), IndexRecordOption::Basic);
    // The source item must itself be visible, or its words would leak through the results.
    let find = query::and_all(
        vec![Box::new(id_query.clone())],
        access_q
            .iter()
            .map(|q| q.box_clone())
            .chain(std::iter::once(query::items_only(fields)))
            .collect(),
    );
    let found = searcher
        .search(&find, &TopDocs::with_limit(1).order_by_score())
        .map_err(SearchError::tantivy("finding the item for more-like-this"))?;
    let Some((_, addr)) = found.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher
        .doc(*addr)
        .map_err(SearchError::tantivy("loading the item for more-like-this"))?;
    let value = |field: Field, max: usize| {
        (
            field,
            vec![OwnedValue::Str(
                schema::truncate_utf8(text_of(&doc, field), max).to_string(),
            )],
        )
    };
    let doc_fields = vec![
        value(fields.title, usize::MAX),
        value(fields.summary, usize::MAX),
        value(fields.body, MLT_BODY_BYTES),
    ];
    let num_docs = searcher.num_docs();
    // Terms in more than a tenth of the items say little about this one and each costs a long
    // posting list; when an item has no rarer words (a tiny index, or a short item in plain
    // words), terms in up to half of the items are tried next, then any term. 15 terms
    // (Lucene's default is 25) keep the union short. Never above the live documents:
    // tantivy's term selection counts deleted documents in a term's frequency but not in the
    // total, and panics when the first passes the second (a small index with an edited item).
    let mut top = Vec::new();
    for max_doc_frequency in [num_docs / 10, num_docs / 2, num_docs] {
        if max_doc_frequency < 2 {
            continue;
        }
        let mlt = MoreLikeThisQuery::builder()
            // A term only this item has cannot find anything else.
            .with_min_doc_frequency(2)
            .with_max_doc_frequency(max_doc_frequency)
            .with_min_term_frequency(1)
            .with_max_query_terms(15)
            .with_min_word_length(3)
            .with_max_word_length(40)
            .with_document_fields(doc_fields.clone());
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(mlt)),
            (Occur::MustNot, Box::new(id_query.clone())),
            (Occur::MustNot, query::evidence_records(fields)),
        ];
        if let Some(a) = &access_q {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(a.box_clone(), 0.0)),
            ));
        }
        top = searcher
            .search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(limit).order_by_score(),
            )
            .map_err(SearchError::tantivy("running more-like-this"))?;
        if !top.is_empty() {
            break;
        }
    }
    Ok(Some(top))
}

fn load_hits(
    searcher: &Searcher,
    fields: &Fields,
    top: Vec<(f32, DocAddress)>,
) -> Result<Vec<Hit>, SearchError> {
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let doc: TantivyDocument = searcher
            .doc(addr)
            .map_err(SearchError::tantivy("loading a more-like-this hit"))?;
        let mut hit = hit_from_doc(fields, &doc, score);
        hit.snippet_html = plain_excerpt(&doc, fields);
        hits.push(hit);
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_clamped() {
        assert_eq!(page_window(0, 0), (0, 1));
        assert_eq!(page_window(1, 20), (0, 20));
        assert_eq!(page_window(3, 20), (40, 20));
        assert_eq!(page_window(1, 10_000), (0, 100));
        let (offset, _) = page_window(usize::MAX, 7);
        assert!(offset <= MAX_OFFSET);
        let (offset, _) = page_window(usize::MAX, 100);
        assert_eq!(offset, MAX_OFFSET);
    }

    #[test]
    fn escapes_html() {
        let mut s = String::new();
        escape_html(r#"<script>"a" & 'b'</script>"#, &mut s);
        assert_eq!(
            s,
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
