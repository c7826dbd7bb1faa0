//! Learning events: formats, statuses, registration states, UK local times (Europe/London,
//! across the clocks changing) and the iCalendar (RFC 5545) text calendars read.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::Timestamp;

/// Every event's time zone: the network is in England.
pub const TIME_ZONE: &str = "Europe/London";

/// Most places an event may offer.
pub const MAX_CAPACITY: i64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventFormat {
    InPerson,
    Online,
    Hybrid,
}

impl EventFormat {
    pub const ALL: [EventFormat; 3] = [Self::InPerson, Self::Online, Self::Hybrid];

    pub fn code(self) -> &'static str {
        match self {
            Self::InPerson => "in_person",
            Self::Online => "online",
            Self::Hybrid => "hybrid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::InPerson => "In person",
            Self::Online => "Online",
            Self::Hybrid => "Hybrid (in person and online)",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == s.trim())
    }

    pub fn has_venue(self) -> bool {
        !matches!(self, Self::Online)
    }

    pub fn has_link(self) -> bool {
        !matches!(self, Self::InPerson)
    }
}

/// What organisers set; "full" and "finished" follow from registrations and the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Draft,
    Open,
    Closed,
    Cancelled,
}

impl EventStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Open, Self::Closed, Self::Cancelled]
            .into_iter()
            .find(|x| x.code() == s.trim())
    }
}

/// The status people see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShownStatus {
    Draft,
    Open,
    Full,
    Closed,
    Cancelled,
    Finished,
}

impl ShownStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Full => "full",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
            Self::Finished => "finished",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Open => "Open for registration",
            Self::Full => "Full: waiting list open",
            Self::Closed => "Registration closed",
            Self::Cancelled => "Cancelled",
            Self::Finished => "Finished",
        }
    }
}

/// The moments that decide what an event shows and whether people may register.
#[derive(Debug, Clone, Copy)]
pub struct EventClock {
    pub status: EventStatus,
    pub starts_at: i64,
    pub ends_at: i64,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub capacity: i64,
    pub registered: i64,
}

impl EventClock {
    pub fn shown(&self, now: i64) -> ShownStatus {
        match self.status {
            EventStatus::Draft => ShownStatus::Draft,
            EventStatus::Cancelled => ShownStatus::Cancelled,
            _ if now >= self.ends_at => ShownStatus::Finished,
            EventStatus::Closed => ShownStatus::Closed,
            EventStatus::Open if !self.registration_window(now) => ShownStatus::Closed,
            EventStatus::Open if self.registered >= self.capacity => ShownStatus::Full,
            EventStatus::Open => ShownStatus::Open,
        }
    }

    /// Registration (or the waiting list) is open: the event is open, not started, and within
    /// the registration window.
    pub fn accepts_registrations(&self, now: i64) -> Result<(), &'static str> {
        match self.status {
            EventStatus::Draft => return Err("This event is not open for registration yet"),
            EventStatus::Cancelled => return Err("This event has been cancelled"),
            EventStatus::Closed => return Err("Registration for this event has closed"),
            EventStatus::Open => {}
        }
        if now >= self.ends_at {
            return Err("This event has finished");
        }
        if now >= self.starts_at {
            return Err("This event has already started");
        }
        if self.opens_at.is_some_and(|o| now < o) {
            return Err("Registration for this event has not opened yet");
        }
        if self.closes_at.is_some_and(|c| now >= c) {
            return Err("Registration for this event has closed");
        }
        Ok(())
    }

    fn registration_window(&self, now: i64) -> bool {
        now < self.starts_at
            && self.opens_at.is_none_or(|o| now >= o)
            && self.closes_at.is_none_or(|c| now < c)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// A guest who has not yet followed the emailed link.
    Pending,
    Registered,
    Waiting,
    Cancelled,
}

impl RegistrationStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Registered => "registered",
            Self::Waiting => "waiting",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for email confirmation",
            Self::Registered => "Registered",
            Self::Waiting => "On the waiting list",
            Self::Cancelled => "Cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Registered,
            Self::Waiting,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }
}

fn london() -> TimeZone {
    // The zone database is built into the binary (jiff's bundled tzdb), so this cannot miss.
    TimeZone::get(TIME_ZONE).unwrap_or(TimeZone::UTC)
}

/// A UK local date ("2026-07-15") and time ("10:00") as UTC milliseconds. A time that the
/// clocks skip is refused; a time that happens twice (the October change) is the first one.
pub fn parse_local(date: &str, time: &str) -> Result<i64, &'static str> {
    let d: Date = date
        .trim()
        .parse()
        .map_err(|_| "Enter a date as year-month-day, for example 2026-07-15")?;
    let t: Time = time
        .trim()
        .parse()
        .map_err(|_| "Enter a time as hours:minutes, for example 09:30")?;
    if !(2000..=2100).contains(&d.year()) {
        return Err("Enter a year between 2000 and 2100");
    }
    let dt = DateTime::from_parts(d, t);
    let amb = london().to_ambiguous_timestamp(dt);
    if let AmbiguousOffset::Gap { .. } = amb.offset() {
        return Err("That time does not exist in the UK: the clocks go forward an hour then");
    }
    amb.earlier()
        .map(|ts| ts.as_millisecond())
        .map_err(|_| "That date and time cannot be used")
}

fn local(ms: i64) -> Option<jiff::Zoned> {
    Some(Timestamp::from_millisecond(ms).ok()?.to_zoned(london()))
}

/// UK local (date "YYYY-MM-DD", time "HH:MM") of a moment, to fill a form again.
pub fn local_parts(ms: i64) -> (String, String) {
    match local(ms) {
        Some(z) => (
            z.strftime("%Y-%m-%d").to_string(),
            z.strftime("%H:%M").to_string(),
        ),
        None => (String::new(), String::new()),
    }
}

/// "Wednesday 15 July 2026, 10:00" in UK time.
pub fn display(ms: i64) -> String {
    local(ms)
        .map(|z| z.strftime("%A %-d %B %Y, %H:%M").to_string())
        .unwrap_or_default()
}

/// A moment in UK time, short: "15 Jul 2026, 10:00 BST" (pages' dates of publication,
/// updates and the like; people read them as the time where they are).
pub fn display_short(ms: i64) -> String {
    local(ms)
        .map(|z| z.strftime("%-d %b %Y, %H:%M %Z").to_string())
        .unwrap_or_default()
}

/// "Wednesday 15 July 2026, 10:00 to 12:30 (UK time, BST)"; the end's date is named when it differs.
pub fn display_range(start: i64, end: i64) -> String {
    let (Some(s), Some(e)) = (local(start), local(end)) else {
        return String::new();
    };
    let abbr = s.strftime("%Z").to_string();
    if s.date() == e.date() {
        format!(
            "{} to {} (UK time, {abbr})",
            s.strftime("%A %-d %B %Y, %H:%M"),
            e.strftime("%H:%M")
        )
    } else {
        format!(
            "{} to {} (UK time)",
            s.strftime("%A %-d %B %Y, %H:%M"),
            e.strftime("%A %-d %B %Y, %H:%M")
        )
    }
}

/// The UK calendar date of a moment ("2026-07-15").
pub fn local_date(ms: i64) -> String {
    local_parts(ms).0
}

/// One event as a calendar sees it.
#[derive(Debug, Clone)]
pub struct IcalEvent<'a> {
    pub uid: &'a str,
    /// Raised on every change that people should see, so clients replace their copy.
    pub sequence: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    /// When this copy was made.
    pub stamp: i64,
    pub summary: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub url: &'a str,
    pub cancelled: bool,
    /// Needed by invitations and cancellations (iTIP): who sends them.
    pub organizer: Option<Person<'a>>,
    /// The registrant an invitation or cancellation is for.
    pub attendee: Option<Person<'a>>,
}

/// A name and an email address, as iCalendar's ORGANIZER and ATTENDEE carry them.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// The iCalendar method (RFC 5546, iTIP): a feed or an "add to calendar" file publishes; an
/// email to a registrant is an invitation (REQUEST) that Outlook and Google put in the
/// calendar, and an update is the same REQUEST with the same UID and a higher SEQUENCE; a
/// cancellation cancels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcalMethod {
    Publish,
    Request,
    Cancel,
}

impl IcalMethod {
    pub fn code(self) -> &'static str {
        match self {
            Self::Publish => "PUBLISH",
            Self::Request => "REQUEST",
            Self::Cancel => "CANCEL",
        }
    }
}

/// A VCALENDAR with the Europe/London time zone and `events`, with CRLF line ends and long
/// lines folded as RFC 5545 requires.
pub fn calendar(method: IcalMethod, name: &str, events: &[IcalEvent<'_>]) -> String {
    let mut out = String::new();
    let mut line = |s: &str| fold_into(&mut out, s);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Learning Zone//Events//EN");
    line("CALSCALE:GREGORIAN");
    line(&format!("METHOD:{}", method.code()));
    line(&format!("X-WR-CALNAME:{}", escape(name)));
    line(&format!("X-WR-TIMEZONE:{TIME_ZONE}"));
    for l in VTIMEZONE_LONDON {
        line(l);
    }
    for e in events {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape(e.uid)));
        line(&format!("SEQUENCE:{}", e.sequence.max(0)));
        line(&format!("DTSTAMP:{}", utc_stamp(e.stamp)));
        line(&format!(
            "DTSTART;TZID={TIME_ZONE}:{}",
            local_stamp(e.starts_at)
        ));
        line(&format!(
            "DTEND;TZID={TIME_ZONE}:{}",
            local_stamp(e.ends_at)
        ));
        line(&format!("SUMMARY:{}", escape(e.summary)));
        if !e.description.is_empty() {
            line(&format!("DESCRIPTION:{}", escape(e.description)));
        }
        if !e.location.is_empty() {
            line(&format!("LOCATION:{}", escape(e.location)));
        }
        if !e.url.is_empty() {
            line(&format!("URL:{}", e.url));
        }
        if let Some(o) = e.organizer {
            line(&format!(
                "ORGANIZER;CN={}:mailto:{}",
                param(o.name),
                o.email
            ));
        }
        if let Some(a) = e.attendee {
            // Already registered: accepted, and no reply is asked for (the sender is not a
            // mailbox that reads calendar replies; people cancel on the site).
            line(&format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT={};RSVP=FALSE:mailto:{}",
                param(a.name),
                if method == IcalMethod::Cancel {
                    "DECLINED"
                } else {
                    "ACCEPTED"
                },
                a.email
            ));
        }
        line(if e.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        });
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// Europe/London's rules since 1996: BST from the last Sunday of March at 01:00 UTC to the
/// last Sunday of October at 01:00 UTC.
const VTIMEZONE_LONDON: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

fn local_stamp(ms: i64) -> String {
    local(ms)
        .map(|z| z.strftime("%Y%m%dT%H%M%S").to_string())
        .unwrap_or_default()
}

fn utc_stamp(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// A parameter value (CN=…): quoted, since names hold commas; quotes and controls dropped,
/// as RFC 5545 allows no escape inside a quoted parameter.
fn param(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{clean}\"")
}

/// TEXT values: backslash, semicolon, comma and newlines escaped; other controls dropped.
fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// Normalised email for "one registration per person per event".
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn uk_local_times_follow_the_clocks() {
        // Summer: BST is UTC+1; winter: GMT is UTC.
        assert_eq!(
            parse_local("2026-07-15", "10:00"),
            Ok(utc("2026-07-15T09:00:00Z"))
        );
        assert_eq!(
            parse_local("2026-11-19", "10:00"),
            Ok(utc("2026-11-19T10:00:00Z"))
        );
        // 29 March 2026 01:30 does not exist; 25 October 2026 01:30 happens twice (first: BST).
        assert!(parse_local("2026-03-29", "01:30").is_err());
        assert_eq!(
            parse_local("2026-10-25", "01:30"),
            Ok(utc("2026-10-25T00:30:00Z"))
        );
        assert!(parse_local("15/07/2026", "10:00").is_err());
        assert!(parse_local("2026-07-15", "25:00").is_err());
        assert_eq!(
            local_parts(utc("2026-07-15T09:00:00Z")),
            ("2026-07-15".into(), "10:00".into())
        );
        assert_eq!(
            display_range(utc("2026-07-15T09:00:00Z"), utc("2026-07-15T11:30:00Z")),
            "Wednesday 15 July 2026, 10:00 to 12:30 (UK time, BST)"
        );
        // Short moments are UK time too, in summer and in winter.
        assert_eq!(
            display_short(utc("2026-07-15T09:00:00Z")),
            "15 Jul 2026, 10:00 BST"
        );
        assert_eq!(
            display_short(utc("2026-12-07T03:40:00Z")),
            "7 Dec 2026, 03:40 GMT"
        );
    }

    #[test]
    fn shown_status_follows_clock_and_places() {
        let start = utc("2026-07-15T09:00:00Z");
        let mut c = EventClock {
            status: EventStatus::Open,
            starts_at: start,
            ends_at: start + 3_600_000,
            opens_at: None,
            closes_at: Some(start - 86_400_000),
            capacity: 2,
            registered: 1,
        };
        let before = start - 2 * 86_400_000;
        assert_eq!(c.shown(before), ShownStatus::Open);
        c.registered = 2;
        assert_eq!(c.shown(before), ShownStatus::Full);
        assert!(c.accepts_registrations(before).is_ok(), "waiting list");
        assert_eq!(c.shown(start - 1000), ShownStatus::Closed);
        assert!(c.accepts_registrations(start - 1000).is_err());
        assert_eq!(c.shown(start + 7_200_000), ShownStatus::Finished);
        c.status = EventStatus::Cancelled;
        assert_eq!(c.shown(before), ShownStatus::Cancelled);
        assert!(c.accepts_registrations(before).is_err());
    }

    #[test]
    fn calendar_text_is_escaped_and_folded() {
        let ev = IcalEvent {
            uid: "e1@lz",
            sequence: 2,
            starts_at: utc("2026-07-15T09:00:00Z"),
            ends_at: utc("2026-07-15T11:00:00Z"),
            stamp: utc("2026-06-01T00:00:00Z"),
            summary: "Active environments; places, people\nand \\ paths",
            description: &"é".repeat(100),
            location: "",
            url: "https://example.org/events/e1",
            cancelled: false,
            organizer: None,
            attendee: None,
        };
        let text = calendar(IcalMethod::Publish, "Events", &[ev.clone()]);
        assert!(text.contains("DTSTART;TZID=Europe/London:20260715T100000\r\n"));
        assert!(text.contains("SUMMARY:Active environments\\; places\\, people\\nand \\\\ paths"));
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        // Unfolding gives the original description back.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "é".repeat(100))));
        assert!(!unfolded.contains("ATTENDEE"));

        // An invitation names the organiser and the attendee; names are quoted parameters.
        let invite = IcalEvent {
            organizer: Some(Person {
                name: "Learning Zone",
                email: "noreply@example.org",
            }),
            attendee: Some(Person {
                name: "Ó Briain, \"Zoë\"",
                email: "zoe@example.org",
            }),
            ..ev
        };
        let text = calendar(IcalMethod::Request, "Events", &[invite.clone()]).replace("\r\n ", "");
        assert!(text.contains("METHOD:REQUEST\r\n"));
        assert!(text.contains("ORGANIZER;CN=\"Learning Zone\":mailto:noreply@example.org\r\n"));
        assert!(text.contains(
            "ATTENDEE;CN=\"Ó Briain, Zoë\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:zoe@example.org\r\n"
        ));
        let text = calendar(IcalMethod::Cancel, "Events", &[invite]);
        assert!(text.contains("METHOD:CANCEL\r\n") && text.contains("PARTSTAT=DECLINED"));
    }
}
