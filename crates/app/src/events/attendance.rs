//! After people register: the organisers' register (the list, CSV, attendance marks, a
//! message to everyone), feedback from people who came, and the event report (attendance
//! and no-shows by place and organisation, ratings).

use std::collections::BTreeMap;

use lz_domain::events::{self as rules, RegistrationStatus, MAX_CAPACITY};
use lz_domain::ids::{EventId, RegistrationId};
use lz_store::events::{self as store, FeedbackRow};

use super::input::{feedback, message, FeedbackInput};
use super::read::EventView;
use super::record::RegistrationRecord;
use super::Events;
use crate::tables::Table;
use crate::{Actor, AppError, AppResult, Audit, Problems};

/// Counts of one group (a place or an organisation) in the event report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GroupCounts {
    pub name: String,
    pub registered: i64,
    pub attended: i64,
    pub no_shows: i64,
    pub not_marked: i64,
}

impl GroupCounts {
    fn count(&mut self, attended: Option<bool>) {
        self.registered += 1;
        match attended {
            Some(true) => self.attended += 1,
            Some(false) => self.no_shows += 1,
            None => self.not_marked += 1,
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct EventReport {
    pub registered: i64,
    pub waiting: i64,
    pub cancelled: i64,
    pub attended: i64,
    pub no_shows: i64,
    pub not_marked: i64,
    pub by_place: Vec<GroupCounts>,
    pub by_organisation: Vec<GroupCounts>,
    pub feedback_count: i64,
    /// Average rating out of 5, one decimal; none without feedback.
    pub average_rating: Option<f64>,
    /// How many gave each rating, 1 to 5.
    pub ratings: [i64; 5],
    pub do_differently: Vec<String>,
    pub topics_next: Vec<String>,
}

impl EventReport {
    /// Registrations by status; registered people also by place and organisation.
    fn count_registrations(&mut self, registrations: &[RegistrationRecord]) {
        let mut by_place: BTreeMap<String, GroupCounts> = BTreeMap::new();
        let mut by_org: BTreeMap<String, GroupCounts> = BTreeMap::new();
        for r in registrations {
            match r.status {
                RegistrationStatus::Waiting => self.waiting += 1,
                RegistrationStatus::Cancelled => self.cancelled += 1,
                RegistrationStatus::Pending => {}
                RegistrationStatus::Registered => {
                    let place = r.place_name.clone().unwrap_or_else(|| "No place".into());
                    let org = if r.organisation_name.is_empty() {
                        "No organisation given".to_string()
                    } else {
                        r.organisation_name.clone()
                    };
                    for (map, key) in [(&mut by_place, place), (&mut by_org, org)] {
                        map.entry(key.clone())
                            .or_insert_with(|| GroupCounts {
                                name: key,
                                ..Default::default()
                            })
                            .count(r.attended);
                    }
                    let mut me = GroupCounts::default();
                    me.count(r.attended);
                    self.registered += 1;
                    self.attended += me.attended;
                    self.no_shows += me.no_shows;
                    self.not_marked += me.not_marked;
                }
            }
        }
        self.by_place = by_place.into_values().collect();
        self.by_organisation = by_org.into_values().collect();
    }

    /// Ratings, their average, and the free-text answers.
    fn count_feedback(&mut self, feedback: &[FeedbackRow]) {
        self.feedback_count = feedback.len() as i64;
        let mut total = 0;
        for f in feedback {
            if (1..=5).contains(&f.rating) {
                self.ratings[(f.rating - 1) as usize] += 1;
                total += f.rating;
            }
            if !f.do_differently.is_empty() {
                self.do_differently.push(f.do_differently.clone());
            }
            if !f.topics_next.is_empty() {
                self.topics_next.push(f.topics_next.clone());
            }
        }
        if !feedback.is_empty() {
            let avg = total as f64 / feedback.len() as f64;
            self.average_rating = Some((avg * 10.0).round() / 10.0);
        }
    }
}

impl Events<'_> {
    /// Everyone registered, waiting or cancelled (organisers).
    pub async fn registrations(
        &self,
        actor: &Actor,
        event_id: &EventId,
    ) -> AppResult<(EventView, Vec<RegistrationRecord>)> {
        let view = self.organised(actor, event_id).await?;
        let mut c = self.app.db.acquire().await?;
        let registrations =
            RegistrationRecord::all(store::registrations_of_event(&mut c, event_id).await?)?;
        Ok((view, registrations))
    }

    /// The registrations as a table (for CSV and XLSX downloads).
    pub async fn registrations_table(&self, actor: &Actor, event_id: &EventId) -> AppResult<Table> {
        let (_, registrations) = self.registrations(actor, event_id).await?;
        let mut t = Table::new(
            "Registrations",
            &[
                "Name",
                "Email",
                "Organisation",
                "Place",
                "Status",
                "Registered at (UK time)",
                "Attended",
                "Access needs",
                "Dietary needs",
            ],
        );
        for r in registrations {
            let attended = match r.attended {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            };
            t.rows.push(vec![
                r.name,
                r.email,
                r.organisation_name,
                r.place_name.unwrap_or_default(),
                r.status.label().to_string(),
                r.registered_at.map(rules::display).unwrap_or_default(),
                attended.to_string(),
                r.access_needs.unwrap_or_default(),
                r.dietary_needs.unwrap_or_default(),
            ]);
        }
        Ok(t)
    }

    /// The registrations as CSV, formulas neutralised.
    pub async fn registrations_csv(&self, actor: &Actor, event_id: &EventId) -> AppResult<String> {
        crate::tables::csv(&self.registrations_table(actor, event_id).await?)
    }

    /// The registrations as an Excel workbook.
    pub async fn registrations_xlsx(
        &self,
        actor: &Actor,
        event_id: &EventId,
    ) -> AppResult<Vec<u8>> {
        crate::tables::xlsx(&[self.registrations_table(actor, event_id).await?])
    }

    /// Emails everyone registered (and, if asked, waiting); returns how many.
    pub async fn email_registrants(
        &self,
        actor: &Actor,
        event_id: &EventId,
        subject: &str,
        text: &str,
        include_waiting: bool,
    ) -> AppResult<usize> {
        let (view, registrations) = self.registrations(actor, event_id).await?;
        let mut p = Problems::default();
        let (subject, text) = message(&mut p, subject, text);
        p.into_result()?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let mut sent = 0;
        for r in registrations.iter().filter(|r| {
            r.is_registered() || (include_waiting && r.status == RegistrationStatus::Waiting)
        }) {
            self.queue_message(&mut tx, &view.event, r, actor, (&subject, &text), now)
                .await?;
            sent += 1;
        }
        Audit::new(
            Some(actor.id()),
            "event.email",
            ("event", event_id),
            &subject,
        )
        .commit(tx, now)
        .await?;
        self.app.wake_mailer();
        Ok(sent)
    }

    /// Marks attendance of registered people: (registration id, attended; none: not marked).
    /// All marks or none are saved.
    pub async fn set_attendance(
        &self,
        actor: &Actor,
        event_id: &EventId,
        marks: &[(RegistrationId, Option<bool>)],
    ) -> AppResult<usize> {
        self.organised(actor, event_id).await?;
        if marks.len() > MAX_CAPACITY as usize {
            return Err(AppError::field("attendance", "Too many marks at once"));
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let mut changed = 0;
        for (id, attended) in marks {
            if !store::set_attendance(&mut tx, event_id, id, *attended, now).await? {
                // Another event's registration, or not a registered person: change nothing.
                return Err(AppError::field(
                    "attendance",
                    "Mark attendance only for people registered for this event",
                ));
            }
            changed += 1;
        }
        let detail = changed.to_string();
        Audit::new(
            Some(actor.id()),
            "event.attendance",
            ("event", event_id),
            &detail,
        )
        .commit(tx, now)
        .await?;
        Ok(changed)
    }

    /// Feedback from a registered person (signed in, or with a guest's token) once the event
    /// has started; once each.
    pub async fn give_feedback(
        &self,
        actor: Option<&Actor>,
        event_id: &EventId,
        token: Option<&str>,
        input: &FeedbackInput,
    ) -> AppResult<()> {
        let r = self.feedback_registration(actor, event_id, token).await?;
        let mut p = Problems::default();
        let (rating, do_differently, topics_next) = feedback(&mut p, input);
        p.into_result()?;
        let now = self.app.now();
        let row = FeedbackRow {
            registration_id: r.id.to_string(),
            rating,
            do_differently,
            topics_next,
            created_at: now,
        };
        let mut tx = self.app.db.begin().await?;
        store::insert_feedback(&mut tx, event_id, &row)
            .await
            .map_err(|e| match e {
                lz_store::StoreError::Conflict(_) => {
                    AppError::Conflict("You have already given feedback on this event".into())
                }
                other => other.into(),
            })?;
        crate::commit(tx).await?;
        Ok(())
    }

    /// The registration that may give feedback on an event, or why not.
    pub async fn feedback_registration(
        &self,
        actor: Option<&Actor>,
        event_id: &EventId,
        token: Option<&str>,
    ) -> AppResult<RegistrationRecord> {
        let r = match (token.filter(|t| !t.is_empty()), actor) {
            (Some(t), _) => self.guest_registration(t).await?.registration,
            (None, Some(a)) => {
                let mut c = self.app.db.acquire().await?;
                store::live_registration(&mut c, event_id, &a.user.email)
                    .await?
                    .ok_or(AppError::Forbidden)?
                    .try_into()?
            }
            (None, None) => return Err(AppError::Unauthenticated),
        };
        if r.event_id != *event_id || !r.is_registered() {
            return Err(AppError::Forbidden);
        }
        if r.attended == Some(false) {
            return Err(AppError::Conflict(
                "Feedback comes from people who attended".into(),
            ));
        }
        let mut c = self.app.db.acquire().await?;
        let event = self.stored_event(&mut c, event_id).await?;
        // Feedback opens when the event starts, or as soon as an organiser marks the person present.
        if self.app.now() < event.starts_at && r.attended != Some(true) {
            return Err(AppError::Conflict(
                "Feedback opens when the event starts".into(),
            ));
        }
        Ok(r)
    }

    /// Registrations, attendance and no-shows by place and organisation, and feedback.
    pub async fn report(
        &self,
        actor: &Actor,
        event_id: &EventId,
    ) -> AppResult<(EventView, EventReport)> {
        let (view, registrations) = self.registrations(actor, event_id).await?;
        let mut c = self.app.db.acquire().await?;
        let feedback = store::feedback_of_event(&mut c, event_id).await?;
        let mut report = EventReport::default();
        report.count_registrations(&registrations);
        report.count_feedback(&feedback);
        Ok((view, report))
    }
}
