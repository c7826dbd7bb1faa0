//! A work area's progress, posted by its accountable leads or those who may change the plan:
//! dated updates with their RAG and spend, milestones, and outcomes' indicators.

use lz_store::plans as store;

use super::input::{self, OutcomeIndicator, ProgressUpdate};
use super::Plans;
use crate::{new_id, Actor, AppError, AppResult, Audit, Problems};

impl Plans<'_> {
    /// A dated progress update on a work area, with its RAG. Returns by how much the spend
    /// now exceeds the work area's budget, if it does: saved, but the person is told (and the
    /// Executive report flags it).
    pub async fn post_update(
        &self,
        actor: &Actor,
        work_area_id: &str,
        update: &ProgressUpdate,
    ) -> AppResult<Option<i64>> {
        let today = input::today(self.app.now());
        let checked = update.check(&today)?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let plan = self
            .updatable_work_area(&mut tx, actor, work_area_id)
            .await?;
        let allocated = store::work_areas(&mut tx, plan.id.as_str())
            .await?
            .into_iter()
            .find(|w| w.id == work_area_id)
            .map(|w| w.budget_allocated_pence)
            .unwrap_or(0);
        let over_budget = checked
            .spent_pence
            .filter(|spent| *spent > allocated)
            .map(|spent| spent - allocated);
        store::insert_update(
            &mut tx,
            &store::NewUpdate {
                id: &new_id(),
                work_area_id,
                author_id: actor.id(),
                posted_on: &checked.posted_on,
                body: checked.body,
                rag: checked.rag.code(),
                spent_pence: checked.spent_pence,
                now,
            },
        )
        .await?;
        let subject = ("work_area", work_area_id);
        Audit::new(
            Some(actor.id()),
            "work_area.update",
            subject,
            checked.rag.code(),
        )
        .commit(tx, now)
        .await?;
        Ok(over_budget)
    }

    /// Adds a milestone to a work area. Its due date may not fall before the plan starts.
    pub async fn add_milestone(
        &self,
        actor: &Actor,
        work_area_id: &str,
        title: &str,
        due: &str,
    ) -> AppResult<()> {
        let mut p = Problems::default();
        let (title, due) = input::milestone(title, due, &mut p);
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let plan = self
            .updatable_work_area(&mut tx, actor, work_area_id)
            .await?;
        if let Some(start) = plan
            .period_start
            .as_deref()
            .filter(|s| due.len() == 10 && due.as_str() < *s)
        {
            p.add(
                "due_date",
                format!("The due date is before the plan starts ({start})"),
            );
        }
        p.into_result()?;
        let title = title.unwrap_or_default();
        let id = new_id();
        store::insert_milestone(&mut tx, &id, work_area_id, &title, &due, now).await?;
        Audit::new(
            Some(actor.id()),
            "milestone.add",
            ("milestone", &id),
            &title,
        )
        .commit(tx, now)
        .await
    }

    /// Moves a milestone to planned, done or dropped. Returns its plan's id.
    pub async fn set_milestone_status(
        &self,
        actor: &Actor,
        id: &str,
        status: &str,
    ) -> AppResult<String> {
        let status = input::milestone_status(status)?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let m = store::milestone(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.updatable_work_area(&mut tx, actor, &m.work_area_id)
            .await?;
        store::set_milestone_status(&mut tx, id, status.code()).await?;
        Audit::new(
            Some(actor.id()),
            "milestone.status",
            ("milestone", id),
            status.code(),
        )
        .commit(tx, now)
        .await?;
        Ok(m.plan_id)
    }

    /// Sets an outcome's indicator: its work area's leads or those who may change the plan.
    pub async fn set_outcome_indicator(
        &self,
        actor: &Actor,
        outcome_id: &str,
        indicator: &OutcomeIndicator,
    ) -> AppResult<()> {
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let work_area_id = store::outcome_work_area(&mut tx, outcome_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.updatable_work_area(&mut tx, actor, &work_area_id)
            .await?;
        // Judged after the access check, so that a refusal never depends on the input.
        let checked = indicator.check()?;
        store::set_indicator(
            &mut tx,
            outcome_id,
            checked.indicator,
            &checked.baseline,
            &checked.target,
            &checked.current,
        )
        .await?;
        let subject = ("outcome", outcome_id);
        Audit::new(
            Some(actor.id()),
            "outcome.indicator",
            subject,
            checked.indicator,
        )
        .commit(tx, now)
        .await
    }
}
