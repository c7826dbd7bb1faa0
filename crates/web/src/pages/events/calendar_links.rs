//! "Add to calendar" links for the calendars partners use: Outlook (Microsoft 365 and
//! Outlook.com on the web) and Google open a filled-in new event; Apple Calendar and any other
//! take the `.ics` file. Only what the event page shows publicly goes into them: the title, the
//! time, the place and the page's address; never the joining link.

use url::form_urlencoded::Serializer;

/// The event as the links need it.
pub struct CalendarEvent<'a> {
    pub title: &'a str,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub location: &'a str,
    pub page: &'a str,
}

fn utc(ms: i64, format: &str) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime(format).to_string())
        .unwrap_or_default()
}

/// Google Calendar's "new event" page.
pub fn google(e: &CalendarEvent<'_>) -> String {
    let dates = format!(
        "{}/{}",
        utc(e.starts_at_ms, "%Y%m%dT%H%M%SZ"),
        utc(e.ends_at_ms, "%Y%m%dT%H%M%SZ")
    );
    let query = Serializer::new(String::new())
        .append_pair("action", "TEMPLATE")
        .append_pair("text", e.title)
        .append_pair("dates", &dates)
        .append_pair("details", e.page)
        .append_pair("location", e.location)
        .finish();
    format!("https://calendar.google.com/calendar/render?{query}")
}

/// Outlook on the web's "new event" page (work and personal accounts alike).
pub fn outlook(e: &CalendarEvent<'_>) -> String {
    let query = Serializer::new(String::new())
        .append_pair("path", "/calendar/action/compose")
        .append_pair("rru", "addevent")
        .append_pair("subject", e.title)
        .append_pair("startdt", &utc(e.starts_at_ms, "%Y-%m-%dT%H:%M:%SZ"))
        .append_pair("enddt", &utc(e.ends_at_ms, "%Y-%m-%dT%H:%M:%SZ"))
        .append_pair("body", e.page)
        .append_pair("location", e.location)
        .finish();
    format!("https://outlook.office.com/calendar/action/compose?{query}")
}

/// The site's events feed as a calendar subscription (`webcal://`), which calendar apps
/// keep up to date by themselves.
pub fn webcal(feed: &str) -> String {
    match feed.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => feed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> CalendarEvent<'static> {
        CalendarEvent {
            title: "Walking & talking",
            // 15 July 2026, 10:00 to 12:30 BST.
            starts_at_ms: 1_784_106_000_000,
            ends_at_ms: 1_784_115_000_000,
            location: "Preston Guild Hall",
            page: "https://lz.example/events/1",
        }
    }

    #[test]
    fn links_carry_utc_times_and_escaped_text() {
        let g = google(&event());
        assert!(
            g.contains("dates=20260715T090000Z%2F20260715T113000Z"),
            "{g}"
        );
        assert!(g.contains("text=Walking+%26+talking"), "{g}");
        let o = outlook(&event());
        assert!(o.contains("startdt=2026-07-15T09%3A00%3A00Z"), "{o}");
        assert!(o.contains("location=Preston+Guild+Hall"), "{o}");
        assert_eq!(
            webcal("https://lz.example/events.ics"),
            "webcal://lz.example/events.ics"
        );
    }
}
