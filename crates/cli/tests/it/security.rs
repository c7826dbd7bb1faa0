//! Hostile input: missing or wrong CSRF tokens, oversized bodies, malformed JSON, unknown
//! fields and wrong types, SQL and HTML injection in text fields; and the security headers.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::TestApp;
use crate::on_both_databases;

on_both_databases!(
    every_other_text_field_keeps_markup_as_text,
    csrf_is_required_on_every_form,
    oversized_and_malformed_requests,
    injection_is_stored_as_text,
    headers_and_cookies,
    organisation_domains_are_validated
);

async fn csrf_is_required_on_every_form(app: TestApp) {
    let c = app.client();
    let users = app.count("users").await;
    // No token.
    let r = c
        .post_raw(
            "/sign-up",
            &[
                ("name", "No Token"),
                ("email", "nt@example.org"),
                ("password", crate::common::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("This form has expired"));
    // A token that is not this visitor's.
    let other = app.client();
    let foreign = other.csrf("/sign-up").await;
    let r = c
        .post_raw(
            "/sign-up",
            &[
                ("csrf_token", &foreign),
                ("name", "Wrong"),
                ("email", "wt@example.org"),
                ("password", crate::common::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("users").await, users);
    // Not a form at all.
    let r = c
        .http
        .post(c.url("/sign-in"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Signed in: the session's token is needed, the anonymous one no longer works.
    let member = app.signed_in_member("csrf@example.org").await;
    let r = member.post_raw("/sign-out", &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        member.get("/account").await.status(),
        StatusCode::OK,
        "still signed in"
    );
    // Cookie-authenticated API writes need the header.
    let r = member
        .http
        .post(member.url("/api/v1/tokens"))
        .json(&json!({"email": "a@b.org", "password": "x", "name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["type"], "/api/v1/problems/csrf");
}

async fn oversized_and_malformed_requests(app: TestApp) {
    let c = app.client();
    let big = "x".repeat(10 * 1024 * 1024);
    let token = c.csrf("/sign-up").await;
    let form = format!("csrf_token={token}&name={big}");
    let (status, text) = c
        .raw_post(
            "/sign-up",
            "application/x-www-form-urlencoded",
            form.into_bytes(),
        )
        .await;
    assert_eq!(status, 413, "{}", &text[..text.len().min(500)]);
    assert!(text.contains("too large"));
    let (status, text) = c
        .raw_post(
            "/api/v1/accounts",
            "application/json",
            format!("{{\"name\":\"{big}\"}}").into_bytes(),
        )
        .await;
    assert_eq!(status, 413);
    assert!(
        text.contains("application/problem+json") && text.contains("\"status\":413"),
        "{}",
        &text[..text.len().min(500)]
    );
    assert_eq!(app.count("users").await, 0);

    let cases: &[(&str, &[u8], StatusCode)] = &[
        ("application/json", b"{not json", StatusCode::BAD_REQUEST),
        ("application/json", b"[1,2,3]", StatusCode::UNPROCESSABLE_ENTITY),
        ("application/json", br#"{"email": 42, "name": "x", "password": "y"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        ("application/json", br#"{"email": "a@b.org", "name": "x", "password": "long enough password", "admin": true}"#, StatusCode::UNPROCESSABLE_ENTITY),
        ("text/plain", br#"{"email": "a@b.org"}"#, StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ];
    for (ct, body, expect) in cases {
        let (s, v, got_ct) = c
            .api_raw(Method::POST, "/accounts", ct, body.to_vec())
            .await;
        assert_eq!(s, *expect, "{}: {v}", String::from_utf8_lossy(body));
        assert_eq!(got_ct, "application/problem+json");
        assert_eq!(v["status"], expect.as_u16());
        assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let admin = app.given().person("network_admin").signed_in().await;
    let (s, v) = admin.api_get("/nowhere").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["status"], 404);
    assert_eq!(
        app.count("users").await,
        1,
        "only the given admin's account"
    );
}

async fn injection_is_stored_as_text(app: TestApp) {
    let admin_person = app.given().person("network_admin").await;
    let admin = admin_person.browser().await;
    let places = app.count("places").await;
    let nasty = [
        "Robert'); DROP TABLE places;--",
        "<img src=x onerror=alert(1)>",
        "\"><script>alert('x')</script>",
        "' OR '1'='1",
    ];
    for (n, name) in nasty.iter().enumerate() {
        let slug = format!("nasty-{n}");
        let r = admin
            .post_form(
                "/admin/places",
                "/admin/places",
                &[
                    ("name", name),
                    ("kind", "local"),
                    ("slug", &slug),
                    ("summary", name),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let (_, html) = admin.get_text("/places").await;
    for name in nasty {
        assert!(
            !html.contains(name) || !name.contains('<'),
            "raw markup must be escaped: {name}"
        );
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(
        html.contains("Robert&#x27;); DROP TABLE places;--")
            || html.contains("Robert'); DROP TABLE places;--")
    );
    assert_eq!(app.count("places").await, places + 4);
    // The API returns the literal text.
    let api = admin_person.api().await;
    let (_, v) = api.api_get("/places").await;
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "<img src=x onerror=alert(1)>"));
    // Injection in the users search and sign-in are harmless.
    let (s, _) = admin.get_text("/admin/users?q=%25'%20OR%201%3D1--").await;
    assert_eq!(s, StatusCode::OK);
    let c = app.client();
    let r = c
        .post_form(
            "/sign-in",
            "/sign-in",
            &[("email", "' OR 1=1 --"), ("password", "' OR 1=1 --")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Bad place input: every problem reported, nothing saved.
    let r = admin
        .post_form(
            "/admin/places",
            "/admin/places",
            &[("name", ""), ("kind", "castle"), ("gss_code", "X1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Enter a name")
            && html.contains("Select the kind of place")
            && html.contains("GSS code must look like")
    );
    assert_eq!(app.count("places").await, places + 4);
}

async fn headers_and_cookies(app: TestApp) {
    let c = app.client();
    let r = c.get("/sign-in").await;
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert!(h.contains_key("x-request-id"));
    let cookie = h["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("lz_csrf=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    // Secure cookies and HSTS when the site is served over https.
    let secure = TestApp::spawn_with(
        app.backend,
        &[("LZ_BASE_URL", "https://learning.example.org")],
    )
    .await
    .unwrap();
    let r = secure.client().get("/sign-in").await;
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Secure"));
    assert!(r.headers().contains_key("strict-transport-security"));
}

async fn organisation_domains_are_validated(app: TestApp) {
    // Blackpool Council holds its domain already.
    app.given()
        .organisation_with(
            "blackpool-council",
            json!({"name": "Blackpool Council", "sector": "local_authority", "domains": ["blackpool.gov.uk"]}),
        )
        .await;
    let api = app.given().admin().await;
    let orgs_before = app.count("organisations").await;
    let (s, v) = api
        .api_post(
            "/organisations",
            json!({"name": "Shared", "sector": "nhs", "domains": ["nhs.net"]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "domains");
    let (s, v) = api
        .api_post(
            "/organisations",
            json!({"name": "Clash", "sector": "vcfse", "domains": ["blackpool.gov.uk"]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("another organisation"));
    let (s, _) = api
        .api_post(
            "/organisations",
            json!({"name": "Bad", "sector": "vcfse", "domains": ["not a domain"]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = api
        .api_post(
            "/organisations",
            json!({"name": "No place", "sector": "vcfse", "place_id": "nope"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("organisations").await, orgs_before);
    // A new organisation with a domain: new sign-ups there join it at once.
    let (s, v) = api.api_post("/organisations", json!({"name": "Fylde Coast Charity", "sector": "vcfse", "domains": ["@FyldeCharity.org.uk"]})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let c = app.client();
    c.api_post("/accounts", json!({"email": "worker@fyldecharity.org.uk", "name": "W", "password": crate::common::PASSWORD})).await;
    let token = app
        .token_from_email("worker@fyldecharity.org.uk", "/verify")
        .await;
    let (_, v) = c
        .api_post("/accounts/verify", json!({"token": token}))
        .await;
    assert_eq!(v["joined"], "Fylde Coast Charity");
}

const XSS: &str = "<script>alert('lz')</script>";
const SQLI: &str = "x'); DELETE FROM users; --";

async fn every_other_text_field_keeps_markup_as_text(app: TestApp) {
    let given = app.given();
    let org = given
        .organisation_with("chorley-council", json!({"name": "Chorley Council"}))
        .await
        .id;
    let admin_person = given.person("network_admin").await;
    let users = app.count("users").await;
    let person = app.signed_in_member("hostile@example-charity.org.uk").await;
    // Join-request message and token name.
    let message = format!("{XSS} {SQLI}");
    let r = person
        .post_form(
            "/account/join",
            "/account",
            &[("organisation_id", &org), ("message", &message)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = person
        .post_form("/account/tokens", "/account", &[("name", XSS)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (_, html) = person.get_text("/account").await;
    assert!(!html.contains(XSS) && html.contains("&lt;script&gt;"));
    // An over-long message and a token name with control characters are refused.
    let r = person
        .post_form("/account/tokens", "/account", &[("name", "bad\u{0}name")])
        .await;
    assert!(r.text().await.unwrap().contains("There is a problem"));
    // The admin sees the message as text.
    let admin = admin_person.browser().await;
    let (_, html) = admin.get_text("/admin/requests").await;
    assert!(!html.contains(XSS), "request message escaped");
    assert!(html.contains("DELETE FROM users"));
    // Organisation name and slug.
    let r = admin
        .post_form(
            "/admin/organisations",
            "/admin/organisations",
            &[
                ("name", XSS),
                ("sector", "vcfse"),
                ("slug", "../../etc/passwd"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Web address name must use only"));
    let r = admin
        .post_form(
            "/admin/organisations",
            "/admin/organisations",
            &[("name", XSS), ("sector", "vcfse"), ("domains", SQLI)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post_form(
            "/admin/organisations",
            "/admin/organisations",
            &[("name", XSS), ("sector", "vcfse")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin.get_text("/organisations").await;
    assert!(!html.contains(XSS) && html.contains("&lt;script&gt;alert"));
    assert_eq!(app.count("users").await, users + 1);
}
