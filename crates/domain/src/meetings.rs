//! Meeting records brought in from elsewhere (a course site's export, a spreadsheet of past
//! network meetings): one record per talk, read from named fields, with what is wrong with
//! each said in words. Reading the file (CSV or JSON, its encoding) is the app's; these are
//! the rules for one record.

use jiff::civil::Date;

use crate::dates;
use crate::text::{is_bidi_control, nfc};

/// The fields a record may carry, each with the column names it is known by (compared
/// lowercase, with spaces, underscores, hyphens, slashes and brackets removed).
pub const FIELDS: &[(Field, &[&str])] = &[
    (Field::Date, &["date", "meetingdate", "day"]),
    (
        Field::Series,
        &[
            "meeting",
            "series",
            "meetingseries",
            "network",
            "meetingname",
        ],
    ),
    (Field::Topic, &["topic", "title", "session", "subject"]),
    (
        Field::Presenters,
        &[
            "presenter",
            "presenters",
            "presenters",
            "speaker",
            "speakers",
        ],
    ),
    (
        Field::Organisation,
        &[
            "organisation",
            "organization",
            "org",
            "presenterorganisation",
        ],
    ),
    (
        Field::Recording,
        &[
            "recording",
            "recordinglink",
            "recordingurl",
            "video",
            "link",
        ],
    ),
    (
        Field::Slides,
        &["slides", "slidesfile", "slidesfilename", "slidefile"],
    ),
    (
        Field::Summary,
        &["summary", "notes", "description", "meetingnotes"],
    ),
    (
        Field::Attendees,
        &["attendees", "attendeescount", "attendance", "attended"],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Date,
    Series,
    Topic,
    Presenters,
    Organisation,
    Recording,
    Slides,
    Summary,
    Attendees,
}

impl Field {
    /// The column name the template uses.
    pub fn column(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Series => "meeting",
            Field::Topic => "topic",
            Field::Presenters => "presenters",
            Field::Organisation => "organisation",
            Field::Recording => "recording",
            Field::Slides => "slides",
            Field::Summary => "summary",
            Field::Attendees => "attendees",
        }
    }
}

/// Which field a column heading names, if any.
pub fn field_of(heading: &str) -> Option<Field> {
    let key: String = heading
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    FIELDS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(f, _)| *f)
}

/// The template a host fills in: the headings and one example row.
pub const TEMPLATE_CSV: &str = "date,meeting,topic,presenters,organisation,recording,slides,summary,attendees\r\n\
2024-03-12,NW Place Partnerships Network,Listening to communities in Blackpool,Jane Example; Sam Example,Active Lancashire,https://example.org/recordings/2024-03,listening.pptx,How the place team used community conversations to shape its work.,34\r\n";

/// As many presenters as an item names as its authors.
pub const MAX_PRESENTERS: usize = 20;
/// An item's summary is at most this long (the form's limit); longer notes go in its body.
pub const MAX_SUMMARY: usize = 1_000;

/// One record as read, with its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    /// The line of the file (CSV) or the position in the list (JSON), from 1.
    pub line: usize,
    pub date: Option<Date>,
    pub series: String,
    pub topic: String,
    pub presenters: Vec<String>,
    pub organisation: String,
    /// A recording link that is http(s); another kind of link is a problem and left out.
    pub recording: Option<String>,
    pub slides: String,
    pub summary: String,
    pub attendees: Option<u32>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Without a topic there is nothing to title the item with: the record is left out.
    NoTopic,
    /// The date does not read as a day: the record is left out.
    BadDate(String),
    /// The day reads, but is not of a past meeting this site can hold (before 2000, or not
    /// yet come): the record is left out.
    DateOutOfRange(String),
    /// More presenters than an item names (20): the first are kept.
    TooManyPresenters(usize),
    /// A summary longer than an item's (1,000 characters): it goes into the body in full.
    LongSummary,
    /// The recording link is not an http(s) address: the record goes in without it.
    BadRecording(String),
    /// The attendance is not a whole number: left out of the record.
    BadAttendees(String),
}

impl Problem {
    /// Whether the record is left out (otherwise it goes in with the problem noted).
    pub fn leaves_out(&self) -> bool {
        matches!(
            self,
            Problem::NoTopic | Problem::BadDate(_) | Problem::DateOutOfRange(_)
        )
    }

    pub fn message(&self) -> String {
        match self {
            Problem::NoTopic => "no topic: the record is left out".into(),
            Problem::BadDate(d) if d.is_empty() => "no date: the record is left out".into(),
            Problem::BadDate(d) => format!(
                "the date “{d}” is not a day we can read (use 2024-03-12 or 12/03/2024): the record is left out"
            ),
            Problem::DateOutOfRange(d) => format!(
                "the date {d} is not of a past meeting (from 2000 until today): the record is left out"
            ),
            Problem::TooManyPresenters(n) => format!(
                "{n} presenters: the first {MAX_PRESENTERS} are named on the item"
            ),
            Problem::LongSummary => "the summary is longer than 1,000 characters: it is kept in full in the item's text, and shortened as its summary".into(),
            Problem::BadRecording(l) => format!(
                "the recording link “{l}” is not a web address (http or https): it is left out"
            ),
            Problem::BadAttendees(a) => {
                format!("the attendance “{a}” is not a whole number: it is left out")
            }
        }
    }
}

impl MeetingRecord {
    /// A record from its fields (`get` gives a field's text, empty when absent); `today`
    /// bounds the meeting's day (a record is of a past meeting).
    pub fn read(line: usize, today: Date, get: impl Fn(Field) -> String) -> Self {
        let text = |f| tidy(&get(f), 200);
        let mut problems = Vec::new();
        let topic = text(Field::Topic);
        if topic.is_empty() {
            problems.push(Problem::NoTopic);
        }
        let date_text = text(Field::Date);
        let mut date = read_date(&date_text);
        match date {
            None => problems.push(Problem::BadDate(date_text)),
            Some(d) if d.year() < 2000 || d > today => {
                problems.push(Problem::DateOutOfRange(dates::iso(d)));
                date = None;
            }
            Some(_) => {}
        }
        // Links are read whole: recordings on SharePoint or Teams run to hundreds of characters.
        let recording_text = tidy(&get(Field::Recording), 2_000);
        let recording = if recording_text.is_empty() {
            None
        } else if crate::library::parse_link(&recording_text).is_ok() {
            Some(recording_text)
        } else {
            problems.push(Problem::BadRecording(recording_text));
            None
        };
        let attendees_text = text(Field::Attendees);
        let attendees = if attendees_text.is_empty() {
            None
        } else {
            match attendees_text.replace(',', "").parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(Problem::BadAttendees(attendees_text));
                    None
                }
            }
        };
        let mut presenters: Vec<String> = get(Field::Presenters)
            .split([';', ',', '\n'])
            .flat_map(|p| p.split(" and "))
            .map(|p| tidy(p, 120))
            .filter(|p| !p.is_empty())
            .collect();
        if presenters.len() > MAX_PRESENTERS {
            problems.push(Problem::TooManyPresenters(presenters.len()));
            presenters.truncate(MAX_PRESENTERS);
        }
        let summary = tidy_block(&get(Field::Summary), 20_000);
        if summary.chars().count() > MAX_SUMMARY {
            problems.push(Problem::LongSummary);
        }
        MeetingRecord {
            line,
            date,
            series: text(Field::Series),
            topic,
            presenters,
            organisation: text(Field::Organisation),
            recording,
            slides: text(Field::Slides),
            summary,
            attendees,
            problems,
        }
    }

    pub fn left_out(&self) -> bool {
        self.problems.iter().any(Problem::leaves_out)
    }

    /// What makes a record the same one when a file is imported again: its day, meeting and
    /// topic, compared without case or spacing.
    pub fn key(&self) -> String {
        let norm = |s: &str| {
            s.to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        format!(
            "meeting:{}:{}:{}",
            self.date.map(dates::iso).unwrap_or_default(),
            norm(&self.series),
            norm(&self.topic)
        )
    }
}

/// One line of imported text: NFC, no control or direction-changing characters, spaces
/// collapsed, at most `max` characters (an export is not typed by the importer, so what the
/// policy would refuse in a form is taken out here rather than refused).
fn tidy(raw: &str, max: usize) -> String {
    let s: String = nfc(raw)
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

/// Paragraphs of imported text, kept as lines, tidied as `tidy` does each line.
fn tidy_block(raw: &str, max: usize) -> String {
    let lines: Vec<String> = raw.lines().map(|l| tidy(l, max)).collect();
    lines.join("\n").trim().chars().take(max).collect()
}

/// A meeting's day as exports write it: ISO (2024-03-12), UK day-first (12/03/2024,
/// 12 March 2024), or ISO with a time after it (2024-03-12T10:00:00, "2024-03-12 10:00").
pub fn read_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(d) = dates::parse_iso_date(text) {
        return Some(d);
    }
    if text.len() > 10 && text.is_char_boundary(10) {
        let (day, rest) = text.split_at(10);
        if rest.starts_with(['T', ' ']) {
            if let Some(d) = dates::parse_iso_date(day) {
                return Some(d);
            }
        }
    }
    dates::read_day(text, "Date").ok()
}

/// How alike two organisation names are, from 0 to 1, ignoring case, punctuation and the
/// words every council and trust shares; for offering the nearest known organisation.
pub fn name_likeness(a: &str, b: &str) -> f64 {
    const COMMON: &[&str] = &[
        "the", "council", "borough", "city", "county", "district", "of", "and", "ltd", "limited",
        "trust", "cic",
    ];
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !COMMON.contains(w))
            .map(String::from)
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let joined = |w: &[String]| w.join(" ");
    let edit = 1.0
        - levenshtein(&joined(&wa), &joined(&wb)) as f64
            / joined(&wa).chars().count().max(joined(&wb).chars().count()) as f64;
    let shared = wa.iter().filter(|w| wb.contains(w)).count() as f64;
    let overlap = shared / wa.len().max(wb.len()) as f64;
    edit.max(overlap)
}

/// Edits (insert, delete, substitute) between two strings, by characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[(Field, &str)]) -> MeetingRecord {
        MeetingRecord::read(2, Date::new(2026, 12, 1).unwrap(), |f| {
            fields
                .iter()
                .find(|(g, _)| *g == f)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        })
    }

    #[test]
    fn headings_are_known_by_their_usual_names() {
        assert_eq!(field_of("Presenter(s)"), Some(Field::Presenters));
        assert_eq!(field_of("\u{feff}Date"), Some(Field::Date));
        assert_eq!(field_of("Meeting / series"), Some(Field::Series));
        assert_eq!(field_of("Recording link"), Some(Field::Recording));
        assert_eq!(field_of("Slides file name"), Some(Field::Slides));
        assert_eq!(field_of("Attendees count"), Some(Field::Attendees));
        assert_eq!(field_of("Colour"), None);
    }

    #[test]
    fn dates_read_as_exports_write_them() {
        let d = Date::new(2024, 3, 12).unwrap();
        for text in [
            "2024-03-12",
            "12/03/2024",
            "12 March 2024",
            "2024-03-12T10:00:00Z",
            "2024-03-12 10:00",
        ] {
            assert_eq!(read_date(text), Some(d), "{text}");
        }
        for text in ["", "March", "2024-13-01", "31/02/2024", "next Tuesday"] {
            assert_eq!(read_date(text), None, "{text}");
        }
    }

    #[test]
    fn a_record_says_what_is_wrong_and_whether_it_is_left_out() {
        let r = record(&[
            (Field::Date, "12/03/2024"),
            (Field::Topic, "Listening to communities"),
            (
                Field::Presenters,
                "Jane Example; Sam Example and Kim Example",
            ),
            (Field::Recording, "javascript:alert(1)"),
            (Field::Attendees, "about 30"),
        ]);
        assert!(!r.left_out());
        assert_eq!(r.presenters, ["Jane Example", "Sam Example", "Kim Example"]);
        assert_eq!(r.recording, None);
        assert_eq!(r.problems.len(), 2);
        assert!(r.problems[0].message().contains("not a web address"));
        let r = record(&[(Field::Date, "soon"), (Field::Topic, "")]);
        assert!(r.left_out());
        assert_eq!(r.problems.len(), 2);
        let r = record(&[
            (Field::Date, "2024-03-12"),
            (Field::Topic, "A talk"),
            (Field::Attendees, "1,200"),
            (Field::Recording, "https://example.org/r"),
        ]);
        assert!(r.problems.is_empty());
        assert_eq!(r.attendees, Some(1200));
    }

    #[test]
    fn only_past_meetings_since_2000_go_in() {
        for d in ["1998-03-12", "2204-01-01", "2026-12-02"] {
            let r = record(&[(Field::Date, d), (Field::Topic, "A talk")]);
            assert!(r.left_out(), "{d}");
            assert!(
                r.problems[0].message().contains("not of a past meeting"),
                "{d}"
            );
        }
        let r = record(&[(Field::Date, "2026-12-01"), (Field::Topic, "A talk")]);
        assert!(!r.left_out());
        let long = format!("https://example.sharepoint.com/{}", "x".repeat(400));
        let r = record(&[
            (Field::Date, "2026-01-01"),
            (Field::Topic, "A talk"),
            (Field::Recording, &long),
        ]);
        assert_eq!(
            r.recording.as_deref(),
            Some(long.as_str()),
            "long links are kept whole"
        );
        let many = (0..25)
            .map(|i| format!("P{i}"))
            .collect::<Vec<_>>()
            .join("; ");
        let r = record(&[
            (Field::Date, "2026-01-01"),
            (Field::Topic, "A talk"),
            (Field::Presenters, &many),
        ]);
        assert_eq!(r.presenters.len(), MAX_PRESENTERS);
        assert!(matches!(r.problems[0], Problem::TooManyPresenters(25)));
    }

    #[test]
    fn the_key_ignores_case_and_spacing() {
        let a = record(&[
            (Field::Date, "2024-03-12"),
            (Field::Series, "NW  Network"),
            (Field::Topic, "A Talk"),
        ]);
        let b = record(&[
            (Field::Date, "12/03/2024"),
            (Field::Series, "nw network"),
            (Field::Topic, "a talk "),
        ]);
        assert_eq!(a.key(), b.key());
    }

    #[test]
    fn the_nearest_organisation_is_found_by_its_distinctive_words() {
        assert!(name_likeness("Blackpool Council", "Blackpool Borough Council") > 0.9);
        assert!(name_likeness("Active Lancs", "Active Lancashire") > 0.6);
        assert!(name_likeness("Chorley", "Active Lancashire") < 0.4);
        assert_eq!(name_likeness("", "Council"), 0.0);
    }
}
