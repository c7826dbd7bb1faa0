//! Importing: a plan document (parsed, reviewed, then saved in one transaction, with a dry
//! run that saves nothing), an empty plan to hold an Executive's mandates, and Executive
//! minutes (the meeting, its mandates and its actions).

use lz_domain::ids::{OrgId, PlanId};
use lz_domain::plan_import::{
    parse_minutes, parse_plan, ParsedMinutes, ParsedPlan, ParsedWorkArea,
};
use lz_store::plans::{self as store, NewAction, NewMeeting, NewPlan, NewWorkArea};
use lz_store::users;

use super::access::{self, PlanAccess};
use super::document::plan_text;
use super::input::{import_error, iso, plan_title, visibility, PlanImport};
use super::record::{PlanRecord, PlanStatus, PlanVisibility, WorkAreaKind};
use super::Plans;
use crate::{new_id, Actor, AppError, AppResult, Audit};

/// What the import screen offers: the organisations a plan may belong to and who may see it.
pub struct ImportScreen {
    /// (id, name)
    pub organisations: Vec<(String, String)>,
    /// (code, label)
    pub visibilities: Vec<(&'static str, &'static str)>,
}

impl Plans<'_> {
    /// The import screen's choices, for those who may import a plan.
    pub async fn import_screen(&self, actor: &Actor) -> AppResult<ImportScreen> {
        access::require_open_import(actor)?;
        Ok(ImportScreen {
            organisations: self
                .app
                .network()
                .organisations()
                .await?
                .into_iter()
                .map(|o| (o.id.into_string(), o.name))
                .collect(),
            visibilities: PlanVisibility::ALL
                .iter()
                .map(|v| (v.code(), v.label()))
                .collect(),
        })
    }

    /// Parses a plan document without saving it (the review screen, the API's dry run and the
    /// CLI's `--dry-run`). `actor` is `None` only for the system itself (the command line).
    pub fn preview_plan(&self, actor: Option<&Actor>, text: &str) -> AppResult<ParsedPlan> {
        if let Some(a) = actor {
            access::require_open_import(a)?;
        }
        parse_plan(&plan_text(text)?).map_err(import_error)
    }

    pub fn preview_minutes(&self, text: &str) -> AppResult<ParsedMinutes> {
        parse_minutes(text).map_err(import_error)
    }

    /// Saves an imported plan in one transaction. Flagged fields must have been confirmed.
    /// `actor` is `None` only for the system itself (demo loader, command line).
    pub async fn import_plan(
        &self,
        actor: Option<&Actor>,
        input: &PlanImport,
    ) -> AppResult<String> {
        let owner = input
            .owner_organisation_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(OrgId::from);
        if let Some(a) = actor {
            access::require_import(a, owner.as_ref())?;
        }
        let visibility = visibility(&input.visibility)?;
        let parsed = self.preview_plan(None, &input.text)?;
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
            Some(t) => plan_title(t)?,
            None => parsed.title.clone(),
        };
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        require_organisation(&mut tx, owner.as_ref()).await?;
        let plan_id = PlanId::generate();
        let period_start = iso(parsed.work_areas.iter().filter_map(|w| w.start).min());
        let period_end = iso(parsed.work_areas.iter().filter_map(|w| w.end).max());
        store::insert_plan(
            &mut tx,
            &NewPlan {
                id: &plan_id,
                title: &title,
                owner_organisation_id: owner.as_deref(),
                cluster: parsed.cluster.as_deref().unwrap_or(""),
                lead_applicant: parsed.lead_applicant.as_deref().unwrap_or(""),
                period_start: period_start.as_deref(),
                period_end: period_end.as_deref(),
                status: PlanStatus::Active.code(),
                visibility: visibility.code(),
                created_by: actor.map(|a| a.id()),
                now,
            },
        )
        .await?;
        for (i, w) in parsed.work_areas.iter().enumerate() {
            insert_work_area(&mut tx, &plan_id, i as i64 + 1, w, now).await?;
        }
        Audit::new(
            actor.map(|a| a.id()),
            "plan.import",
            ("plan", plan_id.as_str()),
            &title,
        )
        .commit(tx, now)
        .await?;
        Ok(plan_id.into_string())
    }

    /// Creates an empty plan (for example, to hold an Executive's mandates). `by` is `None`
    /// only for the system itself (demo loader, command line).
    pub async fn create_plan(
        &self,
        by: Option<&Actor>,
        title: &str,
        owner: Option<&str>,
        visibility_code: &str,
    ) -> AppResult<String> {
        let title = plan_title(title)?;
        let owner = owner.map(OrgId::from);
        if let Some(a) = by {
            access::require_import(a, owner.as_ref())?;
        }
        let visibility = visibility(visibility_code)?;
        let now = self.app.now();
        let id = PlanId::generate();
        let mut tx = self.app.db.begin().await?;
        store::insert_plan(
            &mut tx,
            &NewPlan {
                id: &id,
                title: &title,
                owner_organisation_id: owner.as_deref(),
                cluster: "",
                lead_applicant: "",
                period_start: None,
                period_end: None,
                status: PlanStatus::Active.code(),
                visibility: visibility.code(),
                created_by: by.map(|a| a.id()),
                now,
            },
        )
        .await?;
        Audit::new(
            by.map(|a| a.id()),
            "plan.create",
            ("plan", id.as_str()),
            &title,
        )
        .commit(tx, now)
        .await?;
        Ok(id.into_string())
    }

    /// Adds Executive minutes to a plan: the meeting, its mandates (as work areas of kind
    /// "mandate") and its actions, owners matched to members by name where possible.
    /// `actor` is `None` only for the system itself.
    pub async fn import_minutes(
        &self,
        actor: Option<&Actor>,
        plan_id: &str,
        text: &str,
    ) -> AppResult<String> {
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let reader = match actor {
            Some(_) => access::reader(actor),
            None => access::system_reader(),
        };
        let plan: PlanRecord = store::plan(&mut tx, &reader, plan_id)
            .await?
            .ok_or(AppError::NotFound)?
            .try_into()?;
        if actor.is_some() {
            PlanAccess::of(actor, &plan).require_edit()?;
        }
        // Read after the access check: someone who may not change the plan is refused
        // before their text is parsed or judged.
        let parsed = self.preview_minutes(text)?;
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
        let mandate_ids = insert_mandates(&mut tx, plan_id, &parsed.mandates, now).await?;
        insert_actions(&mut tx, (plan_id, &meeting_id), &parsed, &mandate_ids, now).await?;
        let subject = ("meeting", meeting_id.as_str());
        Audit::new(
            actor.map(|a| a.id()),
            "plan.import_minutes",
            subject,
            &parsed.title,
        )
        .commit(tx, now)
        .await?;
        Ok(meeting_id)
    }
}

/// The owning organisation must exist (the form offers a list; the API takes an id).
async fn require_organisation(c: &mut lz_store::Conn, owner: Option<&OrgId>) -> AppResult<()> {
    if let Some(o) = owner {
        if lz_store::network::organisation_by_id(c, o).await?.is_none() {
            return Err(AppError::field(
                "owner_organisation_id",
                "Select an organisation from the list",
            ));
        }
    }
    Ok(())
}

/// One parsed work area with its leads (matched to members by name), budget and outcomes.
async fn insert_work_area(
    c: &mut lz_store::Conn,
    plan_id: &str,
    position: i64,
    w: &ParsedWorkArea,
    now: i64,
) -> AppResult<()> {
    let wid = new_id();
    let (start, end) = (iso(w.start), iso(w.end));
    store::insert_work_area(
        c,
        &NewWorkArea {
            id: &wid,
            plan_id,
            position,
            kind: WorkAreaKind::WorkArea.code(),
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
        let user = users::by_name(c, name).await?;
        let user_id = user.as_ref().map(|u| u.id.as_str());
        store::insert_lead(c, &new_id(), &wid, user_id, name).await?;
    }
    for line in &w.budget_lines {
        store::insert_budget_line(c, &new_id(), &wid, &line.label, line.amount_pence).await?;
    }
    for (j, o) in w.outcomes.iter().enumerate() {
        store::insert_outcome(c, &new_id(), &wid, j as i64 + 1, o).await?;
    }
    for m in &w.milestones {
        let due = lz_domain::dates::iso(m.due);
        store::insert_milestone(c, &new_id(), &wid, &m.title, &due, now).await?;
    }
    Ok(())
}

/// Mandates become work areas of kind "mandate", after the plan's existing ones; returns
/// their ids in the minutes' order.
async fn insert_mandates(
    c: &mut lz_store::Conn,
    plan_id: &str,
    mandates: &[String],
    now: i64,
) -> AppResult<Vec<String>> {
    let first = store::work_areas(c, plan_id).await?.len() as i64;
    let mut ids = Vec::with_capacity(mandates.len());
    for (i, title) in mandates.iter().enumerate() {
        let id = new_id();
        store::insert_work_area(
            c,
            &NewWorkArea {
                id: &id,
                plan_id,
                position: first + i as i64 + 1,
                kind: WorkAreaKind::Mandate.code(),
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
        ids.push(id);
    }
    Ok(ids)
}

/// The minutes' actions, each owner matched to a member by name where possible, and linked
/// to the mandate it names.
async fn insert_actions(
    c: &mut lz_store::Conn,
    (plan_id, meeting_id): (&str, &str),
    parsed: &ParsedMinutes,
    mandate_ids: &[String],
    now: i64,
) -> AppResult<()> {
    for a in &parsed.actions {
        let owner = match &a.owner {
            Some(name) => users::by_name(c, name).await?,
            None => None,
        };
        let due = iso(a.due);
        store::insert_action(
            c,
            &NewAction {
                id: &new_id(),
                plan_id,
                work_area_id: a
                    .mandate
                    .and_then(|i| mandate_ids.get(i))
                    .map(String::as_str),
                meeting_id: Some(meeting_id),
                description: &a.description,
                owner_user_id: owner.as_ref().map(|u| u.id.as_str()),
                owner_name: a.owner.as_deref().unwrap_or(""),
                due_date: due.as_deref(),
                now,
            },
        )
        .await?;
    }
    Ok(())
}
