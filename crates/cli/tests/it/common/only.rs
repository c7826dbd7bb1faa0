//! The permission table: `assert_only(&app, "what", &[roles allowed], |caller| request)` runs
//! one request as a signed-out visitor and as a person of every role, and checks that the
//! allowed roles get through while everybody else is refused (401 from the API or the
//! redirect to sign in for pages when signed out, 403 when signed in) and that a refused
//! attempt changes nothing (no audit entry).
//!
//! The people are made by `given()` once per app and reused, so that a table of twenty routes
//! costs seven sign-ins, not a hundred and forty.

use std::future::Future;

use reqwest::StatusCode;
use serde_json::Value;

use super::{Client, Org, TestApp, ROLES};

/// Who a request runs as: `role` is None for a signed-out visitor, whose clients hold no
/// session and no token.
#[derive(Clone)]
pub struct Caller {
    pub role: Option<String>,
    pub api: Client,
    pub browser: Client,
}

impl Caller {
    pub fn is(&self, role: &str) -> bool {
        self.role.as_deref() == Some(role)
    }
}

/// An answer to check: the status and, from the API, the JSON body. Page requests give
/// `Value::Null` as the body (`page(response)`), which allows a redirect as success.
pub type Answer = (StatusCode, Value);

/// A page response as an `Answer`.
pub fn page(status: StatusCode) -> Answer {
    (status, Value::Null)
}

/// Only `allowed` (role codes; "signed_out" for visitors) get through `request`.
pub async fn assert_only<F, Fut>(app: &TestApp, what: &str, allowed: &[&str], request: F)
where
    F: Fn(Caller) -> Fut,
    Fut: Future<Output = Answer>,
{
    check(app, None, what, allowed, request).await
}

/// As `assert_only`, with every signed-in caller an active member of `org`.
pub async fn assert_only_members<F, Fut>(
    app: &TestApp,
    org: &Org,
    what: &str,
    allowed: &[&str],
    request: F,
) where
    F: Fn(Caller) -> Fut,
    Fut: Future<Output = Answer>,
{
    check(app, Some(org), what, allowed, request).await
}

/// A signed-out visitor, then one person of each role.
pub async fn callers(app: &TestApp, org: Option<&Org>) -> Vec<Caller> {
    let mut all = vec![Caller {
        role: None,
        api: app.client(),
        browser: app.client(),
    }];
    for role in ROLES {
        all.push(caller(app, role, org).await);
    }
    all
}

async fn caller(app: &TestApp, role: &str, org: Option<&Org>) -> Caller {
    let key = (
        role.to_string(),
        org.map(|o| o.id.clone()).unwrap_or_default(),
    );
    let mut made = app.built.callers.lock().await;
    if let Some(c) = made.get(&key) {
        return c.clone();
    }
    let mut person = app.given().person(role);
    if let Some(org) = org {
        person = person.member_of(org);
    }
    let person = person.await;
    let c = Caller {
        role: Some(role.to_string()),
        api: person.api().await,
        browser: person.browser().await,
    };
    made.insert(key, c.clone());
    c
}

async fn check<F, Fut>(app: &TestApp, org: Option<&Org>, what: &str, allowed: &[&str], request: F)
where
    F: Fn(Caller) -> Fut,
    Fut: Future<Output = Answer>,
{
    for caller in callers(app, org).await {
        let role = caller.role.clone().unwrap_or_else(|| "signed_out".into());
        let label = format!("{what} as {role}");
        let before = app.count("audit_log").await;
        let (status, body) = request(caller).await;
        let from_page = body.is_null();
        if allowed.contains(&role.as_str()) {
            let through = status.is_success() || (from_page && status.is_redirection());
            assert!(through, "{label} is allowed: {status} {body}");
            continue;
        }
        if role == "signed_out" && from_page {
            assert_eq!(status, StatusCode::SEE_OTHER, "{label} sends to sign in");
        } else if role == "signed_out" {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{label}: {body}");
            assert_eq!(body["status"], 401, "{label}: {body}");
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{label}: {body}");
            if !from_page {
                assert_eq!(body["type"], "/api/v1/problems/forbidden", "{label}");
            }
        }
        assert_eq!(
            app.count("audit_log").await,
            before,
            "{label} changed nothing"
        );
    }
}
