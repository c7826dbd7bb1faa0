//! Delivery plans: importing a plan document and Executive minutes (parsed in
//! `lz_domain::plan_import`, reviewed by a person, then saved in one transaction), reading
//! plans with what each person may see, work areas with their progress, milestones and linked
//! learning, actions with their owners, and the Executive report (page, CSV, DOCX, PDF and a
//! scheduled email).
//!
//! Reached through the handle: `app.plans().import_plan(...)`. Who may do what is decided
//! in `access`; typed records are in `record`; form and API inputs in `input`.

pub mod access;
mod actions;
mod document;
mod import;
mod mail;
mod manage;
mod progress;
pub mod record;
pub mod report;
pub mod report_docs;

pub mod input;

pub use access::PlanAccess;
pub use document::{plan_template_csv, uploaded_plan_text, TEMPLATE_COLUMNS};
pub use import::ImportScreen;
pub use input::{OutcomeIndicator, PlanImport, ProgressUpdate, WorkAreaEdit};
pub use record::{
    ActionRecord, ActionStatus, BudgetLineRecord, DeliveredRecord, LeadRecord, LearningRecord,
    MilestoneRecord, MilestoneStatus, OutcomeRecord, PlanRecord, PlanStatus, PlanVisibility, Rag,
    ScheduleRecord, UpdateRecord, WorkAreaKind, WorkAreaPlaceRecord, WorkAreaRecord,
};

use lz_domain::ids::{UserId, WorkAreaId};
use lz_store::plans::{self as store, Reader};

use crate::{Actor, App, AppError, AppResult};
use record::all;

/// Delivery plans' use cases: `app.plans()`.
pub struct Plans<'a> {
    app: &'a App,
}

impl App {
    pub fn plans(&self) -> Plans<'_> {
        Plans { app: self }
    }
}

/// A plan with everything its page shows, and what the reader may do with it.
pub struct PlanView {
    pub plan: PlanRecord,
    pub work_areas: Vec<WorkAreaRecord>,
    pub leads: Vec<LeadRecord>,
    pub budget_lines: Vec<BudgetLineRecord>,
    pub outcomes: Vec<OutcomeRecord>,
    pub actions: Vec<ActionRecord>,
    pub updates: Vec<UpdateRecord>,
    pub milestones: Vec<MilestoneRecord>,
    /// Published library items and events linked to work areas, as far as the reader may
    /// see them.
    pub learning: Vec<LearningRecord>,
    /// The places that deliver each work area.
    pub places: Vec<WorkAreaPlaceRecord>,
    pub access: PlanAccess,
    /// Who is reading (none: a visitor or the system), for "may update this work area".
    pub reader_id: Option<UserId>,
    /// The places the reader leads (place leads only).
    pub reader_led_places: Vec<String>,
}

impl PlanView {
    /// Those who may change the plan: the page shows its editing forms.
    pub fn may_edit(&self) -> bool {
        self.access.may_edit()
    }

    pub fn is_lead(&self, work_area_id: &WorkAreaId) -> bool {
        self.reader_id.as_ref().is_some_and(|me| {
            self.leads
                .iter()
                .any(|l| &l.work_area_id == work_area_id && l.user_id.as_ref() == Some(me))
        })
    }

    /// The reader leads a place that delivers this work area.
    pub fn leads_delivering_place(&self, work_area_id: &WorkAreaId) -> bool {
        self.places_of(work_area_id)
            .any(|p| self.reader_led_places.contains(&p.place_id))
    }

    /// The reader may post updates, milestones and links on this work area.
    pub fn may_update(&self, work_area_id: &WorkAreaId) -> bool {
        self.access.may_update_work_area(
            self.is_lead(work_area_id) || self.leads_delivering_place(work_area_id),
        )
    }

    pub fn places_of<'a>(
        &'a self,
        work_area_id: &'a WorkAreaId,
    ) -> impl Iterator<Item = &'a WorkAreaPlaceRecord> + 'a {
        self.places
            .iter()
            .filter(move |p| &p.work_area_id == work_area_id)
    }

    pub fn leads_of<'a>(
        &'a self,
        work_area_id: &'a WorkAreaId,
    ) -> impl Iterator<Item = &'a LeadRecord> + 'a {
        self.leads
            .iter()
            .filter(move |l| &l.work_area_id == work_area_id)
    }

    pub fn work_area(&self, id: &WorkAreaId) -> Option<&WorkAreaRecord> {
        self.work_areas.iter().find(|w| &w.id == id)
    }

    pub fn budget_allocated_pence(&self) -> i64 {
        self.work_areas
            .iter()
            .map(|w| w.budget_allocated_pence)
            .sum()
    }
}

/// The plans a reader may see, and whether they may import one.
pub struct PlanList {
    pub plans: Vec<PlanRecord>,
    pub may_import: bool,
}

impl Plans<'_> {
    pub async fn list(&self, actor: Option<&Actor>) -> AppResult<PlanList> {
        let mut c = self.app.db.acquire().await?;
        Ok(PlanList {
            plans: all(store::plans(&mut c, &access::reader(actor)).await?)?,
            may_import: actor.is_some_and(access::may_open_import),
        })
    }

    /// A plan the reader may see (anything else is "not found", whether or not it exists).
    pub async fn view(&self, actor: Option<&Actor>, id: &str) -> AppResult<PlanView> {
        let library_reader = crate::library::reader(actor);
        let view = self
            .load_view(&access::reader(actor), &library_reader, id)
            .await?;
        Ok(PlanView {
            access: PlanAccess::of(actor, &view.plan),
            reader_id: actor.map(|a| UserId::from(a.id())),
            reader_led_places: actor.map(Actor::led_place_ids).unwrap_or_default(),
            ..view
        })
    }

    /// The plan of a work area the reader may update (its leads, or those who may change the
    /// plan), for the work area's edit form.
    pub async fn view_for_work_area(
        &self,
        actor: &Actor,
        work_area_id: &str,
    ) -> AppResult<PlanView> {
        let plan_id = self.plan_of_work_area(work_area_id).await?;
        let view = self.view(Some(actor), &plan_id).await?;
        let id = WorkAreaId::from(work_area_id);
        view.work_area(&id).ok_or(AppError::NotFound)?;
        view.access
            .require_update_work_area(view.is_lead(&id) || view.leads_delivering_place(&id))?;
        Ok(view)
    }

    /// A plan read by the system itself (jobs), whatever its visibility.
    pub(crate) async fn view_as_system(&self, id: &str) -> AppResult<PlanView> {
        // Learning named in a report sent by email: public items only.
        self.load_view(
            &access::system_reader(),
            &lz_store::library::Reader::default(),
            id,
        )
        .await
    }

    async fn load_view(
        &self,
        reader: &Reader<'_>,
        library_reader: &lz_store::library::Reader<'_>,
        id: &str,
    ) -> AppResult<PlanView> {
        let mut c = self.app.db.acquire().await?;
        let plan = store::plan(&mut c, reader, id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Library items, then events: both "learning that delivers or shows it".
        let mut learning = lz_store::library::linked_to_plan(&mut c, library_reader, id).await?;
        let events_reader = lz_store::events::EventReader {
            user_id: library_reader.user_id,
            sees_everything: library_reader.sees_everything,
        };
        learning.extend(lz_store::events::linked_to_plan(&mut c, events_reader, id).await?);
        Ok(PlanView {
            plan: plan.try_into()?,
            work_areas: all(store::work_areas(&mut c, id).await?)?,
            leads: into_all(store::leads(&mut c, id).await?),
            budget_lines: into_all(store::budget_lines(&mut c, id).await?),
            outcomes: into_all(store::outcomes(&mut c, id).await?),
            actions: all(store::actions_of_plan(&mut c, id).await?)?,
            updates: all(store::updates(&mut c, id).await?)?,
            milestones: all(store::milestones(&mut c, id).await?)?,
            learning: into_all(learning),
            places: into_all(store::work_area_places(&mut c, id).await?),
            access: PlanAccess::Read,
            reader_id: None,
            reader_led_places: Vec::new(),
        })
    }

    /// The plan a work area belongs to.
    pub async fn plan_of_work_area(&self, work_area_id: &str) -> AppResult<String> {
        let mut c = self.app.db.acquire().await?;
        Ok(store::work_area(&mut c, work_area_id)
            .await?
            .ok_or(AppError::NotFound)?
            .1)
    }

    /// The plan behind `work_area_id` and the actor's access to it, if the actor may update
    /// that work area (its leads or those who may change the plan).
    async fn updatable_work_area(
        &self,
        c: &mut lz_store::Conn,
        actor: &Actor,
        work_area_id: &str,
    ) -> AppResult<PlanRecord> {
        let (_, plan_id) = store::work_area(c, work_area_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let plan: PlanRecord = store::plan(c, &access::reader(Some(actor)), &plan_id)
            .await?
            .ok_or(AppError::NotFound)?
            .try_into()?;
        let plan_access = PlanAccess::of(Some(actor), &plan);
        // Only ask the database about leads when the plan rule alone does not decide.
        if !plan_access.may_edit() {
            let is_lead = store::is_lead(c, work_area_id, actor.id()).await?
                || store::places_of_work_area(c, work_area_id)
                    .await?
                    .iter()
                    .any(|p| actor.leads_place(p));
            plan_access.require_update_work_area(is_lead)?;
        }
        Ok(plan)
    }

    /// The work areas a place delivers, in plans the reader may see (the place's page).
    pub async fn delivered_by_place(
        &self,
        actor: Option<&Actor>,
        place_id: &str,
    ) -> AppResult<Vec<DeliveredRecord>> {
        let mut c = self.app.db.acquire().await?;
        all(store::delivered_by_place(&mut c, &access::reader(actor), place_id).await?)
    }
}

fn into_all<R, T: From<R>>(rows: Vec<R>) -> Vec<T> {
    rows.into_iter().map(T::from).collect()
}
