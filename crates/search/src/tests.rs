//! Behaviour tests of the public API: durability, visibility, typo tolerance, facets, paging.
//! Each test builds its own small index (in RAM unless it tests the on-disk behaviour).

use std::path::PathBuf;
use std::time::Instant;

use super::*;

fn doc(id: &str, title: &str) -> SearchDoc {
    SearchDoc {
        id: id.to_string(),
        kind: "case_study".to_string(),
        title: title.to_string(),
        summary: format!("Summary of {title}"),
        body: format!("The body of {title}."),
        year: 2023,
        published_at: 1_700_000_000_000,
        access: vec!["public".to_string()],
        ..SearchDoc::default()
    }
}

fn req(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.to_string(),
        page: 1,
        per_page: 20,
        ..SearchRequest::default()
    }
}

fn ids(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.id.as_str()).collect()
}

fn public() -> Access {
    Access::Tokens(vec!["public".to_string()])
}

/// A fresh directory under the system temp dir (no tempfile crate needed).
fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "lz-search-test-{name}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn index_is_clone_send_sync() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<SearchIndex>();
}

#[test]
fn search_right_after_apply_sees_the_change() {
    let idx = SearchIndex::open_in_ram().unwrap();
    assert_eq!(idx.applied_seq(), 0);
    assert_eq!(idx.doc_count(), 0);
    idx.apply(vec![doc("a", "Walking to school")], vec![], 1)
        .unwrap();
    assert_eq!(idx.applied_seq(), 1);
    assert_eq!(idx.doc_count(), 1);
    let r = idx.search(&req("walking"), &public()).unwrap();
    assert_eq!(ids(&r), vec!["a"]);
    assert_eq!(r.total, 1);
}

#[test]
fn browsing_is_cached_per_generation_and_reader() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let browse = SearchRequest {
        sort: Sort::Newest,
        ..req("")
    };
    let mut hidden = doc("h", "Members only");
    hidden.access = vec!["network".to_string()];
    idx.apply(vec![doc("a", "Walking"), hidden], vec![], 1)
        .unwrap();
    assert_eq!(idx.search(&browse, &public()).unwrap().total, 1);
    // Another reader's answer is not the cached one.
    let network = Access::Tokens(vec!["network".into(), "public".into()]);
    assert_eq!(idx.search(&browse, &network).unwrap().total, 2);
    assert_eq!(idx.search(&browse, &public()).unwrap().total, 1);
    // A change (a new generation) is seen at once, also in the facet counts.
    idx.apply(vec![doc("b", "Cycling")], vec!["a".to_string()], 2)
        .unwrap();
    let r = idx.search(&browse, &public()).unwrap();
    assert_eq!(ids(&r), vec!["b"]);
    assert_eq!(
        r.facets.kind,
        vec![FacetCount {
            value: "case_study".into(),
            count: 1
        }]
    );
    // Other pages and filters are other entries.
    let page2 = SearchRequest {
        page: 2,
        ..browse.clone()
    };
    assert!(idx.search(&page2, &public()).unwrap().hits.is_empty());
}

#[test]
fn apply_upserts_deletes_and_is_idempotent() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let batch = vec![doc("a", "Cycling lanes"), doc("b", "Swimming pools")];
    idx.apply(batch.clone(), vec![], 1).unwrap();
    idx.apply(batch, vec![], 1).unwrap(); // replayed after a crash
    assert_eq!(idx.doc_count(), 2);

    // An upsert replaces the old version (old words are gone).
    idx.apply(vec![doc("a", "Rowing clubs")], vec![], 2)
        .unwrap();
    assert_eq!(idx.doc_count(), 2);
    assert_eq!(idx.search(&req("cycling"), &public()).unwrap().total, 0);
    assert_eq!(
        ids(&idx.search(&req("rowing"), &public()).unwrap()),
        vec!["a"]
    );

    // The same id twice in one batch keeps only the last version.
    idx.apply(
        vec![doc("c", "Tennis one"), doc("c", "Tennis two")],
        vec![],
        3,
    )
    .unwrap();
    assert_eq!(idx.search(&req("tennis"), &public()).unwrap().total, 1);

    idx.apply(vec![], vec!["b".to_string(), "missing".to_string()], 4)
        .unwrap();
    assert_eq!(idx.doc_count(), 2);
    assert_eq!(idx.search(&req("swimming"), &public()).unwrap().total, 0);
    assert_eq!(idx.applied_seq(), 4);
}

#[test]
fn seq_and_content_survive_reopen() {
    let dir = temp_dir("reopen");
    {
        let idx = SearchIndex::open(&dir).unwrap();
        assert_eq!(idx.applied_seq(), 0);
        idx.apply(vec![doc("a", "Parkrun volunteers")], vec![], 5)
            .unwrap();
    }
    let idx = SearchIndex::open(&dir).unwrap();
    assert_eq!(idx.applied_seq(), 5);
    assert_eq!(idx.doc_count(), 1);
    assert_eq!(
        ids(&idx.search(&req("parkrun"), &public()).unwrap()),
        vec!["a"]
    );
    drop(idx);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn other_schema_version_is_wiped_and_recreated() {
    let dir = temp_dir("version");
    let unrelated = dir.join("keep-me.txt");
    std::fs::write(&unrelated, "not ours").unwrap();
    {
        let idx = SearchIndex::open(&dir).unwrap();
        idx.apply(vec![doc("a", "Parkrun volunteers")], vec![], 9)
            .unwrap();
    }
    std::fs::write(dir.join(VERSION_FILE), "0").unwrap();
    let idx = SearchIndex::open(&dir).unwrap();
    assert_eq!(idx.applied_seq(), 0, "caller must replay from scratch");
    assert_eq!(idx.doc_count(), 0);
    assert!(unrelated.exists(), "only index files are deleted");
    // And the recreated index is usable and durable.
    idx.apply(vec![doc("b", "Tai chi")], vec![], 1).unwrap();
    drop(idx);
    assert_eq!(SearchIndex::open(&dir).unwrap().applied_seq(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hostile_or_odd_input_never_errors() {
    let idx = SearchIndex::open_in_ram().unwrap();
    idx.apply(vec![doc("a", "Foo title with unclosed things")], vec![], 1)
        .unwrap();
    let huge = "lorem ipsum ".repeat(1_000); // 12 kB
    let inputs = [
        r#"title:(foo AND OR) "unclosed ~2^ [a TO"#,
        "\"",
        "\"\"",
        "*",
        "?",
        "-",
        "+foo -bar",
        "foo~2^3",
        "[* TO *]",
        "(((",
        "\\",
        "\u{0}\u{1f600}é漢字",
        "a the of",
        "title:foo",
        &huge,
    ];
    for text in inputs {
        for sort in [Sort::Relevance, Sort::Newest] {
            let mut r = req(text);
            r.sort = sort;
            idx.search(&r, &public())
                .unwrap_or_else(|e| panic!("{text:?}: {e}"));
            idx.search(&r, &Access::Everything).unwrap();
        }
    }
    // Syntax characters are separators: `title:(foo` still finds "foo" in the title.
    let r = idx.search(&req(r#"title:(foo"#), &public()).unwrap();
    assert_eq!(ids(&r), vec!["a"]);
}

#[test]
fn very_long_query_answers_fast() {
    let idx = SearchIndex::open_in_ram().unwrap();
    idx.apply(vec![doc("a", "Walking")], vec![], 1).unwrap();
    let text: String = (0..2_000).map(|i| format!("qwzx{i} ")).collect(); // ~14 kB of typos
    let start = Instant::now();
    let r = idx.search(&req(&text), &public()).unwrap();
    assert_eq!(r.total, 0);
    assert!(r.fuzzy_words.len() <= MAX_QUERY_WORDS);
    assert!(start.elapsed().as_millis() < 2_000, "{:?}", start.elapsed());
}

#[test]
fn words_are_anded_and_phrases_are_exact() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut a = doc("a", "Active travel");
    a.body = "Making active travel the easy choice for school runs.".into();
    let mut b = doc("b", "Travel plans");
    b.body = "Plans for travel that is active and green.".into();
    idx.apply(vec![a, b], vec![], 1).unwrap();

    let mut both = ids(&idx.search(&req("active travel"), &public()).unwrap())
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    both.sort();
    assert_eq!(both, vec!["a", "b"]);
    assert_eq!(
        ids(&idx.search(&req("\"active travel\""), &public()).unwrap()),
        vec!["a"]
    );
    // AND: one word missing everywhere means no result.
    assert_eq!(
        idx.search(&req("active zebra"), &public()).unwrap().total,
        0
    );
    // Stemming: "runs" finds "run", "choices" finds "choice".
    assert_eq!(
        ids(&idx.search(&req("run choices"), &public()).unwrap()),
        vec!["a"]
    );
    // Stop words inside a phrase keep their gap.
    assert_eq!(
        ids(&idx.search(&req("\"travel the easy\""), &public()).unwrap()),
        vec!["a"]
    );
}

#[test]
fn title_matches_rank_above_body_matches() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut body_only = doc("body", "Something else");
    body_only.body = "We talk about allotments here.".into();
    let title = doc("title", "Allotments");
    idx.apply(vec![body_only, title], vec![], 1).unwrap();
    let r = idx.search(&req("allotments"), &public()).unwrap();
    assert_eq!(ids(&r), vec!["title", "body"]);
    assert!(r.hits[0].score > r.hits[1].score);
}

#[test]
fn misspelt_word_in_attachments_only_is_found_fuzzily() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut a = doc("a", "Pool sessions");
    a.attachments_text = "The report covers hydrotherapy for older adults.".into();
    idx.apply(vec![a, doc("b", "Unrelated")], vec![], 1)
        .unwrap();

    // Exact word, only in attachments.
    let r = idx.search(&req("hydrotherapy"), &public()).unwrap();
    assert_eq!(ids(&r), vec!["a"]);
    assert!(
        r.fuzzy_words.is_empty(),
        "existing words are searched exactly"
    );
    assert!(r.corrected.is_empty());
    assert!(r.hits[0].snippet_html.contains("<mark>hydrotherapy</mark>"));

    // Misspelt (distance 1 after stemming; 13 chars allows 2).
    let r = idx.search(&req("hydrotheraphy"), &public()).unwrap();
    assert_eq!(ids(&r), vec!["a"]);
    assert_eq!(r.fuzzy_words, vec!["hydrotheraphy".to_string()]);
    assert_eq!(
        r.corrected,
        vec![("hydrotheraphy".to_string(), "hydrotherapy".to_string())]
    );
    assert!(
        r.hits[0].snippet_html.contains("<mark>hydrotherapy</mark>"),
        "{}",
        r.hits[0].snippet_html
    );

    // A transposition counts as one edit ("sesisons" vs "sessions", 8 letters: up to 2).
    let r = idx.search(&req("sesisons"), &public()).unwrap();
    assert_eq!(ids(&r), vec!["a"]);
    // Short words are never fuzzed.
    assert_eq!(idx.search(&req("poo"), &public()).unwrap().total, 0);
}

#[test]
fn hidden_items_are_invisible_everywhere() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut open = doc("open", "Green spaces and wellbeing");
    open.body = "Parks green spaces wellbeing walking groups community".into();
    open.themes = vec!["green-spaces".into()];
    open.organisations = vec!["council".into()];
    open.access = vec!["public".into()];
    let mut secret = doc("secret", "Green spaces and wellbeing pilot");
    secret.body = "Parks green spaces wellbeing walking groups community zyxwquark".into();
    secret.themes = vec!["green-spaces".into(), "secret-theme".into()];
    secret.organisations = vec!["org-x".into()];
    secret.places = vec!["secret-place".into()];
    secret.kind = "internal_report".into();
    secret.year = 2019;
    secret.access = vec!["org:X".into()];
    let mut net = doc("net", "Green spaces network notes");
    net.body = "Parks green spaces wellbeing walking groups".into();
    net.access = vec!["network".into()];
    idx.apply(vec![open, secret, net], vec![], 1).unwrap();

    let caller = Access::Tokens(vec!["public".into(), "network".into()]);
    for text in ["", "green spaces"] {
        let r = idx.search(&req(text), &caller).unwrap();
        assert_eq!(r.total, 2, "{text:?}");
        assert!(!ids(&r).contains(&"secret"));
        let all_values: Vec<&str> = [
            &r.facets.kind,
            &r.facets.theme,
            &r.facets.organisation,
            &r.facets.place,
            &r.facets.year,
        ]
        .iter()
        .flat_map(|f| f.iter().map(|c| c.value.as_str()))
        .collect();
        for leaked in [
            "internal_report",
            "secret-theme",
            "org-x",
            "secret-place",
            "2019",
        ] {
            assert!(
                !all_values.contains(&leaked),
                "{leaked} leaked for {text:?}"
            );
        }
        let green = r.facets.theme.iter().find(|c| c.value == "green-spaces");
        assert_eq!(green.map(|c| c.count), Some(1));
    }
    // A word only the hidden item has is not confirmed to exist (treated as a typo, no hit).
    let r = idx.search(&req("zyxwquark"), &caller).unwrap();
    assert_eq!(r.total, 0);
    assert!(r.corrected.is_empty());
    // More like this never returns it, and a hidden source item gives nothing.
    let mlt = idx.more_like_this("open", &caller, 10).unwrap();
    assert!(!mlt.iter().any(|h| h.id == "secret"));
    assert!(mlt.iter().any(|h| h.id == "net"));
    assert!(idx
        .more_like_this("secret", &caller, 10)
        .unwrap()
        .is_empty());
    // Signed out: only public.
    assert_eq!(ids(&idx.search(&req(""), &public()).unwrap()), vec!["open"]);
    // No tokens at all: nothing.
    assert_eq!(
        idx.search(&req(""), &Access::Tokens(vec![])).unwrap().total,
        0
    );
    // Admins see everything.
    let r = idx.search(&req("green"), &Access::Everything).unwrap();
    assert_eq!(r.total, 3);
    let mlt = idx.more_like_this("open", &Access::Everything, 10).unwrap();
    assert!(mlt.iter().any(|h| h.id == "secret"));
    assert!(!mlt.iter().any(|h| h.id == "open"), "excludes itself");
}

fn faceted_corpus() -> SearchIndex {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut docs = Vec::new();
    for (id, kind, themes, place, org, year) in [
        (
            "1",
            "case_study",
            vec!["a", "b"],
            Some("leeds"),
            Some("o1"),
            2021,
        ),
        ("2", "case_study", vec!["a"], Some("york"), Some("o2"), 2022),
        ("3", "practice_guide", vec!["b"], Some("leeds"), None, 2022),
        ("4", "report", vec!["c"], None, Some("o1"), 2023),
        (
            "5",
            "practice_guide",
            vec!["a", "c"],
            Some("hull"),
            Some("o3"),
            2023,
        ),
    ] {
        let mut d = doc(id, &format!("Item {id} about movement"));
        d.kind = kind.into();
        d.themes = themes.into_iter().map(String::from).collect();
        d.agendas = vec![format!("agenda-{}", year % 2)];
        d.audiences = vec!["coaches".into()];
        d.places = place.map(String::from).into_iter().collect();
        d.organisations = org.map(String::from).into_iter().collect();
        d.year = year;
        d.published_at = 1_600_000_000_000 + id.parse::<i64>().unwrap() * 1_000;
        docs.push(d);
    }
    idx.apply(docs, vec![], 1).unwrap();
    idx
}

fn fc(values: &[(&str, u64)]) -> Vec<FacetCount> {
    values
        .iter()
        .map(|(v, c)| FacetCount {
            value: v.to_string(),
            count: *c,
        })
        .collect()
}

#[test]
fn facets_count_the_filtered_result_set_sorted() {
    let idx = faceted_corpus();
    let r = idx.search(&req("movement"), &public()).unwrap();
    assert_eq!(r.total, 5);
    assert_eq!(
        r.facets.kind,
        fc(&[("case_study", 2), ("practice_guide", 2), ("report", 1)])
    );
    assert_eq!(r.facets.theme, fc(&[("a", 3), ("b", 2), ("c", 2)]));
    assert_eq!(
        r.facets.place,
        fc(&[("leeds", 2), ("hull", 1), ("york", 1)])
    );
    assert_eq!(
        r.facets.organisation,
        fc(&[("o1", 2), ("o2", 1), ("o3", 1)])
    );
    assert_eq!(r.facets.year, fc(&[("2022", 2), ("2023", 2), ("2021", 1)]));
    assert_eq!(r.facets.agenda, fc(&[("agenda-1", 3), ("agenda-0", 2)]));
    assert_eq!(r.facets.audience, fc(&[("coaches", 5)]));

    // With filters applied, counts cover only the filtered set.
    let mut q = req("");
    q.filters.theme = vec!["a".into()];
    let r = idx.search(&q, &public()).unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(r.facets.theme, fc(&[("a", 3), ("b", 1), ("c", 1)]));
}

#[test]
fn filters_or_within_and_across_fields() {
    let idx = faceted_corpus();
    let sorted = |r: SearchResults| {
        let mut v: Vec<String> = r.hits.into_iter().map(|h| h.id).collect();
        v.sort();
        v
    };
    let mut q = req("");
    q.filters.kind = vec!["case_study".into(), "report".into()];
    assert_eq!(
        sorted(idx.search(&q, &public()).unwrap()),
        vec!["1", "2", "4"]
    );
    q.filters.place = vec!["leeds".into()];
    assert_eq!(sorted(idx.search(&q, &public()).unwrap()), vec!["1"]);

    let mut q = req("movement");
    q.filters.year = vec![2022, 2023];
    q.filters.theme = vec!["c".into()];
    assert_eq!(sorted(idx.search(&q, &public()).unwrap()), vec!["4", "5"]);
    q.filters.organisation = vec!["o3".into()];
    q.filters.audience = vec!["coaches".into()];
    q.filters.agenda = vec!["agenda-1".into()];
    assert_eq!(sorted(idx.search(&q, &public()).unwrap()), vec!["5"]);
    q.filters.kind = vec!["nope".into()];
    assert_eq!(idx.search(&q, &public()).unwrap().total, 0);
}

#[test]
fn newest_sort_and_pagination() {
    let idx = faceted_corpus();
    let mut q = req("");
    q.sort = Sort::Newest;
    q.per_page = 2;
    let pages: Vec<Vec<String>> = (1..=3)
        .map(|page| {
            q.page = page;
            let r = idx.search(&q, &public()).unwrap();
            assert_eq!(r.total, 5);
            r.hits.into_iter().map(|h| h.id).collect()
        })
        .collect();
    assert_eq!(pages, vec![vec!["5", "4"], vec!["3", "2"], vec!["1"]]);
    q.page = 4;
    assert!(idx.search(&q, &public()).unwrap().hits.is_empty());
    // Absurd paging is clamped, not an error.
    q.page = usize::MAX;
    q.per_page = usize::MAX;
    assert!(idx.search(&q, &public()).unwrap().hits.is_empty());
    q.page = 0;
    q.per_page = 0;
    assert_eq!(idx.search(&q, &public()).unwrap().hits.len(), 1);
}

#[test]
fn snippets_escape_html_and_mark_matches() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut a = doc("a", "Escaping");
    a.body = "Before <script>alert('x')</script> & the trampoline park \"quote\" after.".into();
    let mut b = doc("b", "Browse me");
    b.summary = "A <b>bold</b> summary".into();
    idx.apply(vec![a, b], vec![], 1).unwrap();
    let r = idx.search(&req("trampolines"), &public()).unwrap();
    let html = &r.hits[0].snippet_html;
    assert!(html.contains("<mark>trampoline</mark>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"),
        "{html}"
    );
    assert!(html.contains("&quot;quote&quot;"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    // Without highlights (browse), the summary is shown, escaped.
    let mut q = req("");
    q.filters.kind = vec!["case_study".into()];
    let r = idx.search(&q, &public()).unwrap();
    let b = r.hits.iter().find(|h| h.id == "b").unwrap();
    assert_eq!(b.snippet_html, "A &lt;b&gt;bold&lt;/b&gt; summary");
}

#[test]
fn snippet_falls_back_to_summary_then_attachments_and_is_bounded() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut a = doc("a", "Fallbacks");
    a.body = "word ".repeat(2_000);
    a.summary = "Mentions netball once.".into();
    a.attachments_text = "Only the attachment says korfball.".into();
    idx.apply(vec![a], vec![], 1).unwrap();
    let r = idx.search(&req("netball"), &public()).unwrap();
    assert!(r.hits[0].snippet_html.contains("<mark>netball</mark>"));
    let r = idx.search(&req("korfball"), &public()).unwrap();
    assert!(r.hits[0].snippet_html.contains("<mark>korfball</mark>"));
    let r = idx.search(&req("word"), &public()).unwrap();
    let text = r.hits[0]
        .snippet_html
        .replace("<mark>", "")
        .replace("</mark>", "");
    assert!(text.chars().count() <= SNIPPET_CHARS, "{}", text.len());
    assert!(text.len() > SNIPPET_CHARS / 2);
}

#[test]
fn huge_attachments_are_capped() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut a = doc("a", "Huge");
    // "early" at the start, "late" beyond the 200 kB indexing cap.
    a.attachments_text = format!("early {} lateword", "filler ".repeat(40_000));
    idx.apply(vec![a], vec![], 1).unwrap();
    assert_eq!(idx.search(&req("early"), &public()).unwrap().total, 1);
    assert_eq!(idx.search(&req("lateword"), &public()).unwrap().total, 0);
}

#[test]
fn more_like_this_finds_similar_items() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut docs = Vec::new();
    for i in 0..20 {
        let mut d = doc(&format!("d{i}"), &format!("Generic item {i}"));
        d.body = format!("Generic filler text number {i} about meetings and budgets.");
        docs.push(d);
    }
    let mut swim = doc("swim", "Swimming lessons for children");
    swim.body = "Swimming lessons pools lifeguards children water confidence".into();
    let mut swim2 = doc("swim2", "Learn to swim in local pools");
    swim2.body = "Pools lifeguards water confidence for children, swimming lessons".into();
    docs.push(swim);
    docs.push(swim2);
    idx.apply(docs, vec![], 1).unwrap();
    let hits = idx.more_like_this("swim", &public(), 5).unwrap();
    assert_eq!(hits.first().map(|h| h.id.as_str()), Some("swim2"));
    assert!(hits.iter().all(|h| h.id != "swim"));
    assert!(hits.len() <= 5);
    assert!(idx
        .more_like_this("missing", &public(), 5)
        .unwrap()
        .is_empty());
    assert!(idx.more_like_this("swim", &public(), 0).unwrap().is_empty());

    // The answer outlives a commit that touches neither the item nor its hits …
    let before = idx.more_like_this("swim", &public(), 5).unwrap();
    let mut other = doc("swim3", "Swimming lessons pools lifeguards children");
    other.body = "Swimming lessons pools lifeguards children water confidence".into();
    idx.apply(vec![other], vec![], 2).unwrap();
    assert_eq!(idx.more_like_this("swim", &public(), 5).unwrap(), before);
    // … but a hit that is withdrawn or hidden from the reader leaves it at once.
    let mut hidden = doc("swim2", "Learn to swim in local pools");
    hidden.access = vec!["network".to_string()];
    idx.apply(vec![hidden], vec![], 3).unwrap();
    let after = idx.more_like_this("swim", &public(), 5).unwrap();
    assert!(after.iter().all(|h| h.id != "swim2"), "{after:?}");
    assert_eq!(after.first().map(|h| h.id.as_str()), Some("swim3"));
    idx.apply(vec![], vec!["swim3".to_string()], 4).unwrap();
    let after = idx.more_like_this("swim", &public(), 5).unwrap();
    assert!(after.iter().all(|h| h.id != "swim3"));
    // The item itself hidden: nothing, not the cached answer.
    let mut gone = doc("swim", "Swimming lessons for children");
    gone.access = vec!["network".to_string()];
    idx.apply(vec![gone], vec![], 5).unwrap();
    assert!(idx.more_like_this("swim", &public(), 5).unwrap().is_empty());
}

#[test]
fn rebuild_replaces_everything_atomically() {
    let idx = SearchIndex::open_in_ram().unwrap();
    idx.apply(vec![doc("old", "Old content")], vec![], 3)
        .unwrap();

    let mut rebuild = idx.rebuild().unwrap();
    rebuild.add(&doc("new1", "New content")).unwrap();
    rebuild.add(&doc("new2", "Newer content")).unwrap();
    // The same id fed twice keeps the last one only.
    rebuild.add(&doc("new2", "New content")).unwrap();
    // Old content stays searchable; changes must wait for the rebuild.
    assert_eq!(
        ids(&idx.search(&req("content"), &public()).unwrap()),
        vec!["old"]
    );
    assert!(matches!(
        idx.apply(vec![doc("x", "x")], vec![], 4),
        Err(SearchError::RebuildInProgress)
    ));
    assert!(matches!(idx.rebuild(), Err(SearchError::RebuildInProgress)));
    rebuild.finish(10).unwrap();

    assert_eq!(idx.applied_seq(), 10);
    assert_eq!(idx.doc_count(), 2);
    let r = idx.search(&req("content"), &public()).unwrap();
    assert_eq!(r.total, 2);
    assert!(!ids(&r).contains(&"old"));

    // An abandoned rebuild changes nothing and frees the writer.
    let mut abandoned = idx.rebuild().unwrap();
    abandoned.add(&doc("ghost", "Ghost")).unwrap();
    drop(abandoned);
    assert_eq!(idx.doc_count(), 2);
    idx.apply(vec![doc("after", "After content")], vec![], 11)
        .unwrap();
    assert_eq!(idx.doc_count(), 3);
    assert_eq!(idx.search(&req("ghost"), &public()).unwrap().total, 0);
}

/// Deterministic generated corpus for the volume test.
fn generated(i: usize) -> SearchDoc {
    const WORDS: [&str; 24] = [
        "walking",
        "cycling",
        "parks",
        "schools",
        "community",
        "health",
        "volunteers",
        "coaching",
        "inclusion",
        "disability",
        "older",
        "adults",
        "children",
        "funding",
        "evaluation",
        "outcomes",
        "partnership",
        "leisure",
        "football",
        "swimming",
        "dance",
        "netball",
        "transport",
        "planning",
    ];
    let w = |k: usize| WORDS[(i * 7 + k * 13) % WORDS.len()];
    SearchDoc {
        id: format!("item-{i}"),
        kind: ["case_study", "practice_guide", "report"][i % 3].into(),
        title: format!("{} and {} in {}", w(1), w(2), w(3)),
        summary: format!("How {} supports {} through {}", w(4), w(5), w(6)),
        body: (0..60).map(w).collect::<Vec<_>>().join(" "),
        attachments_text: (0..100).map(|k| w(k + 3)).collect::<Vec<_>>().join(" "),
        themes: vec![format!("theme-{}", i % 12), format!("theme-{}", i % 5)],
        agendas: vec![format!("agenda-{}", i % 4)],
        audiences: vec![format!("audience-{}", i % 3)],
        places: vec![format!("place-{}", i % 40)],
        organisations: vec![format!("org-{}", i % 200)],
        evidence_type: None,
        strength: None,
        year: 2015 + (i % 10) as i32,
        published_at: 1_500_000_000_000 + i as i64 * 60_000,
        access: if i.is_multiple_of(10) {
            vec![format!("org:{}", i % 200)]
        } else {
            vec!["public".into()]
        },
    }
}

#[test]
fn indexes_five_thousand_docs_quickly() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let docs: Vec<SearchDoc> = (0..5_000).map(generated).collect();
    let start = Instant::now();
    idx.apply(docs, vec![], 1).unwrap();
    let indexing = start.elapsed();
    assert_eq!(idx.doc_count(), 5_000);

    let start = Instant::now();
    let r = idx.search(&req("walking health"), &public()).unwrap();
    let exact = start.elapsed();
    assert!(r.total > 0);
    assert!(r.facets.theme.len() <= MAX_FACET_VALUES);

    let start = Instant::now();
    // Typos inside the word (after stemming, "healht" is one transposition from "health").
    let r = idx.search(&req("partnrship healht"), &public()).unwrap();
    let fuzzy = start.elapsed();
    assert!(r.total > 0);
    assert_eq!(r.fuzzy_words.len(), 2);

    let start = Instant::now();
    let mut browse = req("");
    browse.sort = Sort::Newest;
    let r = idx.search(&browse, &public()).unwrap();
    let browse_time = start.elapsed();
    assert_eq!(r.total, 4_500);
    assert_eq!(r.hits[0].id, "item-4999");

    let start = Instant::now();
    let mlt = idx.more_like_this("item-1", &public(), 10).unwrap();
    let mlt_time = start.elapsed();
    assert!(!mlt.is_empty());

    eprintln!(
        "5000 docs: index {indexing:?}, exact search {exact:?}, fuzzy search {fuzzy:?}, \
         browse+facets {browse_time:?}, more-like-this {mlt_time:?}"
    );
    assert!(indexing.as_secs() < 30, "indexing took {indexing:?}");
}

/// Signed-in readers are filtered by exclusion ("all but what they lack"): an item with no
/// token at all, or with tokens of other places and organisations, stays hidden; their own
/// organisation's item shows; a reader holding every token present sees all.
#[test]
fn exclusion_filter_hides_what_signed_in_readers_lack() {
    let index = SearchIndex::open_in_ram().expect("index");
    let with = |id: &str, access: &[&str]| SearchDoc {
        access: access.iter().map(|s| s.to_string()).collect(),
        ..doc(id, &format!("Curlew {id}"))
    };
    index
        .apply(
            vec![
                with("open", &["public"]),
                with("partners", &["network"]),
                with("nobody", &[]),
                with("theirs", &["org:b"]),
                with("ours", &["org:a"]),
                with("place", &["place:p"]),
            ],
            vec![],
            1,
        )
        .expect("apply");
    let member = |extra: &[&str]| {
        let mut t = vec!["public".to_string(), "network".to_string()];
        t.extend(extra.iter().map(|s| s.to_string()));
        Access::Tokens(t)
    };
    let found = |access: &Access| {
        let r = index.search(&req("curlew"), access).expect("search");
        let mut v: Vec<String> = ids(&r).into_iter().map(String::from).collect();
        v.sort();
        (r.total, v)
    };
    assert_eq!(
        found(&member(&["org:a"])),
        (3, vec!["open".into(), "ours".into(), "partners".into()])
    );
    assert_eq!(
        found(&member(&["org:a", "org:b", "place:p"])).0,
        5,
        "nobody's item stays hidden"
    );
    assert_eq!(found(&public()), (1, vec!["open".into()]));
    assert_eq!(found(&Access::Everything).0, 6);
}

/// Precomputed neighbours narrowed to a reader give exactly what the full query gives that
/// reader, never show what the reader may not see, and follow withdrawals at once.
#[test]
fn precomputed_neighbours_match_the_full_query_for_every_reader() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let words = [
        "walking football older men",
        "swimming lessons children pools",
        "park run volunteers community",
        "cycling schools active travel",
        "dementia friendly dance sessions",
    ];
    let scopes = ["public", "network", "place:p1", "org:o1"];
    let mut docs = Vec::new();
    for i in 0..60 {
        let topic = words[i % words.len()];
        let mut d = doc(&format!("d{i}"), &format!("{topic} {i}"));
        d.body = format!("{topic} {} notes {i}", words[(i / 5) % words.len()]);
        d.access = vec![scopes[i % scopes.len()].to_string()];
        docs.push(d);
    }
    idx.apply(docs, vec![], 1).unwrap();
    assert_eq!(
        idx.neighbours_pending().unwrap(),
        60,
        "every indexed item is queued"
    );
    assert!(idx
        .precomputed_more_like_this("d0", &public(), 5)
        .unwrap()
        .is_none());
    while idx.compute_neighbours(7).unwrap() > 0 {}
    assert_eq!(idx.neighbours_pending().unwrap(), 0);

    let readers = [
        public(),
        Access::Tokens(vec!["public".into(), "network".into()]),
        Access::Tokens(vec!["public".into(), "network".into(), "place:p1".into()]),
        Access::Tokens(vec![]),
        Access::Everything,
    ];
    let hit_ids = |hits: &[Hit]| hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    let mut answered = 0;
    for i in 0..60 {
        let id = format!("d{i}");
        for reader in &readers {
            // The full query first: the precomputed answer is then cached, and
            // `more_like_this` would return it.
            let full = idx.more_like_this(&id, reader, 5).unwrap();
            let Some(pre) = idx.precomputed_more_like_this(&id, reader, 5).unwrap() else {
                continue;
            };
            answered += 1;
            assert_eq!(hit_ids(&pre), hit_ids(&full), "{id} for {reader:?}");
            if let Access::Tokens(tokens) = reader {
                for h in &pre {
                    let n: usize = h.id[1..].parse().unwrap();
                    assert!(tokens.contains(&scopes[n % scopes.len()].to_string()));
                }
            }
        }
    }
    assert!(answered > 100, "precomputed lists answered only {answered}");

    // A withdrawn neighbour leaves at once; the edited item is queued again, first.
    let first = idx
        .precomputed_more_like_this("d0", &Access::Everything, 5)
        .unwrap()
        .unwrap();
    let gone = first[0].id.clone();
    idx.apply(
        vec![doc("d1", "walking football older men 1")],
        vec![gone.clone()],
        2,
    )
    .unwrap();
    let after = idx
        .precomputed_more_like_this("d0", &Access::Everything, 5)
        .unwrap()
        .unwrap();
    assert!(after.iter().all(|h| h.id != gone), "{after:?}");
    assert_eq!(idx.neighbours_pending().unwrap(), 1);
    // A rebuild queues everything again and forgets the old lists.
    let mut rebuild = idx.rebuild().unwrap();
    rebuild.add(&doc("solo", "a single item")).unwrap();
    rebuild.finish(3).unwrap();
    assert_eq!(idx.neighbours_pending().unwrap(), 1);
    assert!(idx
        .precomputed_more_like_this("d0", &Access::Everything, 5)
        .unwrap()
        .is_none());
}

/// When too few of an item's neighbours are visible to a reader, the precomputed answer
/// gives way to the full query (which looks past the list).
#[test]
fn too_few_visible_neighbours_fall_back_to_the_full_query() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut docs = vec![doc("source", "walking football older men")];
    for i in 0..40 {
        let mut d = doc(&format!("n{i}"), "walking football older men");
        d.access = vec!["network".into()];
        docs.push(d);
    }
    let mut far = doc("far", "walking in the hills");
    far.body = "football".into();
    docs.push(far);
    idx.apply(docs, vec![], 1).unwrap();
    while idx.compute_neighbours(100).unwrap() > 0 {}
    assert!(idx
        .precomputed_more_like_this("source", &public(), 5)
        .unwrap()
        .is_none());
    let full = idx.more_like_this("source", &public(), 5).unwrap();
    assert_eq!(
        full.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["far"]
    );
    // The secret source gives the signed-out nothing, precomputed or not.
    let mut hidden = doc("hidden", "walking football older men");
    hidden.access = vec!["network".into()];
    idx.apply(vec![hidden], vec![], 2).unwrap();
    while idx.compute_neighbours(100).unwrap() > 0 {}
    assert_eq!(
        idx.precomputed_more_like_this("hidden", &public(), 5)
            .unwrap(),
        Some(Vec::new())
    );
}

/// The commonest words, misspelt as people type them: each is compared with the words as
/// written, not with their stems ("walkng" is one edit from "walking", two from "walk").
#[test]
fn common_misspellings_find_their_word() {
    let idx = SearchIndex::open_in_ram().expect("an index in memory");
    let mut walk = doc("walk", "Walking groups for older adults");
    walk.body =
        "Weekly walking in the park raised physical activity among inactive residents.".into();
    let mut swim = doc("swim", "Swimming lessons for children");
    swim.body =
        "Free swimming sessions in the school holidays, with volunteers and coaches.".into();
    let mut prescribing = doc("gp", "Social prescribing in general practice");
    prescribing.body =
        "Link workers refer patients to community organisations and leisure centres.".into();
    idx.apply(vec![walk, swim, prescribing], vec![], 1)
        .expect("indexed");
    let cases = [
        ("walkng", "walk"),
        ("walkin", "walk"),
        ("wlaking", "walk"),
        ("activty", "walk"),
        ("actvity", "walk"),
        ("physcial", "walk"),
        ("phsyical", "walk"),
        ("inactve", "walk"),
        ("swiming", "swim"),
        ("swimmng", "swim"),
        ("childern", "swim"),
        ("voluntears", "swim"),
        ("prescibing", "gp"),
        ("perscribing", "gp"),
        ("comunity", "gp"),
        ("leisue", "gp"),
        ("walkng groups", "walk"),
        ("physcial activty", "walk"),
    ];
    for (typed, expected) in cases {
        let r = idx.search(&req(typed), &public()).expect("a search");
        assert_eq!(ids(&r), vec![expected], "{typed:?} found {:?}", ids(&r));
        assert!(!r.fuzzy_words.is_empty(), "{typed:?} was searched as typed");
        assert!(
            r.hits[0].snippet_html.contains("<mark>"),
            "{typed:?}: the word it meant is highlighted: {}",
            r.hits[0].snippet_html
        );
    }
    // "Showing results for": the word as it appears in the text.
    let r = idx.search(&req("walkng"), &public()).expect("a search");
    assert_eq!(
        r.corrected,
        vec![("walkng".to_string(), "walking".to_string())]
    );
    // Still nothing for what is nowhere near a word of the library.
    let r = idx.search(&req("qwzxv"), &public()).expect("a search");
    assert!(r.hits.is_empty());
}

/// An evidence record's document: `evidence:<id>`, kind "evidence", claim as title.
fn evidence(id: &str, claim: &str, evidence_type: &str, strength: u8) -> SearchDoc {
    SearchDoc {
        id: evidence_doc_id(id),
        kind: EVIDENCE_KIND.to_string(),
        title: claim.to_string(),
        body: format!("Measure of {claim}. Evaluation report. {evidence_type}"),
        agendas: vec!["health".to_string()],
        places: vec!["blackpool".to_string(), "fylde".to_string()],
        organisations: vec!["council".to_string()],
        evidence_type: Some(evidence_type.to_string()),
        strength: Some(strength),
        year: 2026,
        published_at: 1_780_000_000_000,
        access: vec!["public".to_string()],
        ..SearchDoc::default()
    }
}

fn with_access(mut d: SearchDoc, token: &str) -> SearchDoc {
    d.access = vec![token.to_string()];
    d
}

#[test]
fn evidence_records_are_found_and_faceted_by_type_and_strength() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut item = doc("i1", "Walking groups in Blackpool");
    item.places = vec!["blackpool".into()];
    let docs = vec![
        item,
        doc("i2", "Walking football for older men"),
        evidence("e1", "Walking groups cut GP visits", "evaluation", 3),
        evidence("e2", "Walking doubled hub members", "survey", 2),
        evidence("e3", "Walking referrals grew", "evaluation", 2),
    ];
    idx.apply(docs, vec![], 1).unwrap();

    let r = idx.search(&req("walking"), &public()).unwrap();
    assert_eq!(r.total, 5);
    assert_eq!(r.facets.kind, fc(&[("evidence", 3), ("case_study", 2)]));
    assert_eq!(
        r.facets.evidence_type,
        fc(&[("evaluation", 2), ("survey", 1)])
    );
    assert_eq!(r.facets.strength, fc(&[("2", 2), ("3", 1)]));
    // Several places per record, each counted.
    assert_eq!(r.facets.place, fc(&[("blackpool", 4), ("fylde", 3)]));

    // An evidence hit says what it is, and is never an item's id.
    let gp = idx.search(&req("GP visits"), &public()).unwrap();
    assert_eq!(ids(&gp), vec!["evidence:e1"]);
    let hit = &gp.hits[0];
    assert_eq!(hit.kind, "evidence");
    assert_eq!(hit.evidence_id(), Some("e1"));
    assert_eq!(hit.evidence_type.as_deref(), Some("evaluation"));
    assert_eq!(hit.strength, Some(3));
    assert_eq!(hit.places, vec!["blackpool", "fylde"]);
    let items = idx.search(&req("football"), &public()).unwrap();
    assert_eq!(items.hits[0].evidence_id(), None);
    assert_eq!(items.hits[0].evidence_type, None);

    // Filters: kind, type, strength; items only.
    let mut q = req("walking");
    q.filters.kind = vec!["evidence".into()];
    assert_eq!(idx.search(&q, &public()).unwrap().total, 3);
    q.filters.evidence_type = vec!["evaluation".into()];
    assert_eq!(idx.search(&q, &public()).unwrap().total, 2);
    q.filters.strength = vec!["2".into()];
    assert_eq!(
        ids(&idx.search(&q, &public()).unwrap()),
        vec!["evidence:e3"]
    );
    let mut q = req("walking");
    q.filters.kind = vec!["case_study".into()];
    let r = idx.search(&q, &public()).unwrap();
    assert_eq!(r.total, 2, "an item kind's count holds no evidence");
    assert!(r.facets.evidence_type.is_empty() && r.facets.strength.is_empty());
    let mut q = req("walking");
    q.filters.items_only = true;
    let r = idx.search(&q, &public()).unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.facets.kind, fc(&[("case_study", 2)]));
    assert_eq!(r.facets.place, fc(&[("blackpool", 1)]));
    let mut q = req("");
    q.filters.items_only = true;
    q.filters.place = vec!["blackpool".into()];
    assert_eq!(ids(&idx.search(&q, &public()).unwrap()), vec!["i1"]);

    // Unpublished or deleted: it leaves the index.
    idx.apply(vec![], vec![evidence_doc_id("e1")], 2).unwrap();
    let r = idx.search(&req("walking"), &public()).unwrap();
    assert_eq!(r.total, 4);
    assert_eq!(r.facets.strength, fc(&[("2", 2)]));
}

#[test]
fn evidence_access_tokens_apply_inside_the_index() {
    let idx = SearchIndex::open_in_ram().unwrap();
    idx.apply(
        vec![
            evidence("pub", "Heather trail walkers", "survey", 1),
            with_access(
                evidence("net", "Heather trail network", "survey", 2),
                "network",
            ),
            with_access(
                evidence("org", "Heather trail organisation", "evaluation", 4),
                "org:o1",
            ),
            // An unknown visibility carries no token: only those who see everything.
            with_access(
                evidence("none", "Heather trail nobody", "evaluation", 5),
                "",
            ),
        ]
        .into_iter()
        .map(|mut d| {
            d.access.retain(|t| !t.is_empty());
            d
        })
        .collect(),
        vec![],
        1,
    )
    .unwrap();
    let signed_in = |orgs: &[&str]| {
        let mut t = vec!["public".to_string(), "network".to_string()];
        t.extend(orgs.iter().map(|o| format!("org:{o}")));
        Access::Tokens(t)
    };
    for (who, access, want) in [
        ("signed out", public(), vec!["pub"]),
        ("signed in", signed_in(&["o2"]), vec!["net", "pub"]),
        ("member", signed_in(&["o1"]), vec!["net", "org", "pub"]),
        (
            "everything",
            Access::Everything,
            vec!["net", "none", "org", "pub"],
        ),
    ] {
        let r = idx.search(&req("heather"), &access).unwrap();
        let mut got: Vec<&str> = r.hits.iter().filter_map(Hit::evidence_id).collect();
        got.sort();
        assert_eq!(got, want, "{who}");
        assert_eq!(r.total, want.len(), "{who}");
        let strengths: u64 = r.facets.strength.iter().map(|f| f.count).sum();
        assert_eq!(
            strengths,
            want.len() as u64,
            "{who}: facets count only what they see"
        );
    }
}

#[test]
fn evidence_is_never_among_similar_items() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut docs = Vec::new();
    for i in 0..20 {
        let mut d = doc(&format!("d{i}"), &format!("Generic item {i}"));
        d.body = format!("Generic filler text number {i} about meetings and budgets.");
        docs.push(d);
    }
    let mut swim = doc("swim", "Swimming lessons for children");
    swim.body = "Swimming lessons pools lifeguards children water confidence".into();
    let mut swim2 = doc("swim2", "Learn to swim in local pools");
    swim2.body = "Pools lifeguards water confidence for children".into();
    docs.push(swim);
    docs.push(swim2);
    // Evidence records closer to "swim" than any item.
    for i in 0..3 {
        let mut e = evidence(
            &format!("e{i}"),
            "Swimming lessons for children",
            "survey",
            2,
        );
        e.body = "Swimming lessons pools lifeguards children water confidence".into();
        docs.push(e);
    }
    idx.apply(docs, vec![], 1).unwrap();
    let hits = idx.more_like_this("swim", &Access::Everything, 10).unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h.kind != "evidence" && !h.id.starts_with("evidence:")),
        "{hits:?}"
    );
    assert_eq!(hits[0].id, "swim2");
    // An evidence record has no "more like this" of its own.
    assert!(idx
        .more_like_this(&evidence_doc_id("e0"), &Access::Everything, 5)
        .unwrap()
        .is_empty());
    // Neighbours computed ahead: items only, and none holds evidence.
    assert_eq!(idx.neighbours_pending().unwrap(), 22);
    while idx.compute_neighbours(100).unwrap() > 0 {}
    let pre = idx
        .precomputed_more_like_this("swim", &public(), 5)
        .unwrap()
        .expect("computed");
    assert!(pre.iter().all(|h| h.evidence_id().is_none()), "{pre:?}");
    assert!(idx
        .precomputed_more_like_this(&evidence_doc_id("e0"), &public(), 5)
        .unwrap()
        .is_none());
    // A newly indexed evidence record is not queued for neighbours either.
    idx.apply(
        vec![evidence("e9", "Swimming lessons", "survey", 1)],
        vec![],
        2,
    )
    .unwrap();
    assert_eq!(idx.neighbours_pending().unwrap(), 0);
}

#[test]
fn an_evidence_id_and_kind_go_together() {
    let idx = SearchIndex::open_in_ram().unwrap();
    let mut bad = evidence("e1", "A claim", "survey", 1);
    bad.id = "e1".into();
    assert!(matches!(
        idx.apply(vec![bad], vec![], 1),
        Err(SearchError::MixedKinds(_))
    ));
    let mut bad = doc("evidence:x", "An item pretending");
    bad.kind = "case_study".into();
    assert!(idx.apply(vec![bad.clone()], vec![], 1).is_err());
    let mut rebuild = idx.rebuild().unwrap();
    assert!(rebuild.add(&bad).is_err());
    drop(rebuild);
    assert_eq!(idx.applied_seq(), 0, "nothing committed");
    assert_eq!(evidence_id_of(&evidence_doc_id("abc")), Some("abc"));
    assert_eq!(evidence_id_of("0192-item"), None);
}

/// Property tests of the query text, which anyone may type (issue 20): for any input, parsing
/// does not panic and stays bounded, and a search never fails nor shows what the reader may
/// not see.
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::query::{parse, Clause, MAX_QUERY_WORDS};

    const PIECES: &[&str] = &[
        "\"",
        "walk",
        "walking",
        "walkng",
        ":",
        "(",
        ")",
        "~",
        "^",
        "*",
        "?",
        "AND",
        "OR",
        "NOT",
        "-",
        "+",
        "[",
        "]",
        "{",
        "}",
        "\\",
        "/",
        "é",
        "ß",
        "İ",
        "\u{200b}",
        "\u{202e}",
        " ",
        "  ",
        "\n",
        "\t",
        "2023",
        "physical activity",
        "title:",
        "a",
        "the",
        "😀",
        "\u{0}",
    ];

    fn query_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>().prop_map(|s| s.chars().take(2_000).collect()),
            proptest::collection::vec(proptest::sample::select(PIECES), 0..300)
                .prop_map(|v| v.concat()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Cases per run: 256.
        #[test]
        fn query_text_parses_bounded(text in query_text()) {
            let analyser = crate::schema::analyser().expect("analyser");
            let clauses = parse(&text, &analyser);
            let words: usize = clauses
                .iter()
                .map(|c| match c {
                    Clause::Word { .. } => 1,
                    Clause::Phrase { terms } => terms.len(),
                })
                .sum();
            prop_assert!(words <= MAX_QUERY_WORDS, "{words} words");
            for c in &clauses {
                if let Clause::Phrase { terms } = c {
                    prop_assert!(terms.len() > 1);
                    prop_assert_eq!(terms[0].0, 0);
                    prop_assert!(terms.windows(2).all(|w| w[0].0 <= w[1].0));
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 128,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Cases per run: 128 (each searches a small index).
        #[test]
        fn any_search_answers_and_hides_what_it_must(text in query_text()) {
            use std::sync::OnceLock;
            static INDEX: OnceLock<SearchIndex> = OnceLock::new();
            let idx = INDEX.get_or_init(|| {
                let idx = SearchIndex::open_in_ram().expect("index");
                let mut hidden = doc("h", "Walking members only");
                hidden.access = vec!["network".to_string()];
                idx.apply(vec![doc("a", "Walking to school in 2023"), hidden], vec![], 1)
                    .expect("apply");
                idx
            });
            let visitor = Access::Tokens(vec!["public".to_string()]);
            let found = idx.search(&req(&text), &visitor);
            prop_assert!(found.is_ok(), "{:?}", found.err());
            let found = found.expect("results");
            prop_assert!(found.hits.iter().all(|h| h.id != "h"), "a hidden item was found");
        }
    }
}
