//! Who may see which event (`EVENT_VISIBLE`): drafts only to their creator, organisers and
//! moderators; network events only to signed-in people; upcoming and past lists split at now.

use lz_store::events::{self, EventList, EventReader};
use lz_store::{Conn, Db};

use crate::common::{exec, organisation, user, Bind, HOUR, NOW};
use crate::on_both_databases;

on_both_databases!(events_by_status_visibility_and_organiser);

async fn event(c: &mut Conn, id: &str, visibility: &str, status: &str, starts: i64) {
    exec(
        c,
        "INSERT INTO events (id, title, format, starts_at, ends_at, capacity, organisation_id,
             visibility, status, created_by, created_at, updated_at)
         VALUES ($1, $1, 'online', $2, $3, 10, 'org', $4, $5, 'creator', $6, $6)",
        &[
            Bind::Text(id),
            Bind::Int(starts),
            Bind::Int(starts + 2 * HOUR),
            Bind::Text(visibility),
            Bind::Text(status),
            Bind::Int(NOW),
        ],
    )
    .await;
}

async fn upcoming(db: &Db, reader: EventReader<'_>) -> Vec<String> {
    let mut c = db.acquire().await.expect("connection");
    events::events(&mut c, reader, EventList::Upcoming { now: NOW }, 50)
        .await
        .expect("upcoming")
        .into_iter()
        .map(|e| e.id)
        .collect()
}

async fn sees(db: &Db, reader: EventReader<'_>, id: &str) -> bool {
    let mut c = db.acquire().await.expect("connection");
    events::event_visible(&mut c, reader, id)
        .await
        .expect("one event")
        .is_some()
}

async fn events_by_status_visibility_and_organiser(db: Db) {
    {
        let mut c = db.acquire().await.expect("connection");
        organisation(&mut c, "org", None).await;
        for u in ["creator", "organiser", "partner"] {
            user(&mut c, u).await;
        }
        event(&mut c, "public", "public", "open", NOW + HOUR).await;
        event(&mut c, "network", "network", "open", NOW + 2 * HOUR).await;
        event(&mut c, "draft", "public", "draft", NOW + 3 * HOUR).await;
        event(&mut c, "cancelled", "public", "cancelled", NOW + 4 * HOUR).await;
        event(&mut c, "past", "public", "closed", NOW - 5 * HOUR).await;
        exec(
            &mut c,
            "INSERT INTO event_organisers (event_id, user_id) VALUES ('draft', 'organiser')",
            &[],
        )
        .await;
    }
    let as_user = |id: &'static str| EventReader {
        user_id: Some(id),
        sees_everything: false,
    };
    let visitor = EventReader::default();
    let moderator = EventReader {
        user_id: Some("partner"),
        sees_everything: true,
    };
    // Soonest first; a cancelled event still shows (with its status) to those who may see it.
    assert_eq!(upcoming(&db, visitor).await, ["public", "cancelled"]);
    assert_eq!(
        upcoming(&db, as_user("partner")).await,
        ["public", "network", "cancelled"]
    );
    for who in ["creator", "organiser"] {
        assert_eq!(
            upcoming(&db, as_user(who)).await,
            ["public", "network", "draft", "cancelled"],
            "{who}"
        );
    }
    assert_eq!(
        upcoming(&db, moderator).await,
        ["public", "network", "draft", "cancelled"]
    );
    // One event by id: the same rule.
    assert!(!sees(&db, visitor, "network").await);
    assert!(sees(&db, as_user("partner"), "network").await);
    assert!(!sees(&db, as_user("partner"), "draft").await);
    assert!(sees(&db, as_user("organiser"), "draft").await);
    assert!(sees(&db, moderator, "draft").await);
    assert!(!sees(&db, visitor, "no-such-event").await);
    // Ended events are past, newest first, and never upcoming.
    let mut c = db.acquire().await.expect("connection");
    let past = events::events(&mut c, visitor, EventList::Past { now: NOW }, 50)
        .await
        .expect("past");
    assert_eq!(
        past.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["past"]
    );
}
