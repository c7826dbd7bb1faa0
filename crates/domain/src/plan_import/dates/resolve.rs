//! Years for months written without one, then each mention as a range of days.

use super::*;

#[derive(Debug, Clone, Copy)]
pub(super) struct Resolved {
    pub(super) start: Date,
    pub(super) end: Date,
    pub(super) role: Role,
}

/// A dated mention that a yearless month can borrow its year from.
#[derive(Debug, Clone, Copy)]
enum Anchor {
    /// A month of a known year.
    Month(i32, Month),
    /// A whole year, quarter or season: its year, as is.
    Year(i32),
    /// A UK financial year: April–December in `y`, January–March in `y + 1`.
    Fy(i32),
}

fn anchor_of(span: &Span) -> Option<Anchor> {
    Some(match *span {
        Span::Day { y: Some(y), m, .. } | Span::Month { y: Some(y), m } => Anchor::Month(y, m),
        Span::Day { y: None, .. } | Span::Month { y: None, .. } => return None,
        Span::Quarter { y, .. } | Span::Year { y } | Span::Season { y, .. } => Anchor::Year(y),
        Span::Fy { y } | Span::FyQuarter { y, .. } => Anchor::Fy(y),
    })
}

fn with_year(span: Span, y: i32) -> Span {
    match span {
        Span::Day { y: None, m, d } => Span::Day { y: Some(y), m, d },
        Span::Month { y: None, m } => Span::Month { y: Some(y), m },
        other => other,
    }
}

fn month_of(span: &Span) -> Option<Month> {
    match *span {
        Span::Day { y: None, m, .. } | Span::Month { y: None, m } => Some(m),
        _ => None,
    }
}

pub(super) fn resolve(mut mentions: Vec<Mention>) -> Vec<Resolved> {
    let n = mentions.len();
    let mut absorbed = vec![false; n];
    // Backwards: "July, September and Nov 2026", "Dec to Feb 2027" (December 2026).
    let mut next: Option<(Anchor, usize)> = None;
    for i in (0..n).rev() {
        if let Some(a) = anchor_of(&mentions[i].span) {
            next = Some((a, i));
            continue;
        }
        let (Some(m), Some((anchor, at))) = (month_of(&mentions[i].span), next) else {
            continue;
        };
        let y = match anchor {
            Anchor::Month(y, nm) if m > nm => y - 1,
            Anchor::Month(y, _) => y,
            Anchor::Year(y) => {
                if matches!(mentions[at].span, Span::Year { .. }) {
                    // "July to September in 2026": the year belongs to the months.
                    absorbed[at] = true;
                }
                y
            }
            Anchor::Fy(y) if m >= 4 => y,
            Anchor::Fy(y) => y + 1,
        };
        mentions[i].span = with_year(mentions[i].span, y);
        next = Some((Anchor::Month(y, m), i));
    }
    // Forwards, for months after the last year: "Sept 2026 to March" (March 2027).
    let mut prev: Option<(i32, Month)> = None;
    let mut out = Vec::new();
    for (i, mention) in mentions.iter_mut().enumerate() {
        if let Some(m) = month_of(&mention.span) {
            let Some((py, pm)) = prev else { continue };
            let y = if m < pm { py + 1 } else { py };
            mention.span = with_year(mention.span, y);
        }
        if absorbed[i] {
            continue;
        }
        if let Some((start, end)) = days_of(&mention.span) {
            prev = Some((i32::from(end.year()), end.month()));
            out.push(Resolved {
                start,
                end,
                role: mention.role,
            });
        }
    }
    out
}

fn month_range(y: i32, first: Month, last_y: i32, last: Month) -> Option<(Date, Date)> {
    Some((ymd(y, first, 1)?, last_day(last_y, last)?))
}

fn nth_month(n: u8) -> Option<Month> {
    Month::try_from(n).ok().filter(|m| (1..=12).contains(m))
}

fn days_of(span: &Span) -> Option<(Date, Date)> {
    match *span {
        Span::Day { y: Some(y), m, d } => {
            let date = ymd(y, m, d)?;
            Some((date, date))
        }
        Span::Month { y: Some(y), m } => month_range(y, m, y, m),
        Span::Day { y: None, .. } | Span::Month { y: None, .. } => None,
        Span::Quarter { y, q } => month_range(y, nth_month(q * 3 - 2)?, y, nth_month(q * 3)?),
        Span::FyQuarter { y, q } => {
            let (yy, first) = if q == 4 { (y + 1, 1) } else { (y, q * 3 + 1) };
            month_range(yy, nth_month(first)?, yy, nth_month(first + 2)?)
        }
        Span::Fy { y } => month_range(y, 4, y + 1, 3),
        Span::Year { y } => month_range(y, 1, y, 12),
        Span::Season { y, s } => match s {
            0 => month_range(y, 3, y, 5),
            1 => month_range(y, 6, y, 8),
            2 => month_range(y, 9, y, 11),
            _ => month_range(y, 12, y + 1, 2),
        },
    }
}
