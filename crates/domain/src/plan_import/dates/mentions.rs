//! Mentions: the dates a cell names (a day, a month, a quarter, a year, a season),
//! each as a start, an end or neither.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Span {
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
pub(super) enum Role {
    Neutral,
    Start,
    End,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Mention {
    pub(super) span: Span,
    pub(super) role: Role,
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
pub(super) fn ymd(y: i32, m: Month, d: u8) -> Option<Date> {
    Date::new(i16::try_from(y).ok()?, m, i8::try_from(d).ok()?).ok()
}

/// The last day of a month.
pub(super) fn last_day(y: i32, m: Month) -> Option<Date> {
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

pub(super) fn find_mentions(tokens: &[Token]) -> Vec<Mention> {
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
