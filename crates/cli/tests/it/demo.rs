//! The demo network on its own: it loads into an empty database (and only there), holds the
//! places and organisations it lists, and every demo person signs in with the demo password,
//! in the browser and over the API, with their role and organisation. Other scenarios build
//! what they need with `app.given()` instead of borrowing the demo's people.

use reqwest::StatusCode;

use crate::common::{TestApp, DEMO_PASSWORD};
use crate::on_both_databases;
use lz_app::demo::data::{ORGANISATIONS, PEOPLE, PLACES};

on_both_databases!(demo_loads_and_its_people_sign_in);

async fn demo_loads_and_its_people_sign_in(app: TestApp) {
    app.load_demo().await;
    assert_eq!(app.count("places").await, PLACES.len() as i64);
    assert_eq!(app.count("organisations").await, ORGANISATIONS.len() as i64);
    assert!(app.count("users").await >= PEOPLE.len() as i64);
    // A second load is refused: the demo goes only into an empty database.
    assert!(app.app.load_demo().await.is_err());
    assert_eq!(app.count("places").await, PLACES.len() as i64);

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
