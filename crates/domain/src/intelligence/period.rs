//! Time periods as statistical releases label them, with the dates they cover.
//!
//! The label is kept as published (trimmed); the start and end dates make periods sortable
//! and comparable across sources. The labels read are:
//!
//! - `2019`: a calendar year, 2019-01-01 to 2019-12-31.
//! - `2019 Q1` to `2019 Q4` (also `Q1 2019`): a calendar quarter.
//! - `2018/19` (or `2018/2019`): a financial year, 2018-04-01 to 2019-03-31. The second part
//!   must be the year after the first.
//! - `2015 - 17`, `2015-17`, `2015 - 2017`: calendar years 2015-01-01 to 2017-12-31. So
//!   `2018-19` is two calendar years, not a financial year (Fingertips writes those
//!   `2018/19`). The end must be after the start and the span at most ten years.
//! - `2016/17 - 18/19`: financial years, 2016-04-01 to 2019-03-31 (each part a financial year,
//!   the last after the first, at most ten years in all).
//! - `Nov 2023-24`, `Nov 2023 - Nov 2024`: an Active Lives year, from the first day of the
//!   month in the first year to the last day of the month before it in the second year
//!   (2023-11-01 to 2024-10-31). Any English month name or three-letter abbreviation; when the
//!   month is written twice it must be the same month.
//!
//! Years run from 1900 to 2100. Dashes may be hyphens or en or em dashes, with or without
//! spaces. Anything else is a [`BadPeriod`]; nothing here panics.

use crate::plan_import::iso_date;
use jiff::civil::Date;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    /// As published, trimmed.
    pub label: String,
    #[serde(serialize_with = "iso_date::format_ser")]
    pub start: Date,
    #[serde(serialize_with = "iso_date::format_ser")]
    pub end: Date,
}

/// The label that could not be read (shortened if it was long).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a period we can read: use 2019, 2018/19 or 2017 - 19 (or 2016/17 - 18/19, Nov 2023-24, 2019 Q1)")]
pub struct BadPeriod(pub String);

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2100;
const MAX_SPAN_YEARS: i32 = 10;
/// Longer labels are refused before any work: real ones are under 25 characters.
const MAX_LABEL_CHARS: usize = 64;

impl Period {
    pub fn parse(label: &str) -> Result<Period, BadPeriod> {
        let label = label.trim();
        let bad = || BadPeriod(super::shorten(label, 40));
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(bad());
        }
        let toks = tokens(label).ok_or_else(bad)?;
        let (start, end) = dates(&toks).ok_or_else(bad)?;
        Ok(Period {
            label: label.to_string(),
            start,
            end,
        })
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    /// ASCII digits as written (the number of digits matters: 17 is not 2017).
    Num(String),
    /// Letters, lower case.
    Word(String),
    Slash,
    Dash,
}

fn tokens(s: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let tok = if c.is_ascii_digit() {
            let mut n = String::from(c);
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                n.push(d);
            }
            Tok::Num(n)
        } else if c.is_ascii_alphabetic() {
            let mut w = String::from(c.to_ascii_lowercase());
            while let Some(d) = chars.next_if(char::is_ascii_alphabetic) {
                w.push(d.to_ascii_lowercase());
            }
            Tok::Word(w)
        } else if c.is_whitespace() {
            continue;
        } else if c == '/' {
            Tok::Slash
        } else if matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}') {
            Tok::Dash
        } else {
            return None;
        };
        out.push(tok);
    }
    Some(out)
}

/// A four-digit year in range.
fn year(t: &Tok) -> Option<i32> {
    match t {
        Tok::Num(n) if n.len() == 4 => n.parse().ok().filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y)),
        _ => None,
    }
}

/// A year written after `after`: four digits as they are, two digits as the first later
/// year ending in them (so "2015-14" is 2114, out of range, not 2014).
fn later_year(after: i32, t: &Tok) -> Option<i32> {
    let y = match t {
        Tok::Num(n) if n.len() == 2 => {
            let yy: i32 = n.parse().ok()?;
            let mut y = after - after.rem_euclid(100) + yy;
            if y <= after {
                y += 100;
            }
            y
        }
        Tok::Num(n) if n.len() == 4 => n.parse().ok()?,
        _ => return None,
    };
    (y > after && y <= MAX_YEAR).then_some(y)
}

fn month(t: &Tok) -> Option<i8> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let Tok::Word(w) = t else { return None };
    if w == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|name| w == name || (w.len() == 3 && name.starts_with(w.as_str())))
        .and_then(|i| i8::try_from(i + 1).ok())
}

fn day(y: i32, m: i8, d: i8) -> Option<Date> {
    Date::new(i16::try_from(y).ok()?, m, d).ok()
}

fn calendar_years(a: i32, b: i32) -> Option<(Date, Date)> {
    Some((day(a, 1, 1)?, day(b, 12, 31)?))
}

fn financial_years(a: i32, b: i32) -> Option<(Date, Date)> {
    Some((day(a, 4, 1)?, day(b, 3, 31)?))
}

fn within_span(a: i32, last: i32) -> bool {
    last > a && last - a <= MAX_SPAN_YEARS
}

fn dates(toks: &[Tok]) -> Option<(Date, Date)> {
    use Tok::{Dash, Num, Slash, Word};
    match toks {
        [y] => {
            let y = year(y)?;
            calendar_years(y, y)
        }
        [y @ Num(_), Word(q), Num(n)] | [Word(q), Num(n), y @ Num(_)] if q == "q" => {
            let y = year(y)?;
            let q: i8 = match n.as_str() {
                "1" => 1,
                "2" => 2,
                "3" => 3,
                "4" => 4,
                _ => return None,
            };
            let start = day(y, 3 * q - 2, 1)?;
            Some((start, day(y, 3 * q, 1)?.last_of_month()))
        }
        [a, Slash, b] => {
            let a = year(a)?;
            let b = later_year(a, b)?;
            (b == a + 1).then_some(())?;
            financial_years(a, b)
        }
        [a, Dash, b] => {
            let a = year(a)?;
            let b = later_year(a, b)?;
            // Ten years at most: 2015 - 24 covers 2015..=2024.
            within_span(a, b + 1).then_some(())?;
            calendar_years(a, b)
        }
        [a, Slash, b, Dash, c, Slash, d] => {
            let a = year(a)?;
            (later_year(a, b)? == a + 1).then_some(())?;
            let c = later_year(a, c)?;
            let d = later_year(c, d)?;
            (d == c + 1 && within_span(a, d)).then_some(())?;
            financial_years(a, d)
        }
        [m, a, Dash, b] => active_lives(m, a, None, b),
        [m, a, Dash, m2 @ Word(_), b] => active_lives(m, a, Some(m2), b),
        _ => None,
    }
}

/// "Nov 2023-24" and "Nov 2023 - Nov 2024": twelve months (or whole years more) from the
/// first of the month.
fn active_lives(m: &Tok, a: &Tok, m2: Option<&Tok>, b: &Tok) -> Option<(Date, Date)> {
    let m = month(m)?;
    if let Some(m2) = m2 {
        (month(m2)? == m).then_some(())?;
    }
    let a = year(a)?;
    let b = later_year(a, b)?;
    within_span(a, b).then_some(())?;
    let start = day(a, m, 1)?;
    let end = day(b, m, 1)?.yesterday().ok()?;
    Some((start, end))
}
