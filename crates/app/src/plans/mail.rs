//! Plan emails sent by the housekeeping job: reminders to action owners (due soon, then
//! overdue, each once) and scheduled Executive reports. The wording is in
//! `templates/mail/plans/`.

use lz_store::plans as store;
use minijinja::context;

use super::input::{shift_days, today};
use super::report::{build, Report};
use super::report_docs::money;
use super::Plans;
use crate::mail::Email;
use crate::{commit, AppResult};

/// Days before the due date that the "due soon" reminder goes out.
pub const REMIND_DAYS_BEFORE: i64 = 2;

impl Plans<'_> {
    /// Emails owners about actions due soon and actions now overdue, each reminder once.
    /// Returns how many were sent. Run by the housekeeping job; safe to run anywhere, any time.
    pub async fn send_action_reminders(&self) -> AppResult<usize> {
        let now = self.app.now();
        let today = today(now);
        let until = shift_days(&today, REMIND_DAYS_BEFORE);
        let mut sent = 0;
        for overdue in [true, false] {
            let due = {
                let mut c = self.app.db.acquire().await?;
                store::reminders_due(&mut c, overdue, &today, &until).await?
            };
            for reminder in due {
                let mut tx = self.app.db.begin().await?;
                // Another instance may have sent it, or the owner closed the action meanwhile.
                if !store::claim_reminder(&mut tx, &reminder.id, overdue, now).await? {
                    continue;
                }
                let email = self.reminder(&reminder, overdue)?;
                crate::mail::enqueue(&mut tx, now, &email).await?;
                commit(tx).await?;
                sent += 1;
            }
        }
        if sent > 0 {
            self.app.wake_mailer();
        }
        Ok(sent)
    }

    fn reminder(&self, r: &store::ReminderRow, overdue: bool) -> AppResult<Email> {
        let template = if overdue {
            "plans/action_overdue.txt"
        } else {
            "plans/action_due.txt"
        };
        Email::render(
            &r.owner_email,
            template,
            context! {
                owner_name => r.owner_name,
                short => short(&r.description),
                description => r.description,
                due => r.due_date,
                plan_title => r.plan_title,
                link => self.app.config.link("/actions"),
                host_name => self.app.config.host_name,
            },
        )
    }

    /// Emails every scheduled report that is due, once each. Run by the housekeeping job.
    pub async fn send_scheduled_reports(&self) -> AppResult<usize> {
        let now = self.app.now();
        let today = today(now);
        let due = {
            let mut c = self.app.db.acquire().await?;
            store::schedules_due(&mut c, &today).await?
        };
        let mut sent = 0;
        for schedule in due {
            // The system reads the plan (its scheduler could see it when scheduling).
            let view = self.view_as_system(&schedule.plan_id).await?;
            let report = build(&view, &today);
            let link = self
                .app
                .config
                .link(&format!("/plans/{}/report?date={today}", schedule.plan_id));
            let mut tx = self.app.db.begin().await?;
            if !store::claim_schedule(&mut tx, &schedule.id, now).await? {
                continue;
            }
            for to in schedule.recipients.split(',').filter(|s| !s.is_empty()) {
                let email = report_email(to, &report, &today, &link)?;
                crate::mail::enqueue(&mut tx, now, &email).await?;
            }
            commit(tx).await?;
            sent += 1;
        }
        if sent > 0 {
            self.app.wake_mailer();
        }
        Ok(sent)
    }
}

/// The report as a plain-text email.
fn report_email(to: &str, r: &Report, today: &str, link: &str) -> AppResult<Email> {
    Email::render(
        to,
        "plans/report.txt",
        context! {
            r, today, link,
            red => r.rag_counts[0], amber => r.rag_counts[1], green => r.rag_counts[2], unknown => r.rag_counts[3],
            allocated => money(r.allocated_pence), committed => money(r.committed_pence), spent => money(r.spent_pence),
        },
    )
}

/// A description cut to fit a subject line.
fn short(text: &str) -> String {
    let mut s: String = text.chars().take(70).collect();
    if text.chars().count() > 70 {
        s.push('…');
    }
    s
}

/// The housekeeping job's entry points, also called by the integration tests, which drive the
/// jobs directly rather than waiting for them.
impl crate::App {
    pub async fn send_action_reminders(&self) -> AppResult<usize> {
        self.plans().send_action_reminders().await
    }

    pub async fn send_scheduled_reports(&self) -> AppResult<usize> {
        self.plans().send_scheduled_reports().await
    }
}
