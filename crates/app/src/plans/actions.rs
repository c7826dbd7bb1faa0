//! Actions from Executive minutes: a person's own actions, closing one (done or dropped),
//! and giving one to a member.

use lz_store::plans as store;
use lz_store::users;

use super::access::{self, PlanAccess};
use super::record::{all, ActionRecord, ActionStatus, PlanRecord};
use super::Plans;
use crate::{new_id, Actor, AppError, AppResult, Audit, Problems};

impl Plans<'_> {
    pub async fn my_actions(&self, actor: &Actor) -> AppResult<Vec<ActionRecord>> {
        let mut c = self.app.db.acquire().await?;
        all(store::actions_of_owner(&mut c, actor.id()).await?)
    }

    /// Marks an action done or dropped: its owner, or someone who may change the plan.
    pub async fn close_action(
        &self,
        actor: &Actor,
        id: &str,
        status: &str,
        note: &str,
    ) -> AppResult<()> {
        let status = match ActionStatus::parse(status) {
            Some(s @ (ActionStatus::Done | ActionStatus::Dropped)) => s,
            _ => return Err(AppError::field("status", "Choose done or dropped")),
        };
        if note.chars().count() > 2000 {
            return Err(AppError::field(
                "note",
                "Note must be 2000 characters or fewer",
            ));
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let (action, plan_access) = action_and_access(&mut tx, actor, id).await?;
        let is_owner = action.owner_user_id.as_deref() == Some(actor.id());
        plan_access.require_close_action(is_owner)?;
        if !store::close_action(&mut tx, id, status.code(), note.trim(), now).await? {
            return Err(AppError::Conflict("This action is already closed".into()));
        }
        Audit::new(
            Some(actor.id()),
            "action.close",
            ("action", id),
            status.code(),
        )
        .commit(tx, now)
        .await
    }

    /// Gives an action to a member (people who may change the plan).
    pub async fn assign_action(&self, actor: &Actor, id: &str, user_id: &str) -> AppResult<()> {
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let (_, plan_access) = action_and_access(&mut tx, actor, id).await?;
        plan_access.require_edit()?;
        let owner = users::by_id(&mut tx, user_id)
            .await?
            .ok_or_else(|| AppError::field("owner", "Select a person from the list"))?;
        store::assign_action(&mut tx, id, &owner.id, now).await?;
        Audit::new(
            Some(actor.id()),
            "action.assign",
            ("action", id),
            &owner.name,
        )
        .commit(tx, now)
        .await
    }

    /// Adds an action by hand (people who may change the plan): what is to be done, by whom
    /// (a member, or nobody yet) and by when (optional).
    pub async fn add_action(
        &self,
        actor: &Actor,
        plan_id: &str,
        description: &str,
        owner_id: &str,
        due: &str,
    ) -> AppResult<String> {
        let mut p = Problems::default();
        let description = p.bounded("description", "The action", description, 1_000);
        if description.is_empty() {
            p.add("description", "Say what is to be done");
        }
        let due = p.optional_day("due_date", "Due date", due);
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let plan: PlanRecord = store::plan(&mut tx, &access::reader(Some(actor)), plan_id)
            .await?
            .ok_or(AppError::NotFound)?
            .try_into()?;
        PlanAccess::of(Some(actor), &plan).require_edit()?;
        let owner = match owner_id.trim() {
            "" => None,
            id => {
                let found = users::by_id(&mut tx, id).await?;
                if found.is_none() {
                    p.add("owner", "Select a person from the list, or nobody yet");
                }
                found
            }
        };
        p.into_result()?;
        let id = new_id();
        store::insert_action(
            &mut tx,
            &store::NewAction {
                id: &id,
                plan_id,
                work_area_id: None,
                meeting_id: None,
                description: &description,
                owner_user_id: owner.as_ref().map(|u| u.id.as_str()),
                owner_name: owner.as_ref().map(|u| u.name.as_str()).unwrap_or(""),
                due_date: due.as_deref(),
                now,
            },
        )
        .await?;
        Audit::new(
            Some(actor.id()),
            "action.add",
            ("action", &id),
            &description,
        )
        .commit(tx, now)
        .await?;
        Ok(id)
    }

    /// People an action can be given to: the network's confirmed members, as (id, name).
    pub async fn assignable_people(&self) -> AppResult<Vec<(String, String)>> {
        let mut c = self.app.db.acquire().await?;
        Ok(users::list(&mut c, "", 1000)
            .await?
            .into_iter()
            .filter(|u| u.email_verified_at.is_some())
            .map(|u| (u.id, u.name))
            .collect())
    }
}

/// The action and the actor's access to its plan; a plan they cannot see is "not found".
async fn action_and_access(
    c: &mut lz_store::Conn,
    actor: &Actor,
    id: &str,
) -> AppResult<(ActionRecord, PlanAccess)> {
    let action: ActionRecord = store::action(c, id)
        .await?
        .ok_or(AppError::NotFound)?
        .try_into()?;
    let plan: PlanRecord = store::plan(c, &access::reader(Some(actor)), &action.plan_id)
        .await?
        .ok_or(AppError::NotFound)?
        .try_into()?;
    Ok((action, PlanAccess::of(Some(actor), &plan)))
}
