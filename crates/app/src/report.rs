//! The Executive report of a plan for a given date: RAG by work area, actions overdue and
//! due soon by owner, budget allocated against spent, recent updates. RAG and spend are as
//! they stood on that date (from the update history), so a past report can be reproduced.

use crate::plans::PlanView;
use crate::Context;
use crate::{Actor, App, AppError, AppResult};

#[derive(Debug, Clone, serde::Serialize)]
pub struct AreaLine {
    pub title: String,
    pub kind: String,
    pub leads: Vec<String>,
    pub rag: Option<String>,
    pub reason: String,
    pub allocated_pence: i64,
    /// Committed now (the work area's current figure, not as of the report's date).
    pub committed_pence: i64,
    pub spent_pence: i64,
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ActionLine {
    pub description: String,
    pub owner: String,
    pub due: Option<String>,
    pub status: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct UpdateLine {
    pub work_area: String,
    pub posted_on: String,
    pub rag: Option<String>,
    pub body: String,
    pub author: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MilestoneLine {
    pub work_area: String,
    pub title: String,
    pub due: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct IndicatorLine {
    pub work_area: String,
    pub outcome: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub current: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub plan_id: String,
    pub plan_title: String,
    pub date: String,
    pub areas: Vec<AreaLine>,
    pub rag_counts: [usize; 4],
    pub overdue: Vec<ActionLine>,
    pub due_soon: Vec<ActionLine>,
    pub allocated_pence: i64,
    pub committed_pence: i64,
    pub spent_pence: i64,
    pub recent_updates: Vec<UpdateLine>,
    /// Planned milestones whose due date has passed.
    pub milestones_missed: Vec<MilestoneLine>,
    /// Planned milestones due within four weeks.
    pub milestones_due: Vec<MilestoneLine>,
    /// Outcomes with a measurable indicator.
    pub indicators: Vec<IndicatorLine>,
    /// Library items linked to work areas (those the reader may see).
    pub learning: Vec<LearningLine>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LearningLine {
    pub work_area: String,
    /// A library item's kind, or "event".
    pub kind: String,
    pub item_id: String,
    pub title: String,
    pub organisation: String,
}

/// Days ahead that count as "due soon".
const SOON_DAYS: i64 = 28;
/// Days back that count as "recent" for updates.
const RECENT_DAYS: i64 = 42;

/// `date` (YYYY-MM-DD) moved by `days`.
pub fn shift_days(date: &str, days: i64) -> String {
    let span = jiff::Span::new().try_days(days).ok();
    lz_domain::dates::parse_iso_date(date)
        .zip(span)
        .and_then(|(d, span)| d.checked_add(span).ok())
        .map(|d| d.to_string())
        .unwrap_or_else(|| date.to_string())
}

pub fn build(view: &PlanView, date: &str) -> Report {
    let soon = shift_days(date, SOON_DAYS);
    let recent_from = shift_days(date, -RECENT_DAYS);
    let areas: Vec<AreaLine> = view
        .work_areas
        .iter()
        .map(|w| {
            // Updates are newest first: the first on or before the date is the state then.
            let latest = view
                .updates
                .iter()
                .find(|u| u.work_area_id == w.id && u.posted_on.as_str() <= date);
            let spent = view
                .updates
                .iter()
                .find(|u| {
                    u.work_area_id == w.id
                        && u.posted_on.as_str() <= date
                        && u.spent_pence.is_some()
                })
                .and_then(|u| u.spent_pence)
                .unwrap_or(0);
            AreaLine {
                title: w.title.clone(),
                kind: w.kind.clone(),
                leads: view
                    .leads
                    .iter()
                    .filter(|l| l.work_area_id == w.id)
                    .map(|l| l.name.clone())
                    .collect(),
                rag: latest.and_then(|u| u.rag.clone()),
                reason: latest.map(|u| u.body.clone()).unwrap_or_default(),
                allocated_pence: w.budget_allocated_pence,
                committed_pence: w.budget_committed_pence,
                spent_pence: spent,
                start: w.start_date.clone(),
                end: w.end_date.clone(),
            }
        })
        .collect();
    let mut rag_counts = [0usize; 4];
    for a in &areas {
        let i = match a.rag.as_deref() {
            Some("red") => 0,
            Some("amber") => 1,
            Some("green") => 2,
            _ => 3,
        };
        rag_counts[i] += 1;
    }
    let line = |a: &lz_store::plans::ActionRow| ActionLine {
        description: a.description.clone(),
        owner: if a.owner_name.is_empty() {
            "Not assigned".into()
        } else {
            a.owner_name.clone()
        },
        due: a.due_date.clone(),
        status: a.status.clone(),
        overdue: a.due_date.as_deref().is_some_and(|d| d < date),
    };
    let open = view.actions.iter().filter(|a| a.status == "open");
    let mut overdue: Vec<ActionLine> = open
        .clone()
        .filter(|a| a.due_date.as_deref().is_some_and(|d| d < date))
        .map(line)
        .collect();
    let mut due_soon: Vec<ActionLine> = open
        .filter(|a| {
            a.due_date
                .as_deref()
                .is_some_and(|d| d >= date && d <= soon.as_str())
        })
        .map(line)
        .collect();
    // Grouped by owner, then by due date.
    overdue.sort_by(|a, b| (&a.owner, &a.due).cmp(&(&b.owner, &b.due)));
    due_soon.sort_by(|a, b| (&a.owner, &a.due).cmp(&(&b.owner, &b.due)));
    let title_of = |id: &str| {
        view.work_areas
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.title.clone())
            .unwrap_or_default()
    };
    let recent_updates = view
        .updates
        .iter()
        .filter(|u| u.posted_on.as_str() <= date && u.posted_on >= recent_from)
        .map(|u| UpdateLine {
            work_area: title_of(&u.work_area_id),
            posted_on: u.posted_on.clone(),
            rag: u.rag.clone(),
            body: u.body.clone(),
            author: u.author.clone(),
        })
        .collect();
    let milestone = |m: &&lz_store::plans::MilestoneRow| MilestoneLine {
        work_area: title_of(&m.work_area_id),
        title: m.title.clone(),
        due: m.due_date.clone().unwrap_or_default(),
    };
    let planned: Vec<&lz_store::plans::MilestoneRow> = view
        .milestones
        .iter()
        .filter(|m| m.status == "planned" && m.due_date.is_some())
        .collect();
    let milestones_missed = planned
        .iter()
        .filter(|m| m.due_date.as_deref().is_some_and(|d| d < date))
        .map(milestone)
        .collect();
    let milestones_due = planned
        .iter()
        .filter(|m| {
            m.due_date
                .as_deref()
                .is_some_and(|d| d >= date && d <= soon.as_str())
        })
        .map(milestone)
        .collect();
    let indicators = view
        .outcomes
        .iter()
        .filter(|o| !o.indicator.is_empty())
        .map(|o| IndicatorLine {
            work_area: title_of(&o.work_area_id),
            outcome: o.text.clone(),
            indicator: o.indicator.clone(),
            baseline: o.baseline.clone(),
            target: o.target.clone(),
            current: o.current_value.clone(),
        })
        .collect();
    let learning = view
        .learning
        .iter()
        .map(|l| LearningLine {
            work_area: view
                .work_areas
                .iter()
                .find(|w| w.id == l.work_area_id)
                .map(|w| w.title.clone())
                .unwrap_or_default(),
            kind: l.kind.clone(),
            item_id: l.id.clone(),
            title: l.title.clone(),
            organisation: l.organisation_name.clone(),
        })
        .collect();
    Report {
        learning,
        indicators,
        milestones_missed,
        milestones_due,
        plan_id: view.plan.id.clone(),
        plan_title: view.plan.title.clone(),
        date: date.to_string(),
        allocated_pence: areas.iter().map(|a| a.allocated_pence).sum(),
        committed_pence: areas.iter().map(|a| a.committed_pence).sum(),
        spent_pence: areas.iter().map(|a| a.spent_pence).sum(),
        areas,
        rag_counts,
        overdue,
        due_soon,
        recent_updates,
    }
}

/// A spreadsheet cannot run a cell that starts like a formula: prefix it with an apostrophe.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn pounds(pence: i64) -> String {
    format!("{}.{:02}", pence / 100, (pence % 100).abs())
}

/// One of the report's tables as CSV: `work_areas`, `actions` or `updates`.
pub fn csv(report: &Report, table: &str) -> AppResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |cells: Vec<String>| -> AppResult<()> {
        w.write_record(cells.iter().map(|c| neutralise(c)))
            .context("csv")
    };
    match table {
        "work_areas" => {
            row([
                "work_area",
                "kind",
                "accountable_leads",
                "rag",
                "reason",
                "start",
                "end",
                "allocated_gbp",
                "committed_gbp",
                "spent_gbp",
            ]
            .map(String::from)
            .to_vec())?;
            for a in &report.areas {
                row(vec![
                    a.title.clone(),
                    a.kind.clone(),
                    a.leads.join("; "),
                    a.rag.clone().unwrap_or_default(),
                    a.reason.clone(),
                    a.start.clone().unwrap_or_default(),
                    a.end.clone().unwrap_or_default(),
                    pounds(a.allocated_pence),
                    pounds(a.committed_pence),
                    pounds(a.spent_pence),
                ])?;
            }
        }
        "actions" => {
            row(["action", "owner", "due", "status", "overdue"]
                .map(String::from)
                .to_vec())?;
            for a in report.overdue.iter().chain(&report.due_soon) {
                row(vec![
                    a.description.clone(),
                    a.owner.clone(),
                    a.due.clone().unwrap_or_default(),
                    a.status.clone(),
                    a.overdue.to_string(),
                ])?;
            }
        }
        "updates" => {
            row(["work_area", "posted_on", "rag", "update", "author"]
                .map(String::from)
                .to_vec())?;
            for u in &report.recent_updates {
                row(vec![
                    u.work_area.clone(),
                    u.posted_on.clone(),
                    u.rag.clone().unwrap_or_default(),
                    u.body.clone(),
                    u.author.clone().unwrap_or_default(),
                ])?;
            }
        }
        _ => {
            return Err(AppError::field(
                "table",
                "Choose work_areas, actions or updates",
            ))
        }
    }
    let bytes = w.into_inner().context("csv")?;
    String::from_utf8(bytes).context("csv")
}

impl App {
    /// The report for `date` (YYYY-MM-DD; empty means today), for anyone who may see the plan.
    pub async fn executive_report(
        &self,
        actor: Option<&Actor>,
        plan_id: &str,
        date: &str,
    ) -> AppResult<Report> {
        let date = if date.trim().is_empty() {
            crate::plans::today(self.now())
        } else {
            date.trim().to_string()
        };
        if lz_domain::dates::parse_iso_date(&date).is_none() {
            return Err(AppError::field(
                "date",
                "Enter the date as YYYY-MM-DD, like 2026-11-23",
            ));
        }
        let view = self.plan_view(actor, plan_id).await?;
        Ok(build(&view, &date))
    }
}

/// A plain-text summary of the report for email.
pub fn email_text(r: &Report, link: &str) -> String {
    let money = |p: i64| crate::report_docs::money(p);
    let mut s = format!(
        "Executive report: {}\nAs it stood on {}.\n\nStatus: {} red, {} amber, {} green, {} without an update.\nBudget: {} allocated, {} committed, {} spent.\n",
        r.plan_title, r.date, r.rag_counts[0], r.rag_counts[1], r.rag_counts[2], r.rag_counts[3], money(r.allocated_pence), money(r.committed_pence), money(r.spent_pence)
    );
    if !r.milestones_missed.is_empty() {
        s.push_str("\nMilestones missed:\n");
        for m in &r.milestones_missed {
            s.push_str(&format!("- {} ({}), due {}\n", m.title, m.work_area, m.due));
        }
    }
    if !r.overdue.is_empty() {
        s.push_str("\nActions overdue:\n");
        for a in &r.overdue {
            s.push_str(&format!(
                "- {}: {} (due {})\n",
                a.owner,
                a.description,
                a.due.clone().unwrap_or_default()
            ));
        }
    }
    if !r.due_soon.is_empty() {
        s.push_str("\nActions due in the next four weeks:\n");
        for a in &r.due_soon {
            s.push_str(&format!(
                "- {}: {} (due {})\n",
                a.owner,
                a.description,
                a.due.clone().unwrap_or_default()
            ));
        }
    }
    s.push_str(&format!(
        "\nThe full report, with PDF and Word versions: {link}\n"
    ));
    s
}

impl App {
    /// Schedules the report to be emailed on `send_on` (today or later) to the addresses given.
    pub async fn schedule_report(
        &self,
        actor: &Actor,
        plan_id: &str,
        recipients: &str,
        send_on: &str,
    ) -> AppResult<()> {
        let mut p = crate::Problems::default();
        let mut emails: Vec<String> = Vec::new();
        for raw in recipients
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
        let today = crate::plans::today(self.now());
        let send_on = if send_on.trim().is_empty() {
            today.clone()
        } else {
            send_on.trim().to_string()
        };
        if lz_domain::dates::parse_iso_date(&send_on).is_none() {
            p.add("send_on", "Enter the date as YYYY-MM-DD, like 2026-12-01");
        } else if send_on < today {
            p.add("send_on", "The date to send on cannot be in the past");
        }
        p.into_result()?;
        let view = self.plan_view(Some(actor), plan_id).await?;
        if !view.can_edit {
            return Err(AppError::Forbidden);
        }
        let now = self.now();
        let id = crate::new_id();
        let mut tx = self.db.begin().await?;
        lz_store::plans::insert_schedule(
            &mut tx,
            &id,
            plan_id,
            &emails.join(","),
            &send_on,
            actor.id(),
            now,
        )
        .await?;
        crate::record(
            &mut tx,
            now,
            Some(actor.id()),
            "report.schedule",
            ("plan", plan_id),
            &send_on,
        )
        .await?;
        crate::commit(tx).await?;
        Ok(())
    }

    pub async fn report_schedules(
        &self,
        actor: &Actor,
        plan_id: &str,
    ) -> AppResult<Vec<lz_store::plans::ScheduleRow>> {
        let view = self.plan_view(Some(actor), plan_id).await?;
        if !view.can_edit {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.acquire().await?;
        Ok(lz_store::plans::schedules_of_plan(&mut c, plan_id).await?)
    }

    /// Emails every scheduled report that is due, once each. Run by the housekeeping job.
    pub async fn send_scheduled_reports(&self) -> AppResult<usize> {
        let now = self.now();
        let today = crate::plans::today(now);
        let due = {
            let mut c = self.db.acquire().await?;
            lz_store::plans::schedules_due(&mut c, &today).await?
        };
        let mut sent = 0;
        for sch in due {
            // The system reads the plan (its scheduler could see it when scheduling).
            let view = self.plan_view_as_system(&sch.plan_id).await?;
            let report = build(&view, &today);
            let link = self
                .config
                .link(&format!("/plans/{}/report?date={today}", sch.plan_id));
            let body = email_text(&report, &link);
            let mut tx = self.db.begin().await?;
            if !lz_store::plans::claim_schedule(&mut tx, &sch.id, now).await? {
                continue;
            }
            for to in sch.recipients.split(',').filter(|s| !s.is_empty()) {
                let email = crate::mail::Email {
                    to: to.to_string(),
                    subject: format!("Executive report: {} ({today})", report.plan_title),
                    body: body.clone(),
                };
                crate::mail::enqueue(&mut tx, now, &email).await?;
            }
            crate::commit(tx).await?;
            sent += 1;
        }
        if sent > 0 {
            self.wake_mailer();
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(super::neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::neutralise("+1"), "'+1");
        assert_eq!(super::neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::neutralise("-2"), "'-2");
        assert_eq!(super::neutralise("Beth Kay"), "Beth Kay");
    }
}
