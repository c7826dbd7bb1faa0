//! Every administration route, HTML and API, tried by every role and by a signed-out visitor:
//! only the roles allowed get through, and refused attempts change nothing.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{assert_only_members, callers, page, Client, Org, TestApp};
use crate::on_both_databases;

on_both_databases!(
    admin_routes_by_role,
    members_cannot_raise_their_own_role,
    last_network_admin_cannot_be_demoted
);

struct Ids {
    place: String,
    org: String,
    user: String,
    request: String,
    /// The organisation the people trying the routes belong to (not `org`).
    theirs: Org,
}

/// A place, Blackpool Council, a person asking (in the browser) to join it, and the
/// organisation the callers belong to.
async fn ids(app: &TestApp) -> Ids {
    let given = app.given();
    let place = given.place("fylde-coast").await;
    let org = given
        .organisation_with(
            "blackpool",
            json!({"name": "Blackpool Council", "sector": "local_authority"}),
        )
        .await;
    let theirs = given.organisation("chorley").await;
    let requester = given
        .person("member")
        .email("requester@example-charity.org.uk")
        .await;
    let browser = requester.browser().await;
    let r = browser
        .post_form(
            "/account/join",
            "/account",
            &[("organisation_id", org.id.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "asked to join");
    let (_, pending) = given.admin().await.api_get("/join-requests").await;
    let request = pending
        .as_array()
        .expect("join requests")
        .iter()
        .find(|r| r["email"] == requester.email.as_str())
        .unwrap_or_else(|| panic!("the request to join: {pending}"))["id"]
        .as_str()
        .expect("id")
        .to_string();
    Ids {
        place: place.id,
        org: org.id,
        user: requester.id,
        request,
        theirs,
    }
}
/// (method, path, form fields, who may use it: "network_admin" or "deciders")
type HtmlRoute = (Method, String, Vec<(&'static str, String)>, &'static str);

fn html_routes(i: &Ids) -> Vec<HtmlRoute> {
    let place_form = || {
        vec![
            ("name", "Test Place".to_string()),
            ("kind", "local".to_string()),
        ]
    };
    let org_form = || {
        vec![
            ("name", "Test Org".to_string()),
            ("sector", "vcfse".to_string()),
        ]
    };
    vec![
        (Method::GET, "/admin".into(), vec![], "deciders"),
        (Method::GET, "/admin/requests".into(), vec![], "deciders"),
        (Method::GET, "/admin/places".into(), vec![], "network_admin"),
        (
            Method::GET,
            format!("/admin/places/{}", i.place),
            vec![],
            "network_admin",
        ),
        (
            Method::GET,
            "/admin/organisations".into(),
            vec![],
            "network_admin",
        ),
        (
            Method::GET,
            format!("/admin/organisations/{}", i.org),
            vec![],
            "network_admin",
        ),
        (Method::GET, "/admin/users".into(), vec![], "network_admin"),
        (
            Method::GET,
            format!("/admin/users/{}", i.user),
            vec![],
            "network_admin",
        ),
        (Method::GET, "/admin/outbox".into(), vec![], "network_admin"),
        (Method::GET, "/admin/audit".into(), vec![], "network_admin"),
        (
            Method::POST,
            "/admin/places".into(),
            place_form(),
            "network_admin",
        ),
        (
            Method::POST,
            format!("/admin/places/{}", i.place),
            vec![
                ("name", "Renamed Place".to_string()),
                ("kind", "se".to_string()),
            ],
            "network_admin",
        ),
        (
            Method::POST,
            "/admin/organisations".into(),
            org_form(),
            "network_admin",
        ),
        (
            Method::POST,
            format!("/admin/organisations/{}", i.org),
            vec![
                ("name", "Blackpool Council".into()),
                ("sector", "local_authority".into()),
                ("domains", "blackpool.gov.uk".into()),
            ],
            "network_admin",
        ),
        (
            Method::POST,
            format!("/admin/users/{}", i.user),
            vec![("role", "contributor".into())],
            "network_admin",
        ),
    ]
}

fn api_routes(i: &Ids) -> Vec<(Method, String, serde_json::Value, &'static str)> {
    vec![
        (
            Method::GET,
            "/join-requests".into(),
            json!(null),
            "deciders",
        ),
        (Method::GET, "/users".into(), json!(null), "network_admin"),
        (
            Method::PUT,
            format!("/users/{}/role", i.user),
            json!({"role": "contributor"}),
            "network_admin",
        ),
        (
            Method::POST,
            "/places".into(),
            json!({"name": "Api Place", "kind": "se"}),
            "network_admin",
        ),
        (
            Method::PUT,
            format!("/places/{}", i.place),
            json!({"name": "Renamed", "kind": "se"}),
            "network_admin",
        ),
        (
            Method::POST,
            "/organisations".into(),
            json!({"name": "Api Org", "sector": "nhs"}),
            "network_admin",
        ),
        (
            Method::PUT,
            format!("/organisations/{}", i.org),
            json!({"name": "Blackpool Council", "sector": "local_authority", "domains": ["blackpool.gov.uk"]}),
            "network_admin",
        ),
    ]
}

/// Who may use a route: "network_admin" alone, or "deciders" (also organisation admins).
fn allowed(who: &str) -> &'static [&'static str] {
    match who {
        "deciders" => &["org_admin", "network_admin"],
        _ => &["network_admin"],
    }
}

async fn admin_routes_by_role(app: TestApp) {
    let i = ids(&app).await;
    for (method, path, fields, who) in html_routes(&i) {
        let what = format!("{method} {path}");
        assert_only_members(&app, &i.theirs, &what, allowed(who), |caller| {
            let (method, path, fields) = (method.clone(), &path, &fields);
            async move {
                if method == Method::GET {
                    return page(caller.browser.get(path).await.status());
                }
                let token_page = if caller.role.is_some() {
                    "/account"
                } else {
                    "/sign-in"
                };
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                page(
                    caller
                        .browser
                        .post_form(path, token_page, &f)
                        .await
                        .status(),
                )
            }
        })
        .await;
    }
    for (method, path, body, who) in api_routes(&i) {
        let what = format!("API {method} {path}");
        assert_only_members(&app, &i.theirs, &what, allowed(who), |caller| {
            let (method, path, body) = (method.clone(), &path, body.clone());
            async move {
                if method == Method::GET {
                    caller.api.api_get(path).await
                } else {
                    caller.api.api_send(method, path, body).await
                }
            }
        })
        .await;
    }
    // Deciding a request: only a network admin here (the request is for Blackpool Council,
    // which the organisation admin does not belong to); the admin decides last.
    for caller in callers(&app, Some(&i.theirs)).await {
        let (status, _) = caller
            .api
            .api_post(
                &format!("/join-requests/{}/decision", i.request),
                json!({"approve": false}),
            )
            .await;
        match caller.role.as_deref() {
            Some("network_admin") => assert!(status.is_success()),
            Some("org_admin") => assert_eq!(status, StatusCode::NOT_FOUND),
            Some(_) => assert_eq!(status, StatusCode::FORBIDDEN),
            None => assert_eq!(status, StatusCode::UNAUTHORIZED),
        }
    }
}

async fn members_cannot_raise_their_own_role(app: TestApp) {
    // Somebody already holds the keys, as on any running network.
    app.given().admin().await;
    // An extra `role` field in the sign-up form is ignored.
    let c = app.client();
    c.post_form(
        "/sign-up",
        "/sign-up",
        &[
            ("name", "Sneaky"),
            ("email", "sneaky@example.org"),
            ("password", crate::common::PASSWORD),
            ("role", "network_admin"),
        ],
    )
    .await;
    let (s, v) = c.api_post("/accounts", json!({"email": "sneaky2@example.org", "name": "S", "password": crate::common::PASSWORD, "role": "network_admin"})).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown JSON fields are refused: {v}"
    );
    let member = app.signed_in_member("plain@example.org").await;
    let mut conn = app.app.db.acquire().await.unwrap();
    let my_id: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'plain@example.org'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    drop(conn);
    let r = member
        .post_form(
            &format!("/admin/users/{my_id}"),
            "/account",
            &[("role", "network_admin")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let api: Client = member
        .api_sign_in("plain@example.org", crate::common::PASSWORD)
        .await;
    let (s, _) = api
        .api_send(
            Method::PUT,
            &format!("/users/{my_id}/role"),
            json!({"role": "network_admin"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, v) = api.api_get("/me").await;
    assert_eq!(v["role"], "member");
    let mut conn = app.app.db.acquire().await.unwrap();
    let sneaky: String =
        sqlx::query_scalar("SELECT role FROM users WHERE email = 'sneaky@example.org'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(sneaky, "member");
}

async fn last_network_admin_cannot_be_demoted(app: TestApp) {
    // The setup admin is the network's only network admin.
    let admin = app.given().admin().await;
    let (_, me) = admin.api_get("/me").await;
    let id = me["id"].as_str().unwrap();
    let (s, v) = admin
        .api_send(
            Method::PUT,
            &format!("/users/{id}/role"),
            json!({"role": "member"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("only network admin"));
    let (s, _) = admin
        .api_send(
            Method::PUT,
            &format!("/users/{id}/role"),
            json!({"role": "emperor"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = admin
        .api_send(
            Method::PUT,
            "/users/not-a-real-id/role",
            json!({"role": "member"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
