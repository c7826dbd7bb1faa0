//! Citation details for researchers (issue 19): an item's original publication date, licence
//! and authors as they should be cited, set on the form or over the API, shown as "Cite this"
//! (APA and Harvard) with RIS and BibTeX downloads that independent readers (rispy,
//! bibtexparser) parse, and carried in the page's schema.org metadata.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{location, python_reads, TestApp};
use crate::on_both_databases;

on_both_databases!(
    an_item_is_cited_as_its_author_asks,
    bad_citation_details_are_refused_and_change_nothing
);

const RIS_READER: &str = "import json, sys, rispy\n\
with open(sys.argv[1], encoding='utf-8') as f:\n    entries = rispy.load(f)\n\
print(json.dumps(entries, default=str))";

const BIB_READER: &str = "import json, sys, bibtexparser\n\
lib = bibtexparser.parse_file(sys.argv[1])\n\
assert not lib.failed_blocks, lib.failed_blocks\n\
print(json.dumps([dict(entry_type=e.entry_type, entry_key=e.key, **{k: f.value for k, f in e.fields_dict.items()}) for e in lib.entries]))";

/// Downloads `path` into the app's folder as `name`; returns the file and its content type.
async fn download(
    app: &TestApp,
    c: &crate::common::Client,
    path: &str,
    name: &str,
) -> (std::path::PathBuf, String) {
    let r = c.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let ct = r.headers()["content-type"]
        .to_str()
        .expect("type")
        .to_string();
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .expect("disposition")
        .to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let bytes = r.bytes().await.expect("body");
    let file = app.dir.join(name);
    std::fs::write(&file, &bytes).expect("write");
    (file, ct)
}

async fn an_item_is_cited_as_its_author_asks(app: TestApp) {
    let given = app.given();
    let place = given.place("fylde-coast").await;
    let org = given
        .organisation_with(
            "blackpool",
            json!({"name": "Blackpool Council", "place_id": place.id}),
        )
        .await;
    let author = given.person("contributor").member_of(&org).await;
    let browser = author.browser().await;
    let title = "Walking out of hospital: 100% {braces} & $ signs";
    let r = browser
        .post_form(
            "/library/new",
            "/library/new",
            &[
                ("kind", "evaluation"),
                ("title", title),
                ("summary", "What a year of walking groups did."),
                ("visibility", "public"),
                ("organisation_id", org.id.as_str()),
                ("authors", "Anna Smith\nBilal Khan"),
                ("original_date", "14 May 2023"),
                ("licence", "ogl-3.0"),
                ("cite_as", "Khan, Bilal\nSmith, Anna J."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "saved");
    let id = location(&r)
        .trim_start_matches("/library/")
        .split(['?', '/'])
        .next()
        .expect("id")
        .to_string();
    // Published by the network admin, then read as anyone.
    let admin = given.admin().await;
    let api = author.api().await;
    let wf = format!("/items/{id}/workflow");
    let (s, v) = api.api_post(&wf, json!({"action": "submit"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = admin.api_post(&wf, json!({"action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let visitor = app.client();
    let (s, html) = visitor.get_text(&format!("/library/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    let url = format!("{}/library/{id}", app.base);
    let today = app.app.now() / 1000;
    let today = lz_domain::dates::utc_date(today).expect("today");
    let accessed = today.strftime("%-d %B %Y").to_string();
    let escaped_title = "Walking out of hospital: 100% {braces} &amp; $ signs";
    let escaped_url = url.replace('/', "&#x2f;");
    assert!(html.contains("Cite this"), "{html}");
    assert!(
        html.contains(&format!(
            "Khan, B., &amp; Smith, A. J. (2023, May 14). <i>{escaped_title}</i> [Report]. Blackpool Council. {escaped_url}"
        )),
        "APA on the page: {html}"
    );
    assert!(
        html.contains(&format!(
            "Khan, B. and Smith, A. J. (2023) {escaped_title} [Report]. Blackpool Council. Available at: {escaped_url} (Accessed: {accessed})."
        )),
        "Harvard on the page"
    );
    assert!(
        html.contains("Open Government Licence v3.0"),
        "licence shown"
    );
    assert!(html.contains("First published"), "original date shown");
    // schema.org carries them.
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("JSON-LD");
    let ld: Value = serde_json::from_str(ld).expect("JSON-LD parses");
    assert_eq!(ld["datePublished"], "2023-05-14", "{ld}");
    assert_eq!(
        ld["license"],
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    );
    assert_eq!(ld["author"][0]["familyName"], "Khan", "{ld}");
    assert_eq!(ld["author"][1]["givenName"], "Anna J.", "{ld}");

    // The API gives the same details and the same reference.
    let (s, v) = visitor.api_get(&format!("/items/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["original_date"], "2023-05-14");
    assert_eq!(v["licence"], "ogl-3.0");
    assert_eq!(v["cite_as"], json!(["Khan, Bilal", "Smith, Anna J."]));
    assert_eq!(
        v["citation"]["apa"],
        format!(
            "Khan, B., & Smith, A. J. (2023, May 14). {title} [Report]. Blackpool Council. {url}"
        )
    );

    // RIS, read by rispy.
    let (ris, ct) = download(
        &app,
        &visitor,
        &format!("/library/{id}/cite.ris"),
        "cite.ris",
    )
    .await;
    assert_eq!(ct, "application/x-research-info-systems");
    let read: Value =
        serde_json::from_str(&python_reads("rispy", "rispy", RIS_READER, &ris)).expect("json");
    let e = &read[0];
    assert_eq!(read.as_array().map(Vec::len), Some(1), "{read}");
    assert_eq!(e["type_of_reference"], "RPRT", "{e}");
    assert_eq!(
        e["authors"],
        json!(["Khan, Bilal", "Smith, Anna J."]),
        "{e}"
    );
    assert_eq!(e["title"], title, "{e}");
    assert_eq!(e["year"], "2023", "{e}");
    assert_eq!(e["date"], "2023/05/14/", "{e}");
    assert_eq!(e["publisher"], "Blackpool Council", "{e}");
    assert_eq!(e["urls"], json!([url]), "{e}");
    assert!(
        e["notes"].to_string().contains("Open Government Licence"),
        "{e}"
    );

    // BibTeX, read by bibtexparser: special characters come back as written once TeX's
    // escapes are undone.
    let (bib, ct) = download(
        &app,
        &visitor,
        &format!("/library/{id}/cite.bib"),
        "cite.bib",
    )
    .await;
    assert!(ct.starts_with("application/x-bibtex"), "{ct}");
    let read: Value = serde_json::from_str(&python_reads(
        "bibtexparser",
        "bibtexparser>=2,<3",
        BIB_READER,
        &bib,
    ))
    .expect("json");
    let e = &read[0];
    assert_eq!(read.as_array().map(Vec::len), Some(1), "{read}");
    assert_eq!(e["entry_type"], "techreport", "{e}");
    assert_eq!(e["type"], "Report", "{e}");
    assert_eq!(e["entry_key"], format!("lz-{id}"), "{e}");
    assert_eq!(e["author"], "Khan, Bilal and Smith, Anna J.", "{e}");
    assert_eq!(e["year"], "2023", "{e}");
    assert_eq!(e["month"], "5", "{e}");
    assert_eq!(e["institution"], "Blackpool Council", "{e}");
    assert_eq!(e["url"], url, "{e}");
    let unescaped = e["title"]
        .as_str()
        .expect("title")
        .trim_start_matches('{')
        .trim_end_matches('}')
        .replace("\\%", "%")
        .replace("\\textbraceleft{}", "{")
        .replace("\\textbraceright{}", "}")
        .replace("\\&", "&")
        .replace("\\$", "$");
    assert_eq!(unescaped, title, "{e}");

    // An update that leaves the details out (written before they existed) keeps them; null,
    // as a GET gives for what is unset, keeps them too.
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/items/{id}"),
            json!({"kind": "evaluation", "title": "Still cited", "summary": "S.",
                   "visibility": "public", "organisation_id": org.id, "licence": null}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, v) = visitor.api_get(&format!("/items/{id}")).await;
    assert_eq!(v["licence"], "ogl-3.0", "{v}");
    assert_eq!(v["original_date"], "2023-05-14", "{v}");
    assert_eq!(
        v["cite_as"],
        json!(["Khan, Bilal", "Smith, Anna J."]),
        "{v}"
    );

    // Cleared (empty), the named authors are cited, and without an original date, the day it
    // was published here.
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/items/{id}"),
            json!({"kind": "evaluation", "title": "Plain", "summary": "S.",
                   "visibility": "public", "organisation_id": org.id,
                   "original_date": "", "licence": "", "cite_as": []}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, v) = visitor.api_get(&format!("/items/{id}")).await;
    let apa = v["citation"]["apa"].as_str().expect("apa");
    let published =
        lz_domain::dates::utc_date(v["published_at"].as_i64().expect("published") / 1000)
            .expect("day");
    let month = published.strftime("%B").to_string();
    // The history shows what changed in the citation details.
    let (_, history) = visitor.get_text(&format!("/library/{id}/history")).await;
    for shown in [
        "Original publication date",
        "Licence",
        "Open Government Licence v3.0",
        "Cite the authors as",
    ] {
        assert!(history.contains(shown), "the history shows {shown}");
    }
    assert!(
        apa.starts_with(&format!(
            "Smith, A., & Khan, B. ({}, {month} {}). Plain",
            published.year(),
            published.day()
        )),
        "{apa}"
    );
    assert_eq!(v["licence"], Value::Null, "cleared: {v}");
}

async fn bad_citation_details_are_refused_and_change_nothing(app: TestApp) {
    let given = app.given();
    let org = given.organisation("blackpool").await;
    let author = given.person("contributor").member_of(&org).await;
    let api = author.api().await;
    let item = given.item(&org).by(&author).titled("Cited").await;
    let (_, before) = api.api_get(&format!("/items/{item}")).await;
    let body = |extra: Value| {
        let mut b = json!({"kind": "case_study", "title": "Cited", "summary": "S.",
                           "visibility": "network", "organisation_id": org.id});
        if let (Some(b), Value::Object(e)) = (b.as_object_mut(), extra) {
            b.extend(e);
        }
        b
    };
    for (extra, field) in [
        (
            json!({"original_date": "30 February 2023"}),
            "original_date",
        ),
        (json!({"original_date": "soon"}), "original_date"),
        (json!({"original_date": "0999"}), "original_date"),
        (json!({"licence": "cc-by-9.0"}), "licence"),
        (json!({"licence": "<script>"}), "licence"),
        (json!({"cite_as": ["Smith, A\u{202e}"]}), "cite_as"),
        (json!({"cite_as": ["\u{200b}"]}), "cite_as"),
    ] {
        let (s, v) = api
            .api_send(Method::PUT, &format!("/items/{item}"), body(extra.clone()))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{extra}: {v}");
        assert_eq!(v["errors"][0]["field"], field, "{extra}: {v}");
    }
    // Wrong types are refused as problems too.
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/items/{item}"),
            body(json!({"cite_as": "Smith, A"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (_, after) = api.api_get(&format!("/items/{item}")).await;
    assert_eq!(before["version"], after["version"], "nothing was saved");

    // The form says what is wrong, in the field, and keeps what was typed.
    let browser = author.browser().await;
    let r = browser
        .post_form(
            &format!("/library/{item}/edit"),
            &format!("/library/{item}/edit"),
            &[
                ("kind", "case_study"),
                ("title", "Cited"),
                ("summary", "S."),
                ("visibility", "network"),
                ("organisation_id", org.id.as_str()),
                ("original_date", "31 June 2023"),
                ("licence", "public-domain"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("page");
    assert!(
        html.contains("Enter the original publication date as a year"),
        "{html}"
    );
    assert!(html.contains("Choose a licence from the list"), "{html}");
    assert!(
        html.contains("value=\"31 June 2023\""),
        "what was typed is kept"
    );
    let (_, after) = api.api_get(&format!("/items/{item}")).await;
    assert_eq!(before["version"], after["version"], "nothing was saved");
}
