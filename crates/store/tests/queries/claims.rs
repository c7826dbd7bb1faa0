//! The conditional updates that let exactly one worker take a job: an outbox message, an
//! attachment's text extraction, an event's reminder; the throttle's upsert; and the event
//! lock that makes registrations for one event decide one at a time.

use std::time::Duration;

use lz_store::{events, library, outbox, security, Db};

use crate::common::{exec, organisation, user, Bind, HOUR, NOW};
use crate::on_both_databases;

on_both_databases!(
    an_outbox_message_is_claimed_once,
    extraction_claims_expire,
    reminders_and_follow_ups_are_claimed_once,
    throttle_counts_upsert_and_clear,
    the_event_lock_waits_for_the_holder
);

async fn an_outbox_message_is_claimed_once(db: Db) {
    {
        let mut c = db.acquire().await.expect("connection");
        outbox::insert(&mut c, "m1", "a@example.org", "Hello", "Body", NOW)
            .await
            .expect("queue");
        outbox::insert(
            &mut c,
            "later",
            "b@example.org",
            "Later",
            "Body",
            NOW + HOUR,
        )
        .await
        .expect("queue");
        let due = outbox::due(&mut c, NOW, 10).await.expect("due");
        assert_eq!(
            due.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ["m1"]
        );
    }
    // Eight workers at once: one wins.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut c = db.acquire().await.expect("connection");
                outbox::claim(&mut c, "m1", NOW, NOW + 60_000)
                    .await
                    .expect("claim")
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.expect("task"));
    }
    assert_eq!(won, 1, "exactly one worker claims the message");
    let mut c = db.acquire().await.expect("connection");
    assert!(
        outbox::due(&mut c, NOW + 1, 10)
            .await
            .expect("due")
            .is_empty(),
        "claimed is not due"
    );
    // A claim that ran out (a crashed worker) is taken again; a sent message never.
    assert!(outbox::due(&mut c, NOW + 60_001, 10)
        .await
        .expect("due")
        .iter()
        .any(|m| m.id == "m1"));
    assert!(outbox::claim(&mut c, "m1", NOW + 60_001, NOW + 120_000)
        .await
        .expect("claim"));
    outbox::mark_sent(&mut c, "m1", NOW + 60_002)
        .await
        .expect("sent");
    assert!(!outbox::claim(&mut c, "m1", NOW + 999_999, NOW + 2_000_000)
        .await
        .expect("claim"));
    // A failure frees the claim and waits until the retry time; ten attempts end it.
    assert!(outbox::claim(&mut c, "later", NOW + HOUR, NOW + HOUR + 1)
        .await
        .expect("claim"));
    outbox::mark_failed(&mut c, "later", "refused", NOW + 2 * HOUR)
        .await
        .expect("failed");
    assert!(outbox::due(&mut c, NOW + HOUR + 2, 10)
        .await
        .expect("due")
        .is_empty());
    assert_eq!(
        outbox::due(&mut c, NOW + 2 * HOUR, 10)
            .await
            .expect("due")
            .len(),
        1
    );
    exec(
        &mut c,
        "UPDATE outbox SET attempts = 10 WHERE id = 'later'",
        &[],
    )
    .await;
    assert!(outbox::due(&mut c, NOW + 3 * HOUR, 10)
        .await
        .expect("due")
        .is_empty());
}

async fn extraction_claims_expire(db: Db) {
    let mut c = db.acquire().await.expect("connection");
    organisation(&mut c, "org", None).await;
    user(&mut c, "author").await;
    exec(
        &mut c,
        "INSERT INTO items (id, kind, title, organisation_id, visibility, status, created_by, created_at, updated_at)
         VALUES ('item', 'case_study', 'Item', 'org', 'public', 'draft', 'author', $1, $1)",
        &[Bind::Int(NOW)],
    )
    .await;
    for (id, status, n) in [
        ("first", "pending", 1),
        ("second", "pending", 2),
        ("done", "done", 0),
    ] {
        exec(
            &mut c,
            "INSERT INTO attachments (id, item_id, storage_key, file_name, kind, size_bytes, text_status, created_at)
             VALUES ($1, 'item', $1, $1, 'pdf', 10, $2, $3)",
            &[Bind::Text(id), Bind::Text(status), Bind::Int(NOW + n)],
        )
        .await;
    }
    let until = NOW + 60_000;
    assert_eq!(claim(&mut c, NOW, until).await.as_deref(), Some("first"));
    assert_eq!(claim(&mut c, NOW, until).await.as_deref(), Some("second"));
    assert_eq!(
        claim(&mut c, NOW, until).await,
        None,
        "both held, the done one never"
    );
    // After the claims run out, the oldest is taken again.
    assert_eq!(
        claim(&mut c, until + 1, until + 60_000).await.as_deref(),
        Some("first")
    );
}

async fn claim(c: &mut lz_store::Conn, now: i64, until: i64) -> Option<String> {
    library::claim_extraction(c, now, until)
        .await
        .expect("claim")
        .map(|a| a.id)
}

async fn reminders_and_follow_ups_are_claimed_once(db: Db) {
    let mut c = db.acquire().await.expect("connection");
    organisation(&mut c, "org", None).await;
    user(&mut c, "creator").await;
    exec(
        &mut c,
        "INSERT INTO events (id, title, format, starts_at, ends_at, capacity, organisation_id,
             visibility, status, created_by, created_at, updated_at)
         VALUES ('event', 'Event', 'online', $1, $1, 10, 'org', 'public', 'open', 'creator', $1, $1)",
        &[Bind::Int(NOW)],
    )
    .await;
    exec(
        &mut c,
        "INSERT INTO registrations (id, event_id, name, email, email_key, status, created_at, updated_at)
         VALUES ('reg', 'event', 'Guest', 'g@example.org', 'g@example.org', 'registered', $1, $1)",
        &[Bind::Int(NOW)],
    )
    .await;
    assert!(events::claim_mail(&mut c, "reg", false, NOW)
        .await
        .expect("claim"));
    assert!(!events::claim_mail(&mut c, "reg", false, NOW + 1)
        .await
        .expect("claim"));
    // The follow-up is its own claim.
    assert!(events::claim_mail(&mut c, "reg", true, NOW)
        .await
        .expect("claim"));
    assert!(!events::claim_mail(&mut c, "reg", true, NOW + 1)
        .await
        .expect("claim"));
    // The event moved: the reminder goes again, once; the follow-up does not.
    events::reset_reminders(&mut c, "event")
        .await
        .expect("reset");
    assert!(events::claim_mail(&mut c, "reg", false, NOW + 2)
        .await
        .expect("claim"));
    assert!(!events::claim_mail(&mut c, "reg", false, NOW + 3)
        .await
        .expect("claim"));
    assert!(!events::claim_mail(&mut c, "reg", true, NOW + 3)
        .await
        .expect("claim"));
}

async fn throttle_counts_upsert_and_clear(db: Db) {
    let mut c = db.acquire().await.expect("connection");
    assert!(security::throttle(&mut c, "ip:1")
        .await
        .expect("read")
        .is_none());
    let row = |failures, locked_until| security::ThrottleRow {
        window_start: NOW,
        failures,
        locked_until,
    };
    security::put_throttle(&mut c, "ip:1", &row(1, None))
        .await
        .expect("put");
    security::put_throttle(&mut c, "ip:1", &row(5, Some(NOW + HOUR)))
        .await
        .expect("put again");
    security::put_throttle(&mut c, "ip:2", &row(1, None))
        .await
        .expect("put other");
    let t = security::throttle(&mut c, "ip:1")
        .await
        .expect("read")
        .expect("a row");
    assert_eq!(
        (t.window_start, t.failures, t.locked_until),
        (NOW, 5, Some(NOW + HOUR))
    );
    security::put_throttle(&mut c, "ip:1", &row(0, None))
        .await
        .expect("unlock");
    let t = security::throttle(&mut c, "ip:1")
        .await
        .expect("read")
        .expect("a row");
    assert_eq!(
        (t.failures, t.locked_until),
        (0, None),
        "the lock is lifted, not kept"
    );
    security::clear_throttle(&mut c, "ip:1")
        .await
        .expect("clear");
    assert!(security::throttle(&mut c, "ip:1")
        .await
        .expect("read")
        .is_none());
    assert!(
        security::throttle(&mut c, "ip:2")
            .await
            .expect("read")
            .is_some(),
        "others stay"
    );
}

async fn the_event_lock_waits_for_the_holder(db: Db) {
    {
        let mut c = db.acquire().await.expect("connection");
        organisation(&mut c, "org", None).await;
        user(&mut c, "creator").await;
        exec(
            &mut c,
            "INSERT INTO events (id, title, format, starts_at, ends_at, capacity, organisation_id,
                 visibility, status, created_by, created_at, updated_at)
             VALUES ('event', 'Event', 'online', $1, $1, 10, 'org', 'public', 'open', 'creator', $1, $1)",
            &[Bind::Int(NOW)],
        )
        .await;
    }
    let mut holder = db.begin().await.expect("begin");
    assert!(events::lock_event(&mut holder, "event")
        .await
        .expect("lock"));
    assert!(!events::lock_event(&mut holder, "no-such-event")
        .await
        .expect("lock"));
    let other = db.clone();
    let waiter = tokio::spawn(async move {
        let mut tx = other.begin().await.expect("begin");
        let locked = events::lock_event(&mut tx, "event").await.expect("lock");
        tx.commit().await.expect("commit");
        locked
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiter.is_finished(),
        "a second transaction waits for the lock"
    );
    holder.commit().await.expect("commit");
    let locked = tokio::time::timeout(Duration::from_secs(10), waiter)
        .await
        .expect("the waiter goes on once the holder commits")
        .expect("task");
    assert!(locked);
}
