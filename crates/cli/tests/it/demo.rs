//! The demo network on its own: it loads into an empty database (and only there), holds the
//! places and organisations it lists, and every demo person signs in with the demo password,
//! in the browser and over the API, with their role and organisation; it holds the delivery
//! plan and the Executive's mandates, loaded through the importer from the two source
//! documents. Other scenarios build what they need with `app.given()` instead of borrowing
//! the demo's people and content.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{Client, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;
use lz_app::demo::data::{ORGANISATIONS, PEOPLE, PLACES};

/// Beth Kay, the demo's network admin.
const ADMIN: &str = "beth.kay@activelancashire.org.uk";

on_both_databases!(
    demo_loads_and_its_people_sign_in,
    demo_holds_the_plan_and_the_mandates
);

/// The plan whose title starts with `starts`, as `api` reads it.
async fn plan_by_title(api: &Client, starts: &str) -> Value {
    let (s, list) = api.api_get("/plans").await;
    assert_eq!(s, StatusCode::OK);
    let id = list
        .as_array()
        .expect("a list of plans")
        .iter()
        .find(|p| p["title"].as_str().unwrap_or_default().starts_with(starts))
        .unwrap_or_else(|| panic!("a plan {starts}: {list}"))["id"]
        .as_str()
        .expect("the plan's id")
        .to_string();
    api.api_get(&format!("/plans/{id}")).await.1
}

async fn demo_loads_and_its_people_sign_in(app: TestApp) {
    app.load_demo().await;
    assert_eq!(app.count("places").await, PLACES.len() as i64);
    assert_eq!(app.count("organisations").await, ORGANISATIONS.len() as i64);
    assert!(app.count("users").await >= PEOPLE.len() as i64);
    // A second load is refused: the demo goes only into an empty database.
    assert!(app.app.load_demo().await.is_err());
    assert_eq!(app.count("places").await, PLACES.len() as i64);
    // Illustrative evidence from the library: published records across agendas and places,
    // one still a draft (seen by the moderator, who sees every state).
    let moderator = app
        .client()
        .api_sign_in("amanda.forrest@activelancashire.org.uk", DEMO_PASSWORD)
        .await;
    let (_, evidence) = moderator.api_get("/evidence").await;
    let records = evidence.as_array().cloned().unwrap_or_default();
    assert!(records.len() >= 6, "demo evidence: {evidence}");
    let published: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["status"] == "published")
        .collect();
    assert!(published.len() >= 3);
    assert!(records.iter().any(|r| r["status"] == "draft"));
    let distinct = |field: &str| {
        let mut names: Vec<String> = published
            .iter()
            .flat_map(|r| r[field].as_array().cloned().unwrap_or_default())
            .map(|l| l["name"].to_string())
            .collect();
        names.sort();
        names.dedup();
        names.len()
    };
    assert!(
        distinct("agendas") >= 3 && distinct("places") >= 3,
        "{evidence}"
    );
    assert!(records.iter().all(|r| r["claim"]
        .as_str()
        .unwrap_or_default()
        .contains("llustrative")));

    for person in PEOPLE {
        let api = app.client().api_sign_in(person.email, DEMO_PASSWORD).await;
        let (s, me) = api.api_get("/me").await;
        assert_eq!(s, StatusCode::OK, "{}: {me}", person.email);
        assert_eq!(me["email"], person.email);
        assert_eq!(me["name"], person.name);
        assert_eq!(me["role"], person.role, "{}", person.email);
        let org = ORGANISATIONS
            .iter()
            .find(|o| o.slug == person.organisation_slug)
            .unwrap_or_else(|| panic!("{}'s organisation", person.email));
        let active = me["memberships"]
            .as_array()
            .expect("memberships")
            .iter()
            .any(|m| m["organisation"] == org.name && m["status"] == "active");
        assert!(
            active,
            "{} is an active member of {}: {me}",
            person.email, org.name
        );

        let browser = app.client();
        browser.sign_in(person.email, DEMO_PASSWORD).await;
        let (s, html) = browser.get_text("/account").await;
        assert_eq!(s, StatusCode::OK, "{}", person.email);
        assert!(
            html.contains(person.name),
            "{}'s account page",
            person.email
        );
    }
    // The demo password is the demo's only: a wrong one is refused.
    let r = app
        .client()
        .post_form(
            "/sign-in",
            "/sign-in",
            &[
                ("email", PEOPLE[0].email),
                ("password", "not the demo password"),
            ],
        )
        .await;
    assert_ne!(r.status(), StatusCode::SEE_OTHER);
}

async fn demo_holds_the_plan_and_the_mandates(app: TestApp) {
    app.load_demo().await;
    let api = app.client().api_sign_in(ADMIN, DEMO_PASSWORD).await;
    let plan = plan_by_title(&api, "North West Place Cluster Delivery Plan").await;
    let areas = plan["work_areas"].as_array().expect("work areas");
    assert_eq!(areas.len(), 4);
    let totals: Vec<i64> = areas
        .iter()
        .map(|w| {
            w["budget_allocated_pence"]
                .as_i64()
                .expect("an allocated budget")
        })
        .collect();
    assert_eq!(totals, [800_000, 500_000, 200_000, 900_000]);
    assert_eq!(plan["budget_allocated_pence"], 2_400_000);
    assert_eq!(areas[0]["accountable_leads"], json!(["Beth Kay"]));
    assert_eq!(
        areas[1]["accountable_leads"],
        json!(["Richard Davis Boreham"])
    );
    assert_eq!(
        areas[2]["accountable_leads"],
        json!(["Amanda Forrest", "Beth Kay"])
    );
    assert_eq!(areas[0]["start_date"], "2026-09-01");
    assert_eq!(areas[0]["end_date"], "2027-03-31");
    assert_eq!(areas[2]["start_date"], "2026-07-01");
    assert_eq!(areas[2]["end_date"], "2026-11-30");
    assert_eq!(plan["lead_applicant"], "Active Lancashire");

    let mandates = plan_by_title(&api, "Partnership Executive").await;
    let titles: Vec<&str> = mandates["work_areas"]
        .as_array()
        .expect("the mandates")
        .iter()
        .filter(|w| w["kind"] == "mandate")
        .map(|w| w["title"].as_str().expect("a title"))
        .collect();
    assert_eq!(titles.len(), 7);
    assert_eq!(
        titles[0],
        "Integrated Community Wellbeing reform key pathways"
    );
    assert_eq!(titles[4], "Establish a shared intelligence system");
    let actions = mandates["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 2);
    let mandate_ids: Vec<&Value> = mandates["work_areas"]
        .as_array()
        .expect("the mandates")
        .iter()
        .map(|w| &w["id"])
        .collect();
    for a in actions {
        assert_eq!(a["due_date"], "2018-05-04");
        assert_eq!(a["owner"], "Executive");
        // Done at the time, and linked to the mandate they name.
        assert_eq!(a["status"], "done");
        assert!(mandate_ids.contains(&&a["work_area_id"]), "{a}");
    }
    let browser = app.client();
    browser.sign_in(ADMIN, DEMO_PASSWORD).await;
    let (s, html) = browser
        .get_text(&format!(
            "/plans/{}",
            mandates["id"].as_str().expect("an id")
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Done") && html.contains("4 May 2018") && !html.contains("Overdue"));

    // The delivery plan is in flight in December 2026: every work area has a status from its
    // updates, milestones (from the plan's key milestones and dates), spend, and learning or
    // places; the learning series' three events are linked and finished.
    for w in areas {
        assert!(w["rag"].is_string(), "a status: {w}");
        assert!(
            !w["milestones"].as_array().expect("milestones").is_empty(),
            "milestones: {w}"
        );
        assert!(
            w["budget_spent_pence"].as_i64().unwrap_or_default() > 0,
            "spend: {w}"
        );
    }
    assert_eq!(areas[2]["events"].as_array().map(Vec::len), Some(3));
    assert!(areas[2]["learning"]
        .as_array()
        .is_some_and(|l| l.len() >= 3));
    assert_eq!(
        areas[1]["places"],
        json!(["cheshire-east", "greater-manchester", "pennine-lancashire"])
    );
    let rags: Vec<&str> = areas
        .iter()
        .map(|w| w["rag"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(rags, ["green", "amber", "green", "red"]);
    let (_, html) = browser
        .get_text(&format!("/plans/{}", plan["id"].as_str().expect("an id")))
        .await;
    assert!(
        html.contains("£24,000") && html.contains("£8,000") && html.contains("1 September 2026")
    );
}
