//! Evidence records in the search index, over HTTP: a published record is found by the
//! words of its claim by exactly those who may read it (signed out, signed in, members of its
//! organisation), a draft or a checked record by nobody, a deleted one no longer; the type
//! and strength facets count and filter; the search page shows evidence hits with their
//! tag and line; "more like this" and the item lists of place pages stay items only.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{Client, Org, TestApp};
use crate::on_both_databases;

on_both_databases!(
    evidence_is_found_by_exactly_those_who_may_read_it,
    evidence_facets_filters_and_items_only_lists
);

/// A place, an organisation in it, another organisation elsewhere, an agenda term.
struct World {
    org: Org,
    other: Org,
    place: String,
    agenda: String,
}

async fn world(app: &TestApp) -> World {
    let given = app.given();
    let place = given.place("fylde-coast").await;
    let org = given.organisation_in("blackpool", &place).await;
    let other = given.organisation("chorley").await;
    let agenda = given.term("agenda", "Health").await;
    World {
        org,
        other,
        place: place.id,
        agenda,
    }
}

/// A valid API body; `extra` changes fields.
fn body(w: &World, claim: &str, extra: Value) -> Value {
    let mut b = json!({
        "claim": claim,
        "agendas": [w.agenda], "places": [w.place],
        "measure_name": "GP appointments", "measure_value": 17, "measure_unit": "% fewer",
        "measure_period": "twelve months",
        "source_title": "An illustrative evaluation", "source_publisher": "Fylde Health Trust",
        "source_url": "https://example.org/evaluation",
        "evidence_type": "evaluation", "strength": 2, "visibility": "public",
    });
    if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    b
}

/// Records a draft; returns its id.
async fn record(author: &Client, body: Value) -> String {
    let (s, v) = author.api_post("/evidence", body).await;
    assert_eq!(s, StatusCode::CREATED, "evidence recorded: {v}");
    v["id"].as_str().expect("id").to_string()
}

async fn check(curator: &Client, id: &str) {
    let (s, v) = curator
        .api_post(&format!("/evidence/{id}/check"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "checked: {v}");
}

async fn publish(curator: &Client, id: &str) {
    check(curator, id).await;
    let (s, v) = curator
        .api_post(&format!("/evidence/{id}/publish"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "published: {v}");
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn search(client: &Client, query: &str) -> Value {
    let (s, v) = client.api_get(&format!("/search?{query}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn q(text: &str) -> String {
    format!("q={}", urlencode(text))
}

/// Waits until `query` finds `want` results for `client` (the index follows the database).
async fn wait_for_total(client: &Client, query: &str, want: u64) -> Value {
    for _ in 0..200 {
        let v = search(client, query).await;
        if v["total"].as_u64() == Some(want) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "search {query:?} never gave {want} results: {}",
        search(client, query).await
    );
}

/// Ids of the evidence hits.
fn evidence_ids(results: &Value) -> Vec<String> {
    let mut ids: Vec<String> = results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter(|h| h["kind"] == "evidence")
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

fn facet(results: &Value, name: &str) -> Vec<(String, u64)> {
    results["facets"][name]
        .as_array()
        .unwrap_or_else(|| panic!("facet {name}: {results}"))
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap_or_default().to_string(),
                f["count"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn pairs(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    v.iter().map(|(a, n)| (a.to_string(), *n)).collect()
}

/// The element with this id, to the first `end` tag after it (`</ol>`, `</ul>`).
fn section<'h>(html: &'h str, id: &str, end: &str) -> &'h str {
    html.split(&format!("id=\"{id}\""))
        .nth(1)
        .and_then(|rest| rest.split(end).next())
        .unwrap_or("")
}

async fn evidence_is_found_by_exactly_those_who_may_read_it(app: TestApp) {
    // Given: an author at Blackpool, a colleague there, a member of Chorley, a curator.
    let w = world(&app).await;
    let given = app.given();
    let author_person = given.person("contributor").member_of(&w.org).await;
    let author = author_person.api().await;
    let colleague = given.person("member").member_of(&w.org).await.api().await;
    let outsider = given.person("member").member_of(&w.other).await.api().await;
    let visitor = app.client();
    let admin = given.admin().await;

    // Records at each visibility, published; a draft and a checked one, not published.
    let public = record(
        &author,
        body(
            &w,
            "Quokkapublic walking groups cut GP appointments by 17 % (illustrative).",
            json!({}),
        ),
    )
    .await;
    let network = record(
        &author,
        body(
            &w,
            "Quokkanetwork walking groups cut GP appointments (illustrative).",
            json!({"visibility": "network"}),
        ),
    )
    .await;
    let organisation = record(
        &author,
        body(
            &w,
            "Quokkaorganisation walking groups cut GP appointments (illustrative).",
            json!({"visibility": "organisation"}),
        ),
    )
    .await;
    let _draft = record(
        &author,
        body(&w, "Quokkadraft walking groups (illustrative).", json!({})),
    )
    .await;
    let checked = record(
        &author,
        body(
            &w,
            "Quokkachecked walking groups (illustrative).",
            json!({}),
        ),
    )
    .await;
    check(admin, &checked).await;
    for id in [&public, &network, &organisation] {
        publish(admin, id).await;
    }
    // The network admin sees everything in the index: all three, so the index has caught up
    // with every change logged before the last publication.
    let all = wait_for_total(admin, &q("walking groups"), 3).await;
    let mut published = vec![public.clone(), network.clone(), organisation.clone()];
    published.sort();
    assert_eq!(evidence_ids(&all), published, "{all}");

    // Then: each reader finds exactly what they may read, by a word of its claim.
    for (who, client, sees) in [
        ("signed out", &visitor, vec![&public]),
        ("member elsewhere", &outsider, vec![&public, &network]),
        (
            "member of the organisation",
            &colleague,
            vec![&public, &network, &organisation],
        ),
        (
            "the author",
            &author,
            vec![&public, &network, &organisation],
        ),
    ] {
        let r = search(client, &q("walking groups")).await;
        let mut want: Vec<String> = sees.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(evidence_ids(&r), want, "{who}: {r}");
        assert_eq!(r["total"].as_u64(), Some(want.len() as u64), "{who}: {r}");
        let kinds: u64 = facet(&r, "kind").iter().map(|(_, n)| n).sum();
        assert_eq!(kinds, want.len() as u64, "{who}: facets count only theirs");
        for (word, id) in [
            ("quokkapublic", &public),
            ("quokkanetwork", &network),
            ("quokkaorganisation", &organisation),
        ] {
            let r = search(client, &q(word)).await;
            assert_eq!(
                evidence_ids(&r),
                if sees.contains(&id) {
                    vec![id.clone()]
                } else {
                    vec![]
                },
                "{who} searching {word}: {r}"
            );
        }
        // A draft and a checked record are nobody's to find, not even their author's.
        for word in ["quokkadraft", "quokkachecked"] {
            let r = search(client, &q(word)).await;
            assert_eq!(r["total"], 0, "{who} finds {word}: {r}");
        }
    }
    for word in ["quokkadraft", "quokkachecked"] {
        let r = search(admin, &q(word)).await;
        assert_eq!(r["total"], 0, "the admin finds {word}: {r}");
    }

    // An evidence hit is an evidence record: its id, kind and page, never an item's.
    let r = search(&visitor, &q("quokkapublic")).await;
    let hit = &r["hits"][0];
    assert_eq!(hit["kind"], "evidence", "{r}");
    assert_eq!(hit["id"], public.as_str());
    assert_eq!(hit["url"], format!("/evidence/{public}"));
    assert_eq!(hit["evidence_type"], "evaluation");
    assert_eq!(hit["strength"], 2);
    assert!(
        hit["title"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Quokkapublic walking groups"),
        "the claim is the title: {hit}"
    );
    let (s, _) = visitor.api_get(&format!("/items/{public}")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "no item has an evidence record's id"
    );
    // Words of its source and measure find it too.
    let r = search(&visitor, &q("Fylde Health Trust quokkapublic")).await;
    assert_eq!(evidence_ids(&r), vec![public.clone()], "{r}");

    // The search page shows it signed out: the tag, the claim linked to the record, the line.
    let (s, html) = visitor.get_text("/library?q=quokkapublic").await;
    assert_eq!(s, StatusCode::OK);
    let results = section(&html, "results", "</ol>");
    assert!(
        results.contains(&format!("href=\"/evidence/{public}\"")),
        "{results}"
    );
    assert!(results.contains(">Evidence</strong>"), "{results}");
    assert!(
        results.contains("Evaluation · Level 2 · Fylde Coast"),
        "{results}"
    );
    let (_, html) = visitor.get_text("/library?q=quokkanetwork").await;
    assert!(
        !html.contains(&format!("/evidence/{network}")),
        "network evidence is not shown signed out"
    );

    // Deleting a published record takes it out of the index, for everyone.
    let (s, v) = admin
        .api_send(Method::DELETE, &format!("/evidence/{public}"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    wait_for_total(admin, &q("walking groups"), 2).await;
    let r = search(&visitor, &q("quokkapublic")).await;
    assert_eq!(r["total"], 0, "deleted: {r}");
    // A rebuild from the database holds the same: the published records only.
    app.app.reindex(|_, _| {}).await.expect("reindex");
    let r = search(admin, &q("walking groups")).await;
    let mut want = vec![network.clone(), organisation.clone()];
    want.sort();
    assert_eq!(evidence_ids(&r), want, "after reindex: {r}");
    let r = search(&colleague, &q("quokkaorganisation")).await;
    assert_eq!(evidence_ids(&r), vec![organisation.clone()], "{r}");
    let r = search(&outsider, &q("quokkaorganisation")).await;
    assert_eq!(r["total"], 0, "{r}");
}

async fn evidence_facets_filters_and_items_only_lists(app: TestApp) {
    // Given: three published records of two types and strengths, and three items that share
    // their words, in the same place.
    let w = world(&app).await;
    let given = app.given();
    let author = given
        .person("contributor")
        .member_of(&w.org)
        .await
        .api()
        .await;
    let admin = given.admin().await;
    let claim = |n: &str| {
        format!(
            "Zanzibar heather trail walkers {n} felt fitter after moorland walks (illustrative)."
        )
    };
    let mut records = Vec::new();
    for (n, evidence_type, strength) in [
        ("one", "evaluation", 2),
        ("two", "evaluation", 3),
        ("three", "survey", 2),
    ] {
        let id = record(
            &author,
            body(
                &w,
                &claim(n),
                json!({"evidence_type": evidence_type, "strength": strength}),
            ),
        )
        .await;
        publish(admin, &id).await;
        records.push(id);
    }
    let mut items = Vec::new();
    for n in ["first", "second", "third"] {
        let title = format!("Zanzibar heather trail walkers {n} on moorland walks");
        let id = given
            .item(&w.org)
            .titled(&title)
            .visibility("public")
            .with(json!({
                "place_id": w.place,
                "what_we_did": "Heather trail walkers felt fitter after moorland walks zanzibar.",
            }))
            .await;
        items.push(id);
    }
    let visitor = app.client();
    let r = wait_for_total(&visitor, &q("zanzibar"), 6).await;

    // Then: facets count the evidence by type and strength, and kinds side by side.
    assert_eq!(
        facet(&r, "kind"),
        pairs(&[("case_study", 3), ("evidence", 3)]),
        "{r}"
    );
    assert_eq!(
        facet(&r, "type"),
        pairs(&[("evaluation", 2), ("survey", 1)]),
        "{r}"
    );
    assert_eq!(facet(&r, "strength"), pairs(&[("2", 2), ("3", 1)]), "{r}");
    let places: u64 = facet(&r, "place").iter().map(|(_, n)| n).sum();
    assert_eq!(places, 6, "items and evidence in the place: {r}");

    // Filters: evidence only, by type, by strength; an item kind holds no evidence.
    let zanzibar = q("zanzibar");
    let r = search(&visitor, &format!("{zanzibar}&kind=evidence")).await;
    assert_eq!(r["total"], 3, "{r}");
    assert!(r["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .all(|h| h["kind"] == "evidence"));
    let r = search(&visitor, &format!("{zanzibar}&type=survey")).await;
    assert_eq!(evidence_ids(&r), vec![records[2].clone()], "{r}");
    let r = search(&visitor, &format!("{zanzibar}&strength=3")).await;
    assert_eq!(evidence_ids(&r), vec![records[1].clone()], "{r}");
    let r = search(&visitor, &format!("{zanzibar}&type=evaluation&strength=2")).await;
    assert_eq!(evidence_ids(&r), vec![records[0].clone()], "{r}");
    let r = search(&visitor, &format!("{zanzibar}&kind=case_study")).await;
    assert_eq!(r["total"], 3, "{r}");
    assert!(evidence_ids(&r).is_empty());
    assert!(facet(&r, "type").is_empty() && facet(&r, "strength").is_empty());
    assert_eq!(facet(&r, "kind"), pairs(&[("case_study", 3)]));

    // The page: the kind filter offers Evidence; type and strength facets as checkboxes,
    // working without JavaScript (a GET form).
    let (_, html) = visitor.get_text("/library?q=zanzibar").await;
    assert!(html.contains("Type of evidence") && html.contains(">Strength<"));
    assert!(
        html.contains("name=\"type\" value=\"evaluation\""),
        "{html}"
    );
    assert!(html.contains("name=\"strength\" value=\"3\""));
    assert!(html.contains("name=\"kind\" value=\"evidence\""));
    assert!(html.contains("Level 3"));
    let (_, html) = visitor.get_text("/library?q=zanzibar&type=survey").await;
    assert!(html.contains("1 result for"), "one survey");
    let chosen = section(&html, "filters", "</form>");
    assert!(
        chosen.contains("name=\"type\" value=\"survey\" checked"),
        "the chosen value stays ticked"
    );
    let (_, html) = visitor
        .get_text("/library?q=zanzibar&kind=case_study")
        .await;
    assert!(
        !html.contains("Type of evidence"),
        "no evidence facets without evidence hits"
    );

    // A place's item list stays items only (its evidence is listed apart).
    let (_, html) = visitor.get_text("/places/fylde-coast?q=zanzibar").await;
    let listed = section(&html, "results", "</ol>");
    assert!(!listed.is_empty(), "the place's results");
    for id in &records {
        assert!(!listed.contains(&format!("/evidence/{id}")), "{listed}");
    }
    assert!(listed.contains(&format!("/library/{}", items[0])));

    // "More like this" on an item names items, never evidence, though the evidence is
    // closer in words.
    wait_for_neighbours(&visitor).await;
    for item in &items {
        let (_, html) = visitor.get_text(&format!("/library/{item}")).await;
        let more = section(&html, "more-like-this", "</ul>");
        assert!(more.contains("/library/"), "similar items shown: {more}");
        assert!(!more.contains("/evidence/"), "{more}");
    }
}

/// Waits until the server has computed every item's "more like this" neighbours.
async fn wait_for_neighbours(client: &Client) {
    for _ in 0..400 {
        let (_, text) = client.get_text("/metrics").await;
        if text.lines().any(|l| l == "lz_search_similar_pending 0") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("more-like-this neighbours were never all computed");
}
