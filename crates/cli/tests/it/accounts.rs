//! Accounts: the sign-up → verify → join → sign-in → sign-out journey over HTML and the API,
//! password reset, and what bad input does.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{location, Backend, Client, TestApp, PASSWORD};
use crate::on_both_databases;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_journey_with_real_smtp_sqlite() {
    let app = TestApp::spawn_with_smtp(
        Backend::Sqlite,
        "accounts::html_journey_with_real_smtp_sqlite",
    )
    .await
    .expect("sqlite");
    html_journey(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_journey_with_real_smtp_postgres() {
    if let Some(app) = TestApp::spawn_with_smtp(
        Backend::Postgres,
        "accounts::html_journey_with_real_smtp_postgres",
    )
    .await
    {
        html_journey(app).await;
    }
}

on_both_databases!(
    api_journey,
    bad_sign_up_input_changes_nothing,
    verification_links_expire_and_work_once,
    password_reset_works_once_and_ends_sessions,
    sign_in_is_throttled_then_locks_the_account,
    parallel_wrong_passwords_do_not_get_past_the_lock,
    session_id_changes_on_sign_in_and_ends_on_sign_out,
    personal_api_tokens,
    sign_up_does_not_tell_who_has_an_account,
);

async fn html_journey(app: TestApp) {
    // Given: Blackpool Council, in Blackpool, verifies its e-mail domain.
    let given = app.given();
    let blackpool = given.place("blackpool").await;
    given
        .organisation_with(
            "blackpool-council",
            json!({"name": "Blackpool Council", "sector": "local_authority",
                   "place_id": blackpool.id, "domains": ["blackpool.gov.uk"]}),
        )
        .await;
    let browser = app.client();

    // Sign up with a work address at a partner's verified domain.
    let (status, html) = browser.get_text("/sign-up").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Create an account"));
    let email = "new.officer@blackpool.gov.uk";
    let r = browser
        .post_form(
            "/sign-up",
            "/sign-up",
            &[
                ("name", "Nia Officer"),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/sign-up/check-email");

    // Not yet verified: signing in is refused with a clear message.
    let r = browser
        .post_form(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Confirm your email address first"));

    // The verification email arrives at the SMTP server.
    let raw = app.smtp.as_ref().unwrap().wait_for(email).await;
    assert!(raw.contains("Subject: Confirm your email address"), "{raw}");
    let link = crate::common::find_link(&raw, "/verify?token=").expect("verify link");
    assert!(link.starts_with(&app.base));
    let path = link.trim_start_matches(&app.base).to_string();
    // Opening the link shows a button; it does not use the token up (mail scanners open links).
    let (status, html) = browser.get_text(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Confirm my email address"));
    let token = path.split("token=").nth(1).unwrap().to_string();
    let r = browser
        .post_form("/verify", &path, &[("token", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Email address confirmed"));
    assert!(html.contains("Blackpool Council"), "joined by domain");

    // Sign in and see the place and organisation.
    browser.sign_in(email, PASSWORD).await;
    let (status, html) = browser.get_text("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nia Officer"));
    assert!(html.contains("Blackpool Council"));
    assert!(
        html.contains("<td>Blackpool</td>"),
        "the organisation's place is shown"
    );

    // Sign out: the session no longer works.
    let r = browser.post_form("/sign-out", "/account", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = browser.get("/account").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // To sign in, and back to the account page afterwards.
    assert_eq!(r.headers()["location"], "/sign-in?next=%2Faccount");
}

async fn api_journey(app: TestApp) {
    // Given: Chorley Council, in Chorley, verifies its e-mail domain.
    let given = app.given();
    let chorley = given.place("chorley").await;
    given
        .organisation_with(
            "chorley-council",
            json!({"name": "Chorley Council", "sector": "local_authority",
                   "place_id": chorley.id, "domains": ["chorley.gov.uk"]}),
        )
        .await;
    let api = app.client();
    let email = "api.person@chorley.gov.uk";
    let (s, v) = api
        .api_post(
            "/accounts",
            json!({"email": email, "name": "Api Person", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["status"], "email_sent");
    assert!(
        v.get("id").is_none(),
        "no id: it would tell a new account from an old one"
    );

    // Unverified accounts cannot get a token.
    let (s, v) = api
        .api_post(
            "/tokens",
            json!({"email": email, "password": PASSWORD, "name": "cli"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    let token = app.token_from_email(email, "/verify").await;
    let (s, v) = api
        .api_post("/accounts/verify", json!({"token": token}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["joined"], "Chorley Council");

    let me = api.api_sign_in(email, PASSWORD).await;
    let (s, v) = me.api_get("/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["email"], email);
    assert_eq!(v["role"], "member");
    assert_eq!(v["memberships"][0]["organisation"], "Chorley Council");
    assert_eq!(v["memberships"][0]["place"], "Chorley");
    assert_eq!(v["memberships"][0]["status"], "active");
    assert_eq!(v["memberships"][0]["via"], "domain");

    // Sign out: the token stops working.
    let (s, _) = me
        .api_send(reqwest::Method::DELETE, "/tokens/current", json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = me.api_get("/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["status"], 401);
}

async fn bad_sign_up_input_changes_nothing(app: TestApp) {
    let c = app.client();
    c.post_form(
        "/sign-up",
        "/sign-up",
        &[
            ("name", "First"),
            ("email", "taken@example.org"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let users_before = app.count("users").await;
    let cases: &[(&str, &str, &str, &str)] = &[
        ("Bad", "not-an-email", PASSWORD, "correct format"),
        (
            "Bad",
            "x@y.org'; DROP TABLE users;--",
            PASSWORD,
            "correct format",
        ),
        (
            "Weak",
            "weak@example.org",
            "password123",
            "too easy to guess",
        ),
        (
            "Short",
            "short@example.org",
            "abc",
            "at least 10 characters",
        ),
        ("", "noname@example.org", PASSWORD, "Enter your full name"),
        (
            "Ctl\u{7}",
            "ctl@example.org",
            PASSWORD,
            "control characters",
        ),
    ];
    for (name, email, password, expect) in cases {
        let r = c
            .post_form(
                "/sign-up",
                "/sign-up",
                &[("name", name), ("email", email), ("password", password)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("There is a problem"),
            "error summary for {email}"
        );
        assert!(html.contains(expect), "{email}: expected {expect:?}");
        assert!(html.contains("<title>Error:"), "title says error");
        assert!(html.contains("href=\"#"), "summary links to the field");
    }
    // HTML in a name is stored as text and escaped on output.
    let r = c
        .post_form(
            "/sign-up",
            "/sign-up",
            &[
                ("name", "<script>alert(1)</script>"),
                ("email", "xss@example.org"),
                ("password", "short"),
            ],
        )
        .await;
    let html = r.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;"));
    assert_eq!(app.count("users").await, users_before);

    // The same over the API: problem details listing each field.
    let (s, v) = c
        .api_post(
            "/accounts",
            json!({"email": "nope", "name": "", "password": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    // In the order of the form's fields.
    assert_eq!(fields, ["name", "email", "password"]);
    // One Unicode policy: a name of zero-width characters only, or with a right-to-left
    // override, is refused with a clear message.
    for (name, says) in [
        ("\u{200B}\u{200C}\u{200D}\u{FEFF}", "you can see"),
        ("Ann\u{202E}nimda", "direction of text"),
    ] {
        let (s, v) = c
            .api_post(
                "/accounts",
                json!({"email": "uni@example.org", "name": name, "password": PASSWORD}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {v}");
        assert!(v.to_string().contains(says), "{v}");
    }
    assert_eq!(app.count("users").await, users_before);
}

async fn verification_links_expire_and_work_once(app: TestApp) {
    let c = app.client();
    c.api_post(
        "/accounts",
        json!({"email": "late@example.org", "name": "Late", "password": PASSWORD}),
    )
    .await;
    let token = app.token_from_email("late@example.org", "/verify").await;
    app.app.clock.advance(25 * 3600 * 1000);
    let (s, v) = c
        .api_post("/accounts/verify", json!({"token": token}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("expired"));

    // A fresh link works once; the second use says so.
    let r = c
        .post_form(
            "/verify/resend",
            "/verify",
            &[("email", "late@example.org")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let token2 = app.token_from_email("late@example.org", "/verify").await;
    assert_ne!(token, token2);
    let r = c
        .post_form("/verify", "/verify", &[("token", &token2)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = c
        .post_form("/verify", "/verify", &[("token", &token2)])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("already been used"));
    let r = c
        .post_form("/verify", "/verify", &[("token", "made-up")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("not valid"));
}

async fn password_reset_works_once_and_ends_sessions(app: TestApp) {
    let email = "forgetful@example.org";
    let browser = app.signed_in_member(email).await;
    let other = app.client();
    let r = other
        .post_form("/password/forgot", "/password/forgot", &[("email", email)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("If an account uses that address"));
    // Unknown addresses get the same answer and no email.
    let r = other
        .post_form(
            "/password/forgot",
            "/password/forgot",
            &[("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(app.outbox_to("nobody@example.org").await.is_none());

    // A personal API token made before the reset (say, with a stolen password).
    let stolen = Client::new(&app.base)
        .api_post(
            "/tokens",
            json!({"email": email, "password": PASSWORD, "name": "stolen"}),
        )
        .await;
    assert_eq!(stolen.0, StatusCode::CREATED, "{}", stolen.1);
    let stolen = Client::new(&app.base).with_token(stolen.1["token"].as_str().expect("token"));
    assert_eq!(stolen.api_get("/me").await.0, StatusCode::OK);
    let token = app.token_from_email(email, "/password/reset").await;
    let page = format!("/password/reset?token={token}");
    let r = other
        .post_form(
            "/password/reset",
            &page,
            &[("token", &token), ("password", "password1")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "weak password refused"
    );
    let new_password = "granite estuary lantern puffin";
    let r = other
        .post_form(
            "/password/reset",
            &page,
            &[("token", &token), ("password", new_password)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The page it leads to says what the reset did.
    let next = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let (_, html) = other.get_text(&next).await;
    assert!(
        html.contains("API tokens have been revoked"),
        "the person is told their tokens are revoked: {html}"
    );
    // Reused link.
    let r = other
        .post_form(
            "/password/reset",
            &page,
            &[
                ("token", &token),
                ("password", "another long passphrase here"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("already been used"));
    // The token made before the reset no longer answers, and the page said so.
    let (s, _) = stolen.api_get("/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "tokens are revoked by a reset");
    // The old session has ended; the new password works, the old does not.
    assert_eq!(
        browser.get("/account").await.status(),
        StatusCode::SEE_OTHER
    );
    let r = other
        .post_form(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    other.sign_in(email, new_password).await;

    // The same request over the API: the same answer whether or not the account exists.
    let api = Client::new(&app.base);
    for who in [email, "nobody@example.org"] {
        let (s, _) = api.api_post("/password-reset", json!({"email": who})).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{who}");
    }
    let (s, v) = api
        .api_post("/password-reset", json!({"email": "not an email"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // An expired link.
    other
        .post_form("/password/forgot", "/password/forgot", &[("email", email)])
        .await;
    let token = app.token_from_email(email, "/password/reset").await;
    app.app.clock.advance(2 * 3600 * 1000);
    let (s, v) = Client::new(&app.base)
        .api_post(
            "/password-reset/complete",
            json!({"token": token, "password": "yet another long passphrase"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

async fn sign_in_is_throttled_then_locks_the_account(app: TestApp) {
    let email = "target@example.org";
    let _ = app.signed_in_member(email).await;
    let attacker = app.client();
    for _ in 0..10 {
        let r = attacker
            .post_form(
                "/sign-in",
                "/sign-in",
                &[("email", email), ("password", "wrong password guess")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Locked: even the right password is refused for now, with Retry-After.
    let r = attacker
        .post_form(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    let (s, v) = attacker
        .api_post(
            "/tokens",
            json!({"email": email, "password": PASSWORD, "name": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(v["status"], 429);
    // After the window the right password works again.
    app.app.clock.advance(16 * 60 * 1000);
    attacker.sign_in(email, PASSWORD).await;
}

/// Twelve wrong passwords at once (the probe's finding): the lock is at ten, so at most ten
/// are checked and the rest are refused as too many, on either database.
async fn parallel_wrong_passwords_do_not_get_past_the_lock(app: TestApp) {
    let email = "parallel@example.org";
    let _ = app.signed_in_member(email).await;
    let attempts = (0..12).map(|n| {
        let c = Client::new(&app.base);
        async move {
            c.api_post(
                "/tokens",
                json!({"email": email, "password": format!("wrong password guess {n}"), "name": "x"}),
            )
            .await
            .0
        }
    });
    let answers = futures_join_all(attempts).await;
    let checked = answers
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, 12, "{answers:?}");
    assert!(checked <= 10, "at most ten passwords checked: {answers:?}");
    // Locked: the right password is refused too.
    let (s, _) = Client::new(&app.base)
        .api_post(
            "/tokens",
            json!({"email": email, "password": PASSWORD, "name": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

/// Runs the futures at once and waits for all of them.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

async fn session_id_changes_on_sign_in_and_ends_on_sign_out(app: TestApp) {
    let email = "rotate@example.org";
    let c = app.signed_in_member(email).await;
    let cookie_of = |r: &reqwest::Response| -> String {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("lz_session="))
            .unwrap_or_default()
            .to_string()
    };
    // Signing in again while signed in issues a new session id and ends the old one.
    let token = c.csrf("/account").await;
    let r = c
        .http
        .post(c.url("/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let first = cookie_of(&r);
    assert!(
        first.contains("HttpOnly") && first.contains("SameSite=Lax"),
        "{first}"
    );
    assert!(!first.contains("Secure"), "plain http test server");
    let token = c.csrf("/account").await;
    let r = c
        .http
        .post(c.url("/sign-in"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let second = cookie_of(&r);
    assert_ne!(first, second);
    let old_value = first.split(';').next().unwrap().to_string();
    let stale = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = stale
        .get(c.url("/account"))
        .header("cookie", old_value)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "old session id no longer works"
    );
    assert_eq!(c.get("/account").await.status(), StatusCode::OK);
    // Sessions live in the database (shared by several instances).
    assert!(app.count("sessions").await >= 1);
}

async fn personal_api_tokens(app: TestApp) {
    let email = "tokens@example.org";
    let c = app.signed_in_member(email).await;
    let r = c
        .post_form(
            "/account/tokens",
            "/account",
            &[("name", "Reporting script")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let at = html.find("id=\"new-token\">").expect("token shown once") + "id=\"new-token\">".len();
    let token = html[at..].split('<').next().unwrap().to_string();
    assert!(token.starts_with("lzt_"));
    // Stored only as a hash.
    let mut conn = app.app.db.acquire().await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1")
        .bind(&token)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    drop(conn);
    let api = Client::new(&app.base).with_token(&token);
    let (s, v) = api.api_get("/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["email"], email);
    // The page does not show it again.
    let (_, html) = c.get_text("/account").await;
    assert!(!html.contains(&token));
    // Revoke from the account page; another member cannot revoke it.
    let id = html
        .split("/account/tokens/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let intruder = app.signed_in_member("intruder@example.org").await;
    let r = intruder
        .post_form(&format!("/account/tokens/{id}/revoke"), "/account", &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.api_get("/me").await.0, StatusCode::OK);
    let r = c
        .post_form(&format!("/account/tokens/{id}/revoke"), "/account", &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(api.api_get("/me").await.0, StatusCode::UNAUTHORIZED);
    // Garbage bearer tokens are refused the same way.
    let (s, v) = Client::new(&app.base)
        .with_token("lzt_' OR 1=1 --")
        .api_get("/me")
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["type"], "/api/v1/problems/invalid-token");
}

/// Finding 5 of the probe: the sign-up form answered "an account with this email address
/// already exists", and took any number of sign-ups. Now both answers are the same (the email
/// says which), and sign-ups are limited per address and per client.
async fn sign_up_does_not_tell_who_has_an_account(app: TestApp) {
    let member = app
        .given()
        .person("member")
        .email("known@example.org")
        .await;
    let c = app.client();
    let sign_up = |email: &'static str| {
        let c = c.clone();
        async move {
            c.post_form(
                "/sign-up",
                "/sign-up",
                &[
                    ("name", "Someone Else"),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await
        }
    };
    let users_before = app.count("users").await;
    let known = sign_up("KNOWN@example.org").await;
    let new = sign_up("unknown@example.org").await;
    assert_eq!(known.status(), new.status(), "the same answer for both");
    assert_eq!(known.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&known), location(&new));
    assert_eq!(
        app.count("users").await,
        users_before + 1,
        "only the new address got an account"
    );
    // The address's owner is told, and nothing about the account changes.
    let mail = app
        .outbox_to(&member.email)
        .await
        .expect("an email to the owner");
    assert!(
        mail.subject.contains("You already have"),
        "{}",
        mail.subject
    );
    assert!(mail.body_text.contains("/sign-in") && mail.body_text.contains("/password/forgot"));
    assert!(
        !mail.body_text.contains("Someone Else"),
        "the sender's text is not in it"
    );
    Client::new(&app.base)
        .sign_in(&member.email, PASSWORD)
        .await;
    // The API says the same for both, with no id.
    for email in ["known@example.org", "unknown2@example.org"] {
        let (s, v) = c
            .api_post(
                "/accounts",
                json!({"email": email, "name": "N", "password": PASSWORD}),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{email}: {v}");
        assert_eq!(v, json!({"status": "email_sent"}), "{email}");
    }
    // Three sign-ups an hour to one address, then 429 and no more email.
    let (s, v) = c
        .api_post(
            "/accounts",
            json!({"email": "known@example.org", "name": "N", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let outbox = app.count("outbox").await;
    let (s, v) = c
        .api_post(
            "/accounts",
            json!({"email": "known@example.org", "name": "N", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_eq!(app.count("outbox").await, outbox, "no email past the limit");
    // Twenty from one client an hour (this client has made six so far).
    let mut last = StatusCode::OK;
    for n in 0..20 {
        let (s, _) = c
            .api_post(
                "/accounts",
                json!({"email": format!("many{n}@example.org"), "name": "N", "password": PASSWORD}),
            )
            .await;
        last = s;
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "the client is limited too"
    );
    // An hour later the address may sign up again.
    app.app.clock.advance(3_600_000 + 1_000);
    let (s, v) = c
        .api_post(
            "/accounts",
            json!({"email": "later@example.org", "name": "N", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
}
