//! The learning library: writing, review, versions, attachments and search, driven over
//! HTML and the API on both databases; visibility for every level and kind of reader in
//! every place an item can show up; hostile input.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{Client, TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    story_written_reviewed_and_found_by_a_word_in_its_pdf,
    visibility_holds_everywhere_an_item_shows,
    hostile_uploads_markdown_and_queries,
    bad_item_input_changes_nothing,
    taxonomy_renamed_and_merged_without_breaking_links,
    reindex_rebuilds_the_same_results,
    feeds_metadata_pagination_and_sorting,
    place_leads_review_only_their_places,
    follows_bookmarks_features_withdrawal_and_deletion,
    a_change_shows_on_the_next_request_despite_the_caches,
);

/// Writes an item over the API and returns its id.
async fn new_item(api: &Client, org: &str, title: &str, visibility: &str, extra: Value) -> String {
    let mut body = json!({
        "kind": "case_study", "title": title,
        "summary": format!("Summary of {title}."), "organisation_id": org, "visibility": visibility,
        "what_we_did": "We worked with partners across the place.",
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let (s, v) = api.api_post("/items", body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().expect("id").to_string()
}

/// Marks an item useful through the item page's form.
async fn mark_useful(browser: &Client, id: &str) {
    let r = browser
        .post_form(
            &format!("/library/{id}/marks"),
            &format!("/library/{id}"),
            &[("mark", "useful"), ("on", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn publish(author: &Client, moderator: &Client, id: &str) {
    let (s, v) = author
        .api_post(
            &format!("/items/{id}/workflow"),
            json!({"action": "submit"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = moderator
        .api_post(
            &format!("/items/{id}/workflow"),
            json!({"action": "approve"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "published");
}

async fn upload_api(api: &Client, item: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let (s, v, _) = api
        .api_raw(
            Method::POST,
            &format!("/items/{item}/attachments?name={}", urlencode(name)),
            "application/octet-stream",
            bytes,
        )
        .await;
    (s, v)
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn search(client: &Client, q: &str) -> Value {
    let (s, v) = client.api_get(&format!("/search?q={}", urlencode(q))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn hit_ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

/// Waits until `q` finds `want` results for `client` (the index follows the database).
async fn wait_for_hits(client: &Client, q: &str, want: u64) -> Value {
    for _ in 0..200 {
        let v = search(client, q).await;
        if v["total"].as_u64() == Some(want) {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "search {q:?} never gave {want} results: {}",
        search(client, q).await
    );
}

/// Waits until the server has computed every item's "more like this" neighbours (so that
/// item pages answer from them), as `/metrics` reports.
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

async fn wait_for_text(api: &Client, item: &str) {
    for _ in 0..200 {
        let (_, v) = api.api_get(&format!("/items/{item}")).await;
        if v["attachments"]
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x["text_status"] != "pending"))
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("attachment text of {item} was never extracted");
}

async fn multipart_upload(c: &Client, item: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = c.csrf(&format!("/library/{item}")).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    c.http
        .post(c.url(&format!("/library/{item}/attachments")))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn story_written_reviewed_and_found_by_a_word_in_its_pdf(app: TestApp) {
    // Given: a contributor at Blackpool Council (in Blackpool), a moderator of Active
    // Lancashire, a member of Active Cheshire (in no place), and a theme.
    let given = app.given();
    let blackpool = given.place("blackpool").await;
    let council = given.organisation_in("blackpool-council", &blackpool).await;
    let lancashire = given.organisation("active-lancashire").await;
    let cheshire = given.organisation("active-cheshire").await;
    let author_person = given.person("contributor").member_of(&council).await;
    let moderator = given
        .person("moderator")
        .member_of(&lancashire)
        .signed_in()
        .await;
    let reader_person = given.person("member").member_of(&cheshire).await;
    let theme = given.term("theme", "Enabling active environments").await;
    let author = author_person.browser().await;
    let author_api = author_person.api().await;
    let org = council.id.clone();

    // The contributor writes a story of change in the browser form.
    let token = author.csrf("/library/new").await;
    let form = [
        ("csrf_token", token.as_str()),
        ("kind", "case_study"),
        ("title", "Moving more on the promenade"),
        (
            "summary",
            "How Blackpool turned its seafront into a place to be active.",
        ),
        (
            "context",
            "The seafront was busy but few residents used it to move.",
        ),
        (
            "what_we_learned",
            "Residents wanted *short* routes with places to rest.",
        ),
        ("organisation_id", org.as_str()),
        ("place_id", ""),
        ("visibility", "network"),
        ("terms", theme.as_str()),
        ("authors", ""),
        ("links", "https://example.org/video Our film"),
    ];
    let r = author
        .http
        .post(author.url("/library/new"))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let location = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let id = location
        .trim_start_matches("/library/")
        .split('?')
        .next()
        .expect("id")
        .to_string();

    // A PDF whose words appear nowhere else.
    let pdf = lz_files::samples::pdf(
        "Evaluation",
        &["Residents praised the thalassotherapy sessions at the new wellbeing hub."],
    );
    let r = multipart_upload(&author, &id, "evaluation.pdf", pdf.clone()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = author
        .post_form(
            &format!("/library/{id}/workflow"),
            &format!("/library/{id}"),
            &[("action", "submit")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = author.get_text(&format!("/library/{id}")).await;
    assert!(page.contains("In review"), "{page}");

    // The moderator sends it back: a comment is needed, and the author is emailed.
    let r = moderator
        .post_form(
            &format!("/library/{id}/workflow"),
            &format!("/library/{id}"),
            &[("action", "send_back"), ("comment", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = moderator
        .post_form(
            &format!("/library/{id}/workflow"),
            &format!("/library/{id}"),
            &[
                ("action", "send_back"),
                ("comment", "Please say what the outcomes were."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mail = app
        .outbox_to(&author_person.email)
        .await
        .expect("author emailed");
    assert!(
        mail.body_text
            .contains("Please say what the outcomes were."),
        "{}",
        mail.body_text
    );

    // The author adds the outcomes and submits again; the moderator approves.
    let mut form2: Vec<(&str, &str)> = form
        .iter()
        .filter(|(k, _)| *k != "csrf_token")
        .copied()
        .collect();
    form2.push(("outcomes", "Weekly walkers doubled in a year."));
    let r = author
        .post_form(
            &format!("/library/{id}/edit"),
            &format!("/library/{id}/edit"),
            &form2,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = author
        .post_form(
            &format!("/library/{id}/workflow"),
            &format!("/library/{id}"),
            &[("action", "submit")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = moderator
        .post_form(
            &format!("/library/{id}/workflow"),
            &format!("/library/{id}"),
            &[("action", "approve"), ("comment", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Someone from another place finds it by a misspelt word that is only in the PDF.
    let reader_api = reader_person.api().await;
    wait_for_text(&author_api, &id).await;
    let found = wait_for_hits(&reader_api, "thalasotherapy", 1).await;
    assert_eq!(hit_ids(&found), vec![id.clone()]);
    assert!(
        found["hits"][0]["snippet_html"]
            .as_str()
            .unwrap_or("")
            .contains("<mark>"),
        "{found}"
    );
    let reader = reader_person.browser().await;
    let (_, html) = reader.get_text("/library?q=thalasotherapy").await;
    assert!(html.contains("Moving more on the promenade"), "{html}");
    mark_useful(&reader, &id).await;
    let (_, item) = reader_api.api_get(&format!("/items/{id}")).await;
    assert_eq!(item["useful_count"], 1);
    // The download is the same PDF, as an attachment with the sniffed type.
    let att = item["attachments"][0]["download"]
        .as_str()
        .expect("download")
        .to_string();
    let r = reader.get(&att).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap_or("")
        .starts_with("attachment"));
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), pdf);

    // The history shows both versions, with what changed.
    let (s, history) = reader.get_text(&format!("/library/{id}/history")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        history.contains("Version 1") && history.contains("Version 2"),
        "{history}"
    );
    assert!(history.contains("Weekly walkers doubled"), "{history}");
    let (_, versions) = reader_api.api_get(&format!("/items/{id}/history")).await;
    assert_eq!(versions.as_array().map(Vec::len), Some(2), "{versions}");
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'item.approve' AND subject_id = '{id}'"
        ))
        .await,
        1
    );
}

/// Published items of each visibility and a draft, each with a file; then every kind of
/// reader in every place an item can appear.
async fn visibility_holds_everywhere_an_item_shows(app: TestApp) {
    // Given: GM Moving and the Combined Authority in Greater Manchester, Chorley Council and
    // Active Cheshire elsewhere; an author at GM Moving, a colleague there, a member and a
    // place lead at the Combined Authority (same place), an organisation admin at Chorley, a
    // member at Active Cheshire, a moderator and a network admin.
    let given = app.given();
    let gm = given.place("greater-manchester").await;
    let gm_moving = given.organisation_in("gm-moving", &gm).await;
    let gmca = given.organisation_in("gm-combined-authority", &gm).await;
    let chorley = given.organisation("chorley-council").await;
    let cheshire = given.organisation("active-cheshire").await;
    let author_person = given.person("contributor").member_of(&gm_moving).await;
    let colleague = given.person("contributor").member_of(&gm_moving).await;
    let same_place = given.person("member").member_of(&gmca).await;
    let place_lead = given.person("place_lead").member_of(&gmca).await;
    let chorley_admin = given.person("org_admin").member_of(&chorley).await;
    let elsewhere = given.person("member").member_of(&cheshire).await;
    let moderator_person = given.person("moderator").await;
    let admin_person = given.person("network_admin").await;
    let author = author_person.api().await;
    let moderator = moderator_person.api().await;
    let org = gm_moving.id.clone();
    let mut items = Vec::new();
    for vis in ["public", "network", "place", "organisation", "draft"] {
        let visibility = if vis == "draft" { "network" } else { vis };
        let title = format!("Quokkaville {vis} story");
        // A word each hidden item shares with the public one only: rare enough for "more
        // like this" on the public item to pick it.
        let shared = match vis {
            "network" => "narwhal",
            "place" => "axolotl",
            "organisation" => "pangolin",
            _ => "narwhal axolotl pangolin",
        };
        let id = new_item(
            &author,
            &org,
            &title,
            visibility,
            json!({"body_md": format!("Zebrafinch marker for {vis}. {shared}")}),
        )
        .await;
        let (s, v) = upload_api(
            &author,
            &id,
            "notes.pdf",
            lz_files::samples::pdf("Notes", &[&format!("Ptarmigan{vis} survey notes")]),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        if vis != "draft" {
            publish(&author, &moderator, &id).await;
        }
        wait_for_text(&author, &id).await;
        let (_, item) = author.api_get(&format!("/items/{id}")).await;
        let att = item["attachments"][0]["download"]
            .as_str()
            .expect("download")
            .to_string();
        items.push((vis, id, title, att));
    }
    let admin = admin_person.api().await;
    wait_for_hits(&admin, "zebrafinch", 4).await;
    // Item pages then take "more like this" from the precomputed neighbours, narrowed to
    // each reader in the query.
    wait_for_neighbours(&app.client()).await;

    let readers: Vec<(&str, Option<&str>, &[&str])> = vec![
        ("signed out", None, &["public"]),
        (
            "member elsewhere",
            Some(elsewhere.email.as_str()),
            &["public", "network"],
        ),
        (
            "same place",
            Some(same_place.email.as_str()),
            &["public", "network", "place"],
        ),
        (
            "org admin elsewhere",
            Some(chorley_admin.email.as_str()),
            &["public", "network"],
        ),
        (
            "place lead of the place",
            Some(place_lead.email.as_str()),
            &["public", "network", "place"],
        ),
        (
            "colleague in the organisation",
            Some(colleague.email.as_str()),
            &["public", "network", "place", "organisation"],
        ),
        (
            "author",
            Some(author_person.email.as_str()),
            &["public", "network", "place", "organisation", "draft"],
        ),
        (
            "moderator",
            Some(moderator_person.email.as_str()),
            &["public", "network", "place", "organisation", "draft"],
        ),
        (
            "network admin",
            Some(admin_person.email.as_str()),
            &["public", "network", "place", "organisation", "draft"],
        ),
    ];
    let (_, feed) = app.client().get_text("/feed.atom").await;
    for (vis, _, title, _) in &items {
        assert_eq!(
            feed.contains(title.as_str()),
            *vis == "public",
            "feed and {vis}: {feed}"
        );
    }
    for (who, email, sees) in readers {
        let (browser, api) = match email {
            Some(e) => {
                let b = app.client();
                b.sign_in(e, PASSWORD).await;
                (b, app.client().api_sign_in(e, PASSWORD).await)
            }
            None => (app.client(), app.client()),
        };
        let published_seen = sees.iter().filter(|v| **v != "draft").count() as u64;
        let results = search(&api, "zebrafinch").await;
        assert_eq!(
            results["total"].as_u64(),
            Some(published_seen),
            "{who}: {results}"
        );
        // Facet counts add up to what the reader may see, never more.
        let kinds: u64 = results["facets"]["kind"]
            .as_array()
            .expect("kinds")
            .iter()
            .map(|f| f["count"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(kinds, published_seen, "{who}: {results}");
        let places: u64 = results["facets"]["place"]
            .as_array()
            .expect("places")
            .iter()
            .map(|f| f["count"].as_u64().unwrap_or(0))
            .sum();
        assert!(places <= published_seen, "{who}: {results}");
        let ids = hit_ids(&results);
        let (_, public_page) = browser.get_text(&format!("/library/{}", items[0].1)).await;
        for (vis, id, title, att) in &items {
            let may = sees.contains(vis);
            let expect = if may {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            // Pages (not the API) ask a signed-out reader to sign in instead.
            let expect_page = if !may && email.is_none() {
                StatusCode::UNAUTHORIZED
            } else {
                expect
            };
            assert_eq!(
                browser.get(&format!("/library/{id}")).await.status(),
                expect_page,
                "{who} page of {vis}"
            );
            assert_eq!(
                api.api_get(&format!("/items/{id}")).await.0,
                expect,
                "{who} API of {vis}"
            );
            assert_eq!(
                browser.get(att).await.status(),
                expect_page,
                "{who} download of {vis}"
            );
            assert_eq!(
                browser
                    .get(&format!("/library/{id}/history"))
                    .await
                    .status(),
                expect_page,
                "{who} history of {vis}"
            );
            assert_eq!(
                api.api_get(&format!("/items/{id}/history")).await.0,
                expect,
                "{who} API history of {vis}"
            );
            let in_search = *vis != "draft" && may;
            assert_eq!(ids.contains(id), in_search, "{who} search and {vis}");
            // A word only in the file finds the item only for those who may see it.
            let by_file = search(&api, &format!("ptarmigan{vis}")).await;
            assert_eq!(
                by_file["total"].as_u64(),
                Some(u64::from(in_search)),
                "{who} file search {vis}: {by_file}"
            );
            // "More like this" on the public item never names a hidden one, and names the
            // others (they share its unusual words).
            if *vis != "public" {
                assert_eq!(
                    public_page.contains(title.as_str()),
                    may && *vis != "draft",
                    "{who} and {vis} in more like this"
                );
            }
        }
    }
}

async fn hostile_uploads_markdown_and_queries(app: TestApp) {
    // Given: an author at Blackpool Council and a moderator.
    let given = app.given();
    let council = given.organisation("blackpool-council").await;
    let author_person = given.person("contributor").member_of(&council).await;
    let moderator_person = given.person("moderator").await;
    let author = author_person.api().await;
    let org = council.id.clone();
    let xss = "<script>alert(1)</script>\n\n[x](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n\n<svg/onload=alert(4)>";
    let id = new_item(
        &author,
        &org,
        "Hostile input test",
        "public",
        json!({"body_md": xss, "context": xss}),
    )
    .await;
    let moderator = moderator_person.api().await;
    publish(&author, &moderator, &id).await;
    let (_, page) = app.client().get_text(&format!("/library/{id}")).await;
    let lower = page.to_lowercase();
    for bad in ["<script>alert", "javascript:alert", "onerror=", "<svg"] {
        assert!(!lower.contains(bad), "{bad} reached the page");
    }

    // An executable named .pdf, a zip bomb dressed as DOCX, an empty file: refused, nothing stored.
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend(vec![0u8; 4096]);
    let (s, v) = upload_api(&author, &id, "report.pdf", elf).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("executable"), "{v}");
    let (s, _) = upload_api(&author, &id, "empty.pdf", vec![]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count(&format!("attachments WHERE item_id = '{id}'"))
            .await,
        0
    );

    // A DOCX whose document part unpacks to 300 MB is accepted as a file but its text is refused.
    let bomb = docx_bomb(300 * 1024 * 1024);
    let (s, v) = upload_api(&author, &id, "bomb.docx", bomb).await;
    assert!(
        s == StatusCode::CREATED || s == StatusCode::UNPROCESSABLE_ENTITY,
        "{s} {v}"
    );
    if s == StatusCode::CREATED {
        wait_for_text(&author, &id).await;
        let (_, item) = author.api_get(&format!("/items/{id}")).await;
        assert_eq!(item["attachments"][0]["text_status"], "failed", "{item}");
    }

    // A file name with a path and control characters never reaches the file system.
    let browser = author_person.browser().await;
    let r = multipart_upload(
        &browser,
        &id,
        "../../etc/passwd.pdf",
        lz_files::samples::pdf("x", &["y"]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Control characters cannot travel in a multipart header, but they can in the API's name.
    let (s, v) = upload_api(
        &author,
        &id,
        "..\\..\\x\u{7}\u{202e}\r\nname.pdf",
        lz_files::samples::pdf("x", &["z"]),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, item) = author.api_get(&format!("/items/{id}")).await;
    let names: Vec<&str> = item["attachments"]
        .as_array()
        .expect("attachments")
        .iter()
        .filter_map(|a| a["file_name"].as_str())
        .collect();
    assert!(names.iter().any(|n| n.ends_with(".pdf")), "{names:?}");
    for n in &names {
        assert!(
            !n.contains('/') && !n.contains("..") && !n.chars().any(char::is_control),
            "{n:?}"
        );
    }
    let stray = std::fs::read_dir(app.dir.join("data"))
        .expect("data dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect::<Vec<_>>();
    assert!(
        stray.iter().all(
            |n| ["files", "search-index", "lz.db", "lz.db-wal", "lz.db-shm"].contains(&n.as_str())
        ),
        "{stray:?}"
    );

    // Queries made of search syntax, and 10 kB of text: answers, never a 500.
    for q in [
        "title:(foo AND OR)",
        "\"unclosed",
        "~2^ [a TO",
        "*",
        "-",
        "\u{0}",
        "((((((",
        "a AND NOT OR b",
    ] {
        let (s, v) = app
            .client()
            .api_get(&format!("/search?q={}", urlencode(q)))
            .await;
        assert_eq!(s, StatusCode::OK, "{q}: {v}");
        let (s, _) = app
            .client()
            .get_text(&format!("/library?q={}", urlencode(q)))
            .await;
        assert_eq!(s, StatusCode::OK, "{q}");
    }
    let long = "physical activity ".repeat(600);
    let (s, _) = app
        .client()
        .api_get(&format!("/search?q={}", urlencode(&long)))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .client()
        .get_text("/library?page=abc&year=x&sort=%3Cscript%3E")
        .await;
    assert_eq!(s, StatusCode::OK);
}

/// A DOCX (a real zip) whose document.xml unpacks to `size` bytes.
fn docx_bomb(size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    zip.start_file("[Content_Types].xml", opts).expect("zip");
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("zip");
    zip.start_file("word/document.xml", opts).expect("zip");
    let chunk = vec![b' '; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        zip.write_all(&chunk[..n]).expect("zip");
        left -= n;
    }
    zip.finish().expect("zip");
    out.into_inner()
}

async fn bad_item_input_changes_nothing(app: TestApp) {
    // Given: an author at Blackpool Council, a contributor at GM Moving, a member elsewhere
    // and a moderator.
    let given = app.given();
    let council = given.organisation("blackpool-council").await;
    let gm_moving = given.organisation("gm-moving").await;
    let cheshire = given.organisation("active-cheshire").await;
    let author_person = given.person("contributor").member_of(&council).await;
    let gm_person = given.person("contributor").member_of(&gm_moving).await;
    let member_person = given.person("member").member_of(&cheshire).await;
    let moderator_person = given.person("moderator").await;
    let before = app.count("items").await;
    let author = author_person.api().await;
    let org = council.id.clone();
    let other_org = gm_moving.id.clone();
    let cases = [
        json!({"kind": "poem", "title": "x", "summary": "y", "organisation_id": org, "visibility": "public"}),
        json!({"kind": "case_study", "title": "", "summary": "y", "organisation_id": org, "visibility": "public"}),
        json!({"kind": "case_study", "title": "x".repeat(300), "summary": "y", "organisation_id": org, "visibility": "public"}),
        json!({"kind": "case_study", "title": "x", "summary": "y", "organisation_id": org, "visibility": "everyone"}),
        json!({"kind": "case_study", "title": "x", "summary": "y", "organisation_id": other_org, "visibility": "public"}),
        json!({"kind": "case_study", "title": "x", "summary": "y", "organisation_id": org, "visibility": "public", "links": ["javascript:alert(1)"]}),
        json!({"kind": "case_study", "title": "x", "summary": "y", "organisation_id": org, "visibility": "public", "terms": ["no-such-term"]}),
        json!({"kind": "case_study", "title": "x", "summary": "y", "organisation_id": org, "visibility": "public", "body_md": "z".repeat(100_001)}),
        json!({"kind": "case_study", "title": "x\u{1}y", "summary": "y", "organisation_id": org, "visibility": "public"}),
    ];
    for body in cases {
        let (s, v) = author.api_post("/items", body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert_eq!(v["status"], 422, "{v}");
    }
    // Wrong types and unknown fields are problem details too.
    let (s, _) = author.api_post("/items", json!({"kind": 3, "title": [], "summary": "y", "organisation_id": org, "visibility": "public"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = author.api_post("/items", json!({"kind": "case_study", "title": "x", "summary": "y", "organisation_id": org, "visibility": "public", "owner": "me"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // A member may not write; nobody may touch another's item or approve their own.
    let member = member_person.api().await;
    let (s, _) = member.api_post("/items", json!({"kind": "case_study", "title": "x", "summary": "y", "organisation_id": org, "visibility": "public"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(app.count("items").await, before);
    let id = new_item(&author, &org, "Owned by Blackpool", "network", json!({})).await;
    let other = gm_person.api().await;
    let (s, _) = other.api_send(Method::PUT, &format!("/items/{id}"), json!({"kind": "case_study", "title": "Taken", "summary": "y", "organisation_id": org, "visibility": "public"})).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "a draft of someone else is not even visible"
    );
    let (s, _) = author
        .api_post(
            &format!("/items/{id}/workflow"),
            json!({"action": "approve"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = author
        .api_post(&format!("/items/{id}/workflow"), json!({"action": "fly"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, v) = author
        .api_post(
            &format!("/items/{id}/workflow"),
            json!({"action": "withdraw"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a draft cannot be withdrawn: {v}");
    let (_, item) = author.api_get(&format!("/items/{id}")).await;
    assert_eq!(item["title"], "Owned by Blackpool");
    assert_eq!(item["status"], "draft");
    // The author changes it over the API: a new version, the change kept.
    let (s, v) = author
        .api_send(
            Method::PUT,
            &format!("/items/{id}"),
            json!({"kind": "practice_guide", "title": "Owned by Blackpool, revised", "summary": "y",
                   "organisation_id": org, "visibility": "public", "authors": ["Alex Sample", "Sam Coauthor"]}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, item) = author.api_get(&format!("/items/{id}")).await;
    assert_eq!(item["version"], 2);
    assert_eq!(item["kind"], "practice_guide");
    assert_eq!(item["authors"], json!(["Alex Sample", "Sam Coauthor"]));
    let (_, history) = author.api_get(&format!("/items/{id}/history")).await;
    let fields: Vec<&str> = history[0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"Title") && fields.contains(&"Kind") && fields.contains(&"Authors"),
        "{history}"
    );
    // Marks over the API need a published item; bad marks are refused.
    let (s, _) = member
        .api_post(
            &format!("/items/{id}/marks"),
            json!({"mark": "bookmark", "on": true}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "a draft is not visible to the member"
    );
    let moderator = moderator_person.api().await;
    publish(&author, &moderator, &id).await;
    let (s, _) = member
        .api_post(
            &format!("/items/{id}/marks"),
            json!({"mark": "love", "on": true}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = member
        .api_post(
            &format!("/items/{id}/marks"),
            json!({"mark": "useful", "on": "yes"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = member
        .api_post(
            &format!("/items/{id}/marks"),
            json!({"mark": "useful", "on": true}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, item) = member.api_get(&format!("/items/{id}")).await;
    assert_eq!(item["useful_count"], 1);
    // The HTML form says what is wrong, beside each field, with 422.
    let browser = author_person.browser().await;
    let r = browser
        .post_form(
            "/library/new",
            "/library/new",
            &[
                ("kind", ""),
                ("title", ""),
                ("visibility", "public"),
                ("organisation_id", org.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap_or_default();
    assert!(
        html.contains("There is a problem") && html.contains("href=\"#title\""),
        "{html}"
    );
}

async fn taxonomy_renamed_and_merged_without_breaking_links(app: TestApp) {
    // Given: a network admin and a moderator of Active Lancashire.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let moderator_person = given.person("moderator").member_of(&lancashire).await;
    let admin = admin_person.browser().await;
    for name in ["Parkrun stories", "Park run stories"] {
        let r = admin
            .post_form(
                "/admin/taxonomy",
                "/admin/taxonomy",
                &[("vocabulary", "theme"), ("name", name), ("description", "")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let r = admin
        .post_form(
            "/admin/taxonomy",
            "/admin/taxonomy",
            &[
                ("vocabulary", "theme"),
                ("name", "Parkrun stories"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "duplicate name"
    );
    let api = admin_person.api().await;
    let (_, terms) = api.api_get("/terms").await;
    let find = |slug: &str| {
        terms
            .as_array()
            .expect("terms")
            .iter()
            .find(|t| t["slug"] == slug)
            .expect("term")["id"]
            .as_str()
            .expect("id")
            .to_string()
    };
    let (a, b) = (find("parkrun-stories"), find("park-run-stories"));
    let org = lancashire.id.clone();
    let id = new_item(
        &api,
        &org,
        "Tagged with the old theme",
        "public",
        json!({"terms": [a.clone()]}),
    )
    .await;
    let moderator = moderator_person.api().await;
    publish(&api, &moderator, &id).await;

    let r = admin
        .post_form(
            &format!("/admin/taxonomy/{b}"),
            "/admin/taxonomy",
            &[("name", "Parkrun and junior parkrun"), ("description", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.client().get("/themes/park-run-stories").await.status(),
        StatusCode::OK,
        "renamed: same address"
    );
    let r = admin
        .post_form(
            &format!("/admin/taxonomy/{a}/merge"),
            "/admin/taxonomy",
            &[("into", b.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app.client().get("/themes/parkrun-stories").await;
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.headers()["location"], "/themes/park-run-stories");
    let (_, item) = api.api_get(&format!("/items/{id}")).await;
    assert_eq!(item["terms"], json!([b.clone()]));
    // The index follows: the theme filter finds the item under the surviving term.
    for _ in 0..200 {
        let (_, v) = app.client().api_get("/search?theme=park-run-stories").await;
        if v["total"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, v) = app.client().api_get("/search?theme=park-run-stories").await;
    assert_eq!(v["total"], 1, "{v}");
    // Only network admins manage the taxonomy.
    let mod_browser = moderator_person.browser().await;
    assert_eq!(
        mod_browser.get("/admin/taxonomy").await.status(),
        StatusCode::FORBIDDEN
    );
    let r = mod_browser
        .post_form(
            &format!("/admin/taxonomy/{b}"),
            "/library",
            &[("name", "Hijacked")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn reindex_rebuilds_the_same_results(app: TestApp) {
    // Given: a network admin and a moderator of Active Lancashire.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let moderator_person = given.person("moderator").member_of(&lancashire).await;
    let api = app
        .client()
        .api_sign_in(admin_person.email.as_str(), crate::common::PASSWORD)
        .await;
    let moderator = app
        .client()
        .api_sign_in(moderator_person.email.as_str(), crate::common::PASSWORD)
        .await;
    let org = lancashire.id.clone();
    for i in 0..5 {
        let id = new_item(
            &api,
            &org,
            &format!("Wombat count {i}"),
            "public",
            json!({}),
        )
        .await;
        publish(&api, &moderator, &id).await;
    }
    let before = wait_for_hits(&api, "wombat", 5).await;
    let n = app.app.reindex(|_, _| {}).await.expect("reindex");
    assert!(n >= 5);
    let after = search(&api, "wombat").await;
    assert_eq!(before["total"], after["total"]);
    let mut a = hit_ids(&before);
    let mut b = hit_ids(&after);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // Searches that found nothing are kept for curators, without who asked.
    search(&app.client(), "nonexistentword qqq").await;
    let admin = app.client();
    admin
        .sign_in(admin_person.email.as_str(), crate::common::PASSWORD)
        .await;
    let (_, gaps) = admin.get_text("/admin/search-gaps").await;
    assert!(gaps.contains("nonexistentword qqq"), "{gaps}");
}

/// Uploads past LZ_MAX_UPLOAD_BYTES are refused, over the API and the form, and store nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_uploads_are_refused() {
    let app = TestApp::spawn_with(
        crate::common::Backend::Sqlite,
        &[("LZ_MAX_UPLOAD_BYTES", "200000")],
    )
    .await
    .expect("sqlite");
    // Given: a contributor at Blackpool Council.
    let given = app.given();
    let council = given.organisation("blackpool-council").await;
    let author_person = given.person("contributor").member_of(&council).await;
    let author = author_person.api().await;
    let id = new_item(&author, &council.id, "Large files", "network", json!({})).await;
    let mut big = lz_files::samples::pdf("Big", &["x"]);
    big.resize(5_000_000, b' ');
    // Over plain sockets: the server answers 413 and closes before a 5 MB body is sent, which
    // an ordinary client may report as a broken pipe instead of the answer.
    let (s, body) = author
        .raw_post_bearer(
            &format!("/api/v1/items/{id}/attachments?name=big.pdf"),
            "application/octet-stream",
            big.clone(),
        )
        .await;
    assert_eq!(s, 413, "{body}");
    assert!(
        body.contains("\"status\":413") && body.contains("at most"),
        "{body}"
    );
    let browser = author_person.browser().await;
    let csrf = browser.csrf(&format!("/library/{id}")).await;
    let boundary = "lz-test-boundary";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&big);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (s, _) = browser
        .raw_post(
            &format!("/library/{id}/attachments"),
            &format!("multipart/form-data; boundary={boundary}"),
            form,
        )
        .await;
    assert!(s == 413 || s == 422, "{s}");
    assert_eq!(
        app.count(&format!("attachments WHERE item_id = '{id}'"))
            .await,
        0
    );
}

/// Place leads review items of their own places, and only those.
async fn place_leads_review_only_their_places(app: TestApp) {
    // Given: Blackpool Council and GM Moving in their places, a contributor of each, a place
    // lead at Blackpool Council, and a member elsewhere.
    let given = app.given();
    let blackpool_place = given.place("blackpool").await;
    let gm_place = given.place("greater-manchester").await;
    let blackpool_org = given
        .organisation_in("blackpool-council", &blackpool_place)
        .await;
    let gm_org = given.organisation_in("gm-moving", &gm_place).await;
    let blackpool = given
        .person("contributor")
        .member_of(&blackpool_org)
        .signed_in_api()
        .await;
    let gm = given
        .person("contributor")
        .member_of(&gm_org)
        .signed_in_api()
        .await;
    let lead_person = given.person("place_lead").member_of(&blackpool_org).await;
    let lead = lead_person.api().await;
    let cheshire = given.organisation("active-cheshire").await;
    let member_person = given.person("member").member_of(&cheshire).await;

    // Each contributor submits an item for review.
    let ours = new_item(
        &blackpool,
        &blackpool_org.id,
        "Blackpool beach walks",
        "network",
        json!({}),
    )
    .await;
    let theirs = new_item(&gm, &gm_org.id, "Salford canal runs", "network", json!({})).await;
    for (api, id) in [(&blackpool, &ours), (&gm, &theirs)] {
        let (s, v) = api
            .api_post(
                &format!("/items/{id}/workflow"),
                json!({"action": "submit"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    // The lead's queue holds their place's item only.
    let browser = lead_person.browser().await;
    let (s, queue) = browser.get_text("/library/review").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        queue.contains("Blackpool beach walks") && !queue.contains("Salford canal runs"),
        "{queue}"
    );
    // Another place's item in review is not even visible to this lead.
    let (s, _) = lead
        .api_post(
            &format!("/items/{theirs}/workflow"),
            json!({"action": "approve"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = lead
        .api_post(
            &format!("/items/{ours}/workflow"),
            json!({"action": "approve"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Members and contributors have no review queue.
    let member = member_person.browser().await;
    assert_eq!(
        member.get("/library/review").await.status(),
        StatusCode::FORBIDDEN
    );
    let (s, _) = blackpool
        .api_post(
            &format!("/items/{theirs}/workflow"),
            json!({"action": "approve"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// Following a place and bookmarking fill "Your learning"; featuring fills the home page;
/// withdrawing and deleting take an item out of search and feeds; removing a file works.
async fn follows_bookmarks_features_withdrawal_and_deletion(app: TestApp) {
    // Given: Blackpool Council in Blackpool with a contributor who writes, a moderator, and a
    // member of an organisation elsewhere who reads.
    let given = app.given();
    let blackpool = given.place("blackpool").await;
    let council = given.organisation_in("blackpool-council", &blackpool).await;
    let author_person = given.person("contributor").member_of(&council).await;
    let moderator_person = given.person("moderator").await;
    let cheshire = given.organisation("active-cheshire").await;
    let reader_person = given.person("member").member_of(&cheshire).await;
    let author = author_person.api().await;
    let moderator_api = moderator_person.api().await;
    let org = council.id.clone();
    let id = new_item(
        &author,
        &org,
        "Gannetshore seafront cycling",
        "public",
        json!({}),
    )
    .await;
    let (s, v) = upload_api(
        &author,
        &id,
        "map.pdf",
        lz_files::samples::pdf("Map", &["Route map"]),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let attachment = v["id"].as_str().expect("id").to_string();
    publish(&author, &moderator_api, &id).await;

    // A member follows the place and bookmarks the item.
    let reader = reader_person.browser().await;
    let (_, places) = author.api_get("/places").await;
    let place = places
        .as_array()
        .expect("places")
        .iter()
        .find(|p| p["slug"] == "blackpool")
        .expect("Blackpool")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = reader
        .post_form(
            "/follow",
            "/places/blackpool",
            &[
                ("subject_type", "place"),
                ("subject_id", place.as_str()),
                ("on", "1"),
                ("back", "/places/blackpool"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/places/blackpool");
    let (_, place_page) = reader.get_text("/places/blackpool").await;
    assert!(place_page.contains("Stop following"), "{place_page}");
    // The follow form only sends people back within the site.
    let r = reader
        .post_form(
            "/follow",
            "/places/blackpool",
            &[
                ("subject_type", "place"),
                ("subject_id", place.as_str()),
                ("on", "1"),
                ("back", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(r.headers()["location"], "/library/mine");
    let r = reader
        .post_form(
            "/follow",
            "/places/blackpool",
            &[
                ("subject_type", "planet"),
                ("subject_id", "x"),
                ("on", "1"),
                ("back", "/"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = reader
        .post_form(
            &format!("/library/{id}/marks"),
            &format!("/library/{id}"),
            &[("mark", "bookmark"), ("on", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, mine) = reader.get_text("/library/mine").await;
    let section = |html: &str, id: &str| {
        html.split(&format!("id=\"{id}\""))
            .nth(1)
            .unwrap_or("")
            .split("</ul>")
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        section(&mine, "following").contains("Gannetshore"),
        "{mine}"
    );
    assert!(
        section(&mine, "bookmarks").contains("Gannetshore"),
        "{mine}"
    );

    // A moderator features it: the home page shows it, to anyone.
    let moderator = moderator_person.browser().await;
    let r = moderator
        .post_form(
            &format!("/library/{id}/feature"),
            &format!("/library/{id}"),
            &[("on", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, home) = app.client().get_text("/").await;
    assert!(section(&home, "featured").contains("Gannetshore"), "{home}");
    let r = reader
        .post_form(
            &format!("/library/{id}/feature"),
            &format!("/library/{id}"),
            &[("on", "0")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "only moderators feature");

    // Removing the file: gone from the page and the download.
    let browser = author_person.browser().await;
    let r = reader
        .post_form(
            &format!("/attachments/{attachment}/delete"),
            &format!("/library/{id}"),
            &[],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "readers cannot remove files"
    );
    let r = browser
        .post_form(
            &format!("/attachments/{attachment}/delete"),
            &format!("/library/{id}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.client()
            .get(&format!("/attachments/{attachment}"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED,
        "signed out, a deleted attachment is a page to sign in for, like any other"
    );

    // Withdrawn: out of search and the feed, still in the author's list.
    wait_for_hits(&author, "gannetshore", 1).await;
    let r = browser
        .post_form(
            &format!("/library/{id}/workflow"),
            &format!("/library/{id}"),
            &[("action", "withdraw")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    wait_for_hits(&app.client(), "gannetshore", 0).await;
    let (_, feed) = app.client().get_text("/feed.atom").await;
    assert!(!feed.contains("Gannetshore"));
    assert_eq!(
        app.client().get(&format!("/library/{id}")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (_, mine) = browser.get_text("/library/mine").await;
    assert!(section(&mine, "my-items").contains("Withdrawn"), "{mine}");

    // Reopened and deleted: gone for everyone, kept in the audit log.
    let r = browser
        .post_form(
            &format!("/library/{id}/workflow"),
            &format!("/library/{id}"),
            &[("action", "reopen")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = reader
        .post_form(&format!("/library/{id}/delete"), "/library", &[])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "a reader cannot see, let alone delete, a draft"
    );
    let r = browser
        .post_form(
            &format!("/library/{id}/delete"),
            &format!("/library/{id}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get(&format!("/library/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count(&format!(
            "items WHERE id = '{id}' AND deleted_at IS NOT NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'item.delete' AND subject_id = '{id}'"
        ))
        .await,
        1
    );
}

/// A one-page PDF whose content stream is `text` plus `padding` spaces, Flate-compressed:
/// small on the wire, huge once a reader unpacks it.
fn pdf_with_stream(text: &str, padding: usize) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET\n").as_bytes())
        .expect("zlib");
    let chunk = vec![b' '; 1 << 20];
    let mut left = padding;
    while left > 0 {
        let n = left.min(chunk.len());
        z.write_all(&chunk[..n]).expect("zlib");
        left -= n;
    }
    let stream = z.finish().expect("zlib");
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        [format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes(), stream, b"\nendstream".to_vec()].concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).into_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    out
}

/// A PDF that unpacks to 400 MB exhausts only the extraction child's memory limit: its
/// text is marked failed, the server answers on, and the next file is extracted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdf_decompression_bomb_is_contained_by_the_extractor() {
    let app = TestApp::spawn_with(
        crate::common::Backend::Sqlite,
        &[("TEST_EXTRACT_MEMORY_MIB", "256")],
    )
    .await
    .expect("sqlite");
    // Given: a contributor at Blackpool Council.
    let given = app.given();
    let council = given.organisation("blackpool-council").await;
    let author = given
        .person("contributor")
        .member_of(&council)
        .signed_in_api()
        .await;
    let id = new_item(&author, &council.id, "Bomb carrier", "network", json!({})).await;
    let bomb = pdf_with_stream("kittiwake", 400 << 20);
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    let (s, v) = upload_api(&author, &id, "bomb.pdf", bomb).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    wait_for_text(&author, &id).await;
    let (_, item) = author.api_get(&format!("/items/{id}")).await;
    assert_eq!(item["attachments"][0]["text_status"], "failed", "{item}");
    assert_eq!(app.client().get("/healthz").await.status(), StatusCode::OK);
    // The same document without the padding is read.
    let (s, v) = upload_api(&author, &id, "fine.pdf", pdf_with_stream("kittiwake", 0)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    wait_for_text(&author, &id).await;
    let (_, item) = author.api_get(&format!("/items/{id}")).await;
    assert_eq!(item["attachments"][1]["text_status"], "done", "{item}");
}

/// Atom feeds parse as XML and hold public items only; schema.org metadata only on public
/// published items; search pages through results and sorts by date.
async fn feeds_metadata_pagination_and_sorting(app: TestApp) {
    // Given: a network admin and a moderator of Active Lancashire, a member of Active
    // Cheshire, and a theme.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let cheshire = given.organisation("active-cheshire").await;
    let api = given
        .person("network_admin")
        .member_of(&lancashire)
        .signed_in_api()
        .await;
    let moderator = given
        .person("moderator")
        .member_of(&lancashire)
        .signed_in_api()
        .await;
    let reader = given
        .person("member")
        .member_of(&cheshire)
        .signed_in()
        .await;
    let org = lancashire.id.clone();
    let theme = given.term("theme", "Data, insight and evaluation").await;
    let (_, terms) = api.api_get("/terms").await;
    let theme_slug = terms
        .as_array()
        .expect("terms")
        .iter()
        .find(|t| t["id"] == theme.as_str())
        .expect("theme")["slug"]
        .as_str()
        .expect("slug")
        .to_string();
    let mut ids = Vec::new();
    for i in 0..23 {
        let vis = if i == 0 { "network" } else { "public" };
        let id = new_item(
            &api,
            &org,
            &format!("Lapwing note {i:02} & <friends>"),
            vis,
            json!({"terms": [theme.clone()]}),
        )
        .await;
        publish(&api, &moderator, &id).await;
        ids.push(id);
    }
    wait_for_hits(&api, "lapwing", 23).await;

    // Pages of 20, newest first when asked.
    let (_, page1) = api.api_get("/search?q=lapwing&sort=newest").await;
    let (_, page2) = api.api_get("/search?q=lapwing&sort=newest&page=2").await;
    assert_eq!(hit_ids(&page1).len(), 20);
    assert_eq!(hit_ids(&page2).len(), 3);
    let both: Vec<String> = hit_ids(&page1).into_iter().chain(hit_ids(&page2)).collect();
    let mut sorted = both.clone();
    sorted.sort();
    sorted.dedup();
    let mut all = ids.clone();
    all.sort();
    assert_eq!(sorted, all, "the two pages hold every item once");
    let times: Vec<i64> = [&page1, &page2]
        .iter()
        .flat_map(|p| p["hits"].as_array().cloned().unwrap_or_default())
        .map(|h| h["published_at"].as_i64().unwrap_or(0))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first across pages: {times:?}"
    );
    let (s, html) = app.client().get_text("/library?q=lapwing&page=2").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("aria-label=\"Page 2\" aria-current=\"page\"")
            && html.contains("rel=\"prev\"")
            && !html.contains("rel=\"next\""),
        "{html}"
    );

    // Feeds: well-formed XML (checked by Python's parser), public items only, escaped titles.
    for path in [
        "/feed.atom".to_string(),
        format!("/themes/{theme_slug}/feed.atom"),
    ] {
        let r = app.client().get(&path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("application/atom+xml"));
        let xml = r.text().await.expect("feed");
        assert!(
            xml.contains("Lapwing note 05 &amp; &lt;friends&gt;"),
            "{path}: {xml}"
        );
        assert!(
            !xml.contains("Lapwing note 00"),
            "the network item stays out of {path}"
        );
        let parsed = std::process::Command::new("python3")
            .args(["-c", "import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); print(len(d.getElementsByTagName('entry')))"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().expect("stdin").write_all(xml.as_bytes())?;
                c.wait_with_output()
            })
            .expect("python3");
        assert!(
            parsed.status.success(),
            "{path} is not well-formed XML: {xml}"
        );
        let entries: usize = String::from_utf8_lossy(&parsed.stdout)
            .trim()
            .parse()
            .unwrap_or(0);
        assert_eq!(entries, 22, "{path}: the public items, each once");
    }
    assert_eq!(
        app.client()
            .get("/themes/no-such-theme/feed.atom")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // schema.org metadata on a public item, none on a network one.
    let (_, public) = app.client().get_text(&format!("/library/{}", ids[1])).await;
    let ld = public
        .split("application/ld+json\">")
        .nth(1)
        .and_then(|r| r.split("</script>").next())
        .expect("JSON-LD");
    let v: Value = serde_json::from_str(ld).expect("JSON-LD parses");
    assert_eq!(v["@type"], "CreativeWork");
    assert_eq!(v["name"], "Lapwing note 01 & <friends>");
    assert!(!ld.contains('<'), "no raw < inside the script element");
    let (_, network) = reader.get_text(&format!("/library/{}", ids[0])).await;
    assert!(!network.contains("application/ld+json"));
}

/// Items and marks are kept in memory for a few seconds (`app/src/fresh.rs`): a write is seen
/// by the very next request all the same (sessions: `accounts.rs` replays a cookie whose
/// session has ended).
async fn a_change_shows_on_the_next_request_despite_the_caches(app: TestApp) {
    // Given: a moderator, an author at Blackpool Council and a reader at Active Cheshire.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let council = given.organisation("blackpool-council").await;
    let cheshire = given.organisation("active-cheshire").await;
    let moderator_person = given.person("moderator").member_of(&lancashire).await;
    let blackpool_person = given.person("contributor").member_of(&council).await;
    let cheshire_person = given.person("member").member_of(&cheshire).await;
    let author = app
        .client()
        .api_sign_in(blackpool_person.email.as_str(), crate::common::PASSWORD)
        .await;
    let moderator = app
        .client()
        .api_sign_in(moderator_person.email.as_str(), crate::common::PASSWORD)
        .await;
    let org = council.id.clone();
    let id = new_item(&author, &org, "Puffinstack promenade", "public", json!({})).await;
    publish(&author, &moderator, &id).await;
    let reader = app.client();
    reader
        .sign_in(cheshire_person.email.as_str(), crate::common::PASSWORD)
        .await;
    // Read twice: the second answer comes from memory.
    for _ in 0..2 {
        let (s, page) = reader.get_text(&format!("/library/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Puffinstack promenade"), "{page}");
    }
    // Marked useful: the reader's own mark shows at once.
    mark_useful(&reader, &id).await;
    let (_, v) = author.api_get(&format!("/items/{id}")).await;
    assert_eq!(v["useful_count"], 1, "{v}");
    // Withdrawn: gone for the reader on the next request.
    let (s, v) = author
        .api_post(
            &format!("/items/{id}/workflow"),
            json!({"action": "withdraw"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        reader.get(&format!("/library/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.client().get(&format!("/library/{id}")).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
