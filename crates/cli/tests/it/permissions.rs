//! Every administration route, HTML and API, tried by every role and by a signed-out visitor:
//! only the roles allowed get through, and refused attempts change nothing.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Client, TestApp, DEMO_PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    admin_routes_by_role,
    members_cannot_raise_their_own_role,
    last_network_admin_cannot_be_demoted
);

fn demo_email(role: &str) -> &'static str {
    lz_app::demo::data::PEOPLE
        .iter()
        .find(|p| p.role == role)
        .unwrap_or_else(|| panic!("a demo {role}"))
        .email
}

struct Ids {
    place: String,
    org: String,
    user: String,
    request: String,
}

async fn ids(app: &TestApp) -> Ids {
    let place = app.app.places().await.unwrap()[0].id.clone();
    let org = app
        .app
        .organisations()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == "Blackpool Council")
        .unwrap()
        .id;
    let requester = app
        .signed_in_member("requester@example-charity.org.uk")
        .await;
    let token = requester.csrf("/account").await;
    requester
        .http
        .post(requester.url("/account/join"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("organisation_id", org.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let mut c = app.app.db.acquire().await.unwrap();
    let request: String = sqlx::query_scalar("SELECT id FROM memberships WHERE status = 'pending'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    let user: String = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind("requester@example-charity.org.uk")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    Ids {
        place,
        org,
        user,
        request,
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

fn allowed(role: Option<&str>, who: &str) -> bool {
    matches!(
        (role, who),
        (Some("network_admin"), _) | (Some("org_admin"), "deciders")
    )
}

async fn admin_routes_by_role(app: TestApp) {
    app.load_demo().await;
    let i = ids(&app).await;
    let roles: [Option<&str>; 7] = [
        None,
        Some("member"),
        Some("contributor"),
        Some("place_lead"),
        Some("moderator"),
        Some("org_admin"),
        Some("network_admin"),
    ];
    for role in roles {
        let browser = app.client();
        let api = match role {
            Some(r) => {
                browser.sign_in(demo_email(r), DEMO_PASSWORD).await;
                browser.api_sign_in(demo_email(r), DEMO_PASSWORD).await
            }
            None => app.client(),
        };
        let token_page = if role.is_some() {
            "/account"
        } else {
            "/sign-in"
        };
        for (method, path, fields, who) in html_routes(&i) {
            let before = app.count("audit_log").await;
            let status = if method == Method::GET {
                browser.get(&path).await.status()
            } else {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                browser.post_form(&path, token_page, &f).await.status()
            };
            let label = format!("{role:?} {method} {path}");
            if allowed(role, who) {
                assert!(
                    status.is_success() || status.is_redirection(),
                    "{label}: {status}"
                );
            } else if role.is_none() {
                assert_eq!(status, StatusCode::SEE_OTHER, "{label} sends to sign in");
                assert_eq!(
                    app.count("audit_log").await,
                    before,
                    "{label} changed nothing"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{label}");
                assert_eq!(
                    app.count("audit_log").await,
                    before,
                    "{label} changed nothing"
                );
            }
        }
        for (method, path, body, who) in api_routes(&i) {
            let (status, v) = if method == Method::GET {
                api.api_get(&path).await
            } else {
                api.api_send(method.clone(), &path, body).await
            };
            let label = format!("{role:?} API {method} {path}");
            if allowed(role, who) {
                assert!(status.is_success(), "{label}: {status} {v}");
            } else if role.is_none() {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{label}");
                assert_eq!(v["status"], 401);
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{label}: {v}");
                assert_eq!(v["type"], "/api/v1/problems/forbidden");
            }
        }
        // Deciding a request: only a network admin here (the request is for Blackpool Council,
        // which the demo organisation admin does not belong to).
        let (status, _) = api
            .api_post(
                &format!("/join-requests/{}/decision", i.request),
                json!({"approve": false}),
            )
            .await;
        match role {
            Some("network_admin") => assert!(status.is_success()),
            Some("org_admin") => assert_eq!(status, StatusCode::NOT_FOUND),
            Some(_) => assert_eq!(status, StatusCode::FORBIDDEN),
            None => assert_eq!(status, StatusCode::UNAUTHORIZED),
        }
    }
}

async fn members_cannot_raise_their_own_role(app: TestApp) {
    app.load_demo().await;
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
    app.load_demo().await;
    let admin = app
        .client()
        .api_sign_in(demo_email("network_admin"), DEMO_PASSWORD)
        .await;
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
