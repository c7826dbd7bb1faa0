//! Plan emails sent by the housekeeping job: reminders to action owners (due soon, then
//! overdue, each once) and scheduled Executive reports. The wording is in
//! `templates/mail/plans/`.

use crate::context;
use lz_store::plans as store;

use super::input::{shift_days, today};
use super::report::{build, Report};
use super::Plans;
use crate::documents::money;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plans::report::{ActionLine, MilestoneLine};
    use crate::plans::ActionStatus;

    fn report() -> Report {
        let action = |owner: &str, due: &str| ActionLine {
            description: "Book the room".into(),
            owner: owner.into(),
            due: Some(due.into()),
            status: ActionStatus::Open,
            overdue: false,
        };
        Report {
            plan_id: "p1".into(),
            plan_title: "North West <Plan> & more".into(),
            date: "2026-12-04".into(),
            areas: vec![],
            rag_counts: [1, 2, 3, 4],
            overdue: vec![action("Beth Kay", "2026-11-01")],
            due_soon: vec![action("Amanda Forrest", "2026-12-20")],
            allocated_pence: 150_000,
            committed_pence: 0,
            spent_pence: 12_345,
            recent_updates: vec![],
            milestones_missed: vec![MilestoneLine {
                work_area: "Learning series".into(),
                title: "First event".into(),
                due: "2026-10-01".into(),
            }],
            milestones_due: vec![],
            indicators: vec![],
            learning: vec![],
            evidence: vec![],
        }
    }

    /// The text the report email had when it was a `format!` in the use case.
    fn as_before(r: &Report, link: &str) -> String {
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
        for (title, list) in [
            ("Actions overdue", &r.overdue),
            ("Actions due in the next four weeks", &r.due_soon),
        ] {
            if !list.is_empty() {
                s.push_str(&format!("\n{title}:\n"));
                for a in list {
                    let due = a.due.clone().unwrap_or_default();
                    s.push_str(&format!("- {}: {} (due {due})\n", a.owner, a.description));
                }
            }
        }
        s.push_str(&format!(
            "\nThe full report, with PDF and Word versions: {link}\n"
        ));
        s
    }

    #[test]
    fn the_report_email_reads_as_it_did() {
        let link = "https://lz.test/plans/p1/report?date=2026-12-04";
        let mut r = report();
        let Ok(email) = report_email("a@b.test", &r, "2026-12-04", link) else {
            panic!("renders");
        };
        assert_eq!(
            email.subject,
            "Executive report: North West <Plan> & more (2026-12-04)"
        );
        assert_eq!(email.body, as_before(&r, link));
        r.milestones_missed.clear();
        r.overdue.clear();
        r.due_soon.clear();
        let Ok(email) = report_email("a@b.test", &r, "2026-12-04", link) else {
            panic!("renders");
        };
        assert_eq!(email.body, as_before(&r, link));
    }

    #[test]
    fn reminders_read_as_they_did() {
        for overdue in [true, false] {
            let template = if overdue {
                "plans/action_overdue.txt"
            } else {
                "plans/action_due.txt"
            };
            let Ok(email) = Email::render(
                "o@b.test",
                template,
                context! { owner_name => "Beth Kay", short => "Book the room", description => "Book the room",
                due => "2026-12-06", plan_title => "Plan", link => "https://lz.test/actions", host_name => "lz.test" },
            ) else {
                panic!("renders");
            };
            let (subject, lead) = if overdue {
                (
                    "Overdue action: Book the room".to_string(),
                    "This action was due on 2026-12-06 and is still open:".to_string(),
                )
            } else {
                (
                    "Action due on 2026-12-06: Book the room".to_string(),
                    "This action is due on 2026-12-06:".to_string(),
                )
            };
            assert_eq!(email.subject, subject);
            assert_eq!(
                email.body,
                format!("Hello Beth Kay,\n\n{lead}\n\nBook the room\n\nPlan: Plan\n\nMark it done, or see all your actions: https://lz.test/actions\n\nlz.test\n")
            );
        }
    }
}
