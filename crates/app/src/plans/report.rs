//! The Executive report of a plan for a given date: RAG by work area, actions overdue and
//! due soon by owner, budget allocated against spent, recent updates. RAG and spend are as
//! they stood on that date (from the update history), so a past report can be reproduced.

use super::input::{shift_days, today};
use super::record::{
    ActionRecord, ActionStatus, MilestoneRecord, MilestoneStatus, Rag, ScheduleRecord,
    WorkAreaKind, WorkAreaRecord,
};
use super::{PlanView, Plans};
use crate::tables::Table;
use crate::{Actor, AppError, AppResult, Audit, Problems};

#[derive(Debug, Clone, serde::Serialize)]
pub struct AreaLine {
    pub title: String,
    pub kind: WorkAreaKind,
    pub leads: Vec<String>,
    pub rag: Option<Rag>,
    pub reason: String,
    pub allocated_pence: i64,
    /// Committed now (the work area's current figure, not as of the report's date).
    pub committed_pence: i64,
    pub spent_pence: i64,
    pub start: Option<String>,
    pub end: Option<String>,
    /// What a reader must notice, in words: over budget, past its end with no status.
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ActionLine {
    pub description: String,
    pub owner: String,
    pub due: Option<String>,
    pub status: ActionStatus,
    pub overdue: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct UpdateLine {
    pub work_area: String,
    pub posted_on: String,
    pub rag: Option<Rag>,
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
    /// Where the figures come from when the outcome follows a public indicator (read from
    /// the latest published observation, not typed), e.g. "OHID Fingertips 93015, 2023/24";
    /// empty when the plan's own people enter them.
    pub source: String,
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
    /// Evidence collections (advocacy packs, narratives) the work areas commission, with
    /// the evidence gathered in each per agenda and per place.
    pub evidence: Vec<EvidenceLine>,
}

/// One collection a work area commissions, and where its pack stands.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EvidenceLine {
    pub work_area: String,
    pub collection_id: String,
    pub title: String,
    /// "Advocacy pack" or "Narrative".
    pub kind: String,
    /// "Draft" or "Published".
    pub status: String,
    pub version: i64,
    /// Claims in the pack.
    pub claims: usize,
    /// Chosen records left out of the pack (not yet published, or narrower than its audience).
    pub left_out: usize,
    /// "Health (4), Economy (2)".
    pub agendas: String,
    /// "Blackpool (3), Burnley (2)".
    pub places: String,
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

/// The report as things stood on `date` (YYYY-MM-DD).
pub fn build(view: &PlanView, date: &str) -> Report {
    let soon = shift_days(date, SOON_DAYS);
    let areas: Vec<AreaLine> = view
        .work_areas
        .iter()
        .map(|w| area_line(view, w, date))
        .collect();
    let mut rag_counts = [0usize; 4];
    for a in &areas {
        let i = match a.rag {
            Some(Rag::Red) => 0,
            Some(Rag::Amber) => 1,
            Some(Rag::Green) => 2,
            None => 3,
        };
        rag_counts[i] += 1;
    }
    let (overdue, due_soon) = action_lines(&view.actions, date, &soon);
    let (milestones_missed, milestones_due) = milestone_lines(view, date, &soon);
    Report {
        learning: learning_lines(view),
        indicators: indicator_lines(view),
        milestones_missed,
        milestones_due,
        plan_id: view.plan.id.to_string(),
        plan_title: view.plan.title.clone(),
        date: date.to_string(),
        allocated_pence: areas.iter().map(|a| a.allocated_pence).sum(),
        committed_pence: areas.iter().map(|a| a.committed_pence).sum(),
        spent_pence: areas.iter().map(|a| a.spent_pence).sum(),
        areas,
        rag_counts,
        overdue,
        due_soon,
        recent_updates: update_lines(view, date),
        // Filled by `executive_report`, which may read collections as the reader.
        evidence: vec![],
    }
}

/// A work area's RAG and spend as they stood on `date`.
fn area_line(view: &PlanView, w: &WorkAreaRecord, date: &str) -> AreaLine {
    // Updates are newest first: the first on or before the date is the state then.
    let mut until_then = view
        .updates
        .iter()
        .filter(|u| u.work_area_id == w.id && u.posted_on.as_str() <= date);
    let latest = until_then.clone().next();
    let spent = until_then.find_map(|u| u.spent_pence).unwrap_or(0);
    let rag = latest.and_then(|u| u.rag);
    AreaLine {
        flags: area_flags(w, rag, spent, date),
        title: w.title.clone(),
        kind: w.kind,
        leads: view.leads_of(&w.id).map(|l| l.name.clone()).collect(),
        rag,
        reason: latest.map(|u| u.body.clone()).unwrap_or_default(),
        allocated_pence: w.budget_allocated_pence,
        committed_pence: w.budget_committed_pence,
        spent_pence: spent,
        start: w.start_date.clone(),
        end: w.end_date.clone(),
    }
}

/// The flags of a work area as it stood on `date`: spent more than allocated; past its end
/// date without a status.
fn area_flags(w: &WorkAreaRecord, rag: Option<Rag>, spent: i64, date: &str) -> Vec<String> {
    let mut flags = Vec::new();
    if spent > w.budget_allocated_pence {
        flags.push(format!(
            "Over budget by {}",
            crate::documents::money(spent - w.budget_allocated_pence)
        ));
    }
    if rag.is_none() && w.end_date.as_deref().is_some_and(|end| end < date) {
        flags.push("Past its end date with no status".to_string());
    }
    flags
}

/// Open actions overdue and due by `soon`, each grouped by owner, then by due date.
fn action_lines(
    actions: &[ActionRecord],
    date: &str,
    soon: &str,
) -> (Vec<ActionLine>, Vec<ActionLine>) {
    let line = |a: &ActionRecord| ActionLine {
        description: a.description.clone(),
        owner: if a.owner_name.is_empty() {
            "Not assigned".into()
        } else {
            a.owner_name.clone()
        },
        due: a.due_date.clone(),
        status: a.status,
        overdue: a.due_date.as_deref().is_some_and(|d| d < date),
    };
    let open = actions.iter().filter(|a| a.status == ActionStatus::Open);
    let mut overdue: Vec<ActionLine> = open
        .clone()
        .filter(|a| a.due_date.as_deref().is_some_and(|d| d < date))
        .map(line)
        .collect();
    let mut due_soon: Vec<ActionLine> = open
        .filter(|a| {
            a.due_date
                .as_deref()
                .is_some_and(|d| d >= date && d <= soon)
        })
        .map(line)
        .collect();
    overdue.sort_by(|a, b| (&a.owner, &a.due).cmp(&(&b.owner, &b.due)));
    due_soon.sort_by(|a, b| (&a.owner, &a.due).cmp(&(&b.owner, &b.due)));
    (overdue, due_soon)
}

fn title_of(view: &PlanView, id: &lz_domain::ids::WorkAreaId) -> String {
    view.work_area(id)
        .map(|w| w.title.clone())
        .unwrap_or_default()
}

/// Updates in the six weeks up to `date`.
fn update_lines(view: &PlanView, date: &str) -> Vec<UpdateLine> {
    let recent_from = shift_days(date, -RECENT_DAYS);
    view.updates
        .iter()
        .filter(|u| u.posted_on.as_str() <= date && u.posted_on >= recent_from)
        .map(|u| UpdateLine {
            work_area: title_of(view, &u.work_area_id),
            posted_on: u.posted_on.clone(),
            rag: u.rag,
            body: u.body.clone(),
            author: u.author.clone(),
        })
        .collect()
}

/// Planned milestones missed by `date`, and due between it and `soon`.
fn milestone_lines(
    view: &PlanView,
    date: &str,
    soon: &str,
) -> (Vec<MilestoneLine>, Vec<MilestoneLine>) {
    let line = |m: &&MilestoneRecord| MilestoneLine {
        work_area: title_of(view, &m.work_area_id),
        title: m.title.clone(),
        due: m.due_date.clone().unwrap_or_default(),
    };
    let planned: Vec<&MilestoneRecord> = view
        .milestones
        .iter()
        .filter(|m| m.status == MilestoneStatus::Planned && m.due_date.is_some())
        .collect();
    let missed = planned
        .iter()
        .filter(|m| m.due_date.as_deref().is_some_and(|d| d < date))
        .map(line)
        .collect();
    let due = planned
        .iter()
        .filter(|m| {
            m.due_date
                .as_deref()
                .is_some_and(|d| d >= date && d <= soon)
        })
        .map(line)
        .collect();
    (missed, due)
}

fn indicator_lines(view: &PlanView) -> Vec<IndicatorLine> {
    view.outcomes
        .iter()
        .filter(|o| !o.indicator.is_empty())
        .map(|o| IndicatorLine {
            work_area: title_of(view, &o.work_area_id),
            outcome: o.text.clone(),
            indicator: o.indicator.clone(),
            baseline: o.baseline.clone(),
            target: o.target.clone(),
            current: o.current_value.clone(),
            source: String::new(),
        })
        .collect()
}

/// The outcome lines of outcomes that follow a public indicator: the baseline and the latest
/// published value (with its period) from the observations, the plan's target.
fn figure_lines(
    view: &PlanView,
    figures: &[crate::intelligence::OutcomeFigure],
) -> Vec<(String, IndicatorLine)> {
    let shown = |o: &Option<crate::intelligence::ObservationRecord>, unit: &str| {
        o.as_ref()
            .and_then(|o| {
                o.value
                    .map(|v| format!("{} ({})", number(v, unit), o.period))
            })
            .unwrap_or_default()
    };
    figures
        .iter()
        .filter_map(|f| {
            let outcome = view
                .outcomes
                .iter()
                .find(|o| o.id.as_str() == f.outcome_id)?;
            let latest = f.latest.as_ref();
            let mut source = format!(
                "{}{}",
                f.source,
                latest
                    .map(|l| format!(", latest published figure {}", l.period))
                    .unwrap_or_default()
            );
            if f.illustrative {
                source.push_str(" (illustrative demo figures, not official)");
            }
            Some((
                f.outcome_id.clone(),
                IndicatorLine {
                    work_area: title_of(view, &outcome.work_area_id),
                    outcome: outcome.text.clone(),
                    indicator: format!("{}, {}", f.indicator_name, f.area_name),
                    baseline: shown(&f.baseline, &f.unit),
                    target: f
                        .target
                        .map(|t| {
                            format!(
                                "{}{}",
                                number(t, &f.unit),
                                f.target_year
                                    .map(|y| format!(" by {y}"))
                                    .unwrap_or_default()
                            )
                        })
                        .unwrap_or_default(),
                    current: shown(&f.latest, &f.unit),
                    source,
                },
            ))
        })
        .collect()
}

/// A figure with its unit as the report writes it ("36.6%", "1").
fn number(v: f64, unit: &str) -> String {
    let text = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    if unit == "%" {
        format!("{text}%")
    } else {
        text
    }
}

fn learning_lines(view: &PlanView) -> Vec<LearningLine> {
    view.learning
        .iter()
        .map(|l| LearningLine {
            work_area: title_of(view, &l.work_area_id),
            kind: l.kind.clone(),
            item_id: l.id.clone(),
            title: l.title.clone(),
            organisation: l.organisation_name.clone(),
        })
        .collect()
}

fn pounds(pence: i64) -> String {
    format!("{}.{:02}", pence / 100, (pence % 100).abs())
}

/// The report's tables by name: `work_areas`, `actions` and `updates`.
pub const TABLES: [&str; 3] = ["work_areas", "actions", "updates"];

/// One of the report's tables (see [`TABLES`]).
pub fn table(report: &Report, name: &str) -> AppResult<Table> {
    let t = match name {
        "work_areas" => {
            let mut t = Table::new(
                "Work areas",
                &[
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
                    "flags",
                ],
            );
            for a in &report.areas {
                t.rows.push(vec![
                    a.title.clone(),
                    a.kind.code().to_string(),
                    a.leads.join("; "),
                    a.rag.map(Rag::code).unwrap_or_default().to_string(),
                    a.reason.clone(),
                    a.start.clone().unwrap_or_default(),
                    a.end.clone().unwrap_or_default(),
                    pounds(a.allocated_pence),
                    pounds(a.committed_pence),
                    pounds(a.spent_pence),
                    a.flags.join("; "),
                ]);
            }
            t
        }
        "actions" => {
            let mut t = Table::new("Actions", &["action", "owner", "due", "status", "overdue"]);
            for a in report.overdue.iter().chain(&report.due_soon) {
                t.rows.push(vec![
                    a.description.clone(),
                    a.owner.clone(),
                    a.due.clone().unwrap_or_default(),
                    a.status.code().to_string(),
                    a.overdue.to_string(),
                ]);
            }
            t
        }
        "updates" => {
            let mut t = Table::new(
                "Updates",
                &["work_area", "posted_on", "rag", "update", "author"],
            );
            for u in &report.recent_updates {
                t.rows.push(vec![
                    u.work_area.clone(),
                    u.posted_on.clone(),
                    u.rag.map(Rag::code).unwrap_or_default().to_string(),
                    u.body.clone(),
                    u.author.clone().unwrap_or_default(),
                ]);
            }
            t
        }
        _ => {
            return Err(AppError::field(
                "table",
                "Choose work_areas, actions or updates",
            ))
        }
    };
    Ok(t)
}

/// One of the report's tables as CSV.
pub fn csv(report: &Report, name: &str) -> AppResult<String> {
    crate::tables::csv(&table(report, name)?)
}

/// Every table of the report as one workbook, a sheet each.
pub fn xlsx(report: &Report) -> AppResult<Vec<u8>> {
    let tables = TABLES
        .iter()
        .map(|name| table(report, name))
        .collect::<AppResult<Vec<_>>>()?;
    crate::tables::xlsx(&tables)
}

impl Plans<'_> {
    /// The report for `date` (YYYY-MM-DD; empty means today), for anyone who may see the plan.
    pub async fn executive_report(
        &self,
        actor: Option<&Actor>,
        plan_id: &str,
        date: &str,
    ) -> AppResult<Report> {
        let date = match date.trim() {
            "" => today(self.app.now()),
            given => lz_domain::dates::read_day(given, "Report date")
                .map(lz_domain::dates::iso)
                .map_err(|e| AppError::field("date", e))?,
        };
        let view = self.view(actor, plan_id).await?;
        let mut report = build(&view, &date);
        report.evidence = self.evidence_lines(actor, plan_id).await?;
        let figures = self.app.intelligence().plan_outcomes(plan_id).await?;
        for (outcome_id, line) in figure_lines(&view, &figures) {
            // The published figure replaces what was typed for the same outcome.
            let typed = view
                .outcomes
                .iter()
                .find(|o| o.id.as_str() == outcome_id)
                .map(|o| o.text.clone());
            report
                .indicators
                .retain(|l| Some(&l.outcome) != typed.as_ref() || !l.source.is_empty());
            report.indicators.push(line);
        }
        Ok(report)
    }

    /// The collections the plan's work areas commission, as far as the reader may see them.
    pub async fn evidence_lines(
        &self,
        actor: Option<&Actor>,
        plan_id: &str,
    ) -> AppResult<Vec<EvidenceLine>> {
        let tallies = |t: &[crate::advocacy::Tally]| {
            t.iter()
                .map(|x| format!("{} ({})", x.name, x.count))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Ok(self
            .app
            .advocacy()
            .of_plan(actor, plan_id)
            .await?
            .into_iter()
            .map(|v| EvidenceLine {
                work_area: v
                    .collection
                    .work_area
                    .as_ref()
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                collection_id: v.collection.id.to_string(),
                title: v.collection.title.clone(),
                kind: v.collection.kind.label().to_string(),
                status: v.collection.status.label().to_string(),
                version: v.collection.version,
                claims: v.record_count(),
                left_out: v.left_out.len(),
                agendas: tallies(&v.agendas),
                places: tallies(&v.places),
            })
            .collect())
    }

    /// Schedules the report to be emailed on `send_on` (today or later) to the addresses
    /// given: those who may change the plan.
    pub async fn schedule_report(
        &self,
        actor: &Actor,
        plan_id: &str,
        recipients: &str,
        send_on: &str,
    ) -> AppResult<()> {
        // Access first: a refusal never depends on the input.
        self.view(Some(actor), plan_id)
            .await?
            .access
            .require_edit()?;
        let mut p = Problems::default();
        let emails = super::input::recipients(recipients, &mut p);
        let send_on = super::input::send_on(send_on, &today(self.app.now()), &mut p);
        p.into_result()?;
        let now = self.app.now();
        let id = crate::new_id();
        let mut tx = self.app.db.begin().await?;
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
        Audit::new(
            Some(actor.id()),
            "report.schedule",
            ("plan", plan_id),
            &send_on,
        )
        .commit(tx, now)
        .await
    }

    /// The report's scheduled emails, for those who may change the plan.
    pub async fn report_schedules(
        &self,
        actor: &Actor,
        plan_id: &str,
    ) -> AppResult<Vec<ScheduleRecord>> {
        self.view(Some(actor), plan_id)
            .await?
            .access
            .require_edit()?;
        let mut c = self.app.db.acquire().await?;
        Ok(lz_store::plans::schedules_of_plan(&mut c, plan_id)
            .await?
            .into_iter()
            .map(ScheduleRecord::from)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(
            crate::tables::neutralise("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(crate::tables::neutralise("+1"), "'+1");
        assert_eq!(crate::tables::neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(crate::tables::neutralise("-2"), "'-2");
        assert_eq!(crate::tables::neutralise("Beth Kay"), "Beth Kay");
    }
}
