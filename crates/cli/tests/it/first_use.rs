//! What a first use of the product found (issue: "finish the product as its users meet it"),
//! each kept from coming back: partners' pages ask a signed-out visitor to sign in (and bring
//! them back), the directory's lists lead to the place and organisation pages, and search
//! forgives the commonest misspellings.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{TestApp, PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    partners_pages_ask_a_signed_out_visitor_to_sign_in,
    sign_in_returns_only_to_pages_of_this_site,
    places_and_organisations_lead_to_their_pages,
    misspelt_searches_find_the_word_meant,
    a_finished_event_reads_as_finished,
    reviewers_are_told_and_a_cancelled_place_is_confirmed,
    pages_show_uk_time,
    withdraw_is_apart_from_approve,
    sign_up_errors_follow_the_fields,
    confirmations_show_once_to_whoever_acted,
    home_knows_who_you_are,
    the_account_page_changes_the_password,
    formatting_help_is_in_plain_words,
    overspend_and_lapsed_work_areas_are_flagged,
    events_can_be_subscribed_to,
    actions_are_added_with_a_form,
    tables_download_as_excel_workbooks,
    dates_are_typed_as_day_month_and_year,
    place_leads_post_progress_on_work_their_place_delivers,
    plans_hold_their_milestones_and_actions_their_mandates,
    pages_use_gov_uk_frontend_without_its_restricted_parts
);

const SIGN_IN_NEEDED: &str = "Sign in to see this page";

/// The page's text with the slashes minijinja escapes in values (`&#x2f;`) written out.
fn unslash(html: &str) -> String {
    html.replace("&#x2f;", "/")
}

async fn partners_pages_ask_a_signed_out_visitor_to_sign_in(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let other = given.organisation("chorley-council").await;
    let author = given.person("contributor").member_of(&org).await;
    let item = given.item(&org).by(&author).titled("Walking netball").await;
    let private = given
        .item(&org)
        .by(&author)
        .titled("Our own notes")
        .visibility("organisation")
        .await;
    let event = given.event(&org).by(&author).await;
    let plan = given
        .plan("Network plan", json!({"visibility": "network"}))
        .await;

    let visitor = app.client();
    // Pages that exist and pages that do not get the same answer: nothing leaks.
    for path in [
        format!("/library/{item}"),
        format!("/library/{item}/history"),
        format!("/events/{event}"),
        format!("/plans/{plan}"),
        "/library/0190a0a0-0000-7000-8000-000000000000".to_string(),
        "/events/no-such-event".to_string(),
        "/plans/no-such-plan".to_string(),
    ] {
        let (s, html) = visitor.get_text(&path).await;
        let html = unslash(&html);
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path}");
        assert!(html.contains(SIGN_IN_NEEDED), "{path}: {html}");
        let next: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
        assert!(
            html.contains(&format!("/sign-in?next={next}")),
            "{path} links to sign in and back: {html}"
        );
        assert!(!html.contains("Walking netball") && !html.contains("Page not found"));
    }
    // A page that needs an account redirects to sign in, and back.
    let r = visitor.get("/library/new").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        crate::common::location(&r),
        "/sign-in?next=%2Flibrary%2Fnew"
    );
    // The plans list says how to see more.
    let (s, html) = visitor.get_text("/plans").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"plans-sign-in\"") && html.contains("/sign-in?next=%2Fplans"));
    // Public pages are not affected, and a page that is nowhere is still "not found".
    let (s, _) = visitor.get_text("/library").await;
    assert_eq!(s, StatusCode::OK);
    let (s, html) = visitor.get_text("/nowhere").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!html.contains(SIGN_IN_NEEDED));

    // Signed in without access, it is "not found", as before.
    let outsider = given
        .person("member")
        .member_of(&other)
        .await
        .browser()
        .await;
    let (s, html) = outsider.get_text(&format!("/library/{private}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found") && !html.contains(SIGN_IN_NEEDED));
    let (s, _) = outsider.get_text(&format!("/library/{item}")).await;
    assert_eq!(s, StatusCode::OK);
    // The API answers in problem details, never with the sign-in page.
    let (s, v) = app.client().api_get(&format!("/items/{private}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
}

async fn sign_in_returns_only_to_pages_of_this_site(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let person = given.person("member").member_of(&org).await;
    let event = given.event(&org).await;

    let browser = app.client();
    let here = format!("/events/{event}");
    let (_, html) = browser
        .get_text(&format!("/sign-in?next=%2Fevents%2F{event}"))
        .await;
    let html = unslash(&html);
    assert!(
        html.contains(&format!("name=\"next\" value=\"{here}\"")),
        "{html}"
    );
    let r = browser
        .post_form(
            "/sign-in",
            "/sign-in",
            &[
                ("email", &person.email),
                ("password", PASSWORD),
                ("next", &here),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::common::location(&r), here);
    let (s, _) = browser.get_text(&here).await;
    assert_eq!(s, StatusCode::OK);

    // Anywhere else is the account page: another site, a scheme, a backslash, the sign-in
    // page itself, a wrong password keeps `next` but goes nowhere.
    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/sign-in",
        "",
    ] {
        let b = app.client();
        let r = b
            .post_form(
                "/sign-in",
                "/sign-in",
                &[
                    ("email", &person.email),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(crate::common::location(&r), "/account", "{next:?}");
    }
    let r = app
        .client()
        .post_form(
            "/sign-in",
            "/sign-in",
            &[
                ("email", &person.email),
                ("password", "wrong"),
                ("next", &here),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = unslash(&crate::common::body_text(r).await);
    assert!(html.contains(&format!("name=\"next\" value=\"{here}\"")));
}

async fn places_and_organisations_lead_to_their_pages(app: TestApp) {
    let given = app.given();
    let lancashire = given.place("lancashire").await;
    let org = given
        .organisation_in("active-lancashire", &lancashire)
        .await;
    let elsewhere = given.organisation("sport-england").await;
    let visitor = app.client();

    let (_, html) = visitor.get_text("/places").await;
    let html = unslash(&html);
    assert!(html.contains("href=\"/places/lancashire\""), "{html}");
    let (s, html) = visitor.get_text("/places/lancashire").await;
    let html = unslash(&html);
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("href=\"/organisations/active-lancashire\""),
        "{html}"
    );
    assert!(!html.contains("/organisations/sport-england"));
    assert!(!html.contains("id=\"place-events\""), "no events yet");
    // The place's coming events (public ones for a signed-out visitor).
    let event = given
        .event(&org)
        .titled("Lancashire walking summit")
        .with(json!({"visibility": "public"}))
        .await;
    given
        .event(&elsewhere)
        .titled("National conference")
        .with(json!({"visibility": "public"}))
        .await;
    let (_, html) = visitor.get_text("/places/lancashire").await;
    let html = unslash(&html);
    let events = html.split("id=\"place-events\"").nth(1).expect("events");
    assert!(events.contains(&format!("/events/{event}")) && events.contains("walking summit"));
    assert!(!html.contains("National conference"));

    let (_, html) = visitor.get_text("/organisations").await;
    let html = unslash(&html);
    assert!(html.contains("href=\"/organisations/active-lancashire\""));
    assert!(html.contains(&format!("href=\"/organisations/{}\"", elsewhere.slug)));
    let (s, html) = visitor
        .get_text(&format!("/organisations/{}", org.slug))
        .await;
    let html = unslash(&html);
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("href=\"/places/lancashire\""), "{html}");
}

async fn misspelt_searches_find_the_word_meant(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    given
        .item(&org)
        .titled("Walking groups in Blackburn")
        .visibility("public")
        .with(json!({"summary": "Physical activity for inactive residents."}))
        .await;
    let visitor = app.client();
    // The index is updated off the request path: wait until the item is found as written.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, v) = visitor.api_get("/search?q=blackburn").await;
        if v["total"] == 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never indexed: {v}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for typed in ["walkng", "walkin", "activty", "physcial", "inactve"] {
        let (s, html) = visitor.get_text(&format!("/library?q={typed}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Walking groups in Blackburn"), "{typed}");
    }
}

async fn a_finished_event_reads_as_finished(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let organiser = given.person("contributor").member_of(&org).await;
    let member = given.person("member").member_of(&org).await;
    let event = given
        .event(&org)
        .by(&organiser)
        .with(json!({"format": "online", "venue": "", "visibility": "public", "allow_guests": true, "joining_link": "https://meet.example.org/nw-series"}))
        .await;
    let browser = member.browser().await;
    let r = browser
        .post_form(
            &format!("/events/{event}/register"),
            &format!("/events/{event}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, before) = browser.get_text(&format!("/events/{event}")).await;
    assert!(before.contains("Add to calendar") && before.contains("id=\"joining-link\""));
    // Outlook and Google open a filled-in event; the joining link is not handed to them.
    let before_links = unslash(&before).replace("&amp;", "&");
    assert!(
        before_links.contains("https://outlook.office.com/calendar/action/compose?"),
        "{before}"
    );
    assert!(before_links.contains("https://calendar.google.com/calendar/render?action=TEMPLATE"));
    assert!(!before_links.contains("meet.example.org%2Fnw-series"));
    assert!(
        before.contains("id=\"my-registration\""),
        "registered: {before}"
    );

    // Thirty-one days later the event is over (and the member signs in again).
    app.app.clock.advance(31 * 86_400_000);
    let browser = member.browser().await;
    let (s, html) = browser.get_text(&format!("/events/{event}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"event-finished\"") && html.contains("This event has finished"));
    assert!(
        html.contains(">Finished<"),
        "the status says finished: {html}"
    );
    for gone in [
        "already started",
        "Add to calendar",
        "joining-link",
        "Join online",
        "Cancel my registration",
    ] {
        assert!(!html.contains(gone), "a finished event shows no {gone:?}");
    }
    assert!(
        html.contains("Give feedback"),
        "who was registered is asked for feedback: {html}"
    );
    // Signed out, the same: no promise of a link, no registration form.
    let (s, html) = app.client().get_text(&format!("/events/{event}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("event-finished"));
    assert!(
        !html.contains(&format!("action=\"/events/{event}/guest\"")),
        "{html}"
    );
    assert!(!html.contains("Join online") && !html.contains("to register in one step"));
    // Organisers are pointed at the report with the feedback summary.
    let (_, html) = organiser
        .browser()
        .await
        .get_text(&format!("/events/{event}"))
        .await;
    assert!(html.contains("attendance and the feedback summary"));
}

async fn reviewers_are_told_and_a_cancelled_place_is_confirmed(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let moderator = given.person("moderator").await;
    let author = given.person("contributor").member_of(&org).await;
    let draft = given
        .item(&org)
        .by(&author)
        .titled("Park walks that stuck")
        .draft()
        .await;
    let (s, v) = author
        .api()
        .await
        .api_post(
            &format!("/items/{draft}/workflow"),
            json!({"action": "submit"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let told = app
        .outbox_to(&moderator.email)
        .await
        .expect("the moderator is told");
    assert_eq!(told.subject, "For review: Park walks that stuck");
    assert!(told.body_text.contains(&format!("/library/{draft}")));
    assert!(told.body_text.contains("/library/review"));
    assert!(told.body_text.contains(&author.name));
    // With a moderator, the network admins are not emailed; the author is not either.
    assert!(app.outbox_to("setup.admin@example.org").await.is_none());
    assert!(app
        .outbox_to(&author.email)
        .await
        .is_none_or(|m| !m.subject.starts_with("For review")));

    // Cancelling a place is confirmed, with a calendar cancellation.
    let member = given.person("member").member_of(&org).await;
    let event = given
        .event(&org)
        .titled("Learning series: active travel")
        .await;
    let browser = member.browser().await;
    let page = format!("/events/{event}");
    let r = browser
        .post_form(&format!("/events/{event}/register"), &page, &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = browser.get_text(&page).await;
    let html = unslash(&html);
    let cancel = html
        .split("action=\"")
        .map(|a| a.split('"').next().unwrap_or_default())
        .find(|a| a.starts_with("/registrations/") && a.ends_with("/cancel"))
        .expect("a cancel form")
        .to_string();
    let r = browser.post_form(&cancel, &page, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mail = app.outbox_to(&member.email).await.expect("a confirmation");
    assert_eq!(
        mail.subject,
        "Your place is cancelled: Learning series: active travel"
    );
    assert!(mail.body_text.contains(&page), "{}", mail.body_text);
    assert_eq!(
        mail.attachment_type
            .as_deref()
            .map(|t| t.contains("text/calendar")),
        Some(true)
    );
    assert!(mail
        .attachment_body
        .as_deref()
        .is_some_and(|ics| ics.contains("METHOD:CANCEL")));
}

/// The footer's pages take their facts from configuration, as does the beta banner, which
/// sits in the page's header landmark with a feedback link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn footer_pages_and_banner_come_from_configuration() {
    let app = TestApp::spawn_with(
        crate::common::Backend::Sqlite,
        &[
            ("LZ_CONTACT_EMAIL", "learning@host.example.org"),
            (
                "LZ_PHASE_BANNER",
                "A pilot for the Cumbria and Lancashire places.",
            ),
            ("LZ_HOST_NAME", "Host Partnership"),
            ("LZ_NETWORK_NAME", "the Cumbria and Lancashire partnership"),
            ("LZ_EVENT_PERSONAL_DATA_DAYS", "21"),
        ],
    )
    .await
    .expect("sqlite always runs");
    let visitor = app.client();
    let (_, home) = visitor.get_text("/").await;
    let home = unslash(&home);
    let header = home.split("</header>").next().unwrap_or_default();
    assert!(
        header.contains("A pilot for the Cumbria and Lancashire places."),
        "{home}"
    );
    assert!(header.contains("href=\"/contact#feedback\""));
    assert!(!home.contains("North West"), "no place name in a template");
    assert!(home.contains("partners of the Cumbria and Lancashire partnership share"));
    for (path, says) in [
        ("/accessibility", "Accessibility statement for"),
        ("/accessibility", "Enforcement procedure"),
        ("/accessibility", "Compliance status"),
        ("/privacy", "deleted 21 days after the event"),
        ("/privacy", "Information Commissioner"),
        ("/contact", "learning@host.example.org"),
        ("/contact", "Host Partnership"),
    ] {
        let (s, html) = visitor.get_text(path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(html.contains(says), "{path} says {says:?}");
        assert!(html.contains("href=\"&#x2f;privacy\"") || html.contains("href=\"/privacy\""));
    }
}

/// Times on pages are UK time, never UTC.
async fn pages_show_uk_time(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let id = given
        .item(&org)
        .titled("Walking football")
        .visibility("public")
        .await;
    let (_, html) = app.client().get_text(&format!("/library/{id}")).await;
    assert!(!html.contains(" UTC"), "{html}");
    assert!(html.contains(" GMT") || html.contains(" BST"), "{html}");
}

/// On the moderator's review, "Withdraw" is not beside "Approve and publish".
async fn withdraw_is_apart_from_approve(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let author = given.person("contributor").member_of(&org).await;
    let moderator = given.person("moderator").await;
    let id = given.item(&org).by(&author).draft().await;
    let (s, _) = author
        .api()
        .await
        .api_post(
            &format!("/items/{id}/workflow"),
            json!({"action": "submit"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, html) = moderator
        .browser()
        .await
        .get_text(&format!("/library/{id}"))
        .await;
    let approve = html.find("id=\"approve\"").expect("approve");
    let heading = html.find("Withdraw this item").expect("a withdraw section");
    let withdraw = html.find("id=\"withdraw\"").expect("withdraw");
    assert!(approve < heading && heading < withdraw, "{html}");
}

/// The sign-up error summary lists the problems in the order of the fields.
async fn sign_up_errors_follow_the_fields(app: TestApp) {
    let r = app
        .client()
        .post_form(
            "/sign-up",
            "/sign-up",
            &[
                ("name", ""),
                ("email", "not-an-address"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = crate::common::body_text(r).await;
    let summary = html
        .split("govuk-error-summary__list")
        .nth(1)
        .expect("a summary");
    let at = |field: &str| {
        summary
            .find(&format!("href=\"#{field}\""))
            .unwrap_or_else(|| panic!("{field} in the summary: {summary}"))
    };
    assert!(
        at("name") < at("email") && at("email") < at("password"),
        "{summary}"
    );
}

/// A confirmation is shown once, to the person who acted, never from an address.
async fn confirmations_show_once_to_whoever_acted(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let person = given.person("member").member_of(&org).await;
    let browser = person.browser().await;
    let r = browser.post_form("/sign-out", "/account", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::common::location(&r), "/sign-in");
    let (_, html) = browser.get_text("/sign-in").await;
    assert!(
        html.contains("govuk-notification-banner"),
        "the person who acted sees it: {html}"
    );
    let (_, html) = browser.get_text("/sign-in").await;
    assert!(!html.contains("govuk-notification-banner"), "once");
    // Someone following an address with a notice in it sees nothing.
    let (_, html) = app.client().get_text("/sign-in?notice=signed-out").await;
    assert!(!html.contains("govuk-notification-banner"));
    let (s, _) = app
        .client()
        .get_text("/library?notice=saved&q=walking")
        .await;
    assert_eq!(s, StatusCode::OK);
}

/// A signed-in person's home shows what is theirs; a signed-out visitor's is the public one.
async fn home_knows_who_you_are(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let author = given.person("contributor").member_of(&org).await;
    let moderator = given.person("moderator").await;
    let newcomer = given.person("member").member_of(&org).await;
    let draft = given
        .item(&org)
        .by(&author)
        .titled("Notes on walking netball")
        .draft()
        .await;
    let submitted = given
        .item(&org)
        .by(&author)
        .titled("Park run volunteers")
        .draft()
        .await;
    let (s, _) = author
        .api()
        .await
        .api_post(
            &format!("/items/{submitted}/workflow"),
            json!({"action": "submit"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let event = given
        .event(&org)
        .titled("Learning series: active travel")
        .await;
    let author_browser = author.browser().await;
    let r = author_browser
        .post_form(
            &format!("/events/{event}/register"),
            &format!("/events/{event}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let (_, html) = author_browser.get_text("/").await;
    let html = unslash(&html);
    assert!(html.contains("id=\"your-home\""), "{html}");
    let drafts = html.split("id=\"my-drafts\"").nth(1).expect("drafts");
    assert!(drafts.contains(&format!("/library/{draft}")));
    let events = html.split("id=\"my-events\"").nth(1).expect("events");
    assert!(events.contains("Learning series: active travel"));
    assert!(
        !html.contains("id=\"to-review\""),
        "a contributor reviews nothing"
    );

    let (_, html) = moderator.browser().await.get_text("/").await;
    let html = unslash(&html);
    let queue = html.split("id=\"to-review\"").nth(1).expect("review queue");
    assert!(
        queue.contains("Waiting for your review (1)")
            || html.contains("Waiting for your review (1)")
    );
    assert!(queue.contains(&format!("/library/{submitted}")));

    let (_, html) = newcomer.browser().await.get_text("/").await;
    assert!(html.contains("id=\"home-empty\""), "{html}");

    let (_, html) = app.client().get_text("/").await;
    assert!(html.contains("Share and find learning") && !html.contains("your-home"));
}

/// The account page changes the password: the current one is asked for, the new one checked;
/// the other sessions end and this one goes on.
async fn the_account_page_changes_the_password(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let person = given.person("member").member_of(&org).await;
    let here = person.browser().await;
    let elsewhere = person.browser().await;
    let (_, html) = here.get_text("/account").await;
    assert!(html.contains("id=\"current_password\"") && html.contains("For developers"));

    let new = "kestrel moorland lantern quietly";
    for (current, next, field) in [
        ("", new, "current_password"),
        ("not my password", new, "current_password"),
        (PASSWORD, "short", "new_password"),
    ] {
        let r = here
            .post_form(
                "/account/password",
                "/account",
                &[("current_password", current), ("new_password", next)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{current:?}");
        let html = crate::common::body_text(r).await;
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {html}"
        );
    }
    let r = here
        .post_form(
            "/account/password",
            "/account",
            &[("current_password", PASSWORD), ("new_password", new)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, html) = here.get_text("/account").await;
    assert_eq!(s, StatusCode::OK, "this session goes on");
    assert!(html.contains("Your password has been changed"));
    let r = elsewhere.get("/account").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the other session ended");
    // The new password signs in; the old one does not.
    app.client().sign_in(&person.email, new).await;
    let r = app
        .client()
        .post_form(
            "/sign-in",
            "/sign-in",
            &[("email", &person.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// Writing forms explain formatting in plain words, not "Markdown".
async fn formatting_help_is_in_plain_words(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let writer = given
        .person("contributor")
        .member_of(&org)
        .await
        .browser()
        .await;
    let (s, html) = writer.get_text("/library/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("How to format the text") && html.contains("two stars"));
    assert!(!html.contains("Markdown"), "{html}");
}

/// Overspend is saved but said at once, and flagged with lapsed work areas in the report.
async fn overspend_and_lapsed_work_areas_are_flagged(app: TestApp) {
    let given = app.given();
    let plan = given
        .plan("Network plan", json!({"visibility": "network"}))
        .await;
    let admin = given.person("network_admin").await.browser().await;
    let (_, v) = given.admin().await.api_get(&format!("/plans/{plan}")).await;
    let first = v["work_areas"][0].clone();
    assert_eq!(first["budget_allocated_pence"], 800_000, "{first}");
    let work_area = first["id"].as_str().expect("id").to_string();
    let r = admin
        .post_form(
            &format!("/work-areas/{work_area}/updates"),
            &format!("/plans/{plan}"),
            &[
                ("plan_id", plan.as_str()),
                ("posted_on", ""),
                ("body", "Consultant invoices paid."),
                ("rag", "amber"),
                ("spent", "12500"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let location = crate::common::location(&r);
    assert_eq!(
        location,
        format!("/plans/{plan}#wa-{work_area}"),
        "the notice rides in a cookie"
    );
    let (_, html) = admin.get_text(&format!("/plans/{plan}")).await;
    assert!(
        html.contains("The spend is more than this work area"),
        "{html}"
    );
    assert!(html.contains("Over budget by £4,500"));

    // The report flags it, and the work area that ended with no status, in HTML and CSV.
    let (s, html) = admin.get_text(&format!("/plans/{plan}/report")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Over budget by £4,500"), "{html}");
    assert!(html.contains("Past its end date with no status"));
    let raw = admin
        .get(&format!("/plans/{plan}/report/csv?table=work_areas"))
        .await
        .bytes()
        .await
        .expect("the CSV");
    assert!(
        raw.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with a BOM, so Excel keeps the pound sign"
    );
    let (s, csv) = admin
        .get_text(&format!("/plans/{plan}/report/csv?table=work_areas"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        csv.lines().next().unwrap_or_default().ends_with(",flags"),
        "{csv}"
    );
    assert!(csv.contains("Over budget by £4,500"), "{csv}");
    assert!(csv.contains("Past its end date with no status"), "{csv}");
}

/// The events page offers a `webcal://` subscription to the events feed.
async fn events_can_be_subscribed_to(app: TestApp) {
    let (_, html) = app.client().get_text("/events").await;
    let html = unslash(&html);
    let host = app.base.trim_start_matches("http://");
    assert!(
        html.contains(&format!("href=\"webcal://{host}/events.ics\"")),
        "{html}"
    );
}

/// An action can be added by hand, not only by pasting minutes; only those who may change
/// the plan add one; its owner finds it on their home page.
async fn actions_are_added_with_a_form(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let plan = given
        .plan("Network plan", json!({"visibility": "network"}))
        .await;
    let admin = given.person("network_admin").await.browser().await;
    let owner = given
        .person("member")
        .member_of(&org)
        .named("Zoë Ó Briain")
        .await;
    let page = format!("/plans/{plan}");
    let before = app.count("actions").await;

    let r = admin
        .post_form(
            &format!("/plans/{plan}/actions"),
            &page,
            &[
                ("description", ""),
                ("owner", "no-such-person"),
                ("due_date", "31/01/27"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = crate::common::body_text(r).await;
    for field in ["description", "owner", "due_date"] {
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{field}: {html}"
        );
    }
    assert_eq!(app.count("actions").await, before, "nothing added");

    let r = admin
        .post_form(
            &format!("/plans/{plan}/actions"),
            &page,
            &[
                ("description", "Draft the advocacy brief for the Executive"),
                ("owner", owner.id.as_str()),
                ("due_date", "2027-01-31"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("actions").await, before + 1);
    let (_, html) = admin.get_text(&page).await;
    let actions = html
        .split("id=\"actions\"")
        .nth(1)
        .expect("the actions table");
    assert!(actions.contains("Draft the advocacy brief") && actions.contains("Zoë Ó Briain"));
    assert!(actions.contains("31 January 2027"));

    // A member who may not change the plan cannot add one.
    let member = owner.browser().await;
    let r = member
        .post_form(
            &format!("/plans/{plan}/actions"),
            &page,
            &[("description", "Sneaky"), ("owner", ""), ("due_date", "")],
        )
        .await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );
    assert_eq!(app.count("actions").await, before + 1);
    // The API adds one the same way, with the same checks and the same rule.
    let api = given.admin().await;
    let (s, v) = api
        .api_post(
            &format!("/plans/{plan}/actions"),
            json!({"description": "Book the venue", "owner_user_id": owner.id, "due_date": "2027-02-28"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert!(v["id"].is_string());
    let (s, v) = api
        .api_post(
            &format!("/plans/{plan}/actions"),
            json!({"description": "", "due_date": "soon"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = api
        .api_post(
            &format!("/plans/{plan}/actions"),
            json!({"description": "x", "status": "done"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a field it does not take is refused"
    );
    let (s, _) = owner
        .api()
        .await
        .api_post(
            &format!("/plans/{plan}/actions"),
            json!({"description": "Sneaky"}),
        )
        .await;
    assert!(
        matches!(s, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{s}"
    );
    assert_eq!(app.count("actions").await, before + 2);
    // The owner finds it at home.
    let (_, home) = member.get_text("/").await;
    let mine = home
        .split("id=\"my-actions\"")
        .nth(1)
        .expect("actions for you");
    assert!(mine.contains("Draft the advocacy brief"));
}

/// Registrations and the report's tables download as Excel workbooks that an independent
/// reader (openpyxl) opens: sheets, headers, amounts as numbers, formulas kept as text.
async fn tables_download_as_excel_workbooks(app: TestApp) {
    let given = app.given();
    let org = given.organisation("active-lancashire").await;
    let organiser = given.person("contributor").member_of(&org).await;
    let guest = given
        .person("member")
        .member_of(&org)
        .named("=HYPERLINK(\"http://evil.example\")")
        .await;
    let event = given.event(&org).by(&organiser).await;
    let r = guest
        .browser()
        .await
        .post_form(
            &format!("/events/{event}/register"),
            &format!("/events/{event}"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let organiser = organiser.browser().await;
    let book = organiser
        .get(&format!("/events/{event}/registrations.xlsx"))
        .await;
    assert_eq!(book.status(), StatusCode::OK);
    let content_type = book
        .headers()
        .get("content-type")
        .and_then(|t| t.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    let read = read_workbook(&book.bytes().await.expect("a workbook"), "registrations");
    assert!(read.contains("SHEET Registrations"), "{read}");
    assert!(read.contains("ROW Name|Email|Organisation"), "{read}");
    assert!(
        read.contains("s:=HYPERLINK"),
        "a name stays text, never a formula: {read}"
    );
    // Someone who does not organise it gets nothing.
    let other = given.person("member").member_of(&org).await.browser().await;
    let r = other
        .get(&format!("/events/{event}/registrations.xlsx"))
        .await;
    assert!(matches!(
        r.status(),
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ));

    let plan = given
        .plan("Network plan", json!({"visibility": "network"}))
        .await;
    let admin = given.admin().await;
    let (s, v) = admin.api_get(&format!("/plans/{plan}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let admin_browser = given.person("network_admin").await.browser().await;
    let r = admin_browser
        .get(&format!("/plans/{plan}/report/xlsx"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let read = read_workbook(&r.bytes().await.expect("a workbook"), "report");
    for sheet in ["SHEET Work areas", "SHEET Actions", "SHEET Updates"] {
        assert!(read.contains(sheet), "{sheet}: {read}");
    }
    assert!(read.contains("n:8000"), "amounts are numbers: {read}");
}

/// The workbook read back by openpyxl: "SHEET name", the header as "ROW a|b|…", then each
/// cell as "s:text" or "n:number".
fn read_workbook(bytes: &[u8], tag: &str) -> String {
    let dir = crate::common::temp_dir(tag);
    let path = dir.join("book.xlsx");
    std::fs::write(&path, bytes).expect("write");
    let python = crate::common::python_with("openpyxl", "openpyxl");
    let script = "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nfor ws in wb.worksheets:\n    print('SHEET ' + ws.title)\n    rows = list(ws.iter_rows())\n    print('ROW ' + '|'.join(str(c.value) for c in rows[0]))\n    for row in rows[1:]:\n        for c in row:\n            v = c.value\n            if isinstance(v, (int, float)):\n                print('n:%g' % v)\n            elif v is not None:\n                print(c.data_type + ':' + str(v))\n";
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "openpyxl could not open it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The work areas of a plan as the API gives them.
async fn work_areas(api: &crate::common::Client, plan: &str) -> Vec<serde_json::Value> {
    let (s, v) = api.api_get(&format!("/plans/{plan}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["work_areas"].as_array().cloned().unwrap_or_default()
}

/// Dates are typed in three boxes (GOV.UK date input) or as people write them in one; a wrong
/// one is named in one message beside its field, keeps what was typed and changes nothing.
async fn dates_are_typed_as_day_month_and_year(app: TestApp) {
    let given = app.given();
    let plan = given
        .plan("Network plan", json!({"visibility": "network"}))
        .await;
    let admin_person = given.person("network_admin").await;
    let admin = admin_person.browser().await;
    let api = admin_person.api().await;
    let area = work_areas(&api, &plan).await[0].clone();
    let id = area["id"].as_str().expect("id").to_string();
    let edit = format!("/work-areas/{id}/edit");
    let title = area["title"].as_str().expect("title").to_string();

    // The form offers day, month and year boxes.
    let (_, html) = admin.get_text(&edit).await;
    for name in [
        "start-day",
        "start-month",
        "start-year",
        "end-day",
        "end-month",
        "end-year",
    ] {
        assert!(html.contains(&format!("name=\"{name}\"")), "{name}");
    }
    assert!(html.contains("class=\"govuk-date-input\""));

    // Wrong: a day that does not exist, a missing day. One message each, naming the field.
    let r = admin
        .post_form(
            &edit,
            &edit,
            &[
                ("title", title.as_str()),
                ("start-day", "31"),
                ("start-month", "2"),
                ("start-year", "2026"),
                ("end-day", ""),
                ("end-month", "4"),
                ("end-year", "2027"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = crate::common::body_text(r).await;
    assert!(html.contains("Start date must be a real date"), "{html}");
    assert!(html.contains("End date must include a day"), "{html}");
    assert_eq!(
        html.matches("id=\"start-error\"").count(),
        1,
        "one message for the start date"
    );
    assert_eq!(
        html.matches("Start date must be a real date").count(),
        2,
        "beside the field and in the summary"
    );
    assert!(
        html.contains("href=\"#start\""),
        "the summary links to the day box"
    );
    assert!(html.contains("value=\"31\""), "what was typed is kept");
    let after = work_areas(&api, &plan).await[0].clone();
    assert_eq!(after["start_date"], area["start_date"], "nothing changed");

    // Right, as people type: a month name, no leading zeros.
    let r = admin
        .post_form(
            &edit,
            &edit,
            &[
                ("title", title.as_str()),
                ("start-day", "1"),
                ("start-month", "Sept"),
                ("start-year", "2026"),
                ("end-day", "31"),
                ("end-month", "03"),
                ("end-year", "2027"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let after = work_areas(&api, &plan).await[0].clone();
    assert_eq!(
        (after["start_date"].as_str(), after["end_date"].as_str()),
        (Some("2026-09-01"), Some("2027-03-31"))
    );
    // The form shows the saved day back in its boxes.
    let (_, html) = admin.get_text(&edit).await;
    assert!(
        html.contains(
            "id=\"start\" name=\"start-day\" type=\"text\" inputmode=\"numeric\" value=\"1\""
        ),
        "{html}"
    );

    // The report date as typed in one box or three; a wrong one is explained.
    let (s, html) = admin
        .get_text(&format!(
            "/plans/{plan}/report?date-day=20&date-month=11&date-year=2026"
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("As it stood on 20 November 2026."), "{html}");
    let (s, html) = admin
        .get_text(&format!("/plans/{plan}/report?date=20%2F11%2F2026"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("As it stood on 20 November 2026."));
    let (s, html) = admin
        .get_text(&format!(
            "/plans/{plan}/report?date-day=20&date-month=11&date-year=26"
        ))
        .await;
    assert_ne!(s, StatusCode::OK);
    assert!(
        html.contains("The year of the report date must include 4 numbers"),
        "{html}"
    );

    // The API takes what people write too ("12/02/2027"), and refuses what is not a date
    // with the field named.
    let org = given.organisation("active-lancashire").await;
    let next_year = (app.app.now() / 1000 / 31_556_952) + 1970 + 1;
    let body = |date: &str| {
        json!({
            "title": "Dates as people write them", "summary": "Places share what works.",
            "format": "online", "joining_link": "https://meet.example.org/x",
            "start_date": date, "start_time": "10:00", "end_time": "11:00", "capacity": 10,
            "organisation_id": org.id, "visibility": "network", "status": "open",
        })
    };
    let (s, v) = api
        .api_post("/events", body(&format!("12/02/{next_year}")))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = api.api_post("/events", body("30/02/2027")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields = v["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(fields.len(), 1, "one problem, not two: {v}");
    assert_eq!(fields[0]["field"], "start_date");
    assert_eq!(fields[0]["message"], "Start date must be a real date");
}

/// Posts the work area's edit form, as `who`, choosing the places that deliver it.
async fn choose_places(
    who: &crate::common::Client,
    edit: &str,
    title: &str,
    place: &str,
) -> StatusCode {
    who.post_form(
        edit,
        edit,
        &[("title", title), ("places_shown", "yes"), ("places", place)],
    )
    .await
    .status()
}

/// A work area names the places that deliver it: their place leads post its progress (and
/// no one else's), cannot change the places, and each place's page lists the work.
async fn place_leads_post_progress_on_work_their_place_delivers(app: TestApp) {
    let given = app.given();
    let plan = given
        .plan("Network plan", json!({"visibility": "network"}))
        .await;
    let blackpool = given.place("blackpool").await;
    let chorley = given.place("chorley").await;
    let council = given.organisation_in("blackpool-council", &blackpool).await;
    let other = given.organisation_in("chorley-council", &chorley).await;
    let lead = given.person("place_lead").member_of(&council).await;
    let elsewhere = given.person("place_lead").member_of(&other).await;
    let admin_person = given.person("network_admin").await;
    let admin = admin_person.browser().await;
    let api = admin_person.api().await;
    let area = work_areas(&api, &plan).await[1].clone();
    let id = area["id"].as_str().expect("id").to_string();
    let title = area["title"].as_str().expect("title").to_string();
    let page = format!("/plans/{plan}");
    let post_update = |who: crate::common::Client| {
        let id = id.clone();
        let page = page.clone();
        let plan = plan.clone();
        async move {
            who.post_form(
                &format!("/work-areas/{id}/updates"),
                &page,
                &[
                    ("plan_id", plan.as_str()),
                    ("rag", "amber"),
                    ("body", "Workshops moved to the spring"),
                    ("spent", ""),
                ],
            )
            .await
            .status()
        }
    };
    let updates_before = app.count("work_area_updates").await;
    // Before the place delivers it, its lead may not post.
    assert_eq!(
        post_update(lead.browser().await).await,
        StatusCode::FORBIDDEN
    );

    // The network admin names Blackpool on the work area's form.
    let edit = format!("/work-areas/{id}/edit");
    let (_, html) = admin.get_text(&edit).await;
    assert!(html.contains("Places that deliver this work"));
    assert_eq!(
        choose_places(&admin, &edit, &title, &blackpool.id).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        work_areas(&api, &plan).await[1]["places"],
        json!(["blackpool"])
    );
    let (_, html) = admin.get_text(&page).await;
    assert!(
        unslash(&html).contains("href=\"/places/blackpool\""),
        "the plan says where it is delivered"
    );

    // Blackpool's place lead now may; Chorley's may not; nothing else changed for them.
    assert_eq!(
        post_update(lead.browser().await).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post_update(elsewhere.browser().await).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("work_area_updates").await, updates_before + 1);
    // The place lead posts progress but does not choose the places.
    let lead_browser = lead.browser().await;
    let (s, html) = lead_browser.get_text(&edit).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("Places that deliver this work"));
    assert_eq!(
        choose_places(&lead_browser, &edit, &title, &chorley.id).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        work_areas(&api, &plan).await[1]["places"],
        json!(["blackpool"])
    );
    // A place that does not exist is refused on the form.
    assert_eq!(
        choose_places(&admin, &edit, &title, "no-such-place").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Blackpool's page lists the work with its status; a signed-out visitor does not see a
    // network plan's work there.
    let (_, html) = admin.get_text("/places/blackpool").await;
    let work = html
        .split("id=\"place-work\"")
        .nth(1)
        .expect("the place's work");
    assert!(
        work.contains(&title) && work.contains("Amber: at risk"),
        "{work}"
    );
    let (_, html) = app.client().get_text("/places/blackpool").await;
    assert!(!html.contains("id=\"place-work\""));
}

/// A plan's key milestones become milestones; Executive actions are linked to the mandate they
/// name, and the plan page shows both.
async fn plans_hold_their_milestones_and_actions_their_mandates(app: TestApp) {
    let given = app.given();
    let plan = given
        .plan("Network plan", json!({"visibility": "network"}))
        .await;
    let executive = given.executive("Partnership Executive").await;
    let admin_person = given.person("network_admin").await;
    let api = admin_person.api().await;
    let areas = work_areas(&api, &plan).await;
    let first = &areas[0]["milestones"][0];
    assert!(
        first["title"]
            .as_str()
            .unwrap_or_default()
            .starts_with("The platform is available to all places to use by March 2027"),
        "{first}"
    );
    assert_eq!(first["due_date"], "2027-03-31");
    assert_eq!(areas[1]["milestones"][0]["due_date"], "2026-09-30");
    let admin = admin_person.browser().await;
    let (_, html) = admin.get_text(&format!("/plans/{plan}")).await;
    assert!(html.contains("Key milestones and progress to date"));
    assert!(html.contains("31 March 2027"));

    let (_, v) = api.api_get(&format!("/plans/{executive}")).await;
    let mandate = |title: &str| {
        v["work_areas"]
            .as_array()
            .and_then(|w| w.iter().find(|w| w["title"] == title))
            .map(|w| w["id"].clone())
            .unwrap_or_else(|| panic!("mandate {title}"))
    };
    let actions = v["actions"].as_array().cloned().unwrap_or_default();
    assert_eq!(actions.len(), 2);
    assert_eq!(
        actions[0]["work_area_id"],
        mandate("Establish a shared intelligence system")
    );
    assert_eq!(
        actions[1]["work_area_id"],
        mandate("Leadership, Organisation and Workforce Development")
    );
    let (_, html) = admin.get_text(&format!("/plans/{executive}")).await;
    assert!(html.contains("For: Establish a shared intelligence system"));
}

/// Pages are built with GOV.UK Frontend (served from the binary), with a system font instead
/// of GDS Transport and no crown, and its script is a file under the CSP, never inline.
async fn pages_use_gov_uk_frontend_without_its_restricted_parts(app: TestApp) {
    let client = app.client();
    let r = client.get("/").await;
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    let html = crate::common::body_text(r).await;
    let html = unslash(&html);
    assert!(
        html.contains("<link rel=\"stylesheet\" href=\"/assets/govuk/govuk-frontend.min.css\">")
    );
    assert!(html.contains("<script type=\"module\" src=\"/assets/lz-init.mjs\"></script>"));
    assert!(html.contains("class=\"govuk-template__body\""));
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script type=\"module\" src=").count(),
        "no inline script"
    );
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(
        !html.contains("govuk-header__logo") && !html.contains("crown"),
        "no crown"
    );

    let r = client.get("/assets/govuk/govuk-frontend.min.css").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/css"));
    let css = crate::common::body_text(r).await;
    assert!(css.contains(".govuk-date-input") && css.contains(".govuk-error-summary"));
    assert!(!css.contains("GDS Transport"), "no GDS Transport");
    assert!(css.contains("system-ui"), "a system font stack");
    for (path, needle) in [
        ("/assets/govuk/govuk-frontend.min.js", "initAll"),
        ("/assets/lz-init.mjs", "govuk-frontend-supported"),
    ] {
        let r = client.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/javascript"));
        assert!(crate::common::body_text(r).await.contains(needle), "{path}");
    }
}
