//! Joining organisations: by verified domain at once, or by request decided by an
//! organisation admin (their own organisations only) or a network admin, with an email
//! either way. The organisations and their admins are built with `app.given()`.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{Org, TestApp};
use crate::on_both_databases;

on_both_databases!(
    request_then_approve_in_the_browser,
    request_then_decline_over_the_api,
    organisation_admins_decide_only_for_their_own
);

/// An organisation named `name` (its slug made from the name).
async fn organisation(app: &TestApp, name: &str) -> Org {
    let slug = name.to_lowercase().replace(' ', "-");
    app.given()
        .organisation_with(&slug, json!({"name": name}))
        .await
}

async fn request_then_approve_in_the_browser(app: TestApp) {
    let trust = organisation(&app, "Blackpool FC Community Trust").await.id;
    let email = "volunteer@example-charity.org.uk";
    let person = app.signed_in_member(email).await;
    let (_, html) = person.get_text("/account").await;
    assert!(html.contains("not a member of an organisation yet"));

    // Bad requests first: no organisation chosen, an unknown id.
    let r = person
        .post_form("/account/join", "/account", &[("organisation_id", "")])
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Select the organisation you work for"));
    let r = person
        .post_form(
            "/account/join",
            "/account",
            &[("organisation_id", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Select an organisation from the list"));

    let r = person
        .post_form(
            "/account/join",
            "/account",
            &[
                ("organisation_id", &trust),
                ("message", "Community activity coordinator"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = person.get_text("/account").await;
    assert!(html.contains("Your request has been sent"));
    assert!(html.contains("Waiting for approval"));
    // Asking twice is refused.
    let r = person
        .post_form("/account/join", "/account", &[("organisation_id", &trust)])
        .await;
    assert!(r.text().await.unwrap().contains("already asked to join"));

    let admin = app.given().person("network_admin").signed_in().await;
    let (s, html) = admin.get_text("/admin/requests").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(email) && html.contains("Community activity coordinator"));
    let id = html
        .split("/admin/requests/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let r = admin
        .post_form(
            &format!("/admin/requests/{id}"),
            "/admin/requests",
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mail = app.outbox_to(email).await.unwrap();
    assert!(
        mail.subject
            .contains("You have joined Blackpool FC Community Trust"),
        "{}",
        mail.subject
    );
    // Deciding again is a conflict, not a second email.
    let r = admin
        .post_form(
            &format!("/admin/requests/{id}"),
            "/admin/requests",
            &[("decision", "decline")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let (_, html) = person.get_text("/account").await;
    assert!(html.contains("Blackpool FC Community Trust"));
    assert!(html.contains(">Member<"));
    assert!(!html.contains("Waiting for approval"));
}

async fn request_then_decline_over_the_api(app: TestApp) {
    let chorley_org = organisation(&app, "Chorley Council").await;
    // Cath administers Chorley Council.
    let cath_person = app
        .given()
        .person("org_admin")
        .named("Cath Hudspith")
        .member_of(&chorley_org)
        .await;
    let email = "consultant@example-consulting.co.uk";
    app.signed_in_member(email).await;
    let person = app
        .client()
        .api_sign_in(email, crate::common::PASSWORD)
        .await;
    let chorley = chorley_org.id.clone();
    let (s, v) = person
        .api_post(
            &format!("/organisations/{chorley}/join-requests"),
            json!({"message": "Evidence collator"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let request_id = v["id"].as_str().unwrap().to_string();
    let (s, v) = person
        .api_post(
            &format!("/organisations/{chorley}/join-requests"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");

    let cath = cath_person.api().await;
    let (s, v) = cath.api_get("/join-requests").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["email"], email);
    let (s, v) = cath
        .api_post(
            &format!("/join-requests/{request_id}/decision"),
            json!({"approve": "yes"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "wrong type: {v}");
    let (s, v) = cath
        .api_post(
            &format!("/join-requests/{request_id}/decision"),
            json!({"approve": false}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "declined");
    assert!(app
        .outbox_to(email)
        .await
        .unwrap()
        .subject
        .contains("Your request to join Chorley Council"));
    let (_, v) = person.api_get("/me").await;
    assert_eq!(v["memberships"][0]["status"], "declined");
    // A declined person may ask again.
    let (s, _) = person
        .api_post(
            &format!("/organisations/{chorley}/join-requests"),
            json!({"message": "Second try"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
}

async fn organisation_admins_decide_only_for_their_own(app: TestApp) {
    let blackpool_org = organisation(&app, "Blackpool Council").await;
    let chorley = organisation(&app, "Chorley Council").await;
    let cath_person = app.given().person("org_admin").member_of(&chorley).await;
    let email = "someone@example-charity.org.uk";
    app.signed_in_member(email).await;
    let person = app
        .client()
        .api_sign_in(email, crate::common::PASSWORD)
        .await;
    let blackpool = blackpool_org.id.clone();
    let (_, v) = person
        .api_post(
            &format!("/organisations/{blackpool}/join-requests"),
            json!({}),
        )
        .await;
    let request_id = v["id"].as_str().unwrap().to_string();

    // Chorley's admin does not see Blackpool's request and cannot decide it by id.
    let cath = cath_person.api().await;
    let (_, v) = cath.api_get("/join-requests").await;
    assert_eq!(v.as_array().unwrap().len(), 0);
    let (s, _) = cath
        .api_post(
            &format!("/join-requests/{request_id}/decision"),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let browser = cath_person.browser().await;
    let r = browser
        .post_form(
            &format!("/admin/requests/{request_id}"),
            "/admin/requests",
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Still pending.
    let (_, v) = person.api_get("/me").await;
    assert_eq!(v["memberships"][0]["status"], "pending");
}
