//! Dates as people write them in plans and minutes: "Sept 2026 to March 2027",
//! "July, September and Nov 2026", "Q3 2026", "2026/27", "from June 2026, ongoing",
//! "4th May 2018", "04/05/2018" (UK day/month), "2018-05-04".
//!
//! A cell may mention many dates; its range runs from the earliest to the latest. A month
//! written without a year takes the year of the next date mentioned ("July to Sept 2026"),
//! or, when none follows, carries on from the one before ("Sept 2026 to March" → March 2027).

use jiff::civil::Date;

/// A month of the year, 1–12 (jiff's numbering).
type Month = i8;

use super::clean::is_dash;

/// What a dates cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DateRange {
    #[serde(serialize_with = "super::iso_date::option")]
    pub start: Option<Date>,
    #[serde(serialize_with = "super::iso_date::option")]
    pub end: Option<Date>,
    /// The work carries on with no end date ("ongoing", "onwards").
    pub end_open: bool,
    /// At least one date was recognised.
    pub understood: bool,
}

/// The range of dates a cell mentions. A range given only as a deadline ("by March 2027")
/// has no start; one given only as a beginning ("from June 2026") has no end; "ongoing" makes
/// the end open (and `None`).
pub fn parse_date_range(text: &str) -> DateRange {
    let lower = text.to_lowercase();
    let end_open = OPEN_ENDED.iter().any(|w| lower.contains(w));
    let tokens = tokenize(text);
    let spans = resolve(find_mentions(&tokens));
    if spans.is_empty() {
        return DateRange {
            start: None,
            end: None,
            end_open,
            understood: false,
        };
    }
    let start = spans.iter().map(|s| s.start).min();
    let end = spans.iter().map(|s| s.end).max();
    let only_deadlines = spans.iter().all(|s| s.role == Role::End);
    let only_beginnings = spans.iter().all(|s| s.role == Role::Start);
    DateRange {
        start: if only_deadlines { None } else { start },
        end: if only_beginnings || end_open {
            None
        } else {
            end
        },
        end_open,
        understood: true,
    }
}

/// A due date: "4th May 2018", "4 May 2018", "May 4, 2018", "04/05/2018" (day first),
/// "2018-05-04". A month alone ("May 2018") gives its last day. No year, no date.
pub fn parse_due_date(text: &str) -> Option<Date> {
    due_date(text).map(|(d, _)| d)
}

/// The due date and whether it was given to the day (`false`: a month's last day was used).
pub(crate) fn due_date(text: &str) -> Option<(Date, bool)> {
    let mentions = find_mentions(&tokenize(text));
    for m in &mentions {
        if let Span::Day {
            y: Some(y),
            m: month,
            d,
        } = m.span
        {
            if let Some(date) = ymd(y, month, d) {
                return Some((date, true));
            }
        }
    }
    for m in &mentions {
        if let Span::Month {
            y: Some(y),
            m: month,
        } = m.span
        {
            return last_day(y, month).map(|d| (d, false));
        }
    }
    None
}

const OPEN_ENDED: [&str; 11] = [
    "ongoing",
    "on-going",
    "on going",
    "onwards",
    "onward",
    "open-ended",
    "open ended",
    "no end date",
    "indefinite",
    "until further notice",
    "on‑going",
];

mod mentions;
mod resolve;
#[cfg(test)]
mod tests;
mod tokens;

use mentions::*;
use resolve::*;
use tokens::*;
