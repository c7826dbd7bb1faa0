//! Turns free text typed by anyone, filters and the caller's access into tantivy queries.
//! Never fails on odd input: there is no query syntax except "quoted phrases".

use std::collections::BTreeMap;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, EnableScoring, FuzzyTermQuery,
    Occur, PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocSet, Searcher, Term, TERMINATED};

use crate::schema::Fields;
use crate::{Access, Filters, SearchError};

/// Longer input is cut (at a character boundary) before parsing.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Only this many words (including words inside phrases) are searched.
pub const MAX_QUERY_WORDS: usize = 32;
/// A fuzzy word contributes at most this many variants to highlighting and suggestions.
const MAX_VARIANTS: usize = 8;

/// One searchable unit of the query text, already analysed.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// A single word: `term` is the analysed (stemmed) form, `surface` the typed, lowercased word.
    Word { term: String, surface: String },
    /// A quoted phrase: analysed terms with their positions (gaps where stop words were).
    Phrase { terms: Vec<(usize, String)> },
}

/// Splits raw text into quoted and unquoted parts. An unclosed quote runs to the end.
fn split_quotes(text: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut in_quote = false;
    for (i, part) in text.split('"').enumerate() {
        // Every `"` toggles; the first part is outside quotes.
        if i > 0 {
            in_quote = !in_quote;
        }
        if !part.trim().is_empty() {
            parts.push((in_quote, part));
        }
    }
    parts
}

/// Parses and analyses query text. Syntax characters (`:`, `(`, `~`, `^`, `[` ...) are simply
/// separators for the tokenizer, so nothing here can fail.
pub fn parse(text: &str, analyser: &TextAnalyzer) -> Vec<Clause> {
    let text = match text.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    let mut analyser = analyser.clone();
    let mut clauses = Vec::new();
    let mut words = 0usize;
    for (quoted, part) in split_quotes(text) {
        if words >= MAX_QUERY_WORDS {
            break;
        }
        let mut tokens: Vec<(usize, String, String)> = Vec::new();
        let mut stream = analyser.token_stream(part);
        while stream.advance() {
            if words >= MAX_QUERY_WORDS {
                break;
            }
            words += 1;
            let t = stream.token();
            let surface = part
                .get(t.offset_from..t.offset_to)
                .unwrap_or(&t.text)
                .to_lowercase();
            tokens.push((t.position, t.text.clone(), surface));
        }
        if quoted && tokens.len() > 1 {
            let first = tokens[0].0;
            let terms = tokens
                .into_iter()
                .map(|(pos, term, _)| (pos.saturating_sub(first), term))
                .collect();
            clauses.push(Clause::Phrase { terms });
        } else {
            for (_, term, surface) in tokens {
                let clause = Clause::Word { term, surface };
                // Repeating a word adds nothing under AND semantics.
                if !clauses.contains(&clause) {
                    clauses.push(clause);
                }
            }
        }
    }
    clauses
}

/// Levenshtein distance allowed for a word that is not in the index, by its typed length.
/// Numbers are never fuzzed: "2023" must not find "2024".
pub fn fuzzy_distance(surface: &str) -> u8 {
    if surface.chars().any(|c| c.is_numeric()) {
        return 0;
    }
    match surface.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Any of the clauses.
pub fn boxed_or(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// `term` in any text field, boosted per field.
pub fn exact_word(fields: &Fields, term: &str) -> Box<dyn Query> {
    boxed_or(
        fields
            .text_fields()
            .iter()
            .map(|&(field, boost)| {
                let q = TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                );
                Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>
            })
            .collect(),
    )
}

/// Terms within `distance` edits of `term` (transposition = 1 edit) in any text field.
pub fn fuzzy_word(fields: &Fields, term: &str, distance: u8) -> Box<dyn Query> {
    boxed_or(
        fields
            .text_fields()
            .iter()
            .map(|&(field, boost)| {
                let q = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true);
                Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>
            })
            .collect(),
    )
}

/// The phrase in any text field (terms keep their relative positions).
pub fn phrase(fields: &Fields, terms: &[(usize, String)]) -> Box<dyn Query> {
    boxed_or(
        fields
            .text_fields()
            .iter()
            .map(|&(field, boost)| {
                let terms = terms
                    .iter()
                    .map(|(pos, t)| (*pos, Term::from_field_text(field, t)))
                    .collect::<Vec<_>>();
                // `parse` only builds phrases of two or more terms, as PhraseQuery requires.
                let q = PhraseQuery::new_with_offset(terms);
                Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>
            })
            .collect(),
    )
}

/// Restricts to items the caller may see; `None` when everything is visible. Signed-in
/// callers hold the tokens of most items ("public", "network"), so for them the filter is
/// "all but the items whose tokens they lack": a union of the few restricted posting lists
/// instead of the nearly complete ones (same result, far less to read per query).
pub fn access_filter(
    searcher: &Searcher,
    fields: &Fields,
    access: &Access,
) -> Result<Option<Box<dyn Query>>, SearchError> {
    let tokens = match access {
        Access::Everything => return Ok(None),
        Access::Tokens(tokens) if tokens.is_empty() => return Ok(Some(Box::new(EmptyQuery))),
        Access::Tokens(tokens) => tokens,
    };
    let allowed = || {
        Box::new(TermSetQuery::new(
            tokens
                .iter()
                .map(|t| Term::from_field_text(fields.access, t)),
        )) as Box<dyn Query>
    };
    if !(tokens.iter().any(|t| t == "public") && tokens.iter().any(|t| t == "network")) {
        return Ok(Some(allowed()));
    }
    let mut forbidden = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let index = segment
            .inverted_index(fields.access)
            .map_err(SearchError::tantivy("reading access terms"))?;
        let mut stream = index
            .terms()
            .stream()
            .map_err(SearchError::io("reading access terms"))?;
        while stream.advance() {
            let token = String::from_utf8_lossy(stream.key()).into_owned();
            if !tokens.contains(&token) {
                forbidden.insert(token);
            }
        }
    }
    if forbidden.is_empty() {
        return Ok(None);
    }
    Ok(Some(Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (
            Occur::MustNot,
            Box::new(TermSetQuery::new(
                forbidden
                    .iter()
                    .map(|t| Term::from_field_text(fields.access, t)),
            )),
        ),
    ]))))
}

/// `few` (a query naming a handful of items) restricted to what `access` may see, built for
/// that: `few` leads the intersection and seeks into the posting lists of the tokens the
/// caller holds through their skip lists (the filter of [`access_filter`] reads whole posting
/// lists, several times the cost on an item page). Same result: each item carries exactly one
/// access token. The tokens add nothing to the score.
pub fn visible_among(fields: &Fields, few: Box<dyn Query>, access: &Access) -> Box<dyn Query> {
    let tokens = match access {
        Access::Everything => return few,
        Access::Tokens(tokens) => tokens,
    };
    let held = BooleanQuery::new(
        tokens
            .iter()
            .map(|t| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(fields.access, t),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                )
            })
            .collect(),
    );
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, few),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(held), 0.0)),
        ),
    ]))
}

fn any_of(field: Field, values: &[String]) -> Option<Box<dyn Query>> {
    if values.is_empty() {
        return None;
    }
    Some(Box::new(TermSetQuery::new(
        values.iter().map(|v| Term::from_field_text(field, v)),
    )))
}

/// One clause per non-empty filter: OR within a field, AND across fields (by the caller).
pub fn filter_clauses(fields: &Fields, filters: &Filters) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = [
        any_of(fields.kind, &filters.kind),
        any_of(fields.theme, &filters.theme),
        any_of(fields.agenda, &filters.agenda),
        any_of(fields.audience, &filters.audience),
        any_of(fields.place, &filters.place),
        any_of(fields.organisation, &filters.organisation),
        any_of(fields.evidence_type, &filters.evidence_type),
        any_of(fields.strength, &filters.strength),
    ]
    .into_iter()
    .flatten()
    .collect();
    if filters.items_only {
        out.push(items_only(fields));
    }
    if !filters.year.is_empty() {
        out.push(Box::new(TermSetQuery::new(
            filters
                .year
                .iter()
                .map(|y| Term::from_field_i64(fields.year, i64::from(*y))),
        )));
    }
    out
}

/// Every document but evidence records: learning items only.
pub fn items_only(fields: &Fields) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, evidence_records(fields)),
    ]))
}

/// Every evidence record (by its kind).
pub fn evidence_records(fields: &Fields) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(fields.kind, crate::EVIDENCE_KIND),
        IndexRecordOption::Basic,
    ))
}

/// ANDs scored clauses with non-scoring restrictions (filters must not change the ranking).
pub fn and_all(scored: Vec<Box<dyn Query>>, restrictions: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if restrictions.is_empty() && scored.is_empty() {
        return Box::new(AllQuery);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        scored.into_iter().map(|q| (Occur::Must, q)).collect();
    for r in restrictions {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(r, 0.0))));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Whether `query` matches at least one live document. Stops at the first one, so it costs
/// a few postings seeks, not a full count.
pub fn matches_any(searcher: &Searcher, query: &dyn Query) -> Result<bool, SearchError> {
    let weight = query
        .weight(EnableScoring::disabled_from_searcher(searcher))
        .map_err(SearchError::tantivy("building an existence check"))?;
    for segment in searcher.segment_readers() {
        let mut scorer = weight
            .scorer(segment, 1.0)
            .map_err(SearchError::tantivy("running an existence check"))?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if !segment.is_deleted(doc) {
                return Ok(true);
            }
            doc = scorer.advance();
        }
    }
    Ok(false)
}

/// Whether the analysed `term` occurs in a text field of a document the caller may see.
/// The cheap global doc_freq check comes first; the visibility check makes sure a word that
/// only exists in items hidden from the caller is treated (and reported) like a typo,
/// so "did you mean" cannot reveal private vocabulary.
pub fn word_exists(
    searcher: &Searcher,
    fields: &Fields,
    term: &str,
    access: Option<&dyn Query>,
) -> Result<bool, SearchError> {
    let mut doc_freq = 0u64;
    for (field, _) in fields.text_fields() {
        doc_freq += searcher
            .doc_freq(&Term::from_field_text(field, term))
            .map_err(SearchError::tantivy("reading a term's document frequency"))?;
    }
    if doc_freq == 0 {
        return Ok(false);
    }
    match access {
        None => Ok(true),
        Some(access) => {
            let q = BooleanQuery::new(vec![
                (Occur::Must, exact_word(fields, term)),
                (Occur::Must, access.box_clone()),
            ]);
            matches_any(searcher, &q)
        }
    }
}

/// Indexed terms within `distance` of `term` in the text fields, most frequent first, capped.
/// Used to highlight fuzzy matches in snippets and to find a suggestion; never for matching.
pub fn fuzzy_variants(
    searcher: &Searcher,
    fields: &Fields,
    term: &str,
    distance: u8,
) -> Result<Vec<(String, u64)>, SearchError> {
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    for (field, _) in fields.text_fields() {
        terms_within(searcher, field, term, distance, &mut found)?;
    }
    Ok(most_frequent(found))
}

/// What a misspelt word was probably meant to be: the words as written within `distance` of
/// `surface` (the word as typed), stemmed like the text fields, most frequent first, capped.
/// Stems are too short to compare a misspelling with: "walkng" is two edits from "walk" but
/// one from "walking".
pub fn spelling_variants(
    searcher: &Searcher,
    fields: &Fields,
    surface: &str,
    distance: u8,
    analyser: &TextAnalyzer,
) -> Result<Vec<(String, u64)>, SearchError> {
    let mut spelling = crate::schema::spelling_analyser();
    let mut stream = spelling.token_stream(surface);
    let written = if stream.advance() {
        stream.token().text.clone()
    } else {
        return Ok(Vec::new());
    };
    let mut words: BTreeMap<String, u64> = BTreeMap::new();
    terms_within(searcher, fields.spelling, &written, distance, &mut words)?;
    // Words that share a stem ("walking", "walked") are one variant.
    let mut analyser = analyser.clone();
    let mut stems: BTreeMap<String, u64> = BTreeMap::new();
    for (word, doc_freq) in words {
        let mut stream = analyser.token_stream(&word);
        if stream.advance() {
            *stems.entry(stream.token().text.clone()).or_default() += doc_freq;
        }
    }
    Ok(most_frequent(stems))
}

/// Adds the terms of `field` within `distance` of `term` (transposition = 1 edit), with
/// their document frequencies, to `found`.
fn terms_within(
    searcher: &Searcher,
    field: Field,
    term: &str,
    distance: u8,
    found: &mut BTreeMap<String, u64>,
) -> Result<(), SearchError> {
    let automaton = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true)
        .automaton()
        .map_err(SearchError::tantivy("building a fuzzy automaton"))?;
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(field)
            .map_err(SearchError::tantivy("opening a term dictionary"))?;
        let mut stream = inverted
            .terms()
            .search(&automaton)
            .into_stream()
            .map_err(SearchError::io("streaming fuzzy terms"))?;
        while let Some((key, info)) = stream.next() {
            if let Ok(text) = std::str::from_utf8(key) {
                *found.entry(text.to_string()).or_default() += u64::from(info.doc_freq);
            }
            // A short term in a huge vocabulary could expand a lot; enough is enough.
            if found.len() >= 64 {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn most_frequent(found: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut variants: Vec<(String, u64)> = found.into_iter().collect();
    variants.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    variants.truncate(MAX_VARIANTS);
    variants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::analyser;

    fn words(clauses: &[Clause]) -> Vec<String> {
        clauses
            .iter()
            .map(|c| match c {
                Clause::Word { term, .. } => term.clone(),
                Clause::Phrase { terms } => {
                    let t: Vec<String> = terms.iter().map(|(p, t)| format!("{p}:{t}")).collect();
                    format!("\"{}\"", t.join(" "))
                }
            })
            .collect()
    }

    #[test]
    fn parses_words_and_phrases() {
        let a = analyser().unwrap();
        let c = parse(r#"Walking "state of the art" guides"#, &a);
        assert_eq!(words(&c), vec!["walk", "\"0:state 3:art\"", "guid"]);
    }

    #[test]
    fn hostile_syntax_is_just_words() {
        let a = analyser().unwrap();
        let c = parse(r#"title:(foo AND OR) "unclosed ~2^ [a TO"#, &a);
        // "and"/"or"/"a"/"to" are stop words; the unclosed quote becomes a phrase.
        assert_eq!(words(&c), vec!["titl", "foo", "\"0:unclos 1:2\""]);
        assert!(parse("\"\"\"", &a).is_empty());
        assert!(parse("   ", &a).is_empty());
    }

    #[test]
    fn caps_length_and_word_count() {
        let a = analyser().unwrap();
        let long: String = (0..5_000).map(|i| format!("w{i} ")).collect();
        let c = parse(&long, &a);
        assert_eq!(c.len(), MAX_QUERY_WORDS);
        // A single 10 kB word is cut at 1,000 chars and then dropped as too long a token.
        assert!(parse(&"x".repeat(10_000), &a).is_empty());
        // Multi-byte text is cut at a character boundary without panicking.
        let _ = parse(&"é".repeat(3_000), &a);
    }

    #[test]
    fn fuzzy_distance_by_length() {
        assert_eq!(fuzzy_distance("cat"), 0);
        assert_eq!(fuzzy_distance("walk"), 1);
        assert_eq!(fuzzy_distance("walking"), 1);
        assert_eq!(fuzzy_distance("hydrotheraphy"), 2);
        assert_eq!(fuzzy_distance("2023"), 0);
    }
}
