//! Delivery plans: importing a plan document and Executive minutes (parsed in
//! `lz_domain::plan_import`, reviewed by a person, then saved in one transaction), reading
//! plans with what each person may see, and actions with their owners.

use lz_domain::plan_import::{parse_minutes, parse_plan, ImportError, ParsedMinutes, ParsedPlan};
use lz_domain::Role;
use lz_store::plans::{
    self as store, ActionRow, NewAction, NewMeeting, NewPlan, NewWorkArea, PlanRow, Reader,
};
use lz_store::users;

use crate::{commit, new_id, record, Actor, App, AppError, AppResult};

/// Who can see which plans: the visibility levels of shared content.
pub const VISIBILITIES: &[(&str, &str)] = &[
    ("public", "Public: anyone, without signing in"),
    ("network", "Network: every signed-in partner"),
    (
        "organisation",
        "Organisation: members of the owning organisation",
    ),
];

pub struct PlanImport {
    pub text: String,
    /// A title to use instead of the document's own (often a template's name).
    pub title: Option<String>,
    pub owner_organisation_id: Option<String>,
    pub visibility: String,
    /// A person has seen the flagged fields and confirms them.
    pub confirmed: bool,
}

/// A plan with everything its page shows.
pub struct PlanView {
    pub plan: PlanRow,
    pub work_areas: Vec<store::WorkAreaRow>,
    pub leads: Vec<store::LeadRow>,
    pub budget_lines: Vec<store::BudgetLineRow>,
    pub outcomes: Vec<store::OutcomeRow>,
    pub actions: Vec<ActionRow>,
    pub updates: Vec<store::UpdateRow>,
    pub milestones: Vec<store::MilestoneRow>,
    /// Published library items linked to work areas, as far as the reader may see them.
    pub learning: Vec<lz_store::library::LinkedItemRow>,
    pub can_edit: bool,
}

/// Milestone states, in the order a milestone moves through them.
pub const MILESTONE_STATUSES: &[(&str, &str)] = &[
    ("planned", "Planned"),
    ("done", "Done"),
    ("dropped", "Dropped"),
];

pub struct ProgressUpdate {
    /// YYYY-MM-DD; empty means today.
    pub posted_on: String,
    pub body: String,
    pub rag: String,
    /// Spend to date, as money text ("£1,200", "1200.50"); empty leaves it unchanged.
    pub spent: String,
}

fn import_error(e: ImportError) -> AppError {
    AppError::field("text", e.to_string())
}

fn reader(actor: Option<&Actor>) -> Reader<'_> {
    Reader {
        user_id: actor.map(|a| a.id()),
        sees_everything: actor.is_some_and(|a| a.role == Role::NetworkAdmin),
    }
}

/// Network admins change any plan; contributors and above change their organisation's.
fn can_edit(actor: &Actor, plan: &PlanRow) -> bool {
    actor.role == Role::NetworkAdmin
        || (matches!(
            actor.role,
            Role::Contributor | Role::PlaceLead | Role::OrgAdmin | Role::Moderator
        ) && plan
            .owner_organisation_id
            .as_deref()
            .is_some_and(|o| actor.active_memberships().any(|m| m.organisation_id == o)))
}

fn may_import(actor: &Actor, owner: Option<&str>) -> bool {
    match actor.role {
        Role::NetworkAdmin => true,
        Role::OrgAdmin => {
            owner.is_some_and(|o| actor.active_memberships().any(|m| m.organisation_id == o))
        }
        _ => false,
    }
}

fn iso(d: Option<jiff::civil::Date>) -> Option<String> {
    d.map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

impl App {
    /// Parses a plan document without saving it (the review screen and `--dry-run`).
    pub fn preview_plan(&self, text: &str) -> AppResult<ParsedPlan> {
        parse_plan(&plan_text(text)?).map_err(import_error)
    }

    pub fn preview_minutes(&self, text: &str) -> AppResult<ParsedMinutes> {
        parse_minutes(text).map_err(import_error)
    }

    /// Saves an imported plan in one transaction. Flagged fields must have been confirmed.
    pub async fn import_plan(
        &self,
        actor: Option<&Actor>,
        input: &PlanImport,
    ) -> AppResult<String> {
        let owner = input
            .owner_organisation_id
            .as_deref()
            .filter(|s| !s.is_empty());
        if let Some(a) = actor {
            if !may_import(a, owner) {
                return Err(AppError::Forbidden);
            }
        }
        if !VISIBILITIES.iter().any(|(v, _)| *v == input.visibility) {
            return Err(AppError::field("visibility", "Choose who can see the plan"));
        }
        let parsed = self.preview_plan(&input.text)?;
        let flagged =
            !parsed.flags.is_empty() || parsed.work_areas.iter().any(|w| !w.flags.is_empty());
        if flagged && !input.confirmed {
            return Err(AppError::field(
                "confirmed",
                "Check the flagged fields, then confirm them",
            ));
        }
        let title = match input
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => lz_domain::clean_line(t, "a name", 200)
                .map_err(|e| AppError::field("title", e.to_string()))?,
            None => parsed.title.clone(),
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if let Some(o) = owner {
            if lz_store::network::organisation_by_id(&mut tx, o)
                .await?
                .is_none()
            {
                return Err(AppError::field(
                    "owner_organisation_id",
                    "Select an organisation from the list",
                ));
            }
        }
        let plan_id = new_id();
        let period_start = parsed.work_areas.iter().filter_map(|w| w.start).min();
        let period_end = parsed.work_areas.iter().filter_map(|w| w.end).max();
        let (ps, pe) = (iso(period_start), iso(period_end));
        store::insert_plan(
            &mut tx,
            &NewPlan {
                id: &plan_id,
                title: &title,
                owner_organisation_id: owner,
                cluster: parsed.cluster.as_deref().unwrap_or(""),
                lead_applicant: parsed.lead_applicant.as_deref().unwrap_or(""),
                period_start: ps.as_deref(),
                period_end: pe.as_deref(),
                status: "active",
                visibility: &input.visibility,
                created_by: actor.map(|a| a.id()),
                now,
            },
        )
        .await?;
        for (i, w) in parsed.work_areas.iter().enumerate() {
            let wid = new_id();
            let (start, end) = (iso(w.start), iso(w.end));
            store::insert_work_area(
                &mut tx,
                &NewWorkArea {
                    id: &wid,
                    plan_id: &plan_id,
                    position: i as i64 + 1,
                    kind: "work_area",
                    title: &w.title,
                    why: &w.why,
                    progress: &w.progress,
                    what_we_will_do: &w.what_we_will_do,
                    resources: &w.resources,
                    when_text: &w.when,
                    start_date: start.as_deref(),
                    end_date: end.as_deref(),
                    end_open: w.end_open,
                    now,
                },
            )
            .await?;
            for name in &w.accountable_leads {
                let user = users::by_name(&mut tx, name).await?;
                store::insert_lead(
                    &mut tx,
                    &new_id(),
                    &wid,
                    user.as_ref().map(|u| u.id.as_str()),
                    name,
                )
                .await?;
            }
            for line in &w.budget_lines {
                store::insert_budget_line(&mut tx, &new_id(), &wid, &line.label, line.amount_pence)
                    .await?;
            }
            for (j, o) in w.outcomes.iter().enumerate() {
                store::insert_outcome(&mut tx, &new_id(), &wid, j as i64 + 1, o).await?;
            }
        }
        record(
            &mut tx,
            now,
            actor.map(|a| a.id()),
            "plan.import",
            ("plan", &plan_id),
            &title,
        )
        .await?;
        commit(tx).await?;
        Ok(plan_id)
    }

    /// Creates an empty plan (for example, to hold an Executive's mandates). `by` is `None`
    /// only for the system itself (demo loader, command line).
    pub async fn create_plan(
        &self,
        by: Option<&Actor>,
        title: &str,
        owner: Option<&str>,
        visibility: &str,
    ) -> AppResult<String> {
        let title = lz_domain::clean_line(title, "a name", 200)
            .map_err(|e| AppError::field("title", e.to_string()))?;
        if let Some(a) = by {
            if !may_import(a, owner) {
                return Err(AppError::Forbidden);
            }
        }
        if !VISIBILITIES.iter().any(|(v, _)| *v == visibility) {
            return Err(AppError::field("visibility", "Choose who can see the plan"));
        }
        let now = self.now();
        let id = new_id();
        let mut tx = self.db.begin().await?;
        store::insert_plan(
            &mut tx,
            &NewPlan {
                id: &id,
                title: &title,
                owner_organisation_id: owner,
                cluster: "",
                lead_applicant: "",
                period_start: None,
                period_end: None,
                status: "active",
                visibility,
                created_by: by.map(|a| a.id()),
                now,
            },
        )
        .await?;
        record(
            &mut tx,
            now,
            by.map(|a| a.id()),
            "plan.create",
            ("plan", &id),
            &title,
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Adds Executive minutes to a plan: the meeting, its mandates (as work areas of kind
    /// "mandate") and its actions, owners matched to members by name where possible.
    pub async fn import_minutes(
        &self,
        actor: Option<&Actor>,
        plan_id: &str,
        text: &str,
    ) -> AppResult<String> {
        let parsed = self.preview_minutes(text)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let plan = store::plan(
            &mut tx,
            &reader(actor).with_everything_if(actor.is_none()),
            plan_id,
        )
        .await?
        .ok_or(AppError::NotFound)?;
        if let Some(a) = actor {
            if !can_edit(a, &plan) {
                return Err(AppError::Forbidden);
            }
        }
        let meeting_id = new_id();
        store::insert_meeting(
            &mut tx,
            &NewMeeting {
                id: &meeting_id,
                plan_id,
                title: &parsed.title,
                held_on: None,
                minutes_md: text,
                now,
            },
        )
        .await?;
        let first = store::work_areas(&mut tx, plan_id).await?.len() as i64;
        for (i, title) in parsed.mandates.iter().enumerate() {
            store::insert_work_area(
                &mut tx,
                &NewWorkArea {
                    id: &new_id(),
                    plan_id,
                    position: first + i as i64 + 1,
                    kind: "mandate",
                    title,
                    why: "",
                    progress: "",
                    what_we_will_do: "",
                    resources: "",
                    when_text: "",
                    start_date: None,
                    end_date: None,
                    end_open: false,
                    now,
                },
            )
            .await?;
        }
        for a in &parsed.actions {
            let owner = match &a.owner {
                Some(name) => users::by_name(&mut tx, name).await?,
                None => None,
            };
            let due = iso(a.due);
            store::insert_action(
                &mut tx,
                &NewAction {
                    id: &new_id(),
                    plan_id,
                    work_area_id: None,
                    meeting_id: Some(&meeting_id),
                    description: &a.description,
                    owner_user_id: owner.as_ref().map(|u| u.id.as_str()),
                    owner_name: a.owner.as_deref().unwrap_or(""),
                    due_date: due.as_deref(),
                    now,
                },
            )
            .await?;
        }
        record(
            &mut tx,
            now,
            actor.map(|a| a.id()),
            "plan.import_minutes",
            ("meeting", &meeting_id),
            &parsed.title,
        )
        .await?;
        commit(tx).await?;
        Ok(meeting_id)
    }

    pub async fn plans(&self, actor: Option<&Actor>) -> AppResult<Vec<PlanRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::plans(&mut c, &reader(actor)).await?)
    }

    /// A plan the reader may see (anything else is "not found", whether or not it exists).
    pub async fn plan_view(&self, actor: Option<&Actor>, id: &str) -> AppResult<PlanView> {
        self.load_view(&reader(actor), &crate::library::reader(actor), id, |plan| {
            actor.is_some_and(|a| can_edit(a, plan))
        })
        .await
    }

    /// A plan read by the system itself (jobs), whatever its visibility.
    pub(crate) async fn plan_view_as_system(&self, id: &str) -> AppResult<PlanView> {
        self.load_view(
            &Reader {
                user_id: None,
                sees_everything: true,
            },
            // Learning named in a report sent by email: public items only.
            &lz_store::library::Reader::default(),
            id,
            |_| false,
        )
        .await
    }

    async fn load_view(
        &self,
        reader: &Reader<'_>,
        library_reader: &lz_store::library::Reader<'_>,
        id: &str,
        can_edit: impl Fn(&PlanRow) -> bool,
    ) -> AppResult<PlanView> {
        let mut c = self.db.acquire().await?;
        let plan = store::plan(&mut c, reader, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(PlanView {
            work_areas: store::work_areas(&mut c, id).await?,
            leads: store::leads(&mut c, id).await?,
            budget_lines: store::budget_lines(&mut c, id).await?,
            outcomes: store::outcomes(&mut c, id).await?,
            actions: store::actions_of_plan(&mut c, id).await?,
            updates: store::updates(&mut c, id).await?,
            milestones: store::milestones(&mut c, id).await?,
            learning: {
                // Library items, then events: both "learning that delivers or shows it".
                let mut l = lz_store::library::linked_to_plan(&mut c, library_reader, id).await?;
                let events_reader = lz_store::events::EventReader {
                    user_id: library_reader.user_id,
                    sees_everything: library_reader.sees_everything,
                };
                l.extend(lz_store::events::linked_to_plan(&mut c, events_reader, id).await?);
                l
            },
            can_edit: can_edit(&plan),
            plan,
        })
    }

    /// Links a published library item or an event to a work area (those who may post its
    /// updates). `item` is the item's address (`…/library/ID`) or id, or an event's address
    /// (`…/events/ID`). Returns the plan's id.
    pub async fn link_learning(
        &self,
        actor: &Actor,
        work_area_id: &str,
        item: &str,
    ) -> AppResult<String> {
        let item_id = item
            .trim()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_string();
        let unknown = || {
            AppError::field(
                "item",
                "Paste the address of a published library item or an event that you can see",
            )
        };
        let is_event = item.contains("/events/");
        if item_id.is_empty() || item_id.len() > 64 {
            return Err(unknown());
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let plan_id = self
            .editable_work_area(&mut tx, actor, work_area_id)
            .await?
            .id;
        let (what, target_id, title) = if is_event {
            let reader = lz_store::events::EventReader {
                user_id: Some(actor.id()),
                sees_everything: false,
            };
            let found = lz_store::events::event_visible(&mut tx, reader, &item_id)
                .await?
                .filter(|e| e.status != "draft")
                .ok_or_else(unknown)?;
            (store::Linked::Event, found.id, found.title)
        } else {
            let found =
                lz_store::library::item(&mut tx, &crate::library::reader(Some(actor)), &item_id)
                    .await?
                    .filter(|i| i.status == "published")
                    .ok_or_else(unknown)?;
            (store::Linked::Item, found.id, found.title)
        };
        let linked = store::link(&mut tx, what, work_area_id, &target_id, actor.id(), now).await?;
        if linked {
            record(
                &mut tx,
                now,
                Some(actor.id()),
                "work_area.link_learning",
                ("work_area", work_area_id),
                &title,
            )
            .await?;
        }
        commit(tx).await?;
        Ok(plan_id)
    }

    pub async fn unlink_learning(
        &self,
        actor: &Actor,
        work_area_id: &str,
        item_id: &str,
    ) -> AppResult<String> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let plan_id = self
            .editable_work_area(&mut tx, actor, work_area_id)
            .await?
            .id;
        if !store::unlink(&mut tx, store::Linked::Item, work_area_id, item_id).await?
            && !store::unlink(&mut tx, store::Linked::Event, work_area_id, item_id).await?
        {
            return Err(AppError::NotFound);
        }
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "work_area.unlink_learning",
            ("work_area", work_area_id),
            item_id,
        )
        .await?;
        commit(tx).await?;
        Ok(plan_id)
    }

    pub async fn my_actions(&self, actor: &Actor) -> AppResult<Vec<ActionRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::actions_of_owner(&mut c, actor.id()).await?)
    }

    /// Marks an action done or dropped: its owner, or someone who may change the plan.
    pub async fn close_action(
        &self,
        actor: &Actor,
        id: &str,
        status: &str,
        note: &str,
    ) -> AppResult<()> {
        if !matches!(status, "done" | "dropped") {
            return Err(AppError::field("status", "Choose done or dropped"));
        }
        if note.chars().count() > 2000 {
            return Err(AppError::field(
                "note",
                "Note must be 2000 characters or fewer",
            ));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let action = store::action(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let plan = store::plan(&mut tx, &reader(Some(actor)), &action.plan_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if action.owner_user_id.as_deref() != Some(actor.id()) && !can_edit(actor, &plan) {
            return Err(AppError::NotFound);
        }
        if !store::close_action(&mut tx, id, status, note.trim(), now).await? {
            return Err(AppError::Conflict("This action is already closed".into()));
        }
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "action.close",
            ("action", id),
            status,
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }

    /// Gives an action to a member (people who may change the plan).
    pub async fn assign_action(&self, actor: &Actor, id: &str, user_id: &str) -> AppResult<()> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let action = store::action(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let plan = store::plan(&mut tx, &reader(Some(actor)), &action.plan_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !can_edit(actor, &plan) {
            return Err(AppError::Forbidden);
        }
        let owner = users::by_id(&mut tx, user_id)
            .await?
            .ok_or_else(|| AppError::field("owner", "Select a person from the list"))?;
        store::assign_action(&mut tx, id, &owner.id, now).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "action.assign",
            ("action", id),
            &owner.name,
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }
}

impl App {
    /// A dated progress update on a work area, with its RAG: by the work area's accountable
    /// leads or anyone who may change the plan.
    pub async fn post_update(
        &self,
        actor: &Actor,
        work_area_id: &str,
        u: &ProgressUpdate,
    ) -> AppResult<()> {
        let mut p = crate::Problems::default();
        if !matches!(u.rag.as_str(), "red" | "amber" | "green") {
            p.add("rag", "Choose red, amber or green");
        }
        let body = u.body.trim();
        if body.is_empty() {
            p.add("body", "Enter what has happened since the last update");
        } else if body.chars().count() > 5000 {
            p.add("body", "Update must be 5000 characters or fewer");
        }
        let today = today(self.now());
        let posted_on = if u.posted_on.trim().is_empty() {
            today.clone()
        } else {
            u.posted_on.trim().to_string()
        };
        let date_ok = lz_domain::dates::parse_iso_date(&posted_on).is_some();
        if !date_ok {
            p.add("posted_on", "Enter the date as YYYY-MM-DD, like 2026-11-23");
        } else if posted_on > today {
            p.add("posted_on", "The date of an update cannot be in the future");
        }
        let spent = if u.spent.trim().is_empty() {
            None
        } else {
            match parse_pounds(&u.spent) {
                Some(v) => Some(v),
                None => {
                    p.add(
                        "spent",
                        "Enter the amount spent to date in pounds, like 1,250 or £1,250.50",
                    );
                    None
                }
            }
        };
        p.into_result()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        self.editable_work_area(&mut tx, actor, work_area_id)
            .await?;
        let id = new_id();
        store::insert_update(
            &mut tx,
            &store::NewUpdate {
                id: &id,
                work_area_id,
                author_id: actor.id(),
                posted_on: &posted_on,
                body,
                rag: &u.rag,
                spent_pence: spent,
                now,
            },
        )
        .await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "work_area.update",
            ("work_area", work_area_id),
            &u.rag,
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }

    /// People an action can be given to: the network's confirmed members.
    pub async fn assignable_people(&self) -> AppResult<Vec<(String, String)>> {
        let mut c = self.db.acquire().await?;
        Ok(users::list(&mut c, "", 1000)
            .await?
            .into_iter()
            .filter(|u| u.email_verified_at.is_some())
            .map(|u| (u.id, u.name))
            .collect())
    }
}

impl App {
    /// The work area and plan behind `work_area_id`, if the actor may change it (its leads or
    /// those who may change the plan).
    async fn editable_work_area(
        &self,
        c: &mut lz_store::Conn,
        actor: &Actor,
        work_area_id: &str,
    ) -> AppResult<PlanRow> {
        let (_, plan_id) = store::work_area(c, work_area_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let plan = store::plan(c, &reader(Some(actor)), &plan_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !can_edit(actor, &plan) && !store::is_lead(c, work_area_id, actor.id()).await? {
            return Err(AppError::Forbidden);
        }
        Ok(plan)
    }

    /// Adds a milestone to a work area. Its due date may not fall before the plan starts.
    pub async fn add_milestone(
        &self,
        actor: &Actor,
        work_area_id: &str,
        title: &str,
        due: &str,
    ) -> AppResult<()> {
        let mut p = crate::Problems::default();
        let title = p.check("title", lz_domain::clean_line(title, "a name", 200));
        let due = due.trim().to_string();
        if lz_domain::dates::parse_iso_date(&due).is_none() {
            p.add(
                "due_date",
                "Enter the due date as YYYY-MM-DD, like 2026-12-01",
            );
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let plan = self
            .editable_work_area(&mut tx, actor, work_area_id)
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
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "milestone.add",
            ("milestone", &id),
            &title,
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }

    pub async fn set_milestone_status(
        &self,
        actor: &Actor,
        id: &str,
        status: &str,
    ) -> AppResult<String> {
        if !MILESTONE_STATUSES.iter().any(|(s, _)| *s == status) {
            return Err(AppError::field("status", "Choose planned, done or dropped"));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let m = store::milestone(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.editable_work_area(&mut tx, actor, &m.work_area_id)
            .await?;
        store::set_milestone_status(&mut tx, id, status).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "milestone.status",
            ("milestone", id),
            status,
        )
        .await?;
        commit(tx).await?;
        Ok(m.plan_id)
    }
}

/// A measurable indicator for an outcome; numbers are kept as entered (normalised).
pub struct OutcomeIndicator {
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub current: String,
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

impl App {
    /// Sets an outcome's indicator: its leads or those who may change the plan.
    pub async fn set_outcome_indicator(
        &self,
        actor: &Actor,
        outcome_id: &str,
        i: &OutcomeIndicator,
    ) -> AppResult<()> {
        let mut p = crate::Problems::default();
        let indicator = i.indicator.trim();
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
        let baseline = value("baseline", &i.baseline, false);
        let target = value("target", &i.target, true);
        let current = value("current", &i.current, false);
        p.into_result()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let work_area_id = store::outcome_work_area(&mut tx, outcome_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.editable_work_area(&mut tx, actor, &work_area_id)
            .await?;
        store::set_indicator(&mut tx, outcome_id, indicator, &baseline, &target, &current).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "outcome.indicator",
            ("outcome", outcome_id),
            indicator,
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }
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
}

impl App {
    /// The plan a work area belongs to.
    pub async fn plan_of_work_area(&self, work_area_id: &str) -> AppResult<String> {
        let mut c = self.db.acquire().await?;
        Ok(store::work_area(&mut c, work_area_id)
            .await?
            .ok_or(AppError::NotFound)?
            .1)
    }

    /// Changes a work area (its leads or those who may change the plan may do so).
    pub async fn edit_work_area(
        &self,
        actor: &Actor,
        work_area_id: &str,
        e: &WorkAreaEdit,
    ) -> AppResult<()> {
        let mut p = crate::Problems::default();
        let title = p.check("title", lz_domain::clean_line(&e.title, "a name", 300));
        let mut leads: Vec<String> = Vec::new();
        for name in e.leads.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match lz_domain::clean_line(name, "a name", 120) {
                Ok(n) if !leads.contains(&n) => leads.push(n),
                Ok(_) => {}
                Err(err) => p.add("leads", err),
            }
        }
        let date = |raw: &str, field: &'static str, p: &mut crate::Problems| -> Option<String> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match lz_domain::dates::parse_iso_date(raw) {
                Some(_) => Some(raw.to_string()),
                None => {
                    p.add(field, "Enter the date as YYYY-MM-DD, like 2026-09-01");
                    None
                }
            }
        };
        let start = date(&e.start, "start", &mut p);
        let end = date(&e.end, "end", &mut p);
        if let (Some(s), Some(en)) = (&start, &end) {
            if en < s {
                p.add("end", "The end date must be on or after the start date");
            }
        }
        let mut budget: Vec<(String, String, i64)> = Vec::new();
        for (n, line) in e
            .budget
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            let found = lz_domain::plan_import::parse_money(line);
            match found.as_slice() {
                [one] if one.amount_pence > 0 => {
                    let label = if one.label.is_empty() { line.to_string() } else { one.label.clone() };
                    budget.push((new_id(), label, one.amount_pence));
                }
                _ => p.add("budget", format!("Budget line {} needs exactly one amount in pounds, like “Room hire £1,500”", n + 1)),
            }
        }
        let committed = match e.committed.trim() {
            "" => 0,
            raw => parse_pounds(raw).unwrap_or_else(|| {
                p.add(
                    "committed",
                    "Enter the amount committed in pounds, like 1,250 or £1,250.50",
                );
                0
            }),
        };
        for text in [&e.why, &e.what_we_will_do] {
            if text.chars().count() > 10_000 {
                p.add("why", "Text must be 10,000 characters or fewer");
            }
        }
        p.into_result()?;
        let title = title.unwrap_or_default();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        self.editable_work_area(&mut tx, actor, work_area_id)
            .await?;
        let mut lead_rows = Vec::new();
        for name in leads {
            let user = users::by_name(&mut tx, &name).await?;
            lead_rows.push((new_id(), user.map(|u| u.id), name));
        }
        let change = store::WorkAreaChange {
            id: work_area_id,
            title: &title,
            why: e.why.trim(),
            what_we_will_do: e.what_we_will_do.trim(),
            start_date: start.as_deref(),
            end_date: end.as_deref(),
            committed_pence: committed,
            now,
        };
        store::update_work_area(&mut tx, &change, &lead_rows, &budget).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "work_area.edit",
            ("work_area", work_area_id),
            &title,
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }
}

/// The CSV template's columns, in order. Outcomes come last: one outcome per line in that cell.
pub const TEMPLATE_COLUMNS: &[&str] = &[
    "Work area",
    "Accountable lead",
    "Why is this work needed?",
    "Key milestones / progress to date",
    "What you will do",
    "Resources and budget",
    "When (start and end dates)",
    "Outcomes",
];

/// The CSV template offered for download: the columns and one example row.
pub fn plan_template_csv() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let example = [
        "Run a learning series for places",
        "Beth Kay / Amanda Forrest",
        "Places share practice on common challenges.",
        "Priority themes agreed by the cluster.",
        "Three events, in person or online, with sector experts.",
        "Room hire and refreshments £1,500; expert input £500",
        "July to November 2026",
        "Places improve their practice\nNew sectors use their resources to promote PAS",
    ];
    // Writing to memory cannot fail; an error would leave the template empty, which tests catch.
    let _ = w.write_record(TEMPLATE_COLUMNS);
    let _ = w.write_record(example);
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// Reads a filled-in CSV template as the tab-separated table the plan parser reads, so that
/// both formats share one parser, its flags and its review screen.
pub fn csv_to_table(text: &str) -> AppResult<String> {
    // Quotes inside a quoted cell are doubled, so an odd count means a cell was never closed
    // (the csv reader would otherwise swallow the rest of the file into it).
    if text.matches('"').count() % 2 == 1 {
        return Err(AppError::field(
            "text",
            "A quoted cell in the CSV is not closed: check the quotation marks",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            AppError::field(
                "text",
                format!("Row {} of the CSV cannot be read: {e}", i + 1),
            )
        })?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    rows_to_table(rows)
}

/// The largest a spreadsheet may grow when unzipped: a small file that expands to gigabytes
/// (a "zip bomb") is refused before it is read.
const MAX_XLSX_UNZIPPED: u64 = 50 * 1024 * 1024;

/// Reads the first sheet of an XLSX template as the table the plan parser reads.
pub fn xlsx_to_table(bytes: &[u8]) -> AppResult<String> {
    let bad = |why: &str| AppError::field("file", format!("The spreadsheet cannot be read: {why}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad("it is not an XLSX file"))?;
    let mut unzipped: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| bad("it is damaged"))?;
        unzipped = unzipped.saturating_add(entry.size());
    }
    if unzipped > MAX_XLSX_UNZIPPED {
        return Err(AppError::field(
            "file",
            "The spreadsheet is too large once unpacked: keep the plan to one sheet of text",
        ));
    }
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e.to_string()))?;
    let sheet = book
        .worksheet_range_at(0)
        .ok_or_else(|| bad("it has no sheets"))?
        .map_err(|e| bad(&e.to_string()))?;
    let rows = sheet
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect();
    rows_to_table(rows)
}

/// Rows of cells as a tab-separated table. Line breaks would start a new row, so only the
/// last cell (outcomes) keeps them, as paragraph breaks, since each line there is one outcome.
fn rows_to_table(rows: Vec<Vec<String>>) -> AppResult<String> {
    let mut lines = Vec::new();
    for record in rows {
        let n = record.len();
        let cells: Vec<String> = record
            .into_iter()
            .enumerate()
            .map(|(j, c)| {
                let c = c.replace('\t', " ");
                if j + 1 == n {
                    c.split('\n')
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n\n")
                } else {
                    c.replace(['\r', '\n'], " ")
                }
            })
            .collect();
        if cells.iter().any(|c| !c.trim().is_empty()) {
            lines.push(cells.join("\t"));
        }
    }
    if lines.is_empty() {
        return Err(AppError::field("text", "The table is empty"));
    }
    Ok(lines.join("\n"))
}

/// An uploaded plan document: an XLSX template, or text (a Word table saved as text, or CSV).
pub fn uploaded_plan_text(bytes: &[u8]) -> AppResult<String> {
    if bytes.len() > lz_domain::plan_import::MAX_IMPORT_BYTES {
        return Err(AppError::field(
            "file",
            "The file is larger than 5 MB: a plan document is much smaller",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return xlsx_to_table(bytes);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::field(
            "file",
            "The file is not text we can read: save it as plain text (UTF-8), CSV or XLSX",
        )
    })?;
    plan_text(text.trim_start_matches('\u{feff}'))
}

/// A pasted or uploaded plan: CSV (commas and no tabs in the first line) or a Word table.
pub fn plan_text(text: &str) -> AppResult<String> {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    if !first.contains('\t') && first.matches(',').count() >= 2 {
        csv_to_table(text)
    } else {
        Ok(text.to_string())
    }
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today(now_ms: i64) -> String {
    lz_domain::dates::utc_date(now_ms / 1000)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// "£1,250.50", "1250", "1,250" as pence; negative or malformed amounts are refused.
fn parse_pounds(text: &str) -> Option<i64> {
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

trait ReaderExt<'a> {
    fn with_everything_if(self, all: bool) -> Reader<'a>;
}

impl<'a> ReaderExt<'a> for Reader<'a> {
    /// The system itself (demo loading, the CLI) reads every plan.
    fn with_everything_if(mut self, all: bool) -> Reader<'a> {
        self.sees_everything |= all;
        self
    }
}

/// Days before the due date that the "due soon" reminder goes out.
pub const REMIND_DAYS_BEFORE: i64 = 2;

impl App {
    /// Emails owners about actions due soon and actions now overdue, each reminder once.
    /// Returns how many were sent. Run by the housekeeping job; safe to run anywhere, any time.
    pub async fn send_action_reminders(&self) -> AppResult<usize> {
        let now = self.now();
        let today = today(now);
        let until = crate::report::shift_days(&today, REMIND_DAYS_BEFORE);
        let mut sent = 0;
        for overdue in [true, false] {
            let due = {
                let mut c = self.db.acquire().await?;
                store::reminders_due(&mut c, overdue, &today, &until).await?
            };
            for r in due {
                let mut tx = self.db.begin().await?;
                if !store::claim_reminder(&mut tx, &r.id, overdue, now).await? {
                    continue;
                }
                let (subject, lead) = if overdue {
                    (
                        format!("Overdue action: {}", short(&r.description)),
                        format!("This action was due on {} and is still open:", r.due_date),
                    )
                } else {
                    (
                        format!("Action due on {}: {}", r.due_date, short(&r.description)),
                        format!("This action is due on {}:", r.due_date),
                    )
                };
                let body = format!(
                    "Hello {},\n\n{lead}\n\n{}\n\nPlan: {}\n\nMark it done, or see all your actions: {}\n\n{}\n",
                    r.owner_name, r.description, r.plan_title, self.config.link("/actions"), self.config.host_name
                );
                crate::mail::enqueue(
                    &mut tx,
                    now,
                    &crate::mail::Email {
                        to: r.owner_email.clone(),
                        subject,
                        body,
                    },
                )
                .await?;
                commit(tx).await?;
                sent += 1;
            }
        }
        if sent > 0 {
            self.wake_mailer();
        }
        Ok(sent)
    }
}

fn short(text: &str) -> String {
    let mut s: String = text.chars().take(70).collect();
    if text.chars().count() > 70 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn pounds_parse_to_pence() {
        assert_eq!(super::parse_pounds("£1,250.50"), Some(125_050));
        assert_eq!(super::parse_pounds("800"), Some(80_000));
        assert_eq!(super::parse_pounds("2.5"), Some(250));
        for bad in ["-5", "£", "abc", "1.234", "=1+1", "1e9"] {
            assert_eq!(super::parse_pounds(bad), None, "{bad}");
        }
    }
}
