//! Typed plan records, made from the store's rows as they leave `store`: ids are newtypes,
//! statuses, kinds, RAG and visibility are enums, flags are `bool`, money is pence. A row
//! with a code this file does not know is an error (bad data), never a default. Records
//! serialise with the field names the templates and the JSON API already use, and enums as
//! their stored codes.

use lz_domain::ids::{ActionId, OrgId, PlanId, UserId, WorkAreaId};
use lz_store::plans as store;
use serde::Serialize;

use crate::{AppError, AppResult};

/// An enum stored as a text code: `code()`, `parse()`, and serde as the code.
macro_rules! stored_code {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }
            /// The stored code, or an error naming the column when the data is bad.
            fn stored(s: &str) -> AppResult<Self> {
                Self::parse(s).ok_or_else(|| {
                    AppError::internal(format!(concat!("unknown ", stringify!($name), " {:?} in the database"), s))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.code()) }
        }
    };
}

stored_code!(
    /// Who can see a plan.
    PlanVisibility { Public = "public", Network = "network", Organisation = "organisation" }
);

impl PlanVisibility {
    /// The choice as offered on the import form.
    pub fn label(self) -> &'static str {
        match self {
            PlanVisibility::Public => "Public: anyone, without signing in",
            PlanVisibility::Network => "Network: every signed-in partner",
            PlanVisibility::Organisation => "Organisation: members of the owning organisation",
        }
    }
}

stored_code!(
    /// A plan's state. Plans are created active; nothing closes one yet.
    PlanStatus { Active = "active" }
);

stored_code!(
    /// A work area from the plan document, or a mandate from an Executive's minutes.
    WorkAreaKind { WorkArea = "work_area", Mandate = "mandate" }
);

stored_code!(
    /// Red, amber, green: the state of a work area as its latest update gave it.
    Rag { Red = "red", Amber = "amber", Green = "green" }
);

stored_code!(
    /// An action is open until its owner (or a plan editor) marks it done or dropped.
    ActionStatus { Open = "open", Done = "done", Dropped = "dropped" }
);

stored_code!(
    /// Milestone states, in the order a milestone moves through them.
    MilestoneStatus { Planned = "planned", Done = "done", Dropped = "dropped" }
);

/// A date column (YYYY-MM-DD) checked on the way out of the store.
fn date(column: &str, value: Option<String>) -> AppResult<Option<String>> {
    match value {
        Some(d) if !super::input::is_iso_date(&d) => Err(AppError::internal(format!(
            "{column} {d:?} in the database is not a YYYY-MM-DD date"
        ))),
        other => Ok(other),
    }
}

fn rag(value: Option<String>) -> AppResult<Option<Rag>> {
    value.as_deref().map(Rag::stored).transpose()
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanRecord {
    pub id: PlanId,
    pub title: String,
    pub owner_organisation_id: Option<OrgId>,
    /// The owning organisation's name.
    pub owner_organisation: Option<String>,
    pub cluster: String,
    pub lead_applicant: String,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub status: PlanStatus,
    pub visibility: PlanVisibility,
}

impl TryFrom<store::PlanRow> for PlanRecord {
    type Error = AppError;
    fn try_from(r: store::PlanRow) -> AppResult<Self> {
        Ok(Self {
            id: r.id.into(),
            title: r.title,
            owner_organisation_id: r.owner_organisation_id.map(OrgId::from),
            owner_organisation: r.owner_organisation,
            cluster: r.cluster,
            lead_applicant: r.lead_applicant,
            period_start: date("plans.period_start", r.period_start)?,
            period_end: date("plans.period_end", r.period_end)?,
            status: PlanStatus::stored(&r.status)?,
            visibility: PlanVisibility::stored(&r.visibility)?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkAreaRecord {
    pub id: WorkAreaId,
    pub plan_id: PlanId,
    pub position: i64,
    pub kind: WorkAreaKind,
    pub title: String,
    pub why: String,
    pub progress: String,
    pub what_we_will_do: String,
    pub resources: String,
    pub when_text: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// The document said "ongoing" rather than an end date.
    pub end_open: bool,
    pub rag: Option<Rag>,
    pub rag_reason: String,
    pub budget_allocated_pence: i64,
    /// Money promised but not yet spent.
    pub budget_committed_pence: i64,
    pub budget_spent_pence: i64,
}

impl TryFrom<store::WorkAreaRow> for WorkAreaRecord {
    type Error = AppError;
    fn try_from(r: store::WorkAreaRow) -> AppResult<Self> {
        let end_open = match r.end_open {
            0 => false,
            1 => true,
            n => return Err(AppError::internal(format!("work_areas.end_open {n}"))),
        };
        Ok(Self {
            id: r.id.into(),
            plan_id: r.plan_id.into(),
            position: r.position,
            kind: WorkAreaKind::stored(&r.kind)?,
            title: r.title,
            why: r.why,
            progress: r.progress,
            what_we_will_do: r.what_we_will_do,
            resources: r.resources,
            when_text: r.when_text,
            start_date: date("work_areas.start_date", r.start_date)?,
            end_date: date("work_areas.end_date", r.end_date)?,
            end_open,
            rag: rag(r.rag)?,
            rag_reason: r.rag_reason,
            budget_allocated_pence: r.budget_allocated_pence,
            budget_committed_pence: r.budget_committed_pence,
            budget_spent_pence: r.budget_spent_pence,
        })
    }
}

/// An accountable lead of a work area: a name from the document, matched to a member if one
/// has that name.
#[derive(Debug, Clone, Serialize)]
pub struct LeadRecord {
    pub work_area_id: WorkAreaId,
    pub user_id: Option<UserId>,
    pub name: String,
}

impl From<store::LeadRow> for LeadRecord {
    fn from(r: store::LeadRow) -> Self {
        Self {
            work_area_id: r.work_area_id.into(),
            user_id: r.user_id.map(UserId::from),
            name: r.name,
        }
    }
}

/// A place that delivers a work area: its place leads may post the work area's progress.
#[derive(Debug, Clone, Serialize)]
pub struct WorkAreaPlaceRecord {
    pub work_area_id: WorkAreaId,
    pub place_id: String,
    pub place_slug: String,
    pub place_name: String,
}

impl From<store::WorkAreaPlaceRow> for WorkAreaPlaceRecord {
    fn from(r: store::WorkAreaPlaceRow) -> Self {
        Self {
            work_area_id: r.work_area_id.into(),
            place_id: r.place_id,
            place_slug: r.place_slug,
            place_name: r.place_name,
        }
    }
}

/// A work area a place delivers, for the place's page.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveredRecord {
    pub work_area_id: WorkAreaId,
    pub work_area_title: String,
    pub plan_id: PlanId,
    pub plan_title: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub rag: Option<Rag>,
}

impl TryFrom<store::DeliveredRow> for DeliveredRecord {
    type Error = AppError;
    fn try_from(r: store::DeliveredRow) -> AppResult<Self> {
        Ok(Self {
            work_area_id: r.work_area_id.into(),
            work_area_title: r.work_area_title,
            plan_id: r.plan_id.into(),
            plan_title: r.plan_title,
            start_date: r.start_date,
            end_date: r.end_date,
            rag: rag(r.rag)?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetLineRecord {
    pub work_area_id: WorkAreaId,
    pub label: String,
    pub amount_pence: i64,
}

impl From<store::BudgetLineRow> for BudgetLineRecord {
    fn from(r: store::BudgetLineRow) -> Self {
        Self {
            work_area_id: r.work_area_id.into(),
            label: r.label,
            amount_pence: r.amount_pence,
        }
    }
}

/// An outcome of a work area, with its measurable indicator once someone sets one.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRecord {
    pub id: String,
    pub work_area_id: WorkAreaId,
    pub text: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub current_value: String,
}

impl From<store::OutcomeRow> for OutcomeRecord {
    fn from(r: store::OutcomeRow) -> Self {
        Self {
            id: r.id,
            work_area_id: r.work_area_id.into(),
            text: r.text,
            indicator: r.indicator,
            baseline: r.baseline,
            target: r.target,
            current_value: r.current_value,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRecord {
    pub id: ActionId,
    pub plan_id: PlanId,
    pub plan_title: String,
    pub meeting_title: Option<String>,
    /// The work area or mandate it serves.
    pub work_area_id: Option<WorkAreaId>,
    pub work_area_title: Option<String>,
    pub description: String,
    pub owner_user_id: Option<UserId>,
    pub owner_name: String,
    pub due_date: Option<String>,
    pub status: ActionStatus,
    pub completion_note: String,
}

impl ActionRecord {
    /// Still open after its due date (`today` is YYYY-MM-DD).
    pub fn overdue_on(&self, today: &str) -> bool {
        self.status == ActionStatus::Open && self.due_date.as_deref().is_some_and(|d| d < today)
    }
}

impl TryFrom<store::ActionRow> for ActionRecord {
    type Error = AppError;
    fn try_from(r: store::ActionRow) -> AppResult<Self> {
        Ok(Self {
            id: r.id.into(),
            plan_id: r.plan_id.into(),
            plan_title: r.plan_title,
            meeting_title: r.meeting_title,
            work_area_id: r.work_area_id.map(WorkAreaId::from),
            work_area_title: r.work_area_title,
            description: r.description,
            owner_user_id: r.owner_user_id.map(UserId::from),
            owner_name: r.owner_name,
            due_date: date("actions.due_date", r.due_date)?,
            status: ActionStatus::stored(&r.status)?,
            completion_note: r.completion_note,
        })
    }
}

/// A dated progress update on a work area.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateRecord {
    pub work_area_id: WorkAreaId,
    pub author: Option<String>,
    pub posted_on: String,
    pub body: String,
    pub rag: Option<Rag>,
    pub spent_pence: Option<i64>,
}

impl TryFrom<store::UpdateRow> for UpdateRecord {
    type Error = AppError;
    fn try_from(r: store::UpdateRow) -> AppResult<Self> {
        Ok(Self {
            work_area_id: r.work_area_id.into(),
            author: r.author,
            posted_on: r.posted_on,
            body: r.body,
            rag: rag(r.rag)?,
            spent_pence: r.spent_pence,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneRecord {
    pub id: String,
    pub work_area_id: WorkAreaId,
    pub plan_id: PlanId,
    pub title: String,
    pub due_date: Option<String>,
    pub status: MilestoneStatus,
}

impl MilestoneRecord {
    /// Still planned after its due date.
    pub fn missed_on(&self, today: &str) -> bool {
        self.status == MilestoneStatus::Planned
            && self.due_date.as_deref().is_some_and(|d| d < today)
    }
}

impl TryFrom<store::MilestoneRow> for MilestoneRecord {
    type Error = AppError;
    fn try_from(r: store::MilestoneRow) -> AppResult<Self> {
        Ok(Self {
            id: r.id,
            work_area_id: r.work_area_id.into(),
            plan_id: r.plan_id.into(),
            title: r.title,
            due_date: date("milestones.due_date", r.due_date)?,
            status: MilestoneStatus::stored(&r.status)?,
        })
    }
}

/// A library item or an event linked to a work area.
#[derive(Debug, Clone, Serialize)]
pub struct LearningRecord {
    pub work_area_id: WorkAreaId,
    /// The item's or the event's id.
    pub id: String,
    pub title: String,
    /// A library item's kind, or "event".
    pub kind: String,
    pub organisation_name: String,
}

impl LearningRecord {
    pub fn is_event(&self) -> bool {
        self.kind == "event"
    }
}

impl From<lz_store::library::LinkedItemRow> for LearningRecord {
    fn from(r: lz_store::library::LinkedItemRow) -> Self {
        Self {
            work_area_id: r.work_area_id.into(),
            id: r.id,
            title: r.title,
            kind: r.kind,
            organisation_name: r.organisation_name,
        }
    }
}

/// A scheduled email of the Executive report.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleRecord {
    pub send_on: String,
    /// Email addresses.
    pub recipients: Vec<String>,
    pub sent: bool,
}

impl From<store::ScheduleRow> for ScheduleRecord {
    fn from(r: store::ScheduleRow) -> Self {
        Self {
            send_on: r.send_on,
            recipients: r
                .recipients
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            sent: r.sent_at.is_some(),
        }
    }
}

/// Rows to records, stopping at the first bad one.
pub(crate) fn all<R, T>(rows: Vec<R>) -> AppResult<Vec<T>>
where
    T: TryFrom<R, Error = AppError>,
{
    rows.into_iter().map(T::try_from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_serialise_as_stored() {
        for r in Rag::ALL {
            assert_eq!(Rag::parse(r.code()), Some(*r));
            assert_eq!(serde_json::to_value(r).ok(), Some(r.code().into()));
        }
        for k in WorkAreaKind::ALL {
            assert_eq!(serde_json::to_value(k).ok(), Some(k.code().into()));
        }
        for s in ActionStatus::ALL {
            assert_eq!(serde_json::to_value(s).ok(), Some(s.code().into()));
        }
    }

    #[test]
    fn an_unknown_status_is_an_error_not_a_default() {
        let row = store::ActionRow {
            status: "closed".into(),
            ..Default::default()
        };
        assert!(ActionRecord::try_from(row).is_err());
    }

    #[test]
    fn a_bad_flag_is_an_error() {
        let row = store::WorkAreaRow {
            kind: "work_area".into(),
            end_open: 2,
            ..Default::default()
        };
        assert!(WorkAreaRecord::try_from(row).is_err());
    }
}
