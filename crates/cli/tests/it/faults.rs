//! Faults of the outside world (issue 20): the SMTP server down for an hour. Mail waits in the
//! outbox, is retried with growing pauses while the server is away, and goes once — exactly
//! once — when it is back. The clock is moved, not waited on.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{free_port, postgres_url, skip, Backend, Smtp, TestApp, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_waits_while_smtp_is_down_and_goes_once_sqlite() {
    mail_waits_while_smtp_is_down_and_goes_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_waits_while_smtp_is_down_and_goes_once_postgres() {
    if postgres_url().is_none() {
        skip(
            "faults::mail_waits_while_smtp_is_down_and_goes_once_postgres",
            "LZ_TEST_POSTGRES_URL is not set, so this PostgreSQL run did not happen",
        );
        return;
    }
    mail_waits_while_smtp_is_down_and_goes_once(Backend::Postgres).await;
}

/// The outbox row of the one message to `to`: (attempts, sent).
async fn outbox_state(app: &TestApp, to: &str) -> (i64, bool) {
    let row = app.outbox_to(to).await.expect("a queued message");
    (row.attempts, row.sent_at.is_some())
}

async fn mail_waits_while_smtp_is_down_and_goes_once(backend: Backend) {
    // The SMTP server is down from the start.
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::spawn_with(backend, &[("LZ_SMTP_URL", &url)])
        .await
        .expect("app");
    let to = "patient@example.org";
    let (s, v) = app
        .client()
        .api_post(
            "/accounts",
            json!({"email": to, "name": "Pat Ient", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");

    // An hour of an unreachable server: each attempt fails and the next is put off, 30 s
    // after the first failure and twice as long after each further one. The clock is moved
    // to each next attempt; the mailer looks every five seconds.
    let mut attempts = 0;
    let mut away_ms = 0;
    while away_ms < 60 * 60 * 1000 {
        if attempts > 0 {
            let pause = 30_000 * 2i64.pow(attempts as u32 - 1);
            app.app.clock.advance(pause + 1_000);
            away_ms += pause + 1_000;
        }
        let mut seen = attempts;
        for _ in 0..80 {
            let (n, sent) = outbox_state(&app, to).await;
            assert!(!sent, "nothing can be sent while the server is down");
            seen = n;
            if n > attempts {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            seen > attempts,
            "an attempt was made when due ({attempts} so far)"
        );
        attempts = seen;
    }
    let (n, sent) = outbox_state(&app, to).await;
    assert!(!sent);
    assert!(
        (3..10).contains(&n),
        "retried with growing pauses, not given up: {n} attempts"
    );
    let row = app.outbox_to(to).await.expect("row");
    assert!(row.last_error.is_some(), "the failure is recorded");

    // The server is back: the message goes at its next attempt, once.
    let smtp = Smtp::start_on(port).await;
    app.app
        .clock
        .advance(30_000 * 2i64.pow(attempts as u32 - 1) + 1_000);
    let mail = smtp.wait_for(to).await;
    assert!(mail.contains("Confirm your email address"), "{mail}");
    // Another round of the mailer sends nothing again.
    app.app.clock.advance(60 * 60 * 1000);
    tokio::time::sleep(Duration::from_secs(6)).await;
    let copies = smtp
        .messages()
        .iter()
        .filter(|m| {
            m.lines()
                .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to))
        })
        .count();
    assert_eq!(copies, 1, "delivered exactly once");
    let (_, sent) = outbox_state(&app, to).await;
    assert!(sent);
}
