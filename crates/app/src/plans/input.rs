//! What people type into plan forms and the API, and its validation: each group of fields
//! writes its problems into one `Problems`, so a form shows every problem at once. Also the
//! small parsers those checks share (dates, pounds, numbers).

use lz_domain::plan_import::ImportError;

use super::record::{MilestoneStatus, PlanVisibility, Rag};
use crate::{new_id, AppError, AppResult, Problems};

/// A plan document to import (the web's review screen, the API, the CLI, the demo).
pub struct PlanImport {
    pub text: String,
    /// A title to use instead of the document's own (often a template's name).
    pub title: Option<String>,
    pub owner_organisation_id: Option<String>,
    pub visibility: String,
    /// A person has seen the flagged fields and confirms them.
    pub confirmed: bool,
}

pub struct ProgressUpdate {
    /// YYYY-MM-DD; empty means today.
    pub posted_on: String,
    pub body: String,
    pub rag: String,
    /// Spend to date, as money text ("£1,200", "1200.50"); empty leaves it unchanged.
    pub spent: String,
}

/// A work area as a person edits it after import.
pub struct WorkAreaEdit {
    pub title: String,
    /// One name per line.
    pub leads: String,
    pub why: String,
    pub what_we_will_do: String,
    /// YYYY-MM-DD or empty.
    pub start: String,
    /// YYYY-MM-DD, or empty for ongoing.
    pub end: String,
    /// One budget line per line, e.g. "Room hire £1,500".
    pub budget: String,
    /// Money committed (promised, not yet spent) in pounds; empty: none.
    pub committed: String,
    /// The places that deliver the work (ids); `None` leaves them as they are. Only those
    /// who may change the plan may change them.
    pub places: Option<Vec<String>>,
}

/// A measurable indicator for an outcome; numbers are kept as entered (normalised).
pub struct OutcomeIndicator {
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub current: String,
}

pub(crate) fn import_error(e: ImportError) -> AppError {
    AppError::field("text", e.to_string())
}

pub(crate) fn visibility(raw: &str) -> AppResult<PlanVisibility> {
    PlanVisibility::parse(raw)
        .ok_or_else(|| AppError::field("visibility", "Choose who can see the plan"))
}

pub(crate) fn plan_title(raw: &str) -> AppResult<String> {
    lz_domain::clean_line(raw, "a name", 200).map_err(|e| AppError::field("title", e.to_string()))
}

/// True for a real calendar date written YYYY-MM-DD.
pub fn is_iso_date(text: &str) -> bool {
    lz_domain::dates::parse_iso_date(text).is_some()
}

pub(crate) fn iso(d: Option<jiff::civil::Date>) -> Option<String> {
    d.map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today(now_ms: i64) -> String {
    lz_domain::dates::utc_date(now_ms / 1000)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// `date` (YYYY-MM-DD) moved by `days`.
pub fn shift_days(date: &str, days: i64) -> String {
    let span = jiff::Span::new().try_days(days).ok();
    lz_domain::dates::parse_iso_date(date)
        .zip(span)
        .and_then(|(d, span)| d.checked_add(span).ok())
        .map(|d| d.to_string())
        .unwrap_or_else(|| date.to_string())
}

/// "£1,250.50", "1250", "1,250" as pence; negative or malformed amounts are refused.
pub(crate) fn parse_pounds(text: &str) -> Option<i64> {
    let t: String = text
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (pounds, pence) = match t.split_once('.') {
        Some((p, d)) if d.len() <= 2 && !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) => {
            (p, format!("{d:0<2}"))
        }
        Some(_) => return None,
        None => (t.as_str(), "00".to_string()),
    };
    if pounds.is_empty() || !pounds.chars().all(|c| c.is_ascii_digit()) || pounds.len() > 12 {
        return None;
    }
    Some(pounds.parse::<i64>().ok()? * 100 + pence.parse::<i64>().ok()?)
}

/// A plain decimal number ("27.5", "-3", "1,200"), normalised; `None` if it is not one.
fn number(text: &str) -> Option<String> {
    let t: String = text
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let n: f64 = t.parse().ok()?;
    (n.is_finite()
        && t.len() <= 20
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-'))
    .then_some(t)
}

/// A work area's edit, checked: what `store::update_work_area` writes.
pub(crate) struct CheckedWorkArea {
    pub title: String,
    pub leads: Vec<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// (new id, label, pence)
    pub budget: Vec<(String, String, i64)>,
    pub committed_pence: i64,
}

impl WorkAreaEdit {
    pub(crate) fn check(&self) -> AppResult<CheckedWorkArea> {
        let mut p = Problems::default();
        let title = p.check("title", lz_domain::clean_line(&self.title, "a name", 300));
        let leads = self.lead_names(&mut p);
        let (start, end) = self.dates(&mut p);
        let budget = self.budget_lines(&mut p);
        let committed_pence = match self.committed.trim() {
            "" => 0,
            raw => parse_pounds(raw).unwrap_or_else(|| {
                p.add(
                    "committed",
                    "Enter the amount committed in pounds, like 1,250 or £1,250.50",
                );
                0
            }),
        };
        for text in [&self.why, &self.what_we_will_do] {
            if text.chars().count() > 10_000 {
                p.add("why", "Text must be 10,000 characters or fewer");
            }
        }
        p.into_result()?;
        Ok(CheckedWorkArea {
            title: title.unwrap_or_default(),
            leads,
            start,
            end,
            budget,
            committed_pence,
        })
    }

    fn lead_names(&self, p: &mut Problems) -> Vec<String> {
        let mut leads: Vec<String> = Vec::new();
        for name in self.leads.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match lz_domain::clean_line(name, "a name", 120) {
                Ok(n) if !leads.contains(&n) => leads.push(n),
                Ok(_) => {}
                Err(err) => p.add("leads", err),
            }
        }
        leads
    }

    fn dates(&self, p: &mut Problems) -> (Option<String>, Option<String>) {
        let start = p.optional_day("start", "Start date", &self.start);
        let end = p.optional_day("end", "End date", &self.end);
        if let (Some(s), Some(e)) = (&start, &end) {
            if e < s {
                p.add("end", "The end date must be on or after the start date");
            }
        }
        (start, end)
    }

    fn budget_lines(&self, p: &mut Problems) -> Vec<(String, String, i64)> {
        let mut budget = Vec::new();
        let lines = self.budget.lines().map(str::trim).filter(|l| !l.is_empty());
        for (n, line) in lines.enumerate() {
            let found = lz_domain::plan_import::parse_money(line);
            match found.as_slice() {
                [one] if one.amount_pence > 0 => {
                    let label = if one.label.is_empty() {
                        line.to_string()
                    } else {
                        one.label.clone()
                    };
                    budget.push((new_id(), label, one.amount_pence));
                }
                _ => p.add(
                    "budget",
                    format!(
                        "Budget line {} needs exactly one amount in pounds, like “Room hire £1,500”",
                        n + 1
                    ),
                ),
            }
        }
        budget
    }
}

/// A progress update, checked.
pub(crate) struct CheckedUpdate<'a> {
    pub rag: Rag,
    pub body: &'a str,
    pub posted_on: String,
    pub spent_pence: Option<i64>,
}

impl ProgressUpdate {
    /// `today` is YYYY-MM-DD: an update may not be dated after it.
    pub(crate) fn check(&self, today: &str) -> AppResult<CheckedUpdate<'_>> {
        let mut p = Problems::default();
        let rag = Rag::parse(&self.rag);
        if rag.is_none() {
            p.add("rag", "Choose red, amber or green");
        }
        let body = self.body.trim();
        if body.is_empty() {
            p.add("body", "Enter what has happened since the last update");
        } else if body.chars().count() > 5000 {
            p.add("body", "Update must be 5000 characters or fewer");
        }
        let posted_on = match self.posted_on.trim() {
            "" => today.to_string(),
            given => p
                .day("posted_on", "Date of the update", given)
                .unwrap_or_else(|| given.to_string()),
        };
        if is_iso_date(&posted_on) && posted_on.as_str() > today {
            p.add("posted_on", "The date of an update cannot be in the future");
        }
        let spent_pence = match self.spent.trim() {
            "" => None,
            _ => parse_pounds(&self.spent).or_else(|| {
                p.add(
                    "spent",
                    "Enter the amount spent to date in pounds, like 1,250 or £1,250.50",
                );
                None
            }),
        };
        p.into_result()?;
        Ok(CheckedUpdate {
            rag: rag.unwrap_or(Rag::Green),
            body,
            posted_on,
            spent_pence,
        })
    }
}

/// An indicator, checked: (indicator, baseline, target, current).
pub(crate) struct CheckedIndicator<'a> {
    pub indicator: &'a str,
    pub baseline: String,
    pub target: String,
    pub current: String,
}

impl OutcomeIndicator {
    pub(crate) fn check(&self) -> AppResult<CheckedIndicator<'_>> {
        let mut p = Problems::default();
        let indicator = self.indicator.trim();
        if indicator.is_empty() {
            p.add(
                "indicator",
                "Enter what is measured, like “% of adults inactive”",
            );
        } else if indicator.chars().count() > 200 || indicator.chars().any(char::is_control) {
            p.add(
                "indicator",
                "Indicator must be 200 characters or fewer, on one line",
            );
        }
        let mut value = |field: &'static str, raw: &str, required: bool| -> String {
            if raw.trim().is_empty() {
                if required {
                    p.add(field, "Enter a number");
                }
                return String::new();
            }
            number(raw).unwrap_or_else(|| {
                p.add(field, "Enter a number, like 27.5");
                String::new()
            })
        };
        let baseline = value("baseline", &self.baseline, false);
        let target = value("target", &self.target, true);
        let current = value("current", &self.current, false);
        p.into_result()?;
        Ok(CheckedIndicator {
            indicator,
            baseline,
            target,
            current,
        })
    }
}

/// A milestone's title and due date, checked; the due date is compared with the plan's start
/// once the plan is read, so problems are returned rather than raised.
pub(crate) fn milestone(title: &str, due: &str, p: &mut Problems) -> (Option<String>, String) {
    let title = p.check("title", lz_domain::clean_line(title, "a name", 200));
    let due = p
        .day("due_date", "Due date", due)
        .unwrap_or_else(|| due.trim().to_string());
    (title, due)
}

pub(crate) fn milestone_status(raw: &str) -> AppResult<MilestoneStatus> {
    MilestoneStatus::parse(raw)
        .ok_or_else(|| AppError::field("status", "Choose planned, done or dropped"))
}

/// Report recipients: addresses separated by commas, semicolons, spaces or lines.
pub(crate) fn recipients(raw: &str, p: &mut Problems) -> Vec<String> {
    let mut emails: Vec<String> = Vec::new();
    for raw in raw
        .split([',', ';', '\n', '\r', ' '])
        .filter(|s| !s.trim().is_empty())
    {
        match lz_domain::EmailAddress::parse(raw) {
            Ok(e) if !emails.contains(&e.to_string()) => emails.push(e.to_string()),
            Ok(_) => {}
            Err(_) => {
                p.add(
                    "recipients",
                    format!("{:?} is not an email address", raw.trim()),
                );
                break;
            }
        }
    }
    if emails.is_empty() && p.0.is_empty() {
        p.add(
            "recipients",
            "Enter the email addresses of the Executive's members",
        );
    }
    if emails.len() > 50 {
        p.add("recipients", "Send to at most 50 addresses");
    }
    emails
}

/// The day a report is sent: today or later (empty: today).
pub(crate) fn send_on(raw: &str, today: &str, p: &mut Problems) -> String {
    let send_on = match raw.trim() {
        "" => today.to_string(),
        given => p
            .day("send_on", "Date to send on", given)
            .unwrap_or_else(|| given.to_string()),
    };
    if is_iso_date(&send_on) && send_on.as_str() < today {
        p.add("send_on", "The date to send on cannot be in the past");
    }
    send_on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_parse_to_pence() {
        assert_eq!(parse_pounds("£1,250.50"), Some(125_050));
        assert_eq!(parse_pounds("800"), Some(80_000));
        assert_eq!(parse_pounds("2.5"), Some(250));
        for bad in ["-5", "£", "abc", "1.234", "=1+1", "1e9"] {
            assert_eq!(parse_pounds(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_update_needs_a_rag_a_body_and_a_date_not_in_the_future() {
        let u = ProgressUpdate {
            posted_on: "2026-12-05".into(),
            body: " ".into(),
            rag: "blue".into(),
            spent: "x".into(),
        };
        let Err(AppError::Invalid(errs)) = u.check("2026-12-04") else {
            panic!("expected problems");
        };
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["rag", "body", "posted_on", "spent"]);
    }

    #[test]
    fn a_work_area_ends_on_or_after_it_starts() {
        let e = WorkAreaEdit {
            title: "Area".into(),
            leads: "Beth Kay\nBeth Kay".into(),
            why: String::new(),
            what_we_will_do: String::new(),
            start: "2026-09-01".into(),
            end: "2026-08-01".into(),
            budget: String::new(),
            committed: String::new(),
            places: None,
        };
        let Err(AppError::Invalid(errs)) = e.check() else {
            panic!("expected problems");
        };
        assert_eq!(errs[0].field, "end");
    }
}
