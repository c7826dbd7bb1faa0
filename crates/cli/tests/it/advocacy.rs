//! Collections of evidence and their packs over HTTP: a curator builds a pack from checked,
//! published evidence; what its audience may not see is left out and said so; the pack is
//! read back as PPTX (python-pptx), DOCX (python-docx) and PDF (poppler); a share link opens
//! it for a visitor, counts the view, and answers 410 once withdrawn or expired; who may do
//! what, per role; hostile input refused with nothing changed; the plan page, the Executive
//! report and the place page show what work areas and places have gathered; the command
//! line exports the evidence as CSV.

use std::sync::Mutex;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{assert_only_members, callers, page, python_reads, Client, Org, TestApp};
use crate::on_both_databases;

on_both_databases!(
    a_pack_is_curated_generated_and_shared,
    collection_routes_by_role,
    hostile_collection_input_is_refused_and_changes_nothing,
    plans_and_places_show_their_collections
);

const DAY_MS: i64 = 86_400_000;

struct World {
    org: Org,
    place: String,
    health: String,
    economy: String,
}

async fn world(app: &TestApp) -> World {
    let given = app.given();
    let place = given.place("fylde-coast").await;
    let org = given.organisation_in("blackpool", &place).await;
    World {
        org,
        place: place.id,
        health: given.term("agenda", "Health").await,
        economy: given.term("agenda", "Economy").await,
    }
}

/// An evidence record's API body from an external publication.
fn evidence(w: &World, claim: &str, visibility: &str, agenda: &str) -> Value {
    json!({
        "claim": claim, "agendas": [agenda], "places": [w.place],
        "measure_name": "GP appointments", "measure_value": 17, "measure_unit": "%",
        "source_title": "An illustrative evaluation", "source_publisher": "Blackpool Council",
        "source_date": "2025-03-12", "source_url": "https://example.org/evaluation",
        "evidence_type": "evaluation", "strength": 3, "visibility": visibility,
    })
}

/// Records a claim as `author`; `publish` has an admin check and publish it.
async fn claim(app: &TestApp, author: &Client, body: Value, publish: bool) -> String {
    let (s, v) = author.api_post("/evidence", body).await;
    assert_eq!(s, StatusCode::CREATED, "recorded: {v}");
    let id = v["id"].as_str().expect("id").to_string();
    if publish {
        let admin = app.given().admin().await;
        for step in ["check", "publish"] {
            let (s, v) = admin
                .api_post(&format!("/evidence/{id}/{step}"), json!({}))
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{step}: {v}");
        }
    }
    id
}

/// A collection from the API; returns its id.
async fn collection(api: &Client, body: Value) -> String {
    let (s, v) = api.api_post("/collections", body).await;
    assert_eq!(s, StatusCode::CREATED, "collection: {v}");
    v["id"].as_str().expect("id").to_string()
}

fn id_from_location(r: &reqwest::Response, prefix: &str) -> String {
    r.headers()["location"]
        .to_str()
        .expect("location")
        .trim_start_matches(prefix)
        .split(['?', '#', '/'])
        .next()
        .expect("id")
        .to_string()
}

async fn download(c: &Client, path: &str, dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let r = c.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    let bytes = r.bytes().await.expect("body");
    let file = dir.join(name);
    std::fs::write(&file, &bytes).expect("write");
    file
}

/// The PDF's words in reading order (poppler's `pdftotext`), joined by single spaces (a long
/// link wraps inside its table cell).
fn pdf_words(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const PPTX_READER: &str = r#"
import sys, json
from pptx import Presentation
p = Presentation(sys.argv[1])
out = {"width": p.slide_width, "height": p.slide_height, "slides": []}
for s in p.slides:
    title = s.shapes.title.text if s.shapes.title is not None else None
    texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
    notes = s.notes_slide.notes_text_frame.text if s.has_notes_slide else ""
    pics = [sh._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr") for sh in s.shapes if sh.shape_type == 13]
    out["slides"].append({"title": title, "texts": texts, "notes": notes, "pictures": pics})
print(json.dumps(out))
"#;

const DOCX_READER: &str = r#"
import sys, json
import docx
d = docx.Document(sys.argv[1])
print(json.dumps([[p.style.name, p.text] for p in d.paragraphs] + [["table", " | ".join(c.text for c in row.cells)] for t in d.tables for row in t.rows]))
"#;

async fn a_pack_is_curated_generated_and_shared(app: TestApp) {
    // Arrange: a contributor records three claims; two are checked and published by an
    // admin, one stays a draft; one published claim is for the network only.
    let w = world(&app).await;
    let given = app.given();
    let recorder = given
        .person("contributor")
        .member_of(&w.org)
        .await
        .api()
        .await;
    let first = claim(
        &app,
        &recorder,
        evidence(
            &w,
            "Walking groups cut GP visits by 17% among participants (illustrative).",
            "public",
            &w.health,
        ),
        true,
    )
    .await;
    let second = claim(
        &app,
        &recorder,
        evidence(
            &w,
            "Each £1 spent on parks returned £3 in social value (illustrative) <b>&</b> more.",
            "public",
            &w.economy,
        ),
        true,
    )
    .await;
    let network_only = claim(
        &app,
        &recorder,
        evidence(
            &w,
            "A claim for partners only (illustrative).",
            "network",
            &w.health,
        ),
        true,
    )
    .await;

    // Act 1: a curator (with a draft of their own) starts a pack for anyone from the form.
    let curator_person = given
        .person("contributor")
        .member_of(&w.org)
        .named("Zoë Curator")
        .await;
    let curator = curator_person.browser().await;
    let draft = claim(
        &app,
        &curator_person.api().await,
        evidence(
            &w,
            "A draft claim nobody has checked (illustrative).",
            "public",
            &w.health,
        ),
        false,
    )
    .await;
    let r = curator
        .post_form(
            "/collections",
            "/collections/new",
            &[
                ("kind", "pack"),
                ("title", "Manifesto for PAS on the Fylde Coast"),
                ("summary", "Why physical activity matters here."),
                ("audience", "public"),
                ("ask", "Name physical activity in every plan."),
                ("curators", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "created");
    let id = id_from_location(&r, "/collections/");
    let page_url = format!("/collections/{id}");
    // A section, then the picker adds the four claims.
    let r = curator
        .post_form(
            &format!("{page_url}/sections"),
            &page_url,
            &[
                ("heading", "Health and the economy"),
                ("body", "Places show it works.\n\nSecond paragraph."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "section added");
    let (_, v) = curator_person
        .api()
        .await
        .api_get(&format!("/collections/{id}"))
        .await;
    let section = v["sections"][0]["id"]
        .as_str()
        .expect("section")
        .to_string();
    let picker = format!("{page_url}/sections/{section}/evidence");
    let (s, html) = curator.get_text(&picker).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&first) && html.contains(&draft),
        "the picker lists records the curator may open"
    );
    let r = curator
        .post_form(
            &picker,
            &picker,
            &[
                ("evidence", first.as_str()),
                ("evidence", second.as_str()),
                ("evidence", draft.as_str()),
                ("evidence", network_only.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "evidence added");

    // Assert: the pack holds the two public published claims, numbered; the draft and the
    // network-only claim are left out, each with its reason, on the curator's page.
    let (s, html) = curator.get_text(&page_url).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("claim-1") && html.contains("claim-2") && !html.contains("claim-3"),
        "two claims in the pack"
    );
    let left = html.split("id=\"left-out\"").nth(1).expect("left-out list");
    assert!(
        left.contains("not published yet") && left.contains("fewer people than this pack"),
        "{left}"
    );
    assert!(html.contains("2 claims"), "counted");
    let (_, v) = curator_person
        .api()
        .await
        .api_get(&format!("/collections/{id}"))
        .await;
    let records = &v["sections"][0]["evidence"];
    assert_eq!(records[0]["number"], 1);
    assert_eq!(
        records[0]["evidence"]["claim"],
        "Walking groups cut GP visits by 17% among participants (illustrative)."
    );
    assert_eq!(v["left_out"].as_array().map(Vec::len), Some(2), "{v}");
    let (_, html) = curator.get_text(&format!("/evidence/{first}")).await;
    let cited = html
        .split("id=\"cited-in\"")
        .nth(1)
        .expect("the record names the collections citing it");
    assert!(cited.contains("Manifesto for PAS on the Fylde Coast"));
    let (_, html) = app.client().get_text(&format!("/evidence/{first}")).await;
    assert!(
        !html.contains("cited-in"),
        "a draft collection is not named to visitors"
    );

    // The pack, read back by independent readers.
    let dir = crate::common::temp_dir("pack");
    let pptx = download(
        &curator,
        &format!("{page_url}/pack.pptx"),
        &dir,
        "pack.pptx",
    )
    .await;
    let deck: Value =
        serde_json::from_str(&python_reads("pptx", "python-pptx", PPTX_READER, &pptx))
            .expect("JSON");
    assert_eq!(deck["width"].as_i64(), Some(12_192_000), "16:9");
    assert_eq!(deck["height"].as_i64(), Some(6_858_000));
    let slides = deck["slides"].as_array().expect("slides");
    // Title, the section, two claims, the ask (the references and appendix are tables: no slides).
    assert_eq!(slides.len(), 5, "{deck}");
    for s in slides {
        assert!(
            s["title"].as_str().is_some_and(|t| !t.is_empty()),
            "every slide has a title: {s}"
        );
        assert!(
            !s["notes"].as_str().unwrap_or_default().is_empty(),
            "every slide has notes: {s}"
        );
    }
    assert_eq!(slides[0]["title"], "Manifesto for PAS on the Fylde Coast");
    let all_text = |s: &Value| format!("{} {}", s["title"], s["texts"]);
    assert!(
        all_text(&slides[2]).contains("17%") && all_text(&slides[2]).contains("[1]"),
        "claim 1 with its figure and citation: {}",
        slides[2]
    );
    assert!(
        all_text(&slides[3]).contains("£3 in social value")
            && all_text(&slides[3]).contains("<b>&</b>"),
        "text kept as written: {}",
        slides[3]
    );
    assert!(
        slides[2]["notes"]
            .as_str()
            .unwrap_or_default()
            .contains("Nesta"),
        "the notes say how strong the evidence is"
    );
    assert!(
        slides[4]["title"]
            .as_str()
            .unwrap_or_default()
            .contains("ask"),
        "the closing ask"
    );
    assert!(
        !deck.to_string().contains("partners only"),
        "left-out claims are not in the deck"
    );

    let docx = download(
        &curator,
        &format!("{page_url}/pack.docx"),
        &dir,
        "pack.docx",
    )
    .await;
    let paras: Vec<(String, String)> =
        serde_json::from_str(&python_reads("docx", "python-docx", DOCX_READER, &docx))
            .expect("JSON");
    let heading = |t: &str| {
        paras
            .iter()
            .any(|(style, text)| style.starts_with("Heading") && text == t)
    };
    assert!(
        heading("Health and the economy") && heading("References"),
        "{paras:?}"
    );
    let text: String = paras
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("17% among participants (illustrative). [1]")
            || text.contains("participants (illustrative). [1]"),
        "citation 1: {text}"
    );
    assert!(
        text.contains(&format!("/evidence/{first}")),
        "the appendix traces citation 1 to its record"
    );
    assert!(!text.contains("partners only"));

    let pdf = download(&curator, &format!("{page_url}/pack.pdf"), &dir, "pack.pdf").await;
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo");
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("Tagged:          yes"),
        "tagged PDF"
    );
    let pdf_text = pdf_words(&pdf);
    let at = |needle: &str| {
        pdf_text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in the PDF: {pdf_text}"))
    };
    assert!(at("Manifesto for PAS") < at("Health and the economy"));
    assert!(at("Health and the economy") < at("References"));
    let compact: String = pdf_text.split_whitespace().collect();
    assert!(
        compact.contains(&format!("/evidence/{first}")),
        "the appendix traces citation 1: {pdf_text}"
    );
    assert!(at("References") < at("Appendix"));

    // Act 2: a share link, opened by a visitor.
    let r = curator
        .post_form(
            &format!("{page_url}/shares"),
            &page_url,
            &[("label", "ICB board"), ("days", "7")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "share link made");
    let html = r.text().await.unwrap_or_default();
    let url = html
        .split("id=\"share-url\"")
        .nth(1)
        .and_then(|s| s.split("value=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .expect("the link, shown once")
        .replace("&#x2f;", "/");
    let path = url.trim_start_matches(&app.base).to_string();
    assert!(path.starts_with("/shared/lzs_"), "{path}");
    let visitor = app.client();
    let r = visitor.get(&path).await;
    assert_eq!(r.headers()["x-robots-tag"], "noindex, nofollow");
    let (s, shared) = visitor.get_text(&path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        shared.contains("Walking groups cut GP visits") && !shared.contains("partners only"),
        "the pack, as anyone may read it"
    );
    assert!(
        !shared.contains("href=\"/library\"") && !shared.contains("/evidence/"),
        "no other content is linked from it"
    );
    let shared_pptx = download(&visitor, &format!("{path}/pack.pptx"), &dir, "shared.pptx").await;
    assert!(std::fs::metadata(shared_pptx).expect("file").len() > 1000);
    let (_, html) = curator.get_text(&page_url).await;
    let table = html
        .split("id=\"share-table\"")
        .nth(1)
        .expect("share links listed");
    assert!(
        table.contains("ICB board") && table.contains(">3<"),
        "three views counted (two of the page, one download): {table}"
    );

    // Act 3: the curator withdraws it; the link says so and nothing else.
    let (_, v) = curator_person
        .api()
        .await
        .api_get(&format!("/collections/{id}"))
        .await;
    assert_eq!(v["status"], "draft");
    let link_id = table
        .split("/shares/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("link id")
        .to_string();
    let r = curator
        .post_form(
            &format!("{page_url}/shares/{link_id}/revoke"),
            &page_url,
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for p in [path.clone(), format!("{path}/pack.pdf")] {
        let (s, html) = visitor.get_text(&p).await;
        assert_eq!(s, StatusCode::GONE, "{p}");
        assert!(
            html.contains("withdrawn") && !html.contains("Manifesto"),
            "{html}"
        );
    }
    // The history keeps every version with what changed.
    let (s, html) = curator.get_text(&format!("{page_url}/history")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Version 3: Evidence added") && html.contains("Version 1: Created"),
        "{html}"
    );
    assert!(
        html.contains("Walking groups cut GP visits") && !html.contains(&network_only),
        "the history names the claims chosen, not their ids: {html}"
    );

    // An expired link is gone too; an unknown one is not found.
    let (s, v) = curator_person
        .api()
        .await
        .api_post(&format!("/collections/{id}/shares"), json!({"days": 1}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let expiring = v["url"]
        .as_str()
        .expect("url")
        .trim_start_matches(&app.base)
        .to_string();
    assert_eq!(
        visitor.get(&expiring).await.status(),
        StatusCode::OK,
        "{expiring}"
    );
    app.app.clock.advance(DAY_MS + 1);
    assert_eq!(visitor.get(&expiring).await.status(), StatusCode::GONE);
    assert_eq!(
        visitor.get("/shared/lzs_nothing").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn collection_routes_by_role(app: TestApp) {
    let w = world(&app).await;
    let given = app.given();
    let curator = given.person("contributor").member_of(&w.org).await;
    let api = curator.api().await;
    let body = |audience: &str| json!({"kind": "pack", "title": "A pack", "audience": audience});
    let writers = [
        "contributor",
        "place_lead",
        "org_admin",
        "moderator",
        "network_admin",
    ];
    let overseers = ["moderator", "network_admin"];
    assert_only_members(&app, &w.org, "POST /api/v1/collections", &writers, |c| {
        let b = body("public");
        async move { c.api.api_post("/collections", b).await }
    })
    .await;
    assert_only_members(
        &app,
        &w.org,
        "GET /collections/new",
        &writers,
        |c| async move { page(c.browser.get("/collections/new").await.status()) },
    )
    .await;
    // A draft is read by its curators, moderators and network admins only (visitors and
    // everyone else: not found, which tells nothing); the same for its pack.
    let draft = collection(&api, body("public")).await;
    for path in [
        format!("/collections/{draft}"),
        format!("/collections/{draft}/pack.pdf"),
        format!("/collections/{draft}/pack.pptx"),
    ] {
        readable_only_by(&app, &w.org, &path, &overseers).await;
    }
    let (s, _) = api.api_get(&format!("/collections/{draft}")).await;
    assert_eq!(s, StatusCode::OK, "its curator reads it");
    // Published: a network pack is read by every signed-in partner; a public one by anyone.
    let network = collection(&api, body("network")).await;
    let admin = given.admin().await;
    for id in [&draft, &network] {
        let (s, v) = admin
            .api_post(&format!("/collections/{id}"), json!({}))
            .await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{v}");
    }
    let publish = |id: String| {
        let c = curator.browser();
        async move {
            let c = c.await;
            let page_url = format!("/collections/{id}");
            let r = c
                .post_form(
                    &format!("{page_url}/publish"),
                    &page_url,
                    &[("published", "yes")],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "published");
        }
    };
    publish(network.clone()).await;
    let everyone_signed_in = [
        "member",
        "contributor",
        "place_lead",
        "org_admin",
        "moderator",
        "network_admin",
    ];
    for path in [
        format!("/collections/{network}"),
        format!("/collections/{network}/pack.docx"),
    ] {
        readable_only_by(&app, &w.org, &path, &everyone_signed_in).await;
    }
    // Changing it is for its curators only: nobody else, whatever their role.
    let edit = json!({"title": "Taken over", "audience": "network"});
    for role in [
        "member",
        "contributor",
        "place_lead",
        "org_admin",
        "moderator",
        "network_admin",
    ] {
        let other = given.person(role).member_of(&w.org).signed_in_api().await;
        let (s, v) = other
            .api_send(
                Method::PUT,
                &format!("/collections/{network}"),
                edit.clone(),
            )
            .await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{role} edits: {s} {v}"
        );
        let (s, _) = other
            .api_post(&format!("/collections/{network}/shares"), json!({}))
            .await;
        assert!(
            s == StatusCode::FORBIDDEN
                || s == StatusCode::NOT_FOUND
                || s == StatusCode::UNPROCESSABLE_ENTITY,
            "{role} shares: {s}"
        );
    }
    // Every change route of the outline, as every caller who is not a curator: refused,
    // nothing saved (a visitor is sent to sign in).
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/collections/{network}"),
            json!({"title": "A pack", "audience": "network", "sections": [{"heading": "One"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, v) = api.api_get(&format!("/collections/{network}")).await;
    let section = v["sections"][0]["id"]
        .as_str()
        .expect("a section")
        .to_string();
    let e = claim(
        &app,
        &api,
        evidence(&w, "A claim to move (illustrative).", "network", &w.health),
        true,
    )
    .await;
    let c = format!("/collections/{network}");
    let routes: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("{c}/edit"),
            vec![("title", "Taken"), ("audience", "network")],
        ),
        (format!("{c}/sections"), vec![("heading", "Taken")]),
        (
            format!("{c}/sections/{section}/edit"),
            vec![("heading", "Taken")],
        ),
        (
            format!("{c}/sections/{section}/move"),
            vec![("direction", "down")],
        ),
        (format!("{c}/sections/{section}/delete"), vec![]),
        (
            format!("{c}/sections/{section}/evidence"),
            vec![("evidence", e.as_str())],
        ),
        (
            format!("{c}/sections/{section}/evidence/{e}/move"),
            vec![("direction", "up")],
        ),
        (
            format!("{c}/sections/{section}/evidence/{e}/remove"),
            vec![],
        ),
        (format!("{c}/shares"), vec![("days", "3")]),
        (format!("{c}/shares/nothing/revoke"), vec![]),
    ];
    let versions = app.count("collection_versions").await;
    for caller in callers(&app, Some(&w.org)).await {
        let role = caller.role.clone().unwrap_or_else(|| "signed_out".into());
        let token_page = if caller.role.is_some() {
            "/account"
        } else {
            "/sign-in"
        };
        for (path, fields) in &routes {
            let status = caller
                .browser
                .post_form(path, token_page, fields)
                .await
                .status();
            let expected = if caller.role.is_none() {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(status, expected, "POST {path} as {role}");
        }
        if caller.role.is_some() {
            let status = caller.browser.get(&format!("{c}/history")).await.status();
            let overseer = overseers.contains(&role.as_str());
            assert_eq!(
                status == StatusCode::OK,
                overseer,
                "GET history as {role}: {status}"
            );
        }
    }
    assert_eq!(
        app.count("collection_versions").await,
        versions,
        "nothing saved"
    );
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/collections/{network}"),
            json!({"title": "Renamed by its curator", "audience": "network"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    // Publishing: curators, moderators and network admins.
    let mut drafts = Vec::new();
    for _ in 0..7 {
        drafts.push(collection(&api, body("network")).await);
    }
    let drafts = Mutex::new(drafts);
    assert_only_members(
        &app,
        &w.org,
        "POST /collections/{id}/publish",
        &overseers,
        |c| {
            let id = drafts
                .lock()
                .ok()
                .and_then(|mut v| v.pop())
                .unwrap_or_default();
            async move {
                let page_url = format!("/collections/{id}");
                // Not a curator, so they cannot read the draft's page for a token: use another's.
                let token_page = if c.role.is_some() {
                    "/account"
                } else {
                    "/sign-in"
                };
                let r = c
                    .browser
                    .post_form(
                        &format!("{page_url}/publish"),
                        token_page,
                        &[("published", "yes")],
                    )
                    .await;
                page(match (c.role.is_some(), r.status()) {
                    (true, StatusCode::SEE_OTHER) => StatusCode::OK,
                    (true, StatusCode::NOT_FOUND) => StatusCode::FORBIDDEN,
                    (_, s) => s,
                })
            }
        },
    )
    .await;
    // Reading the list and the API list answers everyone.
    for path in ["/collections", "/api/v1/collections"] {
        assert_eq!(
            app.client().get(path).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }
}

/// Only `allowed` (role codes, "signed_out" for visitors) read `path`; everyone else is told
/// it is not found, and a visitor is asked to sign in (401, whether or not it exists).
async fn readable_only_by(app: &TestApp, org: &Org, path: &str, allowed: &[&str]) {
    for caller in callers(app, Some(org)).await {
        let role = caller.role.clone().unwrap_or_else(|| "signed_out".into());
        let status = caller.browser.get(path).await.status();
        let expected = if allowed.contains(&role.as_str()) {
            StatusCode::OK
        } else if caller.role.is_none() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(status, expected, "GET {path} as {role}");
    }
}

async fn hostile_collection_input_is_refused_and_changes_nothing(app: TestApp) {
    let w = world(&app).await;
    let given = app.given();
    let curator = given.person("contributor").member_of(&w.org).await;
    let api = curator.api().await;
    let other = given
        .person("contributor")
        .member_of(&w.org)
        .await
        .api()
        .await;
    let someone_elses_draft = claim(
        &app,
        &other,
        evidence(&w, "Another's draft (illustrative).", "public", &w.health),
        false,
    )
    .await;
    let member = given.person("member").member_of(&w.org).await;
    let network_pack = collection(
        &api,
        json!({"kind": "pack", "title": "Partners only", "audience": "network"}),
    )
    .await;
    let collections = app.count("collections").await;
    let versions = app.count("collection_versions").await;
    let links = app.count("share_links").await;
    let good = json!({"kind": "pack", "title": "A pack", "audience": "public"});
    let with = |extra: Value| {
        let mut b = good.clone();
        if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        b
    };
    let cases = [
        ("status", with(json!({"status": "published"}))),
        ("version", with(json!({"version": 9}))),
        ("organisation", with(json!({"organisation_id": "o1"}))),
        ("no title", with(json!({"title": "  "}))),
        ("long title", with(json!({"title": "x".repeat(201)}))),
        (
            "invisible title",
            with(json!({"title": "\u{200B}\u{200B}"})),
        ),
        (
            "bidi override",
            with(json!({"title": "Pack\u{202E}fdp.exe"})),
        ),
        ("kind", with(json!({"kind": "manifesto"}))),
        ("audience", with(json!({"audience": "secret"}))),
        ("place on a pack", with(json!({"place_id": w.place}))),
        (
            "bogus place",
            with(json!({"kind": "narrative", "place_id": "nowhere"})),
        ),
        ("bogus work area", with(json!({"work_area_id": "nothing"}))),
        ("bogus event", with(json!({"event_ids": ["nothing"]}))),
        (
            "unknown curator",
            with(json!({"curators": ["nobody@example.org"]})),
        ),
        (
            "member curator",
            with(json!({"curators": [member.email.clone()]})),
        ),
        (
            "another's draft",
            with(json!({"sections": [{"heading": "S", "evidence": [someone_elses_draft]}]})),
        ),
        (
            "no such record",
            with(json!({"sections": [{"heading": "S", "evidence": ["nothing"]}]})),
        ),
        (
            "section without heading",
            with(json!({"sections": [{"heading": ""}]})),
        ),
        (
            "section field",
            with(json!({"sections": [{"heading": "S", "position": 3}]})),
        ),
        ("wrong type", with(json!({"title": 42}))),
    ];
    for (what, b) in cases {
        let (s, v) = api.api_post("/collections", b).await;
        assert!(
            s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::BAD_REQUEST,
            "{what}: {s} {v}"
        );
        assert_eq!(
            v["status"].as_u64(),
            Some(u64::from(s.as_u16())),
            "{what} is problem details: {v}"
        );
    }
    let (s, v, _) = api
        .api_raw(
            Method::POST,
            "/collections",
            "application/json",
            b"{\"title\": ".to_vec(),
        )
        .await;
    assert!(s.is_client_error(), "malformed JSON: {v}");
    // Share links: bad lengths, and a pack that is not for anyone.
    let public_pack = collection(&api, good.clone()).await;
    let collections = collections + 1;
    let versions = versions + 1;
    for days in [json!(0), json!(366), json!("ten"), json!(-3)] {
        let (s, v) = api
            .api_post(
                &format!("/collections/{public_pack}/shares"),
                json!({"days": days}),
            )
            .await;
        assert!(
            s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::BAD_REQUEST,
            "days {days}: {v}"
        );
    }
    let (s, v) = api
        .api_post(&format!("/collections/{network_pack}/shares"), json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a partners-only pack is not shared by link: {v}"
    );
    // The forms: a section without a heading is shown again with the error summary.
    let browser = curator.browser().await;
    let page_url = format!("/collections/{public_pack}");
    let r = browser
        .post_form(
            &format!("{page_url}/sections"),
            &page_url,
            &[("heading", ""), ("body", "<script>alert(1)</script>")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap_or_default();
    assert!(
        html.contains("govuk-error-summary")
            && html.contains("#heading")
            && !html.contains("<script>alert(1)"),
        "{html}"
    );
    let r = browser
        .post_form(&format!("{page_url}/shares"), &page_url, &[("days", "999")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Moving or removing in someone else's collection, or a section that is not there.
    let outsider = given
        .person("contributor")
        .member_of(&w.org)
        .await
        .browser()
        .await;
    let r = outsider
        .post_form(
            &format!("/collections/{network_pack}/delete"),
            "/account",
            &[],
        )
        .await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );
    let r = browser
        .post_form(
            &format!("{page_url}/sections/nothing/move"),
            &page_url,
            &[("direction", "up")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (s, _) = app
        .client()
        .get_text(&format!("/shared/{}", "x".repeat(5000)))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("collections").await,
        collections,
        "no collection made"
    );
    assert_eq!(
        app.count("collection_versions").await,
        versions,
        "no version saved"
    );
    assert_eq!(app.count("share_links").await, links, "no link made");
}

async fn plans_and_places_show_their_collections(app: TestApp) {
    let w = world(&app).await;
    let given = app.given();
    let plan = given.plan("A delivery plan", json!({})).await;
    let admin = given.admin().await;
    let (_, v) = admin.api_get(&format!("/plans/{plan}")).await;
    let work_area = v["work_areas"][0]["id"]
        .as_str()
        .expect("work area")
        .to_string();
    let curator = given.person("network_admin").member_of(&w.org).await;
    let api = curator.api().await;
    let recorder = given
        .person("contributor")
        .member_of(&w.org)
        .await
        .api()
        .await;
    let e = claim(
        &app,
        &recorder,
        evidence(
            &w,
            "Parks brought 120 families to clubs (illustrative).",
            "public",
            &w.health,
        ),
        true,
    )
    .await;
    let id = collection(
        &api,
        json!({"kind": "narrative", "title": "The Fylde Coast story", "audience": "network", "place_id": w.place,
               "work_area_id": work_area, "sections": [{"heading": "Our story", "body": "Told by partners.", "evidence": [e]}]}),
    )
    .await;
    let browser = curator.browser().await;
    let (_, html) = browser.get_text(&format!("/plans/{plan}")).await;
    let section = html
        .split("id=\"evidence-gathered\"")
        .nth(1)
        .expect("the plan's evidence");
    assert!(
        section.contains("The Fylde Coast story")
            && section.contains("Health (1)")
            && section.contains("Draft"),
        "{section}"
    );
    let (_, report) = admin.api_get(&format!("/plans/{plan}/report")).await;
    assert_eq!(report["evidence"][0]["claims"], 1, "{report}");
    assert_eq!(report["evidence"][0]["places"], "Fylde Coast (1)");
    // The report's PDF says the same (read back by poppler).
    let dir = crate::common::temp_dir("report-evidence");
    let pdf = download(
        &browser,
        &format!("/plans/{plan}/report/pdf"),
        &dir,
        "report.pdf",
    )
    .await;
    let text = pdf_words(&pdf);
    assert!(
        text.contains("Evidence and advocacy")
            && text.contains("The Fylde Coast story")
            && text.contains("Health (1)"),
        "{text}"
    );
    // The place page shows its narrative once published, to those who may read it.
    let (_, html) = app.client().get_text("/places/fylde-coast").await;
    assert!(
        !html.contains("The Fylde Coast story"),
        "a draft is not on the place page"
    );
    let r = browser
        .post_form(
            &format!("/collections/{id}/publish"),
            &format!("/collections/{id}"),
            &[("published", "yes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = given
        .person("member")
        .member_of(&w.org)
        .await
        .browser()
        .await
        .get_text("/places/fylde-coast")
        .await;
    assert!(
        html.contains("place-narratives") && html.contains("The Fylde Coast story"),
        "a partner sees the place's narrative"
    );
    let (_, html) = app.client().get_text("/places/fylde-coast").await;
    assert!(
        !html.contains("The Fylde Coast story"),
        "a network narrative is not for visitors"
    );
}

#[tokio::test]
async fn the_command_line_exports_evidence_as_csv() {
    let data = crate::common::temp_dir("evidence-cli");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_learning-zone"))
            .env("LZ_DATA_DIR", &data)
            .env("LZ_LOG", "warn")
            .env("LZ_ARGON2_MEMORY_KIB", "256")
            .env("LZ_ARGON2_ITERATIONS", "1")
            .args(args)
            .output()
            .expect("run")
    };
    let out = run(&["demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["evidence", "export", "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = data.join("evidence.csv");
    std::fs::write(&csv, &out.stdout).expect("write");
    let rows = python_reads(
        "csv",
        "csv",
        "import csv, sys\nrows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))\nprint(len(rows))\nprint(rows[0]['claim'] if rows else '')",
        &csv,
    );
    let mut lines = rows.lines();
    let n: usize = lines.next().and_then(|l| l.parse().ok()).expect("a count");
    assert!(n >= 10, "the demo's published public records: {n}");
    assert!(
        lines.next().is_some_and(|c| c.starts_with("Illustrative")),
        "{rows}"
    );
    // As a moderator, the checked and draft records appear as well.
    let out = run(&[
        "evidence",
        "export",
        "--format",
        "csv",
        "--as",
        "amanda.forrest@activelancashire.org.uk",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(
        all.contains("draft, to be checked"),
        "the moderator sees drafts"
    );
    let out = run(&["evidence", "export", "--format", "xml"]);
    assert!(!out.status.success(), "only csv is offered");
    let out = run(&["evidence", "export", "--as", "nobody@example.org"]);
    assert!(
        !out.status.success()
            && String::from_utf8_lossy(&out.stderr).contains("nobody@example.org")
    );
}
