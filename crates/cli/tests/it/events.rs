//! Learning events: series and events, registration and the waiting list (also under 200
//! concurrent requests), guests, calendars read by an independent parser, reminders across a
//! restart, attendance, feedback, the report, materials, personal-data clean-up, permissions
//! and hostile input; on both databases.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{python_reads, Client, TestApp};
use crate::on_both_databases;

const DAY_MS: i64 = 86_400_000;

on_both_databases!(
    organiser_runs_an_event_from_creation_to_report,
    calendars_parse_with_correct_utc_times,
    two_hundred_concurrent_registrations_for_fifty_places,
    reminders_and_follow_ups_go_once_across_a_restart,
    guests_register_by_email_and_cancel_by_link,
    a_pending_guest_registration_never_blocks_the_addresss_owner,
    the_guest_form_cannot_flood_a_mailbox,
    bad_event_input_changes_nothing,
    event_visibility_and_organiser_rights,
    personal_answers_are_deleted_after_the_event,
);

/// The UK calendar date `days` from the app's now, as "YYYY-MM-DD".
fn date_in(app: &TestApp, days: i64) -> String {
    let t = jiff::Timestamp::from_second((app.app.now() + days * DAY_MS) / 1000)
        .expect("time")
        .to_zoned(jiff::tz::TimeZone::UTC);
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

fn next_year(app: &TestApp) -> i32 {
    let now = jiff::Timestamp::from_second(app.app.now() / 1000).expect("time");
    i32::from(now.to_zoned(jiff::tz::TimeZone::UTC).year()) + 1
}

fn event_body(org: &str, title: &str, date: &str, capacity: i64, extra: Value) -> Value {
    let mut b = json!({
        "title": title,
        "summary": "Places share what works.",
        "format": "in_person",
        "venue": "Preston Guild Hall",
        "start_date": date,
        "start_time": "10:00",
        "end_time": "12:30",
        "capacity": capacity,
        "organisation_id": org,
        "visibility": "network",
        "status": "open",
        "ask_access": true,
        "ask_dietary": true,
    });
    if let (Some(o), Some(e)) = (b.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    b
}

async fn create_event(api: &Client, body: Value) -> String {
    let (s, v) = api.api_post("/events", body).await;
    assert_eq!(s, StatusCode::CREATED, "create event: {v}");
    v["id"].as_str().expect("id").to_string()
}

async fn registrations(api: &Client, event: &str) -> Vec<Value> {
    let (s, v) = api.api_get(&format!("/events/{event}/registrations")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().expect("list").clone()
}

fn count_status(regs: &[Value], status: &str) -> usize {
    regs.iter().filter(|r| r["status"] == status).count()
}

async fn mails(app: &TestApp, to: &str, subject_like: &str) -> i64 {
    let mut c = app.app.db.acquire().await.expect("db");
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE to_addr = $1 AND subject LIKE $2")
        .bind(to)
        .bind(subject_like)
        .fetch_one(&mut *c)
        .await
        .expect("count")
}

async fn organiser_runs_an_event_from_creation_to_report(app: TestApp) {
    // Given: a network admin organising for Active Lancashire, a theme; an organisation admin
    // at Chorley Council and a contributor at Blackpool Council register.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let chorley = given.organisation("chorley-council").await;
    let council = given.organisation("blackpool-council").await;
    let organiser = given.person("network_admin").member_of(&lancashire).await;
    let chorley_person = given.person("org_admin").member_of(&chorley).await;
    let blackpool_person = given.person("contributor").member_of(&council).await;
    let theme = given.term("theme", "Enabling active environments").await;
    let (chorley_email, blackpool_email) = (&chorley_person.email, &blackpool_person.email);
    let admin = organiser.browser().await;
    let api = organiser.api().await;
    let org = lancashire.id.clone();

    // A series and an event through the HTML forms.
    let r = admin
        .post_form(
            "/events/series/new",
            "/events/series/new",
            &[
                ("title", "Learning series 2027"),
                ("purpose", "Three events on shared priorities."),
                ("organisation_id", &org),
                ("terms", &theme),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let series_page = crate::common::location(&r);
    let series = series_page
        .trim_start_matches("/events/series/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let date = date_in(&app, 10);
    let r = admin
        .post_form(
            "/events/new",
            "/events/new",
            &[
                ("series_id", &series),
                ("title", "Enabling active environments"),
                ("summary", "Planning, streets and parks."),
                ("format", "hybrid"),
                ("venue", "Preston Guild Hall"),
                ("joining_link", "https://meet.example.org/secret-room"),
                ("start_date", &date),
                ("start_time", "10:00"),
                ("end_time", "12:00"),
                ("capacity", "1"),
                ("organisation_id", &org),
                ("visibility", "network"),
                ("status", "open"),
                ("terms", &theme),
                ("ask_access", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let loc = crate::common::location(&r);
    let event = loc
        .trim_start_matches("/events/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (_, html) = admin.get_text(&series_page).await;
    assert!(
        html.contains("Enabling active environments"),
        "series lists its event"
    );

    // The first partner registers in one step; the confirmation carries the calendar file.
    let first = chorley_person.browser().await;
    let (_, html) = first.get_text(&format!("/events/{event}")).await;
    assert!(
        !html.contains("secret-room"),
        "joining link hidden before registering"
    );
    let r = first
        .post_form(
            &format!("/events/{event}/register"),
            &format!("/events/{event}"),
            &[("access_needs", "Step-free access please")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The confirmation is shown once, on the page the person is sent to, not in its address.
    assert_eq!(crate::common::location(&r), format!("/events/{event}"));
    let (_, html) = first.get_text(&format!("/events/{event}")).await;
    assert!(html.contains("govuk-notification-banner"), "{html}");
    let (_, again) = first.get_text(&format!("/events/{event}")).await;
    assert!(!again.contains("govuk-notification-banner"), "shown once");
    let mail = app.outbox_to(chorley_email).await.expect("confirmation");
    assert!(
        mail.subject.starts_with("You are registered"),
        "{}",
        mail.subject
    );
    assert_eq!(mail.attachment_name.as_deref(), Some("invite.ics"));
    let ics = mail.attachment_body.clone().unwrap_or_default();
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("secret-room"));
    let (_, html) = first.get_text(&format!("/events/{event}")).await;
    assert!(
        html.contains("secret-room"),
        "joining link shown once registered"
    );
    let (_, list) = first.get_text("/events").await;
    let mine = list
        .split("Your registrations")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_default()
        .to_string();
    assert!(
        mine.contains("Enabling active environments") && mine.contains("Registered"),
        "the events page lists the person's registration: {mine}"
    );
    // Registering twice is refused.
    let r = first
        .post_form(
            &format!("/events/{event}/register"),
            &format!("/events/{event}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // The event is full: the second partner joins the waiting list.
    let second = blackpool_person.browser().await;
    let (_, html) = second.get_text(&format!("/events/{event}")).await;
    assert!(html.contains("Join the waiting list"));
    let r = second
        .post_form(
            &format!("/events/{event}/register"),
            &format!("/events/{event}"),
            &[],
        )
        .await;
    assert_eq!(crate::common::location(&r), format!("/events/{event}"));
    let (_, html) = second.get_text(&format!("/events/{event}")).await;
    assert!(html.contains("govuk-notification-banner"), "{html}");
    assert_eq!(mails(&app, blackpool_email, "Waiting list:%").await, 1);

    // The first cancels; the second is promoted and emailed with the calendar file.
    let regs = registrations(&api, &event).await;
    let first_reg = regs
        .iter()
        .find(|r| r["email"] == chorley_email.as_str())
        .expect("first")["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Someone else's registration cannot be cancelled by them.
    let r = second
        .post_form(
            &format!("/registrations/{first_reg}/cancel"),
            &format!("/events/{event}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = first
        .post_form(
            &format!("/registrations/{first_reg}/cancel"),
            &format!("/events/{event}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let promoted = app.outbox_to(blackpool_email).await.expect("promotion");
    assert!(
        promoted.subject.starts_with("A place is free"),
        "{}",
        promoted.subject
    );
    assert_eq!(promoted.attachment_name.as_deref(), Some("invite.ics"));
    let regs = registrations(&api, &event).await;
    assert_eq!(count_status(&regs, "registered"), 1);
    assert_eq!(count_status(&regs, "waiting"), 0);
    assert_eq!(count_status(&regs, "cancelled"), 1);
    let second_reg = regs
        .iter()
        .find(|r| r["email"] == blackpool_email.as_str())
        .expect("second")["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Feedback waits for the event; then the organiser marks attendance from the register.
    let r = second
        .post_form(
            &format!("/events/{event}/feedback"),
            &format!("/events/{event}"),
            &[("rating", "5")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "not before the event");
    app.app.clock.advance(10 * DAY_MS + 3 * 3_600_000);
    // Sessions end after a day without use: sign in again on the day.
    let admin = organiser.browser().await;
    let second = blackpool_person.browser().await;
    let (_, html) = admin
        .get_text(&format!("/events/{event}/registrations"))
        .await;
    assert!(html.contains(blackpool_email.as_str()));
    let r = admin
        .post_form(
            &format!("/events/{event}/attendance"),
            &format!("/events/{event}/registrations"),
            &[(&format!("a_{second_reg}"), "yes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A cancelled registration cannot be marked: nothing changes.
    let r = admin
        .post_form(
            &format!("/events/{event}/attendance"),
            &format!("/events/{event}/registrations"),
            &[
                (&format!("a_{second_reg}"), "no"),
                (&format!("a_{first_reg}"), "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let regs = registrations(&api, &event).await;
    let second_row = regs
        .iter()
        .find(|r| r["email"] == blackpool_email.as_str())
        .expect("the second person's registration");
    assert_eq!(
        second_row["attended"], true,
        "unchanged by the refused form"
    );

    // The attendee gives feedback once.
    let (s, html) = second.get_text(&format!("/events/{event}/feedback")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("How useful was the event?"));
    let r = second
        .post_form(
            &format!("/events/{event}/feedback"),
            &format!("/events/{event}/feedback"),
            &[("rating", "9")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = second
        .post_form(
            &format!("/events/{event}/feedback"),
            &format!("/events/{event}/feedback"),
            &[
                ("rating", "4"),
                ("do_differently", "Talk to our planners"),
                ("topics_next", "Active travel"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let api2 = blackpool_person.api().await;
    let (s, _) = api2
        .api_post(&format!("/events/{event}/feedback"), json!({"rating": 5}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "feedback once");

    // The report: registrations, attendance by place and organisation, feedback.
    let (s, html) = admin.get_text(&format!("/events/{event}/report")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Blackpool Council"));
    assert!(html.contains("Talk to our planners"));
    let (_, rep) = api.api_get(&format!("/events/{event}/report")).await;
    assert_eq!(rep["registered"], 1);
    assert_eq!(rep["attended"], 1);
    assert_eq!(rep["cancelled"], 1);
    assert_eq!(rep["feedback_count"], 1);
    assert_eq!(rep["average_rating"], 4.0);
    assert_eq!(rep["by_organisation"][0]["name"], "Blackpool Council");

    // CSV export for organisers only.
    let r = admin
        .get(&format!("/events/{event}/registrations.csv"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    // UTF-8 with a byte-order mark (Excel then keeps accents and "£"), then the header.
    assert!(csv.starts_with("\u{feff}Name,Email"));
    assert!(csv.contains(blackpool_email.as_str()));
    assert_eq!(
        second
            .get(&format!("/events/{event}/registrations.csv"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // The organiser publishes the slides into the library.
    let pdf = lz_files::samples::pdf("Slides", &["Active environments slides: planning wording"]);
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", admin.csrf(&format!("/events/{event}")).await)
        .text("title", "Slides: enabling active environments")
        .text("links", "https://video.example.org/recording Recording")
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf).file_name("slides.pdf"),
        );
    let r = admin
        .http
        .post(admin.url(&format!("/events/{event}/materials")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (_, html) = second.get_text(&format!("/events/{event}")).await;
    let item = html
        .split("href=\"/library/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("material link")
        .to_string();
    let (_, v) = api.api_get(&format!("/items/{item}")).await;
    assert_eq!(v["kind"], "event_material");
    assert_eq!(v["status"], "published");
    let (_, html) = second.get_text(&format!("/library/{item}")).await;
    assert!(html.contains("From the event"));
}

/// Parses iCalendar text with Python's `icalendar` package; one line per event:
/// "SUMMARY|start UTC|end UTC|SEQUENCE|STATUS".
fn parse_ics(ics: &str) -> Vec<String> {
    let dir = crate::common::temp_dir("ics");
    let file = dir.join("cal.ics");
    std::fs::write(&file, ics).expect("write ics");
    let script = r#"
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
utc = datetime.timezone.utc
for ev in cal.walk('VEVENT'):
    s = ev.decoded('DTSTART').astimezone(utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    e = ev.decoded('DTEND').astimezone(utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    print('|'.join([str(ev.get('SUMMARY')), s, e, str(ev.get('SEQUENCE')), str(ev.get('STATUS'))]))
"#;
    let out = python_reads("icalendar", "icalendar", script, &file);
    let _ = std::fs::remove_dir_all(dir);
    out.lines().map(str::to_string).collect()
}

async fn calendars_parse_with_correct_utc_times(app: TestApp) {
    // Given: a network admin organising for Active Lancashire; an organisation admin at Chorley and a contributor at Blackpool register.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let chorley = given.organisation("chorley-council").await;
    let chorley_person = given.person("org_admin").member_of(&chorley).await;
    let council = given.organisation("blackpool-council").await;
    let blackpool_person = given.person("contributor").member_of(&council).await;
    let chorley_email = chorley_person.email.as_str();
    let blackpool_email = blackpool_person.email.as_str();
    let api = admin_person.api().await;
    let org = lancashire.id.clone();
    let y = next_year(&app);
    // 10:00 UK time is 09:00 UTC in British Summer Time and 10:00 UTC in winter.
    let summer = create_event(
        &api,
        event_body(
            &org,
            "Summer, in BST; with commas",
            &format!("{y}-07-15"),
            20,
            json!({"visibility": "public"}),
        ),
    )
    .await;
    let winter = create_event(
        &api,
        event_body(
            &org,
            "Winter in GMT",
            &format!("{y}-01-20"),
            20,
            json!({"visibility": "public"}),
        ),
    )
    .await;
    let anyone = app.client();
    let r = anyone.get(&format!("/events/{summer}/calendar.ics")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let one = parse_ics(&r.text().await.unwrap());
    assert_eq!(
        one,
        vec![format!(
            "Summer, in BST; with commas|{y}-07-15T09:00:00Z|{y}-07-15T11:30:00Z|0|CONFIRMED"
        )]
    );
    let (_, feed) = anyone.get_text("/events.ics").await;
    let lines = parse_ics(&feed);
    assert!(
        lines.contains(&format!(
            "Winter in GMT|{y}-01-20T10:00:00Z|{y}-01-20T12:30:00Z|0|CONFIRMED"
        )),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("Summer, in BST")));

    // A change raises SEQUENCE and sends registrants the updated calendar file; a
    // cancellation says CANCELLED with a higher SEQUENCE.
    let member = app
        .client()
        .api_sign_in(chorley_email, crate::common::PASSWORD)
        .await;
    let (s, _) = member
        .api_post(&format!("/events/{winter}/registrations"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/events/{winter}"),
            event_body(
                &org,
                "Winter in GMT",
                &format!("{y}-01-20"),
                25,
                json!({"visibility": "public", "start_time": "11:00", "end_time": "13:00"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, ics) = anyone
        .get_text(&format!("/events/{winter}/calendar.ics"))
        .await;
    assert_eq!(
        parse_ics(&ics),
        vec![format!(
            "Winter in GMT|{y}-01-20T11:00:00Z|{y}-01-20T13:00:00Z|1|CONFIRMED"
        )]
    );
    let changed = app.outbox_to(chorley_email).await.expect("change email");
    assert!(
        changed.subject.starts_with("Changed:"),
        "{}",
        changed.subject
    );
    assert_eq!(
        parse_ics(&changed.attachment_body.unwrap_or_default()),
        vec![format!(
            "Winter in GMT|{y}-01-20T11:00:00Z|{y}-01-20T13:00:00Z|1|CONFIRMED"
        )]
    );
    let (s, _) = api
        .api_post(&format!("/events/{winter}/cancel"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, ics) = anyone
        .get_text(&format!("/events/{winter}/calendar.ics"))
        .await;
    assert_eq!(
        parse_ics(&ics),
        vec![format!(
            "Winter in GMT|{y}-01-20T11:00:00Z|{y}-01-20T13:00:00Z|2|CANCELLED"
        )]
    );
    // The registrant's email carries a METHOD:CANCEL calendar file.
    let mail = app
        .outbox_to(chorley_email)
        .await
        .expect("cancellation email");
    assert!(mail.subject.starts_with("Cancelled:"));
    let body = mail.attachment_body.unwrap_or_default();
    assert!(body.contains("METHOD:CANCEL"));
    assert_eq!(parse_ics(&body)[0].rsplit('|').next(), Some("CANCELLED"));
    // Registering for a cancelled event is refused.
    let other = app
        .client()
        .api_sign_in(blackpool_email, crate::common::PASSWORD)
        .await;
    let (s, v) = other
        .api_post(&format!("/events/{winter}/registrations"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("cancelled"));
}

async fn two_hundred_concurrent_registrations_for_fifty_places(app: TestApp) {
    // Given: a network admin of Active Lancashire.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let api = app
        .client()
        .api_sign_in(admin_person.email.as_str(), crate::common::PASSWORD)
        .await;
    let org = lancashire.id.clone();
    let event = create_event(
        &api,
        event_body(&org, "Popular event", &date_in(&app, 20), 50, json!({})),
    )
    .await;
    let mut callers = vec![];
    for i in 0..200 {
        let email = format!("person{i}@example.org");
        app.app
            .create_user_direct(
                &email,
                &format!("Person {i}"),
                crate::common::PASSWORD,
                lz_domain::Role::Member,
            )
            .await
            .expect("user");
        let token = app
            .app
            .create_api_token_for_email(&email, "load")
            .await
            .expect("token");
        callers.push(app.client().with_token(&token));
    }
    let path = format!("/events/{event}/registrations");
    let tasks: Vec<_> = callers
        .into_iter()
        .map(|c| {
            let path = path.clone();
            tokio::spawn(async move { c.api_post(&path, json!({})).await })
        })
        .collect();
    let mut registered = 0;
    let mut waiting = 0;
    for t in tasks {
        let (s, v) = t.await.expect("task");
        assert_eq!(s, StatusCode::CREATED, "{v}");
        match v["status"].as_str() {
            Some("registered") => registered += 1,
            Some("waiting") => waiting += 1,
            other => panic!("status {other:?}"),
        }
    }
    assert_eq!((registered, waiting), (50, 150));
    let regs = registrations(&api, &event).await;
    assert_eq!(count_status(&regs, "registered"), 50);
    assert_eq!(count_status(&regs, "waiting"), 150);
}

async fn reminders_and_follow_ups_go_once_across_a_restart(app: TestApp) {
    // Given: a network admin organising for Active Lancashire; an organisation admin at Chorley and a contributor at Blackpool register.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let chorley = given.organisation("chorley-council").await;
    let chorley_person = given.person("org_admin").member_of(&chorley).await;
    let council = given.organisation("blackpool-council").await;
    let blackpool_person = given.person("contributor").member_of(&council).await;
    let chorley_email = chorley_person.email.as_str();
    let blackpool_email = blackpool_person.email.as_str();
    let api = admin_person.api().await;
    let org = lancashire.id.clone();
    let event = create_event(
        &api,
        event_body(&org, "Reminder test", &date_in(&app, 5), 10, json!({})),
    )
    .await;
    for who in [chorley_email, blackpool_email] {
        let c = app.client().api_sign_in(who, crate::common::PASSWORD).await;
        let (s, _) = c
            .api_post(&format!("/events/{event}/registrations"), json!({}))
            .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    // Blackpool cancels: no reminder for a cancelled registration.
    let regs = registrations(&api, &event).await;
    let bp = regs.iter().find(|r| r["email"] == blackpool_email).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let c = app
        .client()
        .api_sign_in(blackpool_email, crate::common::PASSWORD)
        .await;
    let (s, _) = c
        .api_send(Method::DELETE, &format!("/registrations/{bp}"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(app.app.send_event_mail().await.unwrap(), 0, "not due yet");

    // "Restart": a second instance over the same database, both with the clock 4 days on.
    let restarted = lz_app::App::open((*app.app.config).clone()).await.unwrap();
    app.app.clock.advance(4 * DAY_MS);
    restarted.clock.advance(4 * DAY_MS);
    assert_eq!(restarted.send_event_mail().await.unwrap(), 1);
    assert_eq!(app.app.send_event_mail().await.unwrap(), 0, "not twice");
    restarted.run_due_jobs().await;
    assert_eq!(mails(&app, chorley_email, "Reminder:%").await, 1);
    assert_eq!(mails(&app, blackpool_email, "Reminder:%").await, 0);
    let reminder = app.outbox_to(chorley_email).await.unwrap();
    assert_eq!(reminder.attachment_name.as_deref(), Some("invite.ics"));

    // After the event: one follow-up with the feedback form.
    app.app.clock.advance(2 * DAY_MS);
    restarted.clock.advance(2 * DAY_MS);
    app.app.run_due_jobs().await;
    restarted.run_due_jobs().await;
    assert_eq!(
        mails(&app, chorley_email, "Thank you for joining%").await,
        1
    );
    assert_eq!(
        mails(&app, blackpool_email, "Thank you for joining%").await,
        0
    );
    let follow = app.outbox_to(chorley_email).await.unwrap();
    assert!(follow
        .body_text
        .contains(&format!("/events/{event}/feedback")));
}

/// The probe's finding: a visitor typed a member's address on the guest form, and the
/// unconfirmed registration then blocked the member. Signing in to register replaces it.
async fn a_pending_guest_registration_never_blocks_the_addresss_owner(app: TestApp) {
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let api = given
        .person("network_admin")
        .member_of(&lancashire)
        .await
        .api()
        .await;
    let event = create_event(
        &api,
        event_body(
            &lancashire.id,
            "Open session",
            &date_in(&app, 12),
            5,
            json!({"visibility": "public", "allow_guests": true}),
        ),
    )
    .await;
    let member = given.person("member").member_of(&lancashire).await;
    let stranger = app.client();
    let r = stranger
        .post_form(
            &format!("/events/{event}/guest"),
            &format!("/events/{event}"),
            &[("name", "Someone Else"), ("email", member.email.as_str())],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the guest form takes any address"
    );
    let link = app
        .link_from_email(&member.email, "/events/registration")
        .await;
    let path = link.trim_start_matches(&app.base).to_string();
    // The member signs in and registers: the pending registration does not stand in the way.
    let browser = member.browser().await;
    let r = browser
        .post_form(
            &format!("/events/{event}/register"),
            &format!("/events/{event}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the owner registers");
    assert_eq!(crate::common::location(&r), format!("/events/{event}"));
    let (_, html) = browser.get_text(&format!("/events/{event}")).await;
    assert!(
        html.contains("govuk-notification-banner"),
        "registered: {html}"
    );
    let (_, html) = browser.get_text("/events").await;
    let mine = html.split("Your registrations").nth(1).unwrap_or_default();
    assert!(
        mine.contains(&format!("/events/{event}")) && mine.contains("Registered"),
        "listed as theirs, registered: {html}"
    );
    // The stranger's link no longer confirms anything: its page offers no confirmation.
    let (_, html) = stranger.get_text(&path).await;
    assert!(
        !html.contains("Waiting for email confirmation")
            && !html.contains("/events/registration/confirm"),
        "the replaced registration cannot be confirmed: {html}"
    );
}

/// The probe's finding: 200 posts of the guest form queued 200 emails to one address, each
/// opening with a name the sender chose. Now: at most 3 an hour to an address, 20 an hour
/// from a client, and the sender's text is not in the email's first lines.
async fn the_guest_form_cannot_flood_a_mailbox(app: TestApp) {
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let api = given
        .person("network_admin")
        .member_of(&lancashire)
        .await
        .api()
        .await;
    let event = create_event(
        &api,
        event_body(
            &lancashire.id,
            "Open session",
            &date_in(&app, 12),
            50,
            json!({"visibility": "public", "allow_guests": true}),
        ),
    )
    .await;
    let target = "victim@example.org";
    let sender = app.client();
    let page = format!("/events/{event}");
    let action = format!("/events/{event}/guest");
    let mut answers = Vec::new();
    for _ in 0..6 {
        let r = sender
            .post_form(
                &action,
                &page,
                &[("name", "CLICK http://evil.example"), ("email", target)],
            )
            .await;
        answers.push(r.status());
    }
    let sent = answers
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(sent, 3, "three links an hour to one address: {answers:?}");
    assert!(answers[3..]
        .iter()
        .all(|s| *s == StatusCode::TOO_MANY_REQUESTS));
    let outbox: i64 = app.count("outbox").await;
    let mail = app
        .outbox_to(target)
        .await
        .expect("a confirmation")
        .body_text;
    let first_lines: String = mail.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(
        !first_lines.contains("CLICK") && !first_lines.contains("evil.example"),
        "the sender's text is not in the first lines: {mail}"
    );
    assert!(mail.contains("The name given on the form: CLICK"), "{mail}");
    // From one client, twenty registrations an hour (other addresses), then 429.
    let mut from_client = Vec::new();
    for n in 0..18 {
        let r = sender
            .post_form(
                &action,
                &page,
                &[
                    ("name", "Guest"),
                    ("email", &format!("guest{n}@example.org")),
                ],
            )
            .await;
        from_client.push(r.status());
    }
    // 6 + 18 = 24 posts from this client: the 21st and later are refused.
    let refused = from_client
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(refused, 4, "{from_client:?}");
    assert_eq!(
        app.count("outbox").await,
        outbox + 14,
        "one email per accepted post"
    );
    // An hour later, the address may ask again.
    app.app.clock.advance(3_600_000 + 1);
    let r = sender
        .post_form(&action, &page, &[("name", "Victim"), ("email", target)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn guests_register_by_email_and_cancel_by_link(app: TestApp) {
    // Given: a network admin organising for Active Lancashire.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let api = admin_person.api().await;
    let org = lancashire.id.clone();
    let event = create_event(
        &api,
        event_body(
            &org,
            "Open session",
            &date_in(&app, 12),
            1,
            json!({"visibility": "public", "allow_guests": true, "format": "hybrid", "joining_link": "https://meet.example.org/guest-room"}),
        ),
    )
    .await;
    let guest = app.client();
    let (_, html) = guest.get_text(&format!("/events/{event}")).await;
    assert!(html.contains("register without an account"));
    // Bad input first: nothing is stored.
    let before = app.count("registrations").await;
    let r = guest
        .post_form(
            &format!("/events/{event}/guest"),
            &format!("/events/{event}"),
            &[("name", ""), ("email", "not-an-email")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("There is a problem"));
    assert_eq!(app.count("registrations").await, before);

    let email = "sam.guest@example.org";
    let r = guest
        .post_form(
            &format!("/events/{event}/guest"),
            &format!("/events/{event}"),
            &[
                ("name", "Sam Guest"),
                ("email", email),
                ("organisation", "=HYPERLINK(\"http://evil\")"),
                ("access_needs", "Hearing loop"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let link = app.link_from_email(email, "/events/registration").await;
    let path = link.trim_start_matches(&app.base).to_string();
    let token = path.split("token=").nth(1).unwrap().to_string();
    let (_, html) = guest.get_text(&path).await;
    assert!(html.contains("Waiting for email confirmation"));
    assert!(!html.contains("guest-room"));
    let r = guest
        .post_form("/events/registration/confirm", &path, &[("token", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Registered"), "{html}");
    assert!(
        html.contains("guest-room"),
        "joining link for the registered guest"
    );
    let mail = app.outbox_to(email).await.unwrap();
    assert!(mail.subject.starts_with("You are registered"));
    assert_eq!(mail.attachment_name.as_deref(), Some("invite.ics"));

    // The CSV export neutralises the formula the guest typed.
    let admin = admin_person.browser().await;
    let csv = admin
        .get(&format!("/events/{event}/registrations.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("Hearing loop"));

    // A second guest finds the event full and waits.
    let second = "kim.guest@example.org";
    let other = app.client();
    let r = other
        .post_form(
            &format!("/events/{event}/guest"),
            &format!("/events/{event}"),
            &[("name", "Kim Guest"), ("email", second)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let link2 = app.link_from_email(second, "/events/registration").await;
    let path2 = link2.trim_start_matches(&app.base).to_string();
    let token2 = path2.split("token=").nth(1).unwrap().to_string();
    let r = other
        .post_form(
            "/events/registration/confirm",
            &path2,
            &[("token", &token2)],
        )
        .await;
    assert!(r.text().await.unwrap().contains("On the waiting list"));

    // A wrong token shows nothing; the right one cancels, and the waiting guest is promoted
    // with a link of their own to manage the place.
    let (s, _) = guest.get_text("/events/registration?token=lzr_wrong").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let r = guest
        .post_form("/events/registration/cancel", &path, &[("token", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Cancelled"));
    let regs = registrations(&api, &event).await;
    assert_eq!(count_status(&regs, "cancelled"), 1);
    assert_eq!(count_status(&regs, "registered"), 1);
    let promoted = app.outbox_to(second).await.expect("promotion email");
    assert!(promoted.subject.starts_with("A place is free"));
    let manage = crate::common::find_link(&promoted.body_text, "/events/registration")
        .expect("a link to manage the place");
    let (s, html) = other.get_text(manage.trim_start_matches(&app.base)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Registered") && html.contains("guest-room"),
        "{html}"
    );

    // After the event the guest's follow-up carries a link to the feedback form, which works
    // without an account, once.
    app.app.clock.advance(13 * DAY_MS);
    app.app.run_due_jobs().await;
    let follow = app.outbox_to(second).await.expect("follow-up");
    assert!(
        follow.subject.starts_with("Thank you for joining"),
        "{}",
        follow.subject
    );
    let form = crate::common::find_link(&follow.body_text, &format!("/events/{event}/feedback"))
        .expect("feedback link");
    let form_path = form.trim_start_matches(&app.base).to_string();
    let feedback_token = form_path.split("token=").nth(1).unwrap().to_string();
    let visitor = app.client();
    let (s, html) = visitor.get_text(&form_path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("How useful was the event?"));
    let r = visitor
        .post_form(
            &format!("/events/{event}/feedback"),
            &form_path,
            &[
                ("token", &feedback_token),
                ("rating", "4"),
                ("topics_next", "More on care homes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = visitor
        .post_form(
            &format!("/events/{event}/feedback"),
            // The form is gone once answered; the token comes from another form.
            "/sign-in",
            &[("token", &feedback_token), ("rating", "5")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "once only");
    // Without a token or an account there is no form.
    let (s, _) = app
        .client()
        .get_text(&format!("/events/{event}/feedback"))
        .await;
    assert_ne!(s, StatusCode::OK);
    let (_, rep) = api.api_get(&format!("/events/{event}/report")).await;
    assert_eq!(rep["feedback_count"], 1);
    assert_eq!(rep["topics_next"], json!(["More on care homes"]));
}

async fn bad_event_input_changes_nothing(app: TestApp) {
    // Given: a network admin organising for Active Lancashire, and an organisation admin elsewhere.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let api = admin_person.api().await;
    let org = lancashire.id.clone();
    let chorley = given.organisation("chorley-council").await;
    let chorley_person = given.person("org_admin").member_of(&chorley).await;
    let date = date_in(&app, 30);
    let before = app.count("events").await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"end_time": "09:00"}), "end_time"),
        (json!({"capacity": 0}), "capacity"),
        (json!({"capacity": -5}), "capacity"),
        (json!({"capacity": "lots"}), "capacity"),
        (json!({"capacity": 1.5}), "capacity"),
        (
            json!({"format": "online", "joining_link": "javascript:alert(1)"}),
            "joining_link",
        ),
        (
            json!({"joining_link": "ftp://example.org/room"}),
            "joining_link",
        ),
        (json!({"start_date": "31/13/2027"}), "start_date"),
        (json!({"start_date": "2020-01-01"}), "start_date"),
        (json!({"visibility": "place"}), "visibility"),
        (json!({"status": "cancelled"}), "status"),
        (json!({"format": "carrier pigeon"}), "format"),
        (json!({"title": "x".repeat(300)}), "title"),
        (json!({"title": "bad\u{0007}bell"}), "title"),
        (json!({"terms": ["no-such-term"]}), "terms"),
        (json!({"series_id": "no-such-series"}), "series_id"),
        (
            json!({"organisers": ["nobody@nowhere.example"]}),
            "organisers",
        ),
        (json!({"opens_date": date_in(&app, 31)}), "opens_date"),
    ];
    for (extra, field) in cases {
        let (s, v) = api
            .api_post("/events", event_body(&org, "Bad", &date, 10, extra.clone()))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{extra}: {v}");
        assert_eq!(v["errors"][0]["field"], field, "{extra}: {v}");
    }
    // Wrong types and unknown fields are problem details too.
    let (s, v) = api.api_post("/events", json!({"title": 5})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _, ct) = api
        .api_raw(
            Method::POST,
            "/events",
            "application/json",
            b"{not json".to_vec(),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(ct.starts_with("application/problem+json"));
    // The clocks going forward: 01:30 on the last Sunday of March does not exist in the UK.
    let y = next_year(&app);
    let march_change = (25..=31)
        .rev()
        .find(|d| {
            jiff::civil::Date::new(y as i16, 3, *d)
                .map(|x| x.weekday() == jiff::civil::Weekday::Sunday)
                .unwrap_or(false)
        })
        .unwrap();
    let (s, v) = api
        .api_post(
            "/events",
            event_body(
                &org,
                "Gap",
                &format!("{y}-03-{march_change:02}"),
                10,
                json!({"start_time": "01:30", "end_time": "03:00"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("clocks"));
    assert_eq!(app.count("events").await, before, "nothing stored");

    // The HTML form lists the problems and keeps what was typed, escaped.
    let admin = admin_person.browser().await;
    let r = admin
        .post_form(
            "/events/new",
            "/events/new",
            &[
                ("title", "<script>alert(1)</script>"),
                ("capacity", "-1"),
                ("start_date", &date),
                ("start_time", "10:00"),
                ("end_time", "09:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("The end must be after the start"));
    assert!(html.contains("The number of places must be between 1 and"));
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;"));
    assert_eq!(app.count("events").await, before);

    // Registering after registration closed, and after the event started.
    let closing = create_event(
        &api,
        event_body(
            &org,
            "Closing soon",
            &date,
            10,
            json!({"closes_date": date_in(&app, 2)}),
        ),
    )
    .await;
    let member = chorley_person.api().await;
    app.app.clock.advance(3 * DAY_MS);
    let (s, v) = member
        .api_post(&format!("/events/{closing}/registrations"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["detail"].as_str().unwrap().contains("closed"));
    // Access answers that are too long are refused.
    let open = create_event(
        &api,
        event_body(&org, "Open", &date_in(&app, 9), 10, json!({})),
    )
    .await;
    let (s, v) = member
        .api_post(
            &format!("/events/{open}/registrations"),
            json!({"access_needs": "a".repeat(5000)}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = member
        .api_post(
            &format!("/events/{open}/registrations"),
            json!({"unknown": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Attendance for another event's registration changes nothing.
    let (s, reg) = member
        .api_post(&format!("/events/{open}/registrations"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/events/{closing}/attendance"),
            json!({"marks": [{"registration_id": reg["id"], "attended": true}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // Unknown ids are 404s.
    let (s, _) = member
        .api_send(Method::DELETE, "/registrations/nope", json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = member.api_get("/events/nope").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn event_visibility_and_organiser_rights(app: TestApp) {
    // Given: a network admin who organises for Active Lancashire, a member of another
    // organisation, an organisation admin of a third, a moderator and a bystander.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let cheshire = given.organisation("active-cheshire").await;
    let chorley = given.organisation("chorley").await;
    let hyndburn = given.organisation("hyndburn-leisure").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let member_person = given.person("member").member_of(&cheshire).await;
    let chorley_admin = given.person("org_admin").member_of(&chorley).await;
    let bystander = given.person("member").member_of(&hyndburn).await;
    let moderator_person = given.person("moderator").member_of(&lancashire).await;
    let api = admin_person.api().await;
    let org = lancashire.id.clone();
    let date = date_in(&app, 15);
    // Another open event, so that the feed holds more than one entry to tell apart.
    given
        .event(&lancashire)
        .by(&admin_person)
        .titled("Another partners' event")
        .with(json!({"start_date": date}))
        .await;
    let network = create_event(
        &api,
        event_body(&org, "Partners only", &date, 10, json!({"format": "online", "venue": "", "joining_link": "https://meet.example.org/partners"})),
    )
    .await;
    let draft = create_event(
        &api,
        event_body(&org, "Still a draft", &date, 10, json!({"status": "draft"})),
    )
    .await;

    // An organiser's feed leaves their draft out, and each entry's UID and URL are its own.
    let admin_browser = admin_person.browser().await;
    let (_, feed) = admin_browser.get_text("/events.ics").await;
    assert!(!feed.contains("Still a draft"));
    let unfolded = feed.replace("\r\n ", "");
    let blocks: Vec<&str> = unfolded.split("BEGIN:VEVENT").skip(1).collect();
    assert!(blocks.len() >= 2, "{feed}");
    assert!(
        !unfolded.contains(&draft),
        "the draft's id is nowhere in the feed"
    );
    let partners = blocks
        .iter()
        .find(|b| b.contains("SUMMARY:Partners only"))
        .expect("the network event");
    assert!(
        partners.contains(&format!("UID:{network}@"))
            && partners.contains(&format!("/events/{network}\r\n")),
        "{partners}"
    );

    // Signed out: network and draft events appear nowhere.
    let anon = app.client();
    for id in [&network, &draft] {
        assert_eq!(
            anon.get(&format!("/events/{id}")).await.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            anon.get(&format!("/events/{id}/calendar.ics"))
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
        let (s, _) = anon.api_get(&format!("/events/{id}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    let (_, feed) = anon.get_text("/events.ics").await;
    assert!(!feed.contains("Partners only") && !feed.contains("Still a draft"));
    let (_, list) = anon.get_text("/events").await;
    assert!(!list.contains("Partners only"));
    let (_, v) = anon.api_get("/events").await;
    assert!(!v.to_string().contains("Partners only"));

    // A member sees the network event, not the draft, and no joining link until registered.
    let member = member_person.browser().await;
    let (s, html) = member.get_text(&format!("/events/{network}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("meet.example.org/partners"));
    assert_eq!(
        member.get(&format!("/events/{draft}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, feed) = member.get_text("/events.ics").await;
    assert!(feed.contains("Partners only") && !feed.contains("Still a draft"));
    assert!(
        !feed.contains("meet.example.org"),
        "no joining links in the feed"
    );
    let member_api = member_person.api().await;
    let (_, v) = member_api.api_get(&format!("/events/{network}")).await;
    assert_eq!(v["joining_link"], Value::Null);
    let (s, _) = member_api
        .api_post(&format!("/events/{network}/registrations"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, v) = member_api.api_get(&format!("/events/{network}")).await;
    assert_eq!(v["joining_link"], "https://meet.example.org/partners");

    // An event that does not take guests refuses a guest registration.
    let anyone = app.client();
    let public = create_event(
        &api,
        event_body(
            &org,
            "Partners and public",
            &date,
            10,
            json!({"visibility": "public"}),
        ),
    )
    .await;
    let (_, page) = anyone.get_text(&format!("/events/{public}")).await;
    assert!(!page.contains("register without an account"));
    let r = anyone
        .post_form(
            &format!("/events/{public}/guest"),
            // The page has no guest form; the token comes from another form.
            "/sign-in",
            &[("name", "Sam"), ("email", "sam@example.org")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The organiser changes the event through its form, which shows the times in UK time.
    let organiser = admin_person.browser().await;
    let edit = format!("/events/{public}/edit");
    let (s, html) = organiser.get_text(&edit).await;
    assert_eq!(s, StatusCode::OK);
    // The day in its three boxes (GOV.UK date input), the time as typed.
    let (y, m, d) = (
        &date[0..4],
        date[5..7].trim_start_matches('0'),
        date[8..10].trim_start_matches('0'),
    );
    assert!(html.contains("value=\"10:00\""));
    for (name, value) in [
        ("start_date-day", d),
        ("start_date-month", m),
        ("start_date-year", y),
    ] {
        assert!(
            html.contains(&format!(
                "name=\"{name}\" type=\"text\" inputmode=\"numeric\" value=\"{value}\""
            )),
            "{name}"
        );
    }
    let r = organiser
        .post_form(
            &edit,
            &edit,
            &[
                ("title", "Partners and public, renamed"),
                ("summary", "Places share what works."),
                ("format", "in_person"),
                ("venue", "Preston Guild Hall"),
                ("start_date", &date),
                ("start_time", "10:30"),
                ("end_time", "12:30"),
                ("capacity", "12"),
                ("organisation_id", &org),
                ("visibility", "public"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, v) = api.api_get(&format!("/events/{public}")).await;
    assert_eq!(v["title"], "Partners and public, renamed");
    assert_eq!(v["capacity"], 12);
    assert!(
        v["when"].as_str().unwrap_or_default().contains("10:30"),
        "{v}"
    );
    // A series over the API: contributors and above, not members.
    let (s, _) = api
        .api_post(
            "/series",
            json!({"title": "API series", "organisation_id": org}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    // Members cannot create events; non-organisers cannot run someone else's.
    let (s, _) = member_api
        .api_post("/events", event_body(&org, "Mine", &date, 5, json!({})))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = member_api
        .api_post("/series", json!({"title": "Mine", "organisation_id": org}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        member.get("/events/new").await.status(),
        StatusCode::FORBIDDEN
    );
    let outsider = chorley_admin.browser().await;
    let outsider_api = chorley_admin.api().await;
    for (who, client) in [
        ("member", &member),
        ("org admin of another organisation", &outsider),
    ] {
        for path in [
            format!("/events/{network}/registrations"),
            format!("/events/{network}/registrations.csv"),
            format!("/events/{network}/report"),
            format!("/events/{network}/edit"),
        ] {
            assert_eq!(
                client.get(&path).await.status(),
                StatusCode::FORBIDDEN,
                "{who}: {path}"
            );
        }
        for path in [
            format!("/events/{network}/cancel"),
            format!("/events/{network}/attendance"),
            format!("/events/{network}/email"),
        ] {
            let r = client
                .post_form(
                    &path,
                    &format!("/events/{network}"),
                    &[("subject", "x"), ("message", "y")],
                )
                .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}: {path}");
        }
    }
    let (s, _) = outsider_api
        .api_get(&format!("/events/{network}/registrations"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = outsider_api
        .api_post(&format!("/events/{network}/cancel"), json!({}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = outsider_api
        .api_send(
            Method::PUT,
            &format!("/events/{network}"),
            event_body(&org, "Hijacked", &date, 5, json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // A moderator organises any event; a named organiser runs this one.
    let moderator = moderator_person.api().await;
    let (s, regs) = moderator
        .api_get(&format!("/events/{network}/registrations"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(regs.as_array().unwrap().len(), 1);
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/events/{network}"),
            event_body(&org, "Partners only", &date, 10, json!({"format": "online", "venue": "", "joining_link": "https://meet.example.org/partners", "organisers": [chorley_admin.email]})),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, _) = outsider_api
        .api_get(&format!("/events/{network}/registrations"))
        .await;
    assert_eq!(s, StatusCode::OK, "named organiser");

    // Emailing registrants reaches the registered member.
    let admin = admin_person.browser().await;
    let r = admin
        .post_form(
            &format!("/events/{network}/email"),
            &format!("/events/{network}/registrations"),
            &[
                ("subject", "Room change"),
                ("message", "We have moved rooms."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(mails(&app, &member_person.email, "Room change%").await, 1);
    assert_eq!(mails(&app, &bystander.email, "Room change%").await, 0);
}

async fn personal_answers_are_deleted_after_the_event(app: TestApp) {
    // Given: a network admin organising for Active Lancashire, and an organisation admin elsewhere who registers.
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let admin_person = given.person("network_admin").member_of(&lancashire).await;
    let api = admin_person.api().await;
    let org = lancashire.id.clone();
    let chorley = given.organisation("chorley-council").await;
    let chorley_person = given.person("org_admin").member_of(&chorley).await;
    let event = create_event(
        &api,
        event_body(&org, "Lunch included", &date_in(&app, 3), 10, json!({})),
    )
    .await;
    let member = chorley_person.browser().await;
    let (_, html) = member.get_text(&format!("/events/{event}")).await;
    assert!(
        html.contains("deleted 30 days after the event"),
        "policy on the form"
    );
    let m = chorley_person.api().await;
    let (s, reg) = m
        .api_post(
            &format!("/events/{event}/registrations"),
            json!({"access_needs": "Wheelchair user", "dietary_needs": "Vegan"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{reg}");
    app.app.clock.advance(4 * DAY_MS);
    let (s, _) = api
        .api_send(
            Method::PUT,
            &format!("/events/{event}/attendance"),
            json!({"marks": [{"registration_id": reg["id"], "attended": true}]}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    // Before the period ends, the answers stay; after it, they go and the counts stay.
    app.app.clock.advance(20 * DAY_MS);
    app.app.delete_event_personal_data().await.unwrap();
    let regs = registrations(&api, &event).await;
    assert_eq!(regs[0]["dietary_needs"], "Vegan");
    app.app.clock.advance(11 * DAY_MS);
    app.app.run_due_jobs().await;
    let regs = registrations(&api, &event).await;
    assert_eq!(regs[0]["access_needs"], Value::Null);
    assert_eq!(regs[0]["dietary_needs"], Value::Null);
    assert_eq!(regs[0]["attended"], true);
    let (_, rep) = api.api_get(&format!("/events/{event}/report")).await;
    assert_eq!(rep["registered"], 1);
    assert_eq!(rep["attended"], 1);
}

/// Reads a raw email as a mail client would (Python's `email` package) and its calendar part
/// with `icalendar`: "content types in order|METHOD|UID|SEQUENCE|ORGANIZER|ATTENDEE|PARTSTAT|
/// attachment file name".
fn read_invitation(raw: &str) -> String {
    let dir = crate::common::temp_dir("invite");
    let file = dir.join("mail.eml");
    std::fs::write(&file, raw).expect("write email");
    let script = r#"
import sys, email, email.policy, icalendar
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
types = [p.get_content_type() for p in msg.walk()]
alt = [p for p in msg.walk() if p.get_content_type() == 'multipart/alternative'][0]
inline = [p for p in alt.iter_parts() if p.get_content_type() == 'text/calendar'][0]
cal = icalendar.Calendar.from_ical(inline.get_content())
ev = cal.walk('VEVENT')[0]
att = ev.get('ATTENDEE')
files = [p.get_filename() for p in msg.iter_attachments()]
print('|'.join([','.join(types), str(inline.get_param('method')), str(cal.get('METHOD')),
    str(ev.get('UID')), str(ev.get('SEQUENCE')), str(ev.get('ORGANIZER')), str(att),
    str(att.params.get('PARTSTAT')), str(att.params.get('CN')), ','.join(files)]))
"#;
    let out = python_reads("icalendar", "icalendar", script, &file);
    let _ = std::fs::remove_dir_all(dir);
    out.trim().to_string()
}

/// Registration emails are calendar invitations that Outlook and Google accept (iTIP REQUEST
/// with ORGANIZER and ATTENDEE as a text/calendar alternative part, the file also attached);
/// a change keeps the UID and raises SEQUENCE; a cancellation is the matching CANCEL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_emails_are_calendar_invitations() {
    let Some(app) = TestApp::spawn_with_smtp(
        crate::common::Backend::Sqlite,
        "registration_emails_are_calendar_invitations",
    )
    .await
    else {
        return;
    };
    let given = app.given();
    let lancashire = given.organisation("active-lancashire").await;
    let organiser = given.person("network_admin").member_of(&lancashire).await;
    let chorley = given.organisation("chorley-council").await;
    let member = given
        .person("contributor")
        .named("Zoë Ó Briain")
        .member_of(&chorley)
        .await;
    let api = organiser.api().await;
    let y = next_year(&app);
    let event = create_event(
        &api,
        event_body(
            &lancashire.id,
            "Active travel, together",
            &format!("{y}-03-10"),
            20,
            json!({}),
        ),
    )
    .await;
    let (s, v) = member
        .api()
        .await
        .api_post(&format!("/events/{event}/registrations"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let smtp = app.smtp.as_ref().expect("smtp");
    // The message to the member whose subject starts `subject` (mail is sent in the background).
    let mail = |subject: &'static str| {
        let to = member.email.clone();
        async move {
            for _ in 0..150 {
                let found = smtp.messages().into_iter().find(|m| {
                    m.lines()
                        .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(&to))
                        && m.lines()
                            .any(|l| l.starts_with(&format!("Subject: {subject}")))
                });
                if let Some(m) = found {
                    return m;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            panic!("no email \"{subject}…\" to {to}");
        }
    };
    let invite = read_invitation(&mail("You are registered").await);
    let fields: Vec<&str> = invite.split('|').collect();
    assert_eq!(
        fields[0], "multipart/mixed,multipart/alternative,text/plain,text/calendar,application/ics",
        "{invite}"
    );
    assert_eq!(&fields[1..3], ["REQUEST", "REQUEST"], "{invite}");
    let uid = fields[3].to_string();
    assert!(uid.starts_with(&format!("{event}@")), "{invite}");
    assert_eq!(fields[4], "0");
    assert!(fields[5].starts_with("mailto:"), "{invite}");
    assert_eq!(fields[6], format!("mailto:{}", member.email));
    assert_eq!(fields[7], "ACCEPTED");
    assert_eq!(fields[8], "Zoë Ó Briain");
    assert_eq!(fields[9], "invite.ics");

    // A new time: the same UID, a higher SEQUENCE, still a REQUEST.
    let (s, v) = api
        .api_send(
            Method::PUT,
            &format!("/events/{event}"),
            event_body(
                &lancashire.id,
                "Active travel, together",
                &format!("{y}-03-10"),
                20,
                json!({"start_time": "11:00", "end_time": "13:00"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let update = read_invitation(&mail("Changed").await);
    let fields: Vec<&str> = update.split('|').collect();
    assert_eq!(
        (fields[2], fields[3], fields[4]),
        ("REQUEST", uid.as_str(), "1"),
        "{update}"
    );

    // Cancelled: the matching CANCEL, same UID, SEQUENCE raised again.
    let (s, _) = api
        .api_post(&format!("/events/{event}/cancel"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let cancel = read_invitation(&mail("Cancelled").await);
    let fields: Vec<&str> = cancel.split('|').collect();
    assert_eq!(
        (fields[1], fields[2], fields[3], fields[4], fields[9]),
        ("CANCEL", "CANCEL", uid.as_str(), "2", "cancelled.ics"),
        "{cancel}"
    );
}
