//! Delivery plans: importing with review and confirmation, minutes and actions, progress
//! updates, milestones and indicators, the Executive report and its documents, visibility and
//! permissions, hostile input, and the command line's dry run. Each scenario builds its plan
//! from the demo's source documents with `app.given()` (the demo's own plans: `demo.rs`).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{Client, TestApp};
use crate::on_both_databases;

const PLAN: &str = include_str!("../../../app/src/demo/seeds/nw-delivery-plan.txt");
const MINUTES: &str = include_str!("../../../app/src/demo/seeds/executive-mandates-minutes.txt");
/// The delivery plan's title, as the demo gives it.
const NW_PLAN: &str = "North West Place Cluster Delivery Plan";
/// The Executive's plan's title, as the demo gives it (the meeting's agenda item).
const EXECUTIVE: &str = "Partnership Executive: Delivery Plan - Overview of Mandates";

on_both_databases!(
    import_in_the_browser_with_review,
    import_over_the_api_and_bad_input,
    minutes_give_actions_that_owners_close,
    plan_visibility_and_permissions,
    leads_post_updates_on_their_work_area,
    executive_actions_are_given_to_members_who_close_them,
    executive_report_for_any_date,
    report_documents_open_in_independent_readers,
    action_reminders_go_once_each,
    milestones_and_the_timeline,
    outcome_indicators_against_targets,
    csv_template_round_trip,
    report_emailed_to_the_executive_once,
    work_areas_are_edited_after_import,
    minutes_added_through_the_page,
    plan_documents_uploaded_as_files,
    learning_linked_to_work_areas,
);

/// The plan with `id` as `api` reads it.
async fn read_plan(api: &Client, id: &str) -> Value {
    let (s, v) = api.api_get(&format!("/plans/{id}")).await;
    assert_eq!(s, StatusCode::OK, "plan {id}: {v}");
    v
}

async fn import_in_the_browser_with_review(app: TestApp) {
    // Given: a network admin in the browser.
    let browser = app.given().person("network_admin").signed_in().await;
    let before = app.count("plans").await;
    let work_areas = app.count("work_areas").await;
    let (s, html) = browser.get_text("/plans/import").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Import a delivery plan"));
    let r = browser
        .post_form(
            "/plans/import",
            "/plans/import",
            &[
                ("step", "preview"),
                ("text", PLAN),
                ("title", "Imported plan"),
                ("visibility", "network"),
                ("owner_organisation_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Check the imported plan") && html.contains("No accountable lead"));
    assert!(html.contains("£9,000"));
    assert_eq!(app.count("plans").await, before, "a preview saves nothing");
    // Saving without confirming the flagged field is refused.
    let r = browser
        .post_form(
            "/plans/import",
            "/plans/import",
            &[
                ("step", "save"),
                ("text", PLAN),
                ("title", "Imported plan"),
                ("visibility", "network"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Check the flagged fields"));
    assert_eq!(app.count("plans").await, before);
    let r = browser
        .post_form(
            "/plans/import",
            "/plans/import",
            &[
                ("step", "save"),
                ("text", PLAN),
                ("title", "Imported plan"),
                ("visibility", "network"),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = browser.get_text(&location).await;
    assert!(
        html.contains("Imported plan")
            && html.contains("£24,000")
            && html.contains("Richard Davis Boreham")
    );
    assert_eq!(app.count("plans").await, before + 1);
    assert_eq!(app.count("work_areas").await, work_areas + 4);
}

async fn import_over_the_api_and_bad_input(app: TestApp) {
    // Given: a network admin over the API.
    let api = app.given().person("network_admin").signed_in_api().await;
    let plans = app.count("plans").await;
    let (s, v) = api
        .api_post("/plans/import", json!({"text": PLAN, "dry_run": true}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["work_areas"].as_array().unwrap().len(), 4);
    assert_eq!(v["work_areas"][3]["budget_total_pence"], 900_000);
    assert_eq!(v["work_areas"][1]["start"], "2026-04-01");
    let bad: &[(Value, &str)] = &[
        (json!({"text": "just some prose, no table at all"}), "text"),
        (json!({"text": "Colour\tShape\nred\tsquare\n"}), "text"),
        (json!({"text": ""}), "text"),
        (
            json!({"text": PLAN, "visibility": "everyone"}),
            "visibility",
        ),
        (
            json!({"text": PLAN, "confirmed": true, "owner_organisation_id": "not-an-org"}),
            "owner_organisation_id",
        ),
        (
            json!({"text": PLAN, "title": "bad\u{7}title", "confirmed": true}),
            "title",
        ),
    ];
    for (body, field) in bad {
        let (s, v) = api.api_post("/plans/import", body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert_eq!(v["errors"][0]["field"], *field, "{v}");
    }
    let (s, v) = api.api_post("/plans/import", json!({"text": 42})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // A 50 MB document is refused before it is read.
    let big = format!("{{\"text\":\"{}\"}}", "a\\t".repeat(25 * 1024 * 1024 / 3));
    let (status, _) = api
        .with_token(api.token.as_deref().unwrap())
        .raw_post_json("/api/v1/plans/import", big.into_bytes())
        .await;
    assert_eq!(status, 413);
    assert_eq!(app.count("plans").await, plans, "nothing half-imported");
    let (s, v) = api
        .api_post(
            "/plans/import",
            json!({"text": PLAN, "confirmed": true, "title": "Via API"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(app.count("plans").await, plans + 1);
}

async fn minutes_give_actions_that_owners_close(app: TestApp) {
    // Given: the delivery plan; Amanda Forrest, a member with no say over it, whom the
    // minutes name; and a bystander, another member.
    let given = app.given();
    let amanda = given.person("member").named("Amanda Forrest").await;
    let bystander = given.person("member").await;
    let id = given.plan(NW_PLAN, json!({})).await;
    let id = id.as_str();
    let api = given.admin().await;
    let minutes = "Agenda item\n\nLearning series review\n\nThe three mandates are:\n\n1. Run the July event;\n\n2. Run the September event; and\n\n3. Run the November event.\n\nAction – Amanda Forrest to circulate the event report to members by 1st December 2026\n";
    let (s, v) = api
        .api_post(&format!("/plans/{id}/minutes"), json!({"text": minutes}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let amanda = amanda.browser().await;
    let (_, html) = amanda.get_text("/actions").await;
    assert!(
        html.contains("circulate the event report"),
        "the owner, matched by name, sees it"
    );
    let action_id = html
        .split("/actions/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    // Someone else cannot close it.
    let other = bystander.browser().await;
    let r = other
        .post_form(
            &format!("/actions/{action_id}/close"),
            "/account",
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = amanda
        .post_form(
            &format!("/actions/{action_id}/close"),
            "/actions",
            &[("status", "finished")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "unknown status");
    let r = amanda
        .post_form(
            &format!("/actions/{action_id}/close"),
            "/actions",
            &[("status", "done"), ("note", "Sent on 28 November")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = amanda.get_text("/actions").await;
    assert!(html.contains("Sent on 28 November") && html.contains("Done"));
    let r = amanda
        .post_form(
            &format!("/actions/{action_id}/close"),
            "/actions",
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, v) = api.api_get(&format!("/plans/{id}")).await;
    assert_eq!(
        v["work_areas"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["kind"] == "mandate")
            .count(),
        3
    );
}

async fn plan_visibility_and_permissions(app: TestApp) {
    // Given: Blackpool Council with a contributor, a member of Hyndburn Leisure, an
    // organisation admin at Chorley and a moderator; the network admin imports two plans.
    let given = app.given();
    let blackpool = given.organisation("blackpool-council").await;
    let hyndburn = given.organisation("hyndburn-leisure").await;
    let chorley = given.organisation("chorley-council").await;
    let lancashire = given.organisation("active-lancashire").await;
    let blackpool_contributor = given.person("contributor").member_of(&blackpool).await;
    let hyndburn_member = given.person("member").member_of(&hyndburn).await;
    let chorley_admin = given.person("org_admin").member_of(&chorley).await;
    let moderator = given.person("moderator").member_of(&lancashire).await;
    let admin = given.admin().await;
    let org = blackpool.id.clone();
    let (_, v) = admin.api_post("/plans/import", json!({"text": PLAN, "confirmed": true, "title": "Blackpool internal", "visibility": "organisation", "owner_organisation_id": org})).await;
    let private_id = v["id"].as_str().unwrap().to_string();
    let (_, v) = admin.api_post("/plans/import", json!({"text": PLAN, "confirmed": true, "title": "Open to all", "visibility": "public"})).await;
    let public_id = v["id"].as_str().unwrap().to_string();

    // Signed out: only the public plan.
    let anon = app.client();
    let (_, list) = anon.api_get("/plans").await;
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Open to all"]);
    assert_eq!(
        anon.api_get(&format!("/plans/{private_id}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anon.get(&format!("/plans/{public_id}")).await.status(),
        StatusCode::OK
    );
    // A member elsewhere sees network and public plans but not Blackpool's own.
    let outsider = hyndburn_member.api().await;
    let (_, list) = outsider.api_get("/plans").await;
    assert!(!list.to_string().contains("Blackpool internal"));
    assert_eq!(
        outsider.api_get(&format!("/plans/{private_id}")).await.0,
        StatusCode::NOT_FOUND
    );
    // Blackpool's contributor sees it.
    let insider = blackpool_contributor.api().await;
    assert_eq!(
        insider.api_get(&format!("/plans/{private_id}")).await.0,
        StatusCode::OK
    );
    // Members cannot import or add minutes; an organisation admin only for their own organisation.
    for person in [&hyndburn_member, &blackpool_contributor, &moderator] {
        let who = &person.email;
        let c = person.api().await;
        let (s, _) = c
            .api_post("/plans/import", json!({"text": PLAN, "confirmed": true}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    let (s, _) = outsider
        .api_post(
            &format!("/plans/{public_id}/minutes"),
            json!({"text": MINUTES}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let cath = chorley_admin.api().await;
    let (s, _) = cath
        .api_post(
            "/plans/import",
            json!({"text": PLAN, "confirmed": true, "owner_organisation_id": org}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "not her organisation");
    let browser = hyndburn_member.browser().await;
    assert_eq!(
        browser.get("/plans/import").await.status(),
        StatusCode::FORBIDDEN
    );
    let r = browser
        .post_form(
            "/plans/import",
            "/account",
            &[
                ("step", "save"),
                ("text", PLAN),
                ("confirmed", "yes"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, v) = Client::new(&app.base)
        .api_post("/plans/import", json!({"text": PLAN}))
        .await;
    assert_eq!(v["status"], 401);
}

#[test]
fn command_line_dry_run_prints_the_parsed_plan_and_saves_nothing() {
    let data = crate::common::temp_dir("plan-cli");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/demo/seeds");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_learning-zone"))
            .env("LZ_DATA_DIR", &data)
            .env("LZ_LOG", "warn")
            .args(args)
            .output()
            .expect("run")
    };
    let plan = dir.join("nw-delivery-plan.txt");
    let out = run(&[
        "plan",
        "import",
        plan.to_str().unwrap(),
        "--dry-run",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["kind"], "plan");
    let totals: Vec<i64> = v["parsed"]["work_areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["budget_total_pence"].as_i64().unwrap())
        .collect();
    assert_eq!(totals, [800_000, 500_000, 200_000, 900_000]);
    assert_eq!(v["flag_count"], 1);
    let minutes = dir.join("executive-mandates-minutes.txt");
    let out = run(&[
        "plan",
        "import",
        minutes.to_str().unwrap(),
        "--dry-run",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["kind"], "minutes");
    assert_eq!(v["parsed"]["mandates"].as_array().unwrap().len(), 7);
    assert_eq!(v["parsed"]["actions"][1]["due"], "2018-05-04");
    // Saving with flags needs --accept-flags; a file that is not text is refused.
    let out = run(&["plan", "import", plan.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--accept-flags"));
    let binary = data.join("x.bin");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x9f]).unwrap();
    let out = run(&["plan", "import", binary.to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success());
    let out = run(&[
        "plan",
        "import",
        plan.to_str().unwrap(),
        "--accept-flags",
        "--title",
        "From the CLI",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn leads_post_updates_on_their_work_area(app: TestApp) {
    // Given: Richard Davis Boreham and another member, neither with a say over plans; then
    // the delivery plan (its leads are matched to accounts by name as it is imported).
    let given = app.given();
    let richard = given.person("member").named("Richard Davis Boreham").await;
    let member = given.person("member").signed_in_api().await;
    let plan_id = given.plan(NW_PLAN, json!({})).await;
    let admin = given.admin().await;
    let plan = read_plan(admin, &plan_id).await;
    // Work area 2's accountable lead is Richard Davis Boreham, matched to his account by name.
    let area = plan["work_areas"][1]["id"]
        .as_str()
        .expect("a second work area")
        .to_string();
    let richard = richard.browser().await;
    let page = format!("/plans/{plan_id}");
    let (_, html) = richard.get_text(&page).await;
    assert!(
        html.contains(&format!("/work-areas/{area}/updates")),
        "the lead sees the update form"
    );
    // Bad input: each problem reported, nothing changes.
    let r = richard
        .post_form(
            &format!("/work-areas/{area}/updates"),
            &page,
            &[
                ("plan_id", &plan_id),
                ("rag", "purple"),
                ("body", ""),
                ("posted_on", "2999-01-01"),
                ("spent", "-5"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for expect in [
        "Choose red, amber or green",
        "Enter what has happened",
        "cannot be in the future",
        "amount spent to date",
    ] {
        assert!(html.contains(expect), "{expect}");
    }
    assert!(
        html.contains(&format!("href=\"#rag-{area}\"")),
        "the summary links to the field"
    );
    assert_eq!(app.count("work_area_updates").await, 0);
    let r = richard
        .post_form(
            &format!("/work-areas/{area}/updates"),
            &page,
            &[
                ("plan_id", &plan_id),
                ("rag", "amber"),
                ("body", "Consultant appointed; workshop moved to October"),
                ("posted_on", "2026-11-20"),
                ("spent", "£2,500"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = admin.api_get(&format!("/plans/{plan_id}")).await;
    assert_eq!(v["work_areas"][1]["rag"], "amber");
    assert_eq!(v["work_areas"][1]["budget_spent_pence"], 250_000);
    let (_, html) = richard.get_text(&page).await;
    assert!(
        html.contains("Consultant appointed")
            && html.contains("20 November 2026")
            && html.contains("£2,500")
    );
    // Someone who is neither lead nor editor may not post.
    let (s, _) = member
        .api_post(
            &format!("/work-areas/{area}/updates"),
            json!({"rag": "green", "body": "All fine"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = member
        .api_post(
            "/work-areas/nope/updates",
            json!({"rag": "green", "body": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn executive_actions_are_given_to_members_who_close_them(app: TestApp) {
    // Given: Amanda Forrest and another member, neither with a say over plans; the
    // Executive's minutes, whose actions are the Executive's.
    let given = app.given();
    let amanda = given.person("member").named("Amanda Forrest").await;
    let member = given.person("member").signed_in_api().await;
    let mandates_id = given.executive(EXECUTIVE).await;
    let admin = given.admin().await;

    // Assign an Executive action to Amanda; she completes it from her actions.
    let mandates = read_plan(admin, &mandates_id).await;
    let action = mandates["actions"][0]["id"].as_str().unwrap().to_string();
    let amanda_id = amanda.id.clone();
    let (s, _) = member
        .api_post(
            &format!("/actions/{action}/assign"),
            json!({"user_id": amanda_id}),
        )
        .await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );
    let (s, v) = admin
        .api_post(
            &format!("/actions/{action}/assign"),
            json!({"user_id": "nobody"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = admin
        .api_post(
            &format!("/actions/{action}/assign"),
            json!({"user_id": amanda_id}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let amanda_api = amanda.api().await;
    let (_, mine) = amanda_api.api_get("/actions/mine").await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["owner"], amanda.name);
    let (s, _) = amanda_api
        .api_post(
            &format!("/actions/{action}/close"),
            json!({"status": "done", "note": "Named Sam Placeholder"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, mine) = amanda_api.api_get("/actions/mine").await;
    assert_eq!(mine[0]["status"], "done");
}

async fn executive_report_for_any_date(app: TestApp) {
    // Given: Richard Davis Boreham, a member whom the plan names as work area 2's lead, a
    // network admin and a member of no organisation; then the delivery plan, the Executive's
    // minutes, and a plan that only Chorley Council's members see.
    let given = app.given();
    let richard = given
        .person("member")
        .named("Richard Davis Boreham")
        .signed_in_api()
        .await;
    let admin_person = given.person("network_admin").await;
    let outsider = given.person("member").signed_in_api().await;
    let chorley = given.organisation("chorley-council").await;
    let id = given.plan(NW_PLAN, json!({})).await;
    let mandates_id = given.executive(EXECUTIVE).await;
    let private = given
        .plan(
            "Private",
            json!({"visibility": "organisation", "owner_organisation_id": chorley.id}),
        )
        .await;
    let admin = admin_person.api().await;
    let plan = read_plan(&admin, &id).await;
    let area = plan["work_areas"][1]["id"]
        .as_str()
        .expect("a second work area")
        .to_string();
    let (s, v) = richard.api_post(&format!("/work-areas/{area}/updates"), json!({"rag": "amber", "body": "=HYPERLINK(\"http://evil.example\",\"click\")", "posted_on": "2026-11-10", "spent": "2500"})).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    richard.api_post(&format!("/work-areas/{area}/updates"), json!({"rag": "green", "body": "Workshop held", "posted_on": "2026-11-20", "spent": "4000"})).await;

    // As it stood on 15 November: amber, £2,500 spent; on 21 November: green, £4,000.
    let (s, r) = admin
        .api_get(&format!("/plans/{id}/report?date=2026-11-15"))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["areas"][1]["rag"], "amber");
    assert_eq!(r["areas"][1]["spent_pence"], 250_000);
    assert_eq!(r["rag_counts"], json!([0, 1, 0, 3]));
    assert_eq!(r["allocated_pence"], 2_400_000);
    let (_, r) = admin
        .api_get(&format!("/plans/{id}/report?date=2026-11-21"))
        .await;
    assert_eq!(r["areas"][1]["rag"], "green");
    assert_eq!(r["spent_pence"], 400_000);
    assert_eq!(r["recent_updates"].as_array().unwrap().len(), 2);
    // Before any update: no status.
    let (_, r) = admin
        .api_get(&format!("/plans/{id}/report?date=2026-01-01"))
        .await;
    assert_eq!(r["rag_counts"], json!([0, 0, 0, 4]));

    // The Executive's overdue actions, by owner.
    let mid = mandates_id.as_str();
    let (_, r) = admin
        .api_get(&format!("/plans/{mid}/report?date=2026-11-23"))
        .await;
    assert_eq!(r["overdue"].as_array().unwrap().len(), 2);
    assert_eq!(r["overdue"][0]["owner"], "Executive");
    let (_, r) = admin
        .api_get(&format!("/plans/{mid}/report?date=2018-04-20"))
        .await;
    assert_eq!(
        r["due_soon"].as_array().unwrap().len(),
        2,
        "due within four weeks of 20 April 2018"
    );

    // The page and the CSV.
    let browser = admin_person.browser().await;
    let (s, html) = browser
        .get_text(&format!("/plans/{id}/report?date=2026-11-15"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("15 November 2026")
            && html.contains("Spent £2,500 of £5,000")
            && html.contains("£24,000")
    );
    let (s, html) = browser
        .get_text(&format!("/plans/{id}/report?date=31/11/2026"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Report date must be a real date"));
    let r = browser
        .get(&format!(
            "/plans/{id}/report/csv?table=updates&date=2026-11-21"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}work_area,posted_on,rag,update,author"));
    assert!(
        csv.contains("'=HYPERLINK"),
        "formulas are neutralised: {csv}"
    );
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains("\"=HYPERLINK"));
    let (_, csv) = browser
        .get_text(&format!(
            "/plans/{id}/report/csv?table=work_areas&date=2026-11-21"
        ))
        .await;
    assert!(csv.contains("8000.00") && csv.contains("Richard Davis Boreham"));
    assert_eq!(
        browser
            .get(&format!("/plans/{id}/report/csv?table=secrets"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    // Only those who may see the plan see its report.
    assert_eq!(
        outsider
            .api_get(&format!("/plans/{private}/report"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // A signed-out visitor is asked to sign in, as for any partners' page.
    assert_eq!(
        app.client()
            .get(&format!("/plans/{private}/report/csv?table=actions"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn report_documents_open_in_independent_readers(app: TestApp) {
    // Given: a network admin and a member of no organisation; the delivery plan, with an
    // update on work area 2, and a plan that only Chorley Council's members see.
    let given = app.given();
    let admin_person = given.person("network_admin").await;
    let outsider = given.person("member").signed_in().await;
    let chorley = given.organisation("chorley-council").await;
    let id = given.plan(NW_PLAN, json!({})).await;
    let private = given
        .plan(
            "Private",
            json!({"visibility": "organisation", "owner_organisation_id": chorley.id}),
        )
        .await;
    let admin = admin_person.api().await;
    let plan = read_plan(&admin, &id).await;
    let area = plan["work_areas"][1]["id"].as_str().unwrap();
    admin.api_post(&format!("/work-areas/{area}/updates"), json!({"rag": "amber", "body": "Workshop moved to October", "posted_on": "2026-11-20", "spent": "2500"})).await;
    let browser = admin_person.browser().await;
    let dir = crate::common::temp_dir("report-docs");

    // PDF: its text, extracted by poppler's pdftotext.
    let r = browser
        .get(&format!("/plans/{id}/report/pdf?date=2026-11-23"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let pdf_path = dir.join("report.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    match std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf_path)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => {
            // Lines wrap in the PDF; compare on text with whitespace folded.
            let text = String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            for expect in [
                "Executive report: North West Place Cluster Delivery Plan",
                "As at 23 November 2026",
                "Work areas and budget",
                "£24,000",
                "£2,500",
                "Richard Davis Boreham",
                "Amber: 1",
                "Workshop moved to October",
            ] {
                assert!(text.contains(expect), "PDF text lacks {expect:?}:\n{text}");
            }
        }
        _ => crate::common::skip(
            "plans::report_documents_open_in_independent_readers (PDF text)",
            "pdftotext (Debian's poppler-utils) is not installed",
        ),
    }

    // DOCX: read back with python-docx, headings and totals as on the page.
    let r = browser
        .get(&format!("/plans/{id}/report/docx?date=2026-11-23"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let docx_path = dir.join("report.docx");
    std::fs::write(&docx_path, r.bytes().await.unwrap()).unwrap();
    let python = crate::common::python_with("docx", "python-docx");
    let script = "import sys, docx\nd = docx.Document(sys.argv[1])\nfor p in d.paragraphs:\n    print(('H|' if p.style is not None and p.style.name.startswith('Heading') else 'P|') + p.text)\nfor t in d.tables:\n    for row in t.rows:\n        print('T|' + ' | '.join(c.text for c in row.cells))\n";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&docx_path)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "python-docx could not open it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for expect in [
        "H|Executive report: North West Place Cluster Delivery Plan",
        "H|Status at a glance",
        "H|Work areas and budget",
        "H|Actions overdue",
        "P|Budget allocated £24,000, committed £0, spent £2,500.",
        "T|Work area | Lead | Status | Allocated | Committed | Spent | Flags",
    ] {
        assert!(text.contains(expect), "DOCX lacks {expect:?}:\n{text}");
    }
    assert!(
        text.lines().any(|l| l.starts_with("T|Improve the framing")
            && l.ends_with("| Amber | £5,000 | £0 | £2,500 | ")),
        "{text}"
    );
    // Someone who may not see the plan gets neither; a signed-out visitor is asked to sign in.
    for (reader, expect) in [
        (&outsider, StatusCode::NOT_FOUND),
        (&app.client(), StatusCode::UNAUTHORIZED),
    ] {
        for document in ["pdf", "docx"] {
            let path = format!("/plans/{private}/report/{document}");
            assert_eq!(reader.get(&path).await.status(), expect, "{path}");
        }
    }
}

async fn mails(app: &TestApp, to: &str, subject_like: &str) -> i64 {
    let mut c = app.app.db.acquire().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE to_addr = $1 AND subject LIKE $2")
        .bind(to)
        .bind(subject_like)
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

/// Moves the app's clock to noon UTC on `date`.
fn move_clock_to(app: &TestApp, date: jiff::civil::Date) {
    let target = date
        .at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_millisecond();
    app.app.clock.advance(target - app.app.now());
}

async fn action_reminders_go_once_each(app: TestApp) {
    // Given: Beth Kay, a network admin, and Amanda Forrest, a member; the delivery plan and
    // the Executive's minutes.
    let given = app.given();
    let beth = given.person("network_admin").named("Beth Kay").await;
    let amanda = given.person("member").named("Amanda Forrest").await;
    let id = given.plan(NW_PLAN, json!({})).await;
    let mandates_id = given.executive(EXECUTIVE).await;
    let admin = beth.api().await;
    // An Executive action from 2018, given to Amanda: overdue at once, reminded once.
    let mandates = read_plan(&admin, &mandates_id).await;
    let old = mandates["actions"][0]["id"].as_str().unwrap();
    let (s, _) = admin
        .api_post(
            &format!("/actions/{old}/assign"),
            json!({"user_id": amanda.id}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(app.app.send_action_reminders().await.unwrap(), 1);
    assert_eq!(mails(&app, &amanda.email, "Overdue action:%").await, 1);
    assert_eq!(
        app.app.send_action_reminders().await.unwrap(),
        0,
        "not twice"
    );
    // Another instance (or a restart) on the same database sends nothing again.
    let other = lz_app::App::open((*app.app.config).clone()).await.unwrap();
    assert_eq!(other.send_action_reminders().await.unwrap(), 0);

    // New actions for Beth, due 10 and 9 December; the second is closed before it is due.
    let minutes = "Agenda item\n\nNovember Executive\n\nAction – Beth Kay to send the agenda to members by 10th December 2026\n\nAction – Beth Kay to book the room by 9th December 2026\n";
    let (s, v) = admin
        .api_post(&format!("/plans/{id}/minutes"), json!({"text": minutes}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, mine) = admin.api_get("/actions/mine").await;
    let room = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["description"].as_str().unwrap().contains("book the room"))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    admin
        .api_post(&format!("/actions/{room}/close"), json!({"status": "done"}))
        .await;
    let beth = beth.email.as_str();
    move_clock_to(&app, jiff::civil::date(2026, 11, 30));
    assert_eq!(
        app.app.send_action_reminders().await.unwrap(),
        0,
        "ten days ahead is not yet due soon"
    );
    move_clock_to(&app, jiff::civil::date(2026, 12, 8));
    assert_eq!(app.app.send_action_reminders().await.unwrap(), 1);
    assert_eq!(mails(&app, beth, "Action due on 2026-12-10:%").await, 1);
    assert_eq!(app.app.send_action_reminders().await.unwrap(), 0);
    move_clock_to(&app, jiff::civil::date(2026, 12, 11));
    assert_eq!(app.app.send_action_reminders().await.unwrap(), 1);
    assert_eq!(
        mails(&app, beth, "Overdue action: Beth Kay to send the agenda%").await,
        1
    );
    assert_eq!(app.app.send_action_reminders().await.unwrap(), 0);
    assert_eq!(
        mails(&app, beth, "%book the room%").await,
        0,
        "never for a closed action"
    );
    let body = app.outbox_to(beth).await.unwrap().body_text;
    assert!(
        body.contains("/actions") && body.contains("North West Place Cluster Delivery Plan"),
        "{body}"
    );
}

async fn milestones_and_the_timeline(app: TestApp) {
    // Given: a network admin and a member; the delivery plan and the Executive's minutes.
    let given = app.given();
    let admin_person = given.person("network_admin").await;
    let member = given.person("member").signed_in().await;
    let plan_id = given.plan(NW_PLAN, json!({})).await;
    let mandates_id = given.executive(EXECUTIVE).await;
    let admin = admin_person.api().await;
    let plan = read_plan(&admin, &plan_id).await;
    let area = plan["work_areas"][2]["id"].as_str().unwrap().to_string(); // the learning series
    let page = format!("/plans/{plan_id}");
    let beth = admin_person.browser().await;
    let (_, html) = beth.get_text(&page).await;
    assert!(
        html.contains("<svg class=\"lz-timeline\"")
            && html.contains("Timeline of 4 work areas from 2026-04-01 to 2027-03-31")
    );
    // Bad input: missing title, a date that is not a date, a date before the plan starts.
    let add = format!("/work-areas/{area}/milestones");
    // The two the import read from the plan's key milestones.
    let imported = app.count("milestones").await;
    assert_eq!(imported, 2);
    for (title, due, expect) in [
        ("", "2026-07-15", "Enter a name"),
        (
            "July event",
            "15/07/26",
            "The year of the due date must include 4 numbers",
        ),
        ("Too early", "2025-01-01", "before the plan starts"),
    ] {
        let r = beth
            .post_form(
                &add,
                &page,
                &[("plan_id", &plan_id), ("title", title), ("due_date", due)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{title}");
        let html = r.text().await.unwrap();
        assert!(html.contains(expect), "{expect}");
        assert!(
            html.contains("href=\"#m"),
            "error summary links to the milestone fields"
        );
    }
    assert_eq!(app.count("milestones").await, imported, "nothing added");
    for (title, due) in [
        ("July event <held>", "2026-07-15"),
        ("September event", "2026-09-16"),
        ("November event", "2026-11-25"),
    ] {
        let r = beth
            .post_form(
                &add,
                &page,
                &[("plan_id", &plan_id), ("title", title), ("due_date", due)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{title}");
    }
    let (_, html) = beth.get_text(&page).await;
    assert!(
        html.contains("July event &lt;held&gt;") && !html.contains("July event <held>"),
        "escaped in page and SVG"
    );
    assert!(
        html.contains("Missed"),
        "July's milestone is past and not done"
    );
    // Mark July done; the report lists September as missed and November as due.
    let mut c = app.app.db.acquire().await.unwrap();
    let july: String = sqlx::query_scalar("SELECT id FROM milestones WHERE title LIKE 'July%'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    drop(c);
    let r = member
        .post_form(
            &format!("/milestones/{july}/status"),
            "/account",
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = beth
        .post_form(
            &format!("/milestones/{july}/status"),
            &page,
            &[("status", "finished")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = beth
        .post_form(
            &format!("/milestones/{july}/status"),
            &page,
            &[("status", "done")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, r) = admin
        .api_get(&format!("/plans/{plan_id}/report?date=2026-11-23"))
        .await;
    // September's, and the framing work's "by Sept 2026" from the plan's key milestones.
    let missed: Vec<&str> = r["milestones_missed"]
        .as_array()
        .expect("missed milestones")
        .iter()
        .filter_map(|m| m["title"].as_str())
        .collect();
    assert_eq!(missed.len(), 2, "{missed:?}");
    assert!(missed.contains(&"September event"));
    assert!(missed
        .iter()
        .any(|t| t.starts_with("The re-framing of PAS")));
    assert_eq!(r["milestones_due"][0]["title"], "November event");
    let (_, html) = beth
        .get_text(&format!("/plans/{plan_id}/report?date=2026-11-23"))
        .await;
    assert!(html.contains("September event") && html.contains("Milestones missed"));
    // A plan with no dates has no timeline.
    let (_, html) = beth.get_text(&format!("/plans/{mandates_id}")).await;
    assert!(!html.contains("lz-timeline"));
}

async fn outcome_indicators_against_targets(app: TestApp) {
    // Given: a network admin and a member; the delivery plan.
    let given = app.given();
    let admin_person = given.person("network_admin").await;
    let member = given.person("member").signed_in().await;
    let plan_id = given.plan(NW_PLAN, json!({})).await;
    let admin = admin_person.api().await;
    let mut c = app.app.db.acquire().await.unwrap();
    let outcome: String = sqlx::query_scalar(
        "SELECT o.id FROM outcomes o JOIN work_areas w ON w.id = o.work_area_id WHERE w.plan_id = $1 ORDER BY w.position, o.position LIMIT 1",
    )
    .bind(&plan_id)
    .fetch_one(&mut *c)
    .await
    .unwrap();
    drop(c);
    let page = format!("/plans/{plan_id}");
    let beth = admin_person.browser().await;
    let action = format!("/outcomes/{outcome}/indicator");
    let r = beth
        .post_form(
            &action,
            &page,
            &[
                ("plan_id", &plan_id),
                ("indicator", ""),
                ("target", "=1+1"),
                ("current", "lots"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Enter what is measured") && html.contains("Enter a number, like 27.5"));
    assert!(
        html.contains(&format!("href=\"#iindicator-{outcome}\"")),
        "summary links to the field"
    );
    let r = member
        .post_form(
            &action,
            "/account",
            &[
                ("plan_id", &plan_id),
                ("indicator", "Partners sharing"),
                ("target", "40"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = beth
        .post_form(
            &action,
            &page,
            &[
                ("plan_id", &plan_id),
                ("indicator", "Partners sharing learning each quarter"),
                ("baseline", "5"),
                ("current", "18"),
                ("target", "40"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = beth.get_text(&page).await;
    assert!(html.contains(
        "Indicator: Partners sharing learning each quarter · baseline 5 · now 18 · target 40"
    ));
    let (_, r) = admin.api_get(&format!("/plans/{plan_id}/report")).await;
    assert_eq!(r["indicators"][0]["current"], "18");
    assert_eq!(r["indicators"][0]["target"], "40");
    let (_, html) = beth.get_text(&format!("/plans/{plan_id}/report")).await;
    assert!(html.contains("class=\"lz-indicator\"") && html.contains("aria-label=\"Partners sharing learning each quarter: current 18, target 40, baseline 5\""));
    let docx = beth
        .get(&format!("/plans/{plan_id}/report/docx"))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(docx.len() > 1000);
}

async fn csv_template_round_trip(app: TestApp) {
    // Given: a network admin over the API.
    let admin = app.given().person("network_admin").signed_in_api().await;
    let r = app.client().get("/plans/template.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("delivery-plan-template.csv"));
    let template = r.text().await.unwrap();
    assert!(template.starts_with("Work area,Accountable lead,Why is this work needed?"));
    // The template as downloaded imports as it is (its example row).
    let (s, v) = admin
        .api_post("/plans/import", json!({"text": template, "dry_run": true}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["work_areas"][0]["accountable_leads"],
        json!(["Beth Kay", "Amanda Forrest"])
    );
    assert_eq!(v["work_areas"][0]["budget_total_pence"], 200_000);
    assert_eq!(v["work_areas"][0]["start"], "2026-07-01");
    assert_eq!(v["work_areas"][0]["end"], "2026-11-30");
    assert_eq!(v["work_areas"][0]["outcomes"].as_array().unwrap().len(), 2);
    // A place's own sheet: quoting, commas and quotes inside cells, a formula-looking cell.
    let filled = "Work area,Accountable lead,Why is this work needed?,Key milestones / progress to date,What you will do,Resources and budget,When (start and end dates),Outcomes\r\n\
        \"Active travel, schools\",Beth Kay,\"Children walk \"\"more\"\"\",None yet,Walking buses,£3k,Sept 2026 to March 2027,=HYPERLINK(\"x\")\r\n\
        Green spaces,Amanda Forrest and Beth Kay,Parks under-used,Survey done,Activation events,\"£1,200 events; £800 kit\",Q1 2027,\"More park users\nFriends groups formed\"\r\n";
    let (s, v) = admin
        .api_post("/plans/import", json!({"text": filled, "dry_run": true}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let areas = v["work_areas"].as_array().unwrap();
    assert_eq!(areas.len(), 2);
    assert_eq!(areas[0]["title"], "Active travel, schools");
    assert_eq!(areas[0]["why"], "Children walk \"more\"");
    assert_eq!(areas[0]["budget_total_pence"], 300_000);
    assert_eq!(
        areas[1]["accountable_leads"],
        json!(["Amanda Forrest", "Beth Kay"])
    );
    assert_eq!(areas[1]["budget_total_pence"], 200_000);
    assert_eq!(areas[1]["start"], "2027-01-01");
    assert_eq!(areas[1]["outcomes"].as_array().unwrap().len(), 2);
    let (s, v) = admin
        .api_post(
            "/plans/import",
            json!({"text": filled, "confirmed": true, "title": "From a spreadsheet"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // A broken CSV is refused with a reason, nothing saved.
    let plans = app.count("plans").await;
    let (s, v) = admin.api_post("/plans/import", json!({"text": "Work area,Why,What you will do\n\"unclosed,quote,here\n", "confirmed": true})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not closed"));
    let (s, _) = admin
        .api_post(
            "/plans/import",
            json!({"text": "Colour,Shape,Size\nred,square,big\n", "confirmed": true}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a sheet that is not a plan"
    );
    assert_eq!(app.count("plans").await, plans);
}

async fn report_emailed_to_the_executive_once(app: TestApp) {
    // Given: a network admin and a member; the Executive's minutes.
    let given = app.given();
    let admin_person = given.person("network_admin").await;
    let member = given.person("member").signed_in().await;
    let id = given.executive(EXECUTIVE).await;
    let page = format!("/plans/{id}/report");
    let action = format!("/plans/{id}/report/schedule");
    let beth = admin_person.browser().await;
    let (_, html) = beth.get_text(&page).await;
    assert!(html.contains("Email the report before a meeting"));
    for (recipients, send_on, expect) in [
        ("", "", "Enter the email addresses"),
        (
            "exec@chorley.gov.uk, not an email",
            "",
            "is not an email address",
        ),
        ("exec@chorley.gov.uk", "2020-01-01", "cannot be in the past"),
        (
            "exec@chorley.gov.uk",
            "next Tuesday",
            "Date to send on must be a real date",
        ),
    ] {
        let r = beth
            .post_form(
                &action,
                &page,
                &[("recipients", recipients), ("send_on", send_on)],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{recipients} {send_on}"
        );
        assert!(r.text().await.unwrap().contains(expect), "{expect}");
    }
    // A member elsewhere sees no form and cannot schedule.
    let (_, html) = member.get_text(&page).await;
    assert!(!html.contains("Email the report before a meeting"));
    let r = member
        .post_form(&action, &page, &[("recipients", "me@example.org")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("report_schedules").await, 0);

    let r = beth
        .post_form(
            &action,
            &page,
            &[
                (
                    "recipients",
                    "exec.one@chorley.gov.uk\nexec.two@lancashire.gov.uk",
                ),
                ("send_on", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = beth
        .post_form(
            &action,
            &page,
            &[
                ("recipients", "exec.one@chorley.gov.uk"),
                ("send_on", "2026-12-14"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.app.send_scheduled_reports().await.unwrap(),
        1,
        "today's, not December's"
    );
    assert_eq!(
        mails(
            &app,
            "exec.one@chorley.gov.uk",
            "Executive report: Partnership Executive%"
        )
        .await,
        1
    );
    assert_eq!(
        mails(&app, "exec.two@lancashire.gov.uk", "Executive report:%").await,
        1
    );
    let body = app
        .outbox_to("exec.two@lancashire.gov.uk")
        .await
        .unwrap()
        .body_text;
    assert!(
        body.contains("Actions overdue:") && body.contains("Executive: Executive to advise"),
        "{body}"
    );
    assert!(body.contains(&format!("/plans/{id}/report?date=")));
    assert_eq!(app.app.send_scheduled_reports().await.unwrap(), 0, "once");
    let other = lz_app::App::open((*app.app.config).clone()).await.unwrap();
    assert_eq!(
        other.send_scheduled_reports().await.unwrap(),
        0,
        "once across instances"
    );
    move_clock_to(&app, jiff::civil::date(2026, 12, 14));
    assert_eq!(app.app.send_scheduled_reports().await.unwrap(), 1);
    assert_eq!(
        mails(&app, "exec.one@chorley.gov.uk", "Executive report:%").await,
        2
    );
    // Three weeks on, the earlier session has expired: sign in again.
    let beth = admin_person.browser().await;
    let (_, html) = beth.get_text(&page).await;
    assert_eq!(html.matches("govuk-tag--green\">Sent").count(), 2);
}

async fn work_areas_are_edited_after_import(app: TestApp) {
    // Given: a network admin; Richard Davis Boreham and another member, neither with a say
    // over plans; the delivery plan.
    let given = app.given();
    let admin_person = given.person("network_admin").await;
    let richard = given.person("member").named("Richard Davis Boreham").await;
    let member = given.person("member").signed_in().await;
    let plan_id = given.plan(NW_PLAN, json!({})).await;
    let admin = admin_person.api().await;
    let plan = read_plan(&admin, &plan_id).await;
    // Work area 4 was imported without an accountable lead (the flag the review showed).
    let area = plan["work_areas"][3]["id"].as_str().unwrap().to_string();
    assert_eq!(plan["work_areas"][3]["accountable_leads"], json!([]));
    let edit = format!("/work-areas/{area}/edit");
    assert_eq!(member.get(&edit).await.status(), StatusCode::FORBIDDEN);
    let beth = admin_person.browser().await;
    let (s, html) = beth.get_text(&edit).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Change work area") && html.contains("£9,000"),
        "budget lines shown for editing"
    );
    let bad = [
        ("title", ""),
        ("leads", ""),
        ("start", "2026-09-30"),
        ("end", "2026-05-01"),
        ("budget", "Consultant £7,000\nLaunch event"),
        ("committed", "-500"),
        ("why", ""),
        ("what_we_will_do", ""),
    ];
    let r = beth.post_form(&edit, &edit, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for expect in [
        "Enter a name",
        "on or after the start date",
        "Budget line 2 needs exactly one amount",
        "Enter the amount committed in pounds",
    ] {
        assert!(html.contains(expect), "{expect}");
    }
    let good = [
        (
            "title",
            "Production of an advocacy resource (a manifesto for PAS)",
        ),
        (
            "leads",
            "Richard Davis Boreham\nA Consultant Not Yet Signed Up",
        ),
        ("start", "2026-05-01"),
        ("end", "2026-09-30"),
        (
            "budget",
            "Consultant to collate evidence £7,000\nLaunch event £2,000",
        ),
        ("committed", "£7,000"),
        ("why", "Places need one resource."),
        ("what_we_will_do", "Procure a consultant."),
    ];
    let r = beth.post_form(&edit, &edit, &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = admin.api_get(&format!("/plans/{plan_id}")).await;
    let w = &v["work_areas"][3];
    assert_eq!(
        w["accountable_leads"],
        json!(["A Consultant Not Yet Signed Up", "Richard Davis Boreham"])
    );
    assert_eq!(w["budget_allocated_pence"], 900_000);
    assert_eq!(w["budget_committed_pence"], 700_000);
    let (_, report) = beth.get_text(&format!("/plans/{plan_id}/report")).await;
    assert!(
        report.contains("£7,000 committed"),
        "committed money in the report"
    );
    let (_, csv) = beth
        .get_text(&format!("/plans/{plan_id}/report/csv?table=work_areas"))
        .await;
    assert!(
        csv.contains("committed_gbp") && csv.contains("7000.00"),
        "{csv}"
    );
    assert_eq!(w["budget_lines"].as_array().unwrap().len(), 2);
    assert_eq!(
        w["title"],
        "Production of an advocacy resource (a manifesto for PAS)"
    );
    // Richard, now a named lead with an account, may post updates on it.
    let (s, _) = richard
        .api()
        .await
        .api_post(
            &format!("/work-areas/{area}/updates"),
            json!({"rag": "green", "body": "Consultant appointed"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
}

async fn minutes_added_through_the_page(app: TestApp) {
    // Given: a network admin in the browser; the delivery plan.
    let given = app.given();
    let beth = given.person("network_admin").signed_in().await;
    let id = given.plan(NW_PLAN, json!({})).await;
    let page = format!("/plans/{id}");
    let before = app.count("actions").await;
    let r = beth
        .post_form(&format!("{page}/minutes"), &page, &[("text", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("There is a problem"));
    assert_eq!(app.count("actions").await, before);
    let r = beth
        .post_form(&format!("{page}/minutes"), &page, &[("text", MINUTES)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("actions").await, before + 2);
    let (_, html) = beth.get_text(&page).await;
    assert!(
        html.contains("Establish a shared intelligence system")
            && html.contains("Raised at: Delivery Plan - Overview of Mandates")
    );
}

/// Posts the upload form as a browser would: the CSRF token first, then the fields and file.
async fn upload(c: &Client, name: &str, bytes: Vec<u8>, token: Option<&str>) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    if let Some(t) = token {
        form = form.text("csrf_token", t.to_string());
    }
    form = form
        .text("upload_title", "Uploaded plan")
        .text("upload_owner", "")
        .text("upload_visibility", "network")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    c.http
        .post(c.url("/plans/import/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn python_file(script: &str, path: &std::path::Path, module: &str, package: &str) -> Vec<u8> {
    let python = crate::common::python_with(module, package);
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(path).unwrap()
}

async fn plan_documents_uploaded_as_files(app: TestApp) {
    // Given: a network admin and a member, in the browser.
    let given = app.given();
    let beth = given.person("network_admin").signed_in().await;
    let member = given.person("member").signed_in().await;
    let token = beth.csrf("/plans/import").await;
    let plans = app.count("plans").await;
    // The Word table saved as text: the review screen, nothing saved yet.
    let r = upload(&beth, "plan.txt", PLAN.as_bytes().to_vec(), Some(&token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Check the imported plan")
            && html.contains("£9,000")
            && html.contains("Uploaded plan")
    );
    assert_eq!(app.count("plans").await, plans);
    // Without the CSRF token: refused.
    let r = upload(&beth, "plan.txt", PLAN.as_bytes().to_vec(), None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A real XLSX (written by openpyxl) in the template's columns.
    let dir = crate::common::temp_dir("xlsx");
    let xlsx = python_file(
        "import sys, openpyxl\nwb = openpyxl.Workbook(); ws = wb.active\nws.append(['Work area','Accountable lead','Why is this work needed?','What you will do','Resources and budget','When (start and end dates)','Outcomes'])\nws.append(['Active travel to school','Beth Kay','Children walk less','Walking buses','£3k','Sept 2026 to March 2027','More children walk\\nSafer streets'])\nwb.save(sys.argv[1])\n",
        &dir.join("plan.xlsx"),
        "openpyxl",
        "openpyxl",
    );
    let r = upload(&beth, "plan.xlsx", xlsx, Some(&token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Active travel to school")
            && html.contains("£3,000")
            && html.contains("Beth Kay"),
        "{html}"
    );
    // A zip bomb dressed as XLSX: a small file that unpacks to 60 MB.
    let bomb = python_file(
        "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n    z.writestr('xl/worksheets/sheet1.xml', b'0' * (60 * 1024 * 1024))\n",
        &dir.join("bomb.xlsx"),
        "zipfile",
        "zipfile",
    );
    assert!(bomb.len() < 1024 * 1024);
    let r = upload(&beth, "bomb.xlsx", bomb, Some(&token)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("too large once unpacked"));
    // Not text, too big, or no file at all: a clear message each time.
    let r = upload(
        &beth,
        "plan.bin",
        vec![0xff, 0xfe, 0x00, 0x81, 0x9f],
        Some(&token),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("not text we can read"));
    let r = upload(&beth, "huge.txt", vec![b'a'; 6 * 1024 * 1024], Some(&token)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("larger than 5 MB"));
    let r = upload(&beth, "empty.txt", vec![], Some(&token)).await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Choose the plan document to upload"));
    // Members may not upload plans.
    let t = member.csrf("/account").await;
    assert_eq!(
        upload(&member, "plan.txt", PLAN.as_bytes().to_vec(), Some(&t))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("plans").await, plans);
}

/// Work areas link the learning that delivers or shows them; each reader sees only the
/// linked items they may see, on the plan page, in the API and in the Executive report.
async fn learning_linked_to_work_areas(app: TestApp) {
    // Given: a network admin of Active Lancashire and a member of Active Cheshire; a public
    // item of Blackpool Council's, an item only GM Moving's members see, and a network
    // event of Active Lancashire's, all published; the delivery plan.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let blackpool = given.organisation("blackpool-council").await;
    let gm = given.organisation("gm-moving").await;
    let cheshire = given.organisation("active-cheshire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let member_person = given.person("member").member_of(&cheshire).await;
    let public = given
        .item(&blackpool)
        .titled("Seafront learning walk")
        .visibility("public")
        .await;
    let private = given
        .item(&gm)
        .titled("GM internal review")
        .visibility("organisation")
        .await;
    let series_event = given
        .event(&lancashire)
        .titled("Learning series event 1: enabling active environments")
        .await;
    let plan_id = given.plan(NW_PLAN, json!({})).await;
    let admin = admin_person.api().await;
    let plan = read_plan(&admin, &plan_id).await;
    let area = plan["work_areas"][0]["id"].as_str().unwrap().to_string();

    // The network admin links the public item by pasting its address into the plan page.
    let browser = admin_person.browser().await;
    let address = format!("{}/library/{public}", app.base);
    let r = browser
        .post_form(
            &format!("/work-areas/{area}/learning"),
            &format!("/plans/{plan_id}"),
            &[("item", address.as_str()), ("plan_id", plan_id.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Rubbish and drafts are refused beside the field; nothing is linked.
    let r = browser
        .post_form(
            &format!("/work-areas/{area}/learning"),
            &format!("/plans/{plan_id}"),
            &[("item", "not an item"), ("plan_id", plan_id.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("href=\"#item-{area}\"")) && html.contains("Paste the address"),
        "{html}"
    );
    let (s, draft) = admin
        .api_post("/items", json!({"kind": "tool", "title": "Unfinished", "summary": "s", "organisation_id": lancashire.id, "visibility": "public"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{draft}");
    let (s, v) = admin
        .api_post(
            &format!("/work-areas/{area}/learning"),
            json!({"item": draft["id"]}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a draft is not linked: {v}"
    );
    // The organisation-only item, over the API (the admin sees it).
    let (s, v) = admin
        .api_post(
            &format!("/work-areas/{area}/learning"),
            json!({"item": private}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, _) = admin
        .api_post(
            &format!("/work-areas/{area}/learning"),
            json!({"item": private, "extra": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // The admin sees both; a member elsewhere sees only the public one, everywhere.
    let plan = read_plan(&admin, &plan_id).await;
    let mut linked: Vec<String> = plan["work_areas"][0]["learning"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    linked.sort();
    let mut both = vec![public.clone(), private.clone()];
    both.sort();
    assert_eq!(linked, both);
    let member_api = member_person.api().await;
    let plan = read_plan(&member_api, &plan_id).await;
    assert_eq!(plan["work_areas"][0]["learning"], json!([public.clone()]));

    // Events link the same way, by their address; a draft cannot be linked, and only those
    // who may see an event see it linked.
    let (s, v) = admin
        .api_post(
            &format!("/work-areas/{area}/learning"),
            json!({"item": format!("{}/events/{series_event}", app.base)}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let plan = read_plan(&member_api, &plan_id).await;
    assert_eq!(
        plan["work_areas"][0]["events"],
        json!([series_event.clone()])
    );
    let (_, page) = app.client().get_text(&format!("/plans/{plan_id}")).await;
    assert!(
        !page.contains("Learning series event 1"),
        "network event hidden from the signed-out"
    );
    let (s, v) = admin
        .api_post(
            &format!("/work-areas/{area}/learning"),
            json!({"item": format!("{}/events/no-such-event", app.base)}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let member = member_person.browser().await;
    let (_, page) = member.get_text(&format!("/plans/{plan_id}")).await;
    assert!(
        page.contains("Seafront learning walk") && !page.contains("GM internal review"),
        "plan page"
    );
    assert!(
        !page.contains(&format!("action=\"/work-areas/{area}/learning\"")),
        "no link form for a member"
    );
    let (_, report) = member.get_text(&format!("/plans/{plan_id}/report")).await;
    assert!(
        report.contains("Learning, evidence and events linked")
            && report.contains("Learning series event 1")
            && report.contains("Seafront learning walk")
            && !report.contains("GM internal review"),
        "report"
    );
    let (_, report) = browser.get_text(&format!("/plans/{plan_id}/report")).await;
    assert!(
        report.contains("GM internal review"),
        "the admin's report names both"
    );
    // A member may not link or unlink.
    let (s, _) = member_api
        .api_post(
            &format!("/work-areas/{area}/learning"),
            json!({"item": public}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = member_api
        .api_send(
            Method::DELETE,
            &format!("/work-areas/{area}/learning/{public}"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Unlinking: once, then "not found".
    let r = browser
        .post_form(
            &format!("/work-areas/{area}/learning/{public}/remove"),
            &format!("/plans/{plan_id}"),
            &[("plan_id", plan_id.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, _) = admin
        .api_send(
            Method::DELETE,
            &format!("/work-areas/{area}/learning/{public}"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("audit_log WHERE action = 'work_area.link_learning'")
            .await,
        3,
        "two items and one event"
    );
    assert_eq!(
        app.count("audit_log WHERE action = 'work_area.unlink_learning'")
            .await,
        1
    );
}
