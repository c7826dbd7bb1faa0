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

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num { value: u32, digits: usize },
    Punct(char),
    Break,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// The word began with a capital letter.
    caps: bool,
    /// Whitespace came before it ("July2026" has none between the month and the year).
    space_before: bool,
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            out.push(Token {
                tok: Tok::Break,
                caps: false,
                space_before: space,
            });
            space = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let (tok, caps) = if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            (Tok::Word(word.to_lowercase()), c.is_uppercase())
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            let value = if digits > 9 {
                u32::MAX
            } else {
                chars[start..i]
                    .iter()
                    .fold(0u32, |v, d| v * 10 + d.to_digit(10).unwrap_or(0))
            };
            (Tok::Num { value, digits }, false)
        } else {
            i += 1;
            let p = if is_dash(c) {
                '-'
            } else if matches!(c, '’' | '‘' | '\'') {
                '\''
            } else {
                c
            };
            (Tok::Punct(p), false)
        };
        out.push(Token {
            tok,
            caps,
            space_before: space,
        });
        space = false;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Mentions

#[derive(Debug, Clone, Copy, PartialEq)]
enum Span {
    Day {
        y: Option<i32>,
        m: Month,
        d: u8,
    },
    Month {
        y: Option<i32>,
        m: Month,
    },
    Quarter {
        y: i32,
        q: u8,
    },
    /// A quarter of the UK financial year starting in April of `y`.
    FyQuarter {
        y: i32,
        q: u8,
    },
    /// The UK financial year 1 April `y` – 31 March `y + 1`.
    Fy {
        y: i32,
    },
    Year {
        y: i32,
    },
    /// 0 spring, 1 summer, 2 autumn, 3 winter.
    Season {
        y: i32,
        s: u8,
    },
}

/// Whether the words before a date make it a beginning ("from", "start") or a deadline ("by").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Neutral,
    Start,
    End,
}

#[derive(Debug, Clone, Copy)]
struct Mention {
    span: Span,
    role: Role,
}

const START_WORDS: [&str; 12] = [
    "from",
    "start",
    "starts",
    "starting",
    "started",
    "commencing",
    "commence",
    "commences",
    "begin",
    "begins",
    "beginning",
    "since",
];
const END_WORDS: [&str; 11] = [
    "by",
    "until",
    "till",
    "til",
    "before",
    "end",
    "ending",
    "ends",
    "deadline",
    "completed",
    "complete",
];

struct Scanner<'a> {
    t: &'a [Token],
}

impl Scanner<'_> {
    fn num(&self, i: usize) -> Option<(u32, usize)> {
        match self.t.get(i).map(|t| &t.tok) {
            Some(Tok::Num { value, digits }) => Some((*value, *digits)),
            _ => None,
        }
    }
    fn word(&self, i: usize) -> Option<&str> {
        match self.t.get(i).map(|t| &t.tok) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }
    fn punct(&self, i: usize) -> Option<char> {
        match self.t.get(i).map(|t| &t.tok) {
            Some(Tok::Punct(c)) => Some(*c),
            _ => None,
        }
    }
    /// Token `i` exists and follows the previous one with no space.
    fn tight(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.space_before)
    }
    fn year(&self, i: usize) -> Option<i32> {
        match self.num(i) {
            Some((v, 4)) if (1990..=2100).contains(&v) => i32::try_from(v).ok(),
            _ => None,
        }
    }
    fn month(&self, i: usize) -> Option<Month> {
        month_from_word(self.word(i)?)
    }
    fn sentence_start(&self, i: usize) -> bool {
        i == 0
            || matches!(self.t[i - 1].tok, Tok::Break)
            || matches!(self.punct(i - 1), Some('.' | '!' | '?' | ':' | ';'))
    }

    /// 2018-05-04
    fn iso(&self, i: usize) -> Option<(Span, usize)> {
        let y = self.year(i)?;
        let (m, md) = self.num(i + 2)?;
        let (d, dd) = self.num(i + 4)?;
        let ok = self.punct(i + 1) == Some('-')
            && self.punct(i + 3) == Some('-')
            && (1..=4).all(|k| self.tight(i + k))
            && md <= 2
            && dd <= 2;
        ok.then(|| day_span(y, m, d)).flatten().map(|s| (s, i + 5))
    }

    /// 04/05/2018, 4.5.18, 04-05-2018: day first.
    fn numeric(&self, i: usize) -> Option<(Span, usize)> {
        let (d, dd) = self.num(i)?;
        let sep = self.punct(i + 1)?;
        let (m, md) = self.num(i + 2)?;
        let (y, yd) = self.num(i + 4)?;
        let ok = matches!(sep, '/' | '.' | '-')
            && self.punct(i + 3) == Some(sep)
            && (1..=4).all(|k| self.tight(i + k))
            && dd <= 2
            && md <= 2;
        if !ok {
            return None;
        }
        let y = match yd {
            2 => 2000 + i32::try_from(y).ok()?,
            4 => i32::try_from(y).ok()?,
            _ => return None,
        };
        day_span(y, m, d).map(|s| (s, i + 5))
    }

    /// 2026/27, 2026-27, 2026/2027, FY26/27.
    fn financial_year(&self, i: usize) -> Option<(Span, usize)> {
        let (a, ad) = self.num(i)?;
        let (b, bd) = self.num(i + 2)?;
        if !matches!(self.punct(i + 1), Some('/' | '-')) || !self.tight(i + 1) || !self.tight(i + 2)
        {
            return None;
        }
        let after_fy = i > 0 && self.word(i - 1) == Some("fy");
        let y = match ad {
            4 => self.year(i)?,
            2 if after_fy => 2000 + i32::try_from(a).ok()?,
            _ => return None,
        };
        let b = i32::try_from(b).ok()?;
        let follows = match bd {
            2 => b == (y + 1) % 100,
            4 => b == y + 1,
            _ => false,
        };
        follows.then_some((Span::Fy { y }, i + 3))
    }

    /// Q3 2026 (calendar) or Q3 2026/27 (financial year).
    fn quarter(&self, i: usize) -> Option<(Span, usize)> {
        if self.word(i) != Some("q") {
            return None;
        }
        let (q, 1) = self.num(i + 1)? else {
            return None;
        };
        if !(1..=4).contains(&q) || !self.tight(i + 1) {
            return None;
        }
        let q = u8::try_from(q).ok()?;
        let mut j = i + 2;
        if matches!(self.punct(j), Some(',' | '-')) {
            j += 1;
        }
        if let Some((Span::Fy { y }, next)) = self.financial_year(j) {
            return Some((Span::FyQuarter { y, q }, next));
        }
        let y = self.year(j)?;
        Some((Span::Quarter { y, q }, j + 1))
    }

    /// Spring 2026, autumn 2026, winter 2026 (December to February).
    fn season(&self, i: usize) -> Option<(Span, usize)> {
        let s = match self.word(i)? {
            "spring" => 0,
            "summer" => 1,
            "autumn" | "fall" => 2,
            "winter" => 3,
            _ => return None,
        };
        let mut j = i + 1;
        if self.punct(j) == Some(',') {
            j += 1;
        }
        let y = self.year(j)?;
        Some((Span::Season { y, s }, j + 1))
    }

    /// 4th May 2018, 4 May, 4th of May 2018.
    fn day_month(&self, i: usize) -> Option<(Span, usize)> {
        let (d, dd) = self.num(i)?;
        if dd > 2 || !(1..=31).contains(&d) {
            return None;
        }
        let mut j = i + 1;
        if matches!(self.word(j), Some("st" | "nd" | "rd" | "th")) && self.tight(j) {
            j += 1;
        }
        if self.word(j) == Some("of") {
            j += 1;
        }
        let m = self.month(j)?;
        j += 1;
        if self.punct(j) == Some('.') && self.tight(j) {
            j += 1;
        }
        let mut k = j;
        if self.punct(k) == Some(',') {
            k += 1;
        }
        let d = u8::try_from(d).ok()?;
        match self.year(k) {
            Some(y) => day_span(y, m.unsigned_abs().into(), d.into()).map(|s| (s, k + 1)),
            None => Some((Span::Day { y: None, m, d }, j)),
        }
    }

    /// Sept 2026, July2026, Sept '26, May 4, 2018, March (year from its neighbours).
    fn month_first(&self, i: usize) -> Option<(Span, usize)> {
        let m = self.month(i)?;
        let mut j = i + 1;
        if self.punct(j) == Some('.')
            && self.tight(j)
            && (self.num(j + 1).is_some() || self.punct(j + 1) == Some(','))
        {
            j += 1;
        }
        if let Some((v, digits)) = self.num(j).filter(|&(_, d)| d <= 2) {
            let mut k = j + 1;
            if matches!(self.word(k), Some("st" | "nd" | "rd" | "th")) && self.tight(k) {
                k += 1;
            }
            if self.punct(k) == Some(',') {
                k += 1;
            }
            if let Some(y) = self.year(k) {
                return day_span(y, m.unsigned_abs().into(), v).map(|s| (s, k + 1));
            }
            if digits == 2 && v >= 20 {
                // "Sept 26" in a plan means September 2026.
                return Some((
                    Span::Month {
                        y: Some(2000 + i32::try_from(v).ok()?),
                        m,
                    },
                    j + 1,
                ));
            }
            if (1..=31).contains(&v) {
                return Some((
                    Span::Day {
                        y: None,
                        m,
                        d: u8::try_from(v).ok()?,
                    },
                    k,
                ));
            }
        }
        if self.punct(j) == Some('\'') {
            if let Some((v, 2)) = self.num(j + 1) {
                return Some((
                    Span::Month {
                        y: Some(2000 + i32::try_from(v).ok()?),
                        m,
                    },
                    j + 2,
                ));
            }
        }
        let k = if self.punct(j) == Some(',') { j + 1 } else { j };
        if let Some(y) = self.year(k) {
            return Some((Span::Month { y: Some(y), m }, k + 1));
        }
        // A bare month. "May" and "March" are also ordinary words: take them as months only
        // when written with a capital and not opening a sentence, unless a list or range
        // follows ("May to July", "March, April and May").
        let word = self.word(i).unwrap_or_default();
        if matches!(word, "may" | "march" | "mar") {
            let connective = match self.t.get(i + 1).map(|t| &t.tok) {
                None | Some(Tok::Break) => true,
                Some(Tok::Punct(c)) => matches!(c, ',' | '-' | '/' | '&' | '.' | ';' | ')'),
                Some(Tok::Word(w)) => {
                    matches!(
                        w.as_str(),
                        "to" | "and" | "or" | "through" | "thru" | "until" | "till" | "onwards"
                    )
                }
                Some(Tok::Num { .. }) => false,
            };
            let caps = self.t[i].caps;
            if !caps || (self.sentence_start(i) && !connective) {
                return None;
            }
        }
        Some((Span::Month { y: None, m }, j))
    }

    fn bare_year(&self, i: usize) -> Option<(Span, usize)> {
        let y = self.year(i)?;
        let money = i > 0 && self.tight(i) && matches!(self.punct(i - 1), Some('£' | '$' | '€'));
        (!money).then_some((Span::Year { y }, i + 1))
    }

    /// The nearest "from"/"by"-like word among the three words before token `i`, not looking
    /// past `stop` (the end of the previous date) or the start of the sentence.
    fn role(&self, i: usize, stop: usize) -> Role {
        let mut words = 0;
        let mut k = i;
        while k > stop && words < 3 {
            k -= 1;
            match &self.t[k].tok {
                Tok::Break => break,
                Tok::Punct('.' | ';' | '!' | '?') => break,
                Tok::Word(w) => {
                    words += 1;
                    if START_WORDS.contains(&w.as_str()) {
                        return Role::Start;
                    }
                    if END_WORDS.contains(&w.as_str()) {
                        return Role::End;
                    }
                }
                _ => {}
            }
        }
        Role::Neutral
    }
}

fn day_span(y: i32, m: u32, d: u32) -> Option<Span> {
    let m = Month::try_from(m).ok()?;
    let d = u8::try_from(d).ok()?;
    ymd(y, m, d)?;
    Some(Span::Day { y: Some(y), m, d })
}

/// The day, if it exists (no 31 June, no year beyond jiff's range).
fn ymd(y: i32, m: Month, d: u8) -> Option<Date> {
    Date::new(i16::try_from(y).ok()?, m, i8::try_from(d).ok()?).ok()
}

/// The last day of a month.
fn last_day(y: i32, m: Month) -> Option<Date> {
    Some(ymd(y, m, 1)?.last_of_month())
}

fn month_from_word(w: &str) -> Option<Month> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

fn find_mentions(tokens: &[Token]) -> Vec<Mention> {
    let s = Scanner { t: tokens };
    let mut out = Vec::new();
    let mut i = 0;
    let mut prev_end = 0;
    while i < tokens.len() {
        let found = s
            .iso(i)
            .or_else(|| s.numeric(i))
            .or_else(|| s.financial_year(i))
            .or_else(|| s.quarter(i))
            .or_else(|| s.season(i))
            .or_else(|| s.day_month(i))
            .or_else(|| s.month_first(i))
            .or_else(|| s.bare_year(i));
        match found {
            Some((span, next)) => {
                out.push(Mention {
                    span,
                    role: s.role(i, prev_end),
                });
                prev_end = next;
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Years for months written without one, then each mention as a range of days

#[derive(Debug, Clone, Copy)]
struct Resolved {
    start: Date,
    end: Date,
    role: Role,
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

fn resolve(mut mentions: Vec<Mention>) -> Vec<Resolved> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn range(text: &str) -> (Option<Date>, Option<Date>) {
        let r = parse_date_range(text);
        (r.start, r.end)
    }

    #[test]
    fn the_seed_plans_date_cells() {
        assert_eq!(
            range("Sept 2026 to March 2027 (Subject top funding)"),
            (Some(date(2026, 9, 1)), Some(date(2027, 3, 31)))
        );
        assert_eq!(
            range("April 2026 – scoping.\n\nNW workshop – July2026.\n\nSupport to AP areas – July to Sept 2026"),
            (Some(date(2026, 4, 1)), Some(date(2026, 9, 30)))
        );
        assert_eq!(
            range("Events to take place in July, September and Nov 2026."),
            (Some(date(2026, 7, 1)), Some(date(2026, 11, 30)))
        );
        assert_eq!(
            range("Start May 2026 and delivered by September 2026."),
            (Some(date(2026, 5, 1)), Some(date(2026, 9, 30)))
        );
    }

    #[test]
    fn quarters_financial_years_seasons_and_years() {
        assert_eq!(
            range("Q3 2026"),
            (Some(date(2026, 7, 1)), Some(date(2026, 9, 30)))
        );
        assert_eq!(
            range("2026/27"),
            (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
        );
        assert_eq!(
            range("2026-27"),
            (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
        );
        assert_eq!(
            range("FY26/27"),
            (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
        );
        assert_eq!(
            range("Q4 2026/27"),
            (Some(date(2027, 1, 1)), Some(date(2027, 3, 31)))
        );
        assert_eq!(
            range("Q1 2026/27"),
            (Some(date(2026, 4, 1)), Some(date(2026, 6, 30)))
        );
        assert_eq!(
            range("Winter 2026"),
            (Some(date(2026, 12, 1)), Some(date(2027, 2, 28)))
        );
        assert_eq!(
            range("During 2027"),
            (Some(date(2027, 1, 1)), Some(date(2027, 12, 31)))
        );
        assert_eq!(
            range("July to September in 2026"),
            (Some(date(2026, 7, 1)), Some(date(2026, 9, 30)))
        );
    }

    #[test]
    fn months_without_years() {
        assert_eq!(
            range("Dec to Feb 2027"),
            (Some(date(2026, 12, 1)), Some(date(2027, 2, 28)))
        );
        assert_eq!(
            range("Sept 2026 to March"),
            (Some(date(2026, 9, 1)), Some(date(2027, 3, 31)))
        );
        assert_eq!(
            range("January and February 2028"),
            (Some(date(2028, 1, 1)), Some(date(2028, 2, 29)))
        );
        let r = parse_date_range("July to September");
        assert!(!r.understood);
        assert_eq!((r.start, r.end), (None, None));
    }

    #[test]
    fn spellings() {
        for text in [
            "sept 2026",
            "SEPT 2026",
            "Sep 2026",
            "September 2026",
            "Sept. 2026",
            "Sept '26",
            "Sept 26",
            "Sept2026",
        ] {
            assert_eq!(
                range(text),
                (Some(date(2026, 9, 1)), Some(date(2026, 9, 30))),
                "{text}"
            );
        }
        assert_eq!(
            range("1st Sept 2026 – 31st March 2027"),
            (Some(date(2026, 9, 1)), Some(date(2027, 3, 31)))
        );
        assert_eq!(
            range("01/09/2026 to 2027-03-15"),
            (Some(date(2026, 9, 1)), Some(date(2027, 3, 15)))
        );
        assert_eq!(
            range("April\u{2013}June 2026"),
            (Some(date(2026, 4, 1)), Some(date(2026, 6, 30)))
        );
    }

    #[test]
    fn open_ended_and_one_sided() {
        let r = parse_date_range("from June 2026, ongoing");
        assert_eq!(
            r,
            DateRange {
                start: Some(date(2026, 6, 1)),
                end: None,
                end_open: true,
                understood: true
            }
        );
        let r = parse_date_range("Ongoing");
        assert!(r.end_open && !r.understood);
        let r = parse_date_range("To be completed by March 2027");
        assert_eq!((r.start, r.end), (None, Some(date(2027, 3, 31))));
        let r = parse_date_range("From April 2026 to March 2027");
        assert_eq!(
            (r.start, r.end),
            (Some(date(2026, 4, 1)), Some(date(2027, 3, 31)))
        );
        assert!(!r.end_open);
    }

    #[test]
    fn may_and_march_as_ordinary_words() {
        assert_eq!(
            range("This may start in June 2026"),
            (Some(date(2026, 6, 1)), None)
        );
        assert_eq!(
            range("May take until June 2026"),
            (None, Some(date(2026, 6, 30)))
        );
        assert_eq!(
            range("May to July 2026"),
            (Some(date(2026, 5, 1)), Some(date(2026, 7, 31)))
        );
        assert_eq!(
            range("Workshops in May and June 2026"),
            (Some(date(2026, 5, 1)), Some(date(2026, 6, 30)))
        );
    }

    #[test]
    fn nothing_understood() {
        for text in [
            "",
            "TBC",
            "(Subject top funding)",
            "When funding allows",
            "6 workshops in total",
            "£2026",
        ] {
            let r = parse_date_range(text);
            assert!(!r.understood, "{text}");
            assert_eq!((r.start, r.end), (None, None), "{text}");
        }
    }

    #[test]
    fn due_dates() {
        for text in [
            "4th May 2018",
            "4 May 2018",
            "04/05/2018",
            "4/5/18",
            "2018-05-04",
            "May 4, 2018",
            "4th of May, 2018",
            "by 4th May 2018",
        ] {
            assert_eq!(parse_due_date(text), Some(date(2018, 5, 4)), "{text}");
        }
        assert_eq!(parse_due_date("end of May 2018"), Some(date(2018, 5, 31)));
        assert_eq!(due_date("May 2018"), Some((date(2018, 5, 31), false)));
        assert_eq!(parse_due_date("the next meeting"), None);
        assert_eq!(parse_due_date("4th May"), None);
        assert_eq!(parse_due_date("31/02/2018"), None);
    }
}
