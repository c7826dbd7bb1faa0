//! Bringing past meeting records in, on both databases: a moderator uploads a CSV on the web
//! page, sees the flags (an unknown organisation with its nearest match, a date that does not
//! read, a link that is not a web address, a repeated line), confirms, and finds the items
//! and the past events of the series; the same file again adds nothing; Excel's
//! Windows-1252 is converted and said so; the API's dry run and save; who may.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{Client, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    a_moderator_brings_in_meeting_records_once,
    the_api_reads_and_saves_meeting_records
);

const CSV: &str = "Date,Meeting / series,Topic,Presenter(s),Organisation,Recording link,Slides file name,Summary,Attendees count,Colour\n\
2024-03-12,NW Place Partnerships Network,Listening to communities in Blackpool,Jane Example; Sam Example,Blackpool Borough Council,https://example.org/rec/1,listening.pptx,How the team used community conversations.,34,red\n\
14/05/2024,North West learning series 2026,Pivoting leisure to wellbeing,Kim Example,Active Lancashire,javascript:alert(1),,,about 30,\n\
next Tuesday,NW Place Partnerships Network,A talk with no day,Lee Example,Active Lancashire,,,,,\n\
2024-03-12,nw place partnerships network,listening to communities in blackpool,Jane Example,Blackpool Council,,,,,\n\
2024-06-01,,Stand-alone briefing on <script>alert(1)</script>,Ola Example,Chorley Council,https://example.org/rec/3,,Notes.,12,\n\
1998-01-20,NW Place Partnerships Network,A talk from long ago,,Active Lancashire,,,,,\n";

async fn as_demo(app: &TestApp, email: &str) -> Client {
    let c = app.client();
    c.sign_in(email, DEMO_PASSWORD).await;
    c
}

async fn upload(c: &Client, name: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let page = "/library/import/meetings";
    c.post_file(page, page, &[], name, bytes).await
}

/// The review form's hidden and chosen fields, as a browser would send them back.
fn review_fields(html: &str) -> Vec<(String, String)> {
    let start = html
        .find("action=\"/library/import/meetings/save\"")
        .expect("the save form");
    let form = &html[start
        ..html[start..]
            .find("</form>")
            .map_or(html.len(), |e| start + e)];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[at..].find('"')? + at;
        Some(unescape(&tag[at..end]))
    };
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap_or(rest.len() - 1);
        let tag = &rest[..=end];
        if tag.starts_with("<input") && tag.contains("type=\"hidden\"") {
            out.push((
                attr(tag, "name").unwrap_or_default(),
                attr(tag, "value").unwrap_or_default(),
            ));
        } else if tag.starts_with("<select") {
            let name = attr(tag, "name").unwrap_or_default();
            let close = rest.find("</select>").unwrap_or(rest.len());
            let options = &rest[..close];
            let chosen = options
                .split("<option")
                .find(|o| o.contains(" selected"))
                .and_then(|o| attr(o, "value"))
                .unwrap_or_default();
            out.push((name, chosen));
        }
        rest = &rest[end + 1..];
    }
    out
}

/// What minijinja's escaping wrote, read back.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// A POST to the API with the caller's token; (status, body).
async fn api_post(c: &Client, path: &str, body: Vec<u8>) -> (u16, String) {
    let path = path.trim_start_matches("/api/v1");
    let (status, body) = c.api_post_bytes(path, "text/csv", body).await;
    (status.as_u16(), body)
}

async fn save(
    c: &Client,
    fields: &[(String, String)],
    extra: &[(&str, &str)],
) -> (StatusCode, String) {
    let token = c.csrf("/library/import/meetings").await;
    let mut all: Vec<(String, String)> = vec![("csrf_token".into(), token)];
    all.extend(fields.iter().filter(|(k, _)| k != "csrf_token").cloned());
    all.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let r = c
        .http
        .post(c.url("/library/import/meetings/save"))
        .form(&all)
        .send()
        .await
        .expect("save");
    let status = r.status();
    (status, r.text().await.expect("body"))
}

async fn a_moderator_brings_in_meeting_records_once(app: TestApp) {
    app.load_demo().await;
    let moderator = as_demo(&app, "amanda.forrest@activelancashire.org.uk").await;
    let (_, events) = moderator.get_text("/events").await;
    assert!(
        events.contains("/library/import/meetings"),
        "the events page offers it"
    );
    let (status, template) = moderator
        .get_text("/library/import/meetings/template.csv")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.starts_with("date,meeting,topic,presenters,organisation"));

    let items_before = app.count("items").await;
    let (status, review) = upload(&moderator, "meetings.csv", CSV.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert!(review.contains("Check the meeting records"), "{review}");
    // What was read, and the flags, in words.
    assert!(
        review.contains(
            "“Blackpool Borough Council” is not an organisation here: it will be Blackpool Council"
        ),
        "{review}"
    );
    assert!(review.contains("the date “next Tuesday” is not a day we can read"));
    assert!(review.contains("the recording link “javascript:alert(1)” is not a web address"));
    assert!(review.contains("the attendance “about 30” is not a whole number"));
    assert!(review.contains("the same meeting and topic on the same day as an earlier line"));
    assert!(review.contains("the date 1998-01-20 is not of a past meeting"));
    assert!(review.contains("Colour"), "the unused column is named");
    assert!(review.contains("(a series we have)") && review.contains("(a new series)"));
    assert!(
        !review.contains("<script>alert(1)</script>"),
        "text from the file is escaped"
    );
    assert_eq!(app.count("items").await, items_before, "nothing saved yet");

    // Saving without confirming the flags is refused, with the review shown again.
    let fields = review_fields(&review);
    assert!(fields
        .iter()
        .any(|(k, v)| k == "map_name" && v == "Blackpool Borough Council"));
    let (status, again) = save(
        &moderator,
        &fields,
        &[("visibility", "public"), ("step", "save")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("Confirm that you have checked the flagged records"));
    assert_eq!(app.count("items").await, items_before);
    // A mass-assigned visibility is refused.
    let (status, _) = save(
        &moderator,
        &fields,
        &[
            ("visibility", "draft"),
            ("confirmed", "yes"),
            ("step", "save"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("items").await, items_before);

    let (status, done) = save(
        &moderator,
        &fields,
        &[
            ("visibility", "public"),
            ("confirmed", "yes"),
            ("step", "save"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done.contains("3 library items and 2 past events"), "{done}");
    assert_eq!(app.count("items").await, items_before + 3);

    // The items: published event material, first published on the meeting's day, with the
    // presenters as authors and the recording as a link; owned by the matched organisation.
    let mut c = app.app.db.acquire().await.unwrap();
    let row: (String, String, String, Option<String>, String) = sqlx::query_as(
        "SELECT i.id, i.kind, i.status, i.original_date, o.name FROM items i JOIN organisations o ON o.id = i.organisation_id
         WHERE i.title = 'Listening to communities in Blackpool'",
    )
    .fetch_one(&mut *c)
    .await
    .unwrap();
    assert_eq!(
        (
            row.1.as_str(),
            row.2.as_str(),
            row.3.as_deref(),
            row.4.as_str()
        ),
        (
            "event_material",
            "published",
            Some("2024-03-12"),
            "Blackpool Council"
        )
    );
    let series: Vec<(String, String)> =
        sqlx::query_as("SELECT s.id, s.title FROM event_series s ORDER BY s.title")
            .fetch_all(&mut *c)
            .await
            .unwrap();
    drop(c);
    assert_eq!(
        series.len(),
        2,
        "one new series beside the demo's: {series:?}"
    );
    let visitor = app.client();
    let (status, item) = visitor.get_text(&format!("/library/{}", row.0)).await;
    assert_eq!(status, StatusCode::OK, "public, as chosen");
    assert!(
        item.contains("Jane Example"),
        "the presenters are the authors"
    );
    assert!(
        item.contains("https:&#x2f;&#x2f;example.org&#x2f;rec&#x2f;1")
            || item.contains("https://example.org/rec/1"),
        "the recording is a link"
    );
    let new_series = series
        .iter()
        .find(|(_, t)| t == "NW Place Partnerships Network")
        .expect("the new series");
    let (status, page) = visitor
        .get_text(&format!("/events/series/{}", new_series.0))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Listening to communities in Blackpool"),
        "the past event in its series"
    );
    let demo_series = series
        .iter()
        .find(|(_, t)| t != "NW Place Partnerships Network")
        .unwrap();
    let (_, page) = moderator
        .get_text(&format!("/events/series/{}", demo_series.0))
        .await;
    assert!(
        page.contains("Pivoting leisure to wellbeing"),
        "a past event in the series we had"
    );

    // The same file again: everything is already here, nothing is added.
    let (status, review) = upload(&moderator, "meetings.csv", CSV.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(review.contains("Already here"));
    assert!(review.contains("There is nothing new to import"));
    assert!(
        !review.contains("/library/import/meetings/save"),
        "no save button"
    );
    // Sent anyway (the form bypassed): refused, nothing added.
    let fields = vec![("text".to_string(), CSV.to_string())];
    let (status, again) = save(
        &moderator,
        &fields,
        &[
            ("visibility", "public"),
            ("confirmed", "yes"),
            ("step", "save"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("There is nothing new to import"));
    assert_eq!(app.count("items").await, items_before + 3);

    // Excel's Windows-1252: converted and said so.
    let mut latin = b"date,topic,organisation\n2024-07-01,Caf".to_vec();
    latin.push(0xE9); // é in Windows-1252
    latin.extend_from_slice(b" conversations,Active Lancashire\n");
    let (status, review) = upload(&moderator, "excel.csv", latin).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert!(review.contains("we read it as Windows-1252"));
    assert!(review.contains("Café conversations"));

    // Bad files: clear messages on the upload page, never a 500.
    for (bytes, message) in [
        (b"".to_vec(), "Choose the file of meeting records"),
        (
            b"name,colour\nx,y\n".to_vec(),
            "The file needs a column for the date and the topic",
        ),
        (
            b"[{\"date\": \"2024-01-01\"".to_vec(),
            "The file is not valid JSON",
        ),
        (b"{\"other\": 1}".to_vec(), "a list of meeting records"),
        (b"date,topic\n".to_vec(), "no records"),
        (
            format!("date,topic\n{}", "2024-01-01,A talk\n".repeat(40_000)).into_bytes(),
            "The file is larger than 512 KB",
        ),
        (
            b"\x00\x01\x02PK\x03\x04".to_vec(),
            "The file needs a column",
        ),
    ] {
        let (status, page) = upload(&moderator, "bad.csv", bytes).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(page.contains(message), "{message}: {page}");
    }

    // Who may: a contributor and an organisation admin may not; a visitor is asked to sign in.
    for email in [
        "alex.sample@blackpool.gov.uk",
        "richard.davis-boreham@activelancashire.org.uk",
    ] {
        let c = as_demo(&app, email).await;
        let (status, _) = c.get_text("/library/import/meetings").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
        let (_, events) = c.get_text("/events").await;
        assert!(!events.contains("/library/import/meetings"), "{email}");
    }
    let r = app.client().get("/library/import/meetings").await;
    assert_ne!(r.status(), StatusCode::OK);
}

async fn the_api_reads_and_saves_meeting_records(app: TestApp) {
    app.load_demo().await;
    let api = app
        .client()
        .api_sign_in("beth.kay@activelancashire.org.uk", DEMO_PASSWORD)
        .await;
    let json = serde_json::json!([
        {"date": "2024-09-10", "meeting": "NW Place Partnerships Network", "topic": "Moving together", "presenters": ["Ana Example", "Bo Example"], "organisation": "Active Cheshire", "recording": "https://example.org/r/9", "attendees": 40},
        {"date": "2024-09-10", "meeting": "NW Place Partnerships Network", "topic": "Volunteering", "organisation": "Nowhere Trust Ltd"},
        {"date": "someday", "topic": "Left out"}
    ]);
    let body = serde_json::to_vec(&json).unwrap();
    let send = |query: &'static str, body: Vec<u8>| {
        let api = api.clone();
        async move { api_post(&api, &format!("/api/v1/meeting-records{query}"), body).await }
    };
    let before = app.count("items").await;
    let (status, dry) = send("?dry_run=true", body.clone()).await;
    assert_eq!(status, 200, "{dry}");
    let dry: Value = serde_json::from_str(&dry).unwrap();
    assert_eq!(dry["format"], "JSON");
    assert_eq!(dry["to_import"], 2);
    assert_eq!(dry["left_out"], 1);
    assert_eq!(
        dry["records"][0]["presenters"],
        serde_json::json!(["Ana Example", "Bo Example"])
    );
    assert_eq!(
        dry["records"][1]["flags"].as_array().unwrap().len(),
        1,
        "{}",
        dry["records"][1]
    );
    assert_eq!(app.count("items").await, before, "a dry run saves nothing");

    let (status, problem) = send("", body.clone()).await;
    assert_eq!(status, 422, "flags not accepted: {problem}");
    let problem: Value = serde_json::from_str(&problem).unwrap();
    assert!(
        problem["errors"]
            .to_string()
            .contains("Confirm that you have checked"),
        "{problem}"
    );

    let (status, done) = send("?accept_flags=true", body.clone()).await;
    assert_eq!(status, 201, "{done}");
    let done: Value = serde_json::from_str(&done).unwrap();
    assert_eq!(done["items"], 2);
    assert_eq!(done["events"], 2);
    assert_eq!(done["series_created"], 1);
    assert_eq!(app.count("items").await, before + 2);
    // Again: nothing new.
    let (status, _) = send("?accept_flags=true", body.clone()).await;
    assert_eq!(status, 422);
    assert_eq!(app.count("items").await, before + 2);

    // Hostile input: problem details, nothing saved.
    for (query, body) in [
        ("", b"not,a,file".to_vec()),
        ("", Vec::new()),
        ("?visibility=organisation&accept_flags=true", body.clone()),
    ] {
        let (status, text) = send(query, body).await;
        assert!(
            status == 422 || status == 413,
            "{query}: {status} {}",
            &text[..text.len().min(200)]
        );
        if status == 422 {
            let p: Value = serde_json::from_str(&text).expect("problem details");
            assert!(p["title"].is_string());
        }
    }
    // (An oversized body is answered 413 by the same code as the figures' dry run, which
    // `intelligence` tests over a plain socket.)
    assert_eq!(app.count("items").await, before + 2);

    // Who may: a contributor is forbidden; no token is unauthorised.
    let contributor = app
        .client()
        .api_sign_in("alex.sample@blackpool.gov.uk", DEMO_PASSWORD)
        .await;
    let (status, _) = api_post(
        &contributor,
        "/api/v1/meeting-records?dry_run=true",
        serde_json::to_vec(&json).unwrap(),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = api_post(
        &app.client(),
        "/api/v1/meeting-records?dry_run=true",
        serde_json::to_vec(&json).unwrap(),
    )
    .await;
    assert_eq!(status, 401);
}
