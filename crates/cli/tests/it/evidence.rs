//! The evidence bank over HTTP: recording evidence from a library item, a second person
//! checking it, publishing, and who sees it; who may use each route; hostile input refused
//! with nothing changed; the CSV read back.

use std::sync::Mutex;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{assert_only_members, page, Client, Org, TestApp};
use crate::on_both_databases;

on_both_databases!(
    evidence_is_recorded_checked_by_another_and_published,
    evidence_routes_by_role,
    hostile_evidence_is_refused_and_changes_nothing,
    evidence_csv_reads_back
);

/// A place, an organisation in it, an agenda term.
struct World {
    org: Org,
    place: String,
    agenda: String,
}

async fn world(app: &TestApp) -> World {
    let given = app.given();
    let place = given.place("fylde-coast").await;
    let org = given.organisation_in("blackpool", &place).await;
    let agenda = given.term("agenda", "Health").await;
    World {
        org,
        place: place.id,
        agenda,
    }
}

/// A valid API body from an external publication; `extra` changes fields.
fn body(w: &World, extra: Value) -> Value {
    let mut b = json!({
        "claim": "Walking groups cut GP appointments by 17 % among participants (illustrative).",
        "agendas": [w.agenda], "places": [w.place],
        "measure_name": "GP appointments", "measure_value": 17, "measure_unit": "% fewer",
        "source_title": "An illustrative evaluation", "source_url": "https://example.org/evaluation",
        "evidence_type": "evaluation", "strength": 2, "visibility": "network",
    });
    if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    b
}

async fn record(api: &Client, body: Value) -> String {
    let (s, v) = api.api_post("/evidence", body).await;
    assert_eq!(s, StatusCode::CREATED, "evidence recorded: {v}");
    v["id"].as_str().expect("id").to_string()
}

async fn evidence_is_recorded_checked_by_another_and_published(app: TestApp) {
    // Arrange: a published item, its author, a moderator.
    let w = world(&app).await;
    let given = app.given();
    let author = given.person("contributor").member_of(&w.org).await;
    let item = given.item(&w.org).titled("Walking for health").await;
    let browser = author.browser().await;
    // The item offers "Add evidence from this item", and the form comes prefilled.
    let (_, html) = browser.get_text(&format!("/library/{item}")).await;
    assert!(
        html.contains(&format!("/evidence/new?item={item}")),
        "link on the item"
    );
    let new_page = format!("/evidence/new?item={item}");
    let (s, form) = browser.get_text(&new_page).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        form.contains(&format!("value=\"{item}\"")),
        "source item prefilled"
    );
    assert!(
        form.contains("source-item-title") && form.contains("Walking for health"),
        "the form names the item"
    );

    // Act 1: record it from the form.
    let fields = [
        (
            "claim",
            "Walking groups in Blackpool cut GP appointments by 17 % (illustrative).",
        ),
        ("agendas", w.agenda.as_str()),
        ("places", w.place.as_str()),
        ("measure_value", "17"),
        ("source_kind", "item"),
        ("source_item_id", item.as_str()),
        ("source_locator", "page 4"),
        ("evidence_type", "evaluation"),
        ("strength", "3"),
        ("visibility", "network"),
    ];
    let r = browser.post_form("/evidence/new", &new_page, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "recorded");
    let location = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let id = location
        .trim_start_matches("/evidence/")
        .split('?')
        .next()
        .expect("id")
        .to_string();

    // A draft: not on the item's page, not visible to another member.
    let member = given
        .person("member")
        .member_of(&w.org)
        .signed_in_api()
        .await;
    let (s, _) = member.api_get(&format!("/evidence/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "a draft is the author's");

    // Act 2: the author cannot check their own, even as a moderator would.
    let author_api = author.api().await;
    let (s, v) = author_api
        .api_post(&format!("/evidence/{id}/check"), json!({}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let moderator = given.person("moderator").signed_in_api().await;
    let mod_self = given.person("moderator").await;
    let own = record(&mod_self.api().await, body(&w, json!({}))).await;
    let (s, _) = mod_self
        .api()
        .await
        .api_post(&format!("/evidence/{own}/check"), json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a moderator cannot check their own"
    );
    // Publishing before checking is refused.
    let (s, _) = moderator
        .api_post(&format!("/evidence/{id}/publish"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, v) = moderator
        .api_post(&format!("/evidence/{id}/check"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, _) = author_api
        .api_post(&format!("/evidence/{id}/publish"), json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the author cannot publish their own"
    );
    let (s, _) = moderator
        .api_post(&format!("/evidence/{id}/publish"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    // Assert: published, checked by the moderator; network visibility holds.
    let (s, v) = member.api_get(&format!("/evidence/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "published");
    assert_eq!(v["strength"], 3);
    assert_eq!(v["source_item_id"], item.as_str());
    assert!(v["checked_by"].is_string() && v["checked_by"] != author.id.as_str());
    let (s, _) = app.client().api_get(&format!("/evidence/{id}")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "network evidence is hidden from visitors"
    );
    let (_, html) = browser.get_text(&format!("/library/{item}")).await;
    assert!(
        html.contains(&format!("/evidence/{id}")),
        "listed on the item"
    );
    let (_, html) = browser.get_text(&format!("/evidence/{id}")).await;
    assert!(
        html.contains("page 4") && html.contains("Nesta"),
        "shown with its source"
    );
    let (_, list) = app.client().api_get("/evidence").await;
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(0),
        "visitors see no network evidence"
    );
    // A public record becomes visible to everyone once published.
    let public = record(&author_api, body(&w, json!({"visibility": "public"}))).await;
    moderator
        .api_post(&format!("/evidence/{public}/check"), json!({}))
        .await;
    moderator
        .api_post(&format!("/evidence/{public}/publish"), json!({}))
        .await;
    let (s, _) = app.client().api_get(&format!("/evidence/{public}")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, html) = app.client().get_text("/evidence").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!("/evidence/{public}"))
            && !html.contains(&format!("/evidence/{id}\""))
    );
    // The place's page lists its published evidence as the reader may see it: the public
    // record for a visitor, and the network one too for a signed-in partner.
    let (_, html) = app.client().get_text("/places/fylde-coast").await;
    let listed = html
        .split("id=\"place-evidence\"")
        .nth(1)
        .expect("the place's evidence");
    assert!(
        listed.contains(&format!("/evidence/{public}"))
            && !listed.contains(&format!("/evidence/{id}\""))
    );
    let (_, html) = author.browser().await.get_text("/places/fylde-coast").await;
    let listed = html
        .split("id=\"place-evidence\"")
        .nth(1)
        .expect("the place's evidence");
    assert!(listed.contains(&format!("/evidence/{id}\"")), "{listed}");
}

async fn evidence_routes_by_role(app: TestApp) {
    let w = world(&app).await;
    let given = app.given();
    let author = given
        .person("contributor")
        .member_of(&w.org)
        .await
        .api()
        .await;
    let checker = given.admin().await;
    // One record per caller (a visitor and six roles), so that each try starts the same.
    let mut drafts = Vec::new();
    let mut checked = Vec::new();
    for _ in 0..7 {
        drafts.push(record(&author, body(&w, json!({}))).await);
        let id = record(&author, body(&w, json!({}))).await;
        let (s, _) = checker
            .api_post(&format!("/evidence/{id}/check"), json!({}))
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        checked.push(id);
    }
    let drafts = Mutex::new(drafts);
    let checked = Mutex::new(checked);
    let next = |m: &Mutex<Vec<String>>| m.lock().ok().and_then(|mut v| v.pop()).unwrap_or_default();
    let writers = [
        "contributor",
        "place_lead",
        "org_admin",
        "moderator",
        "network_admin",
    ];
    let curators = ["moderator", "network_admin"];

    assert_only_members(&app, &w.org, "POST /api/v1/evidence", &writers, |c| {
        let b = body(&w, json!({}));
        async move { c.api.api_post("/evidence", b).await }
    })
    .await;
    assert_only_members(
        &app,
        &w.org,
        "GET /evidence/new",
        &writers,
        |c| async move {
            let r = c.browser.get("/evidence/new").await;
            page(r.status())
        },
    )
    .await;
    assert_only_members(
        &app,
        &w.org,
        "POST /api/v1/evidence/{id}/check",
        &curators,
        |c| {
            let id = next(&drafts);
            async move {
                c.api
                    .api_post(&format!("/evidence/{id}/check"), json!({}))
                    .await
            }
        },
    )
    .await;
    assert_only_members(
        &app,
        &w.org,
        "POST /api/v1/evidence/{id}/publish",
        &curators,
        |c| {
            let id = next(&checked);
            async move {
                c.api
                    .api_post(&format!("/evidence/{id}/publish"), json!({}))
                    .await
            }
        },
    )
    .await;
    // Editing is the author's, and only while a draft.
    let id = record(&author, body(&w, json!({}))).await;
    for role in ["contributor", "moderator", "network_admin"] {
        let other = given.person(role).member_of(&w.org).signed_in_api().await;
        let (s, _) = other
            .api_send(
                Method::PUT,
                &format!("/evidence/{id}"),
                body(&w, json!({"claim": "Taken over."})),
            )
            .await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{role} edits another's draft: {s}"
        );
    }
    let (s, v) = author
        .api_send(
            Method::PUT,
            &format!("/evidence/{id}"),
            body(&w, json!({"claim": "Edited by its author."})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    // Deleting is soft: the record leaves every list, its row and an audit entry stay.
    let rows = app.count("evidence").await;
    let audits = app.count("audit_log").await;
    let (s, _) = author
        .api_send(Method::DELETE, &format!("/evidence/{id}"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = author.api_get(&format!("/evidence/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "deleted");
    assert_eq!(app.count("evidence").await, rows, "the row stays");
    assert_eq!(app.count("audit_log").await, audits + 1, "one audit entry");
    // Reading: the list and a page answer everybody; the CSV too.
    for path in ["/evidence", "/evidence.csv"] {
        let (s, _) = app.client().get_text(path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
    }
}

async fn hostile_evidence_is_refused_and_changes_nothing(app: TestApp) {
    let w = world(&app).await;
    let given = app.given();
    let author = given.person("contributor").member_of(&w.org).await;
    let api = author.api().await;
    let other = given.organisation("chorley").await;
    let private = given.item(&other).visibility("organisation").await;
    let before = app.count("evidence").await;
    let no_source = {
        let mut b = body(&w, json!({}));
        if let Some(o) = b.as_object_mut() {
            o.remove("source_title");
            o.remove("source_url");
        }
        b
    };
    let cases = [
        ("no source", no_source),
        ("strength 6", body(&w, json!({"strength": 6}))),
        ("value lots", body(&w, json!({"measure_value": "lots"}))),
        (
            "private item",
            body(&w, json!({"source_item_id": private, "source_title": ""})),
        ),
        ("status", body(&w, json!({"status": "published"}))),
        ("checked_by", body(&w, json!({"checked_by": author.id}))),
        (
            "claim too long",
            body(&w, json!({"claim": "x".repeat(301)})),
        ),
        ("no agenda", body(&w, json!({"agendas": []}))),
        ("no place", body(&w, json!({"places": []}))),
        (
            "javascript url",
            body(&w, json!({"source_url": "javascript:alert(1)"})),
        ),
        (
            "testimony without consent",
            body(&w, json!({"evidence_type": "testimony"})),
        ),
    ];
    for (what, b) in cases {
        let (s, v) = api.api_post("/evidence", b).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {v}");
        assert_eq!(v["status"], 422, "{what} is problem details: {v}");
    }
    assert_eq!(app.count("evidence").await, before, "nothing recorded");
    // Evidence is never seen more widely than its item: a network item gives no public
    // evidence; another organisation's private item gives none even to an admin who sees it.
    let network_item = given.item(&w.org).visibility("network").await;
    let (s, v) = api
        .api_post(
            "/evidence",
            body(
                &w,
                json!({"source_item_id": network_item, "source_title": "", "visibility": "public"}),
            ),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "public evidence from a network item: {v}"
    );
    assert!(v.to_string().contains("visibility"), "{v}");
    let admin = given
        .person("network_admin")
        .member_of(&w.org)
        .signed_in_api()
        .await;
    let (s, v) = admin
        .api_post(
            "/evidence",
            body(&w, json!({"source_item_id": private, "source_title": "", "visibility": "organisation"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another organisation's private item: {v}"
    );
    assert_eq!(app.count("evidence").await, before, "nothing recorded");
    // The same over the form: 422 with the error summary, nothing saved.
    let browser = author.browser().await;
    let r = browser
        .post_form(
            "/evidence/new",
            "/evidence/new",
            &[
                ("claim", "No source."),
                ("agendas", &w.agenda),
                ("places", &w.place),
                ("evidence_type", "survey"),
                ("strength", "6"),
                ("measure_value", "lots"),
                ("visibility", "network"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap_or_default();
    assert!(
        html.contains("govuk-error-summary")
            && html.contains("#strength")
            && html.contains("#measure_value")
            && html.contains("#source_kind"),
        "{html}"
    );
    assert_eq!(app.count("evidence").await, before);
    // Text that looks like markup is kept and shown escaped.
    let id = record(
        &api,
        body(
            &w,
            json!({"claim": "<script>alert('x')</script> & \"quoted\""}),
        ),
    )
    .await;
    let (_, html) = browser.get_text(&format!("/evidence/{id}")).await;
    assert!(!html.contains("<script>alert"), "escaped");
    assert!(html.contains("&lt;script&gt;"), "shown as text");
}

async fn evidence_csv_reads_back(app: TestApp) {
    let w = world(&app).await;
    let given = app.given();
    let author = given
        .person("contributor")
        .member_of(&w.org)
        .await
        .api()
        .await;
    let admin = given.admin().await;
    let claim = "=SUM(1), \"quoted\" and £ (illustrative)";
    let id = record(
        &author,
        body(&w, json!({"claim": claim, "visibility": "public"})),
    )
    .await;
    admin
        .api_post(&format!("/evidence/{id}/check"), json!({}))
        .await;
    admin
        .api_post(&format!("/evidence/{id}/publish"), json!({}))
        .await;
    let r = app.client().get("/evidence.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/csv"));
    let bytes = r.bytes().await.unwrap_or_default();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    assert!(header.starts_with("id,claim,agendas,places"), "{header}");
    let row = lines.next().unwrap_or_default();
    let expected = format!("{id},\"'=SUM(1), \"\"quoted\"\" and £ (illustrative)\",Health,");
    assert!(
        row.starts_with(&expected),
        "formula neutralised, quotes doubled: {row}"
    );
    assert_eq!(lines.next(), None, "one record");
}
