//! Background jobs, one loop each, all stopping when the shutdown signal changes:
//! mail delivery (SMTP, retried with back-off, claimed so that several instances never send a
//! message twice) and housekeeping every 15 minutes (expired sessions, scheduled reports, action
//! reminders, event reminders and follow-ups, event personal-data clean-up).

use std::time::Duration;

use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use lz_store::outbox;

use crate::{App, AppResult};

impl App {
    /// Runs until `shutdown` resolves: delivers due messages when woken or every few seconds.
    pub async fn run_mailer(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        let Some(url) = self.config.smtp_url.clone() else {
            // Nothing to deliver to; log what is queued so the demo works without a mail server.
            loop {
                tokio::select! {
                    _ = self.mail_wake.notified() => self.log_outbox().await,
                    _ = shutdown.changed() => return,
                }
            }
        };
        let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&url) {
            Ok(b) => b.timeout(Some(Duration::from_secs(20))).build(),
            Err(e) => {
                tracing::error!(error = %e, "LZ_SMTP_URL cannot be used; mail stays in the outbox");
                return;
            }
        };
        loop {
            if let Err(e) = self.deliver_due(&transport).await {
                tracing::warn!(error = %e, "mail delivery round failed");
            }
            tokio::select! {
                _ = self.mail_wake.notified() => {},
                _ = tokio::time::sleep(Duration::from_secs(5)) => {},
                _ = shutdown.changed() => return,
            }
        }
    }

    async fn log_outbox(&self) {
        let Ok(mut c) = self.db.acquire().await else {
            return;
        };
        if let Ok(rows) = outbox::recent(&mut c, 5).await {
            let cutoff = self.now() - 10_000;
            for r in rows.iter().filter(|r| r.created_at >= cutoff) {
                // Demo mode only (no SMTP): the message is the only way to follow its link.
                tracing::info!(id = %r.id, subject = %r.subject, body = %r.body_text, "outbox message (not sent: no SMTP configured)");
            }
        }
    }

    async fn deliver_due(&self, transport: &AsyncSmtpTransport<Tokio1Executor>) -> AppResult<()> {
        let now = self.now();
        let mut c = self.db.acquire().await?;
        let due = outbox::due(&mut c, now, 50).await?;
        for msg in due {
            // A claim lasts long enough for one SMTP exchange; another instance skips it.
            if !outbox::claim(&mut c, &msg.id, now, now + 120_000).await? {
                continue;
            }
            match self.build_message(&msg) {
                Ok(m) => match transport.send(m).await {
                    Ok(_) => {
                        outbox::mark_sent(&mut c, &msg.id, self.now()).await?;
                        tracing::info!(id = %msg.id, "mail sent");
                    }
                    Err(e) => {
                        let backoff = 30_000 * 2i64.pow(msg.attempts.clamp(0, 8) as u32);
                        outbox::mark_failed(&mut c, &msg.id, &e.to_string(), self.now() + backoff)
                            .await?;
                        tracing::warn!(id = %msg.id, error = %e, "mail delivery failed; will retry");
                    }
                },
                Err(e) => {
                    // A message that cannot be built will never send: park it with the reason.
                    outbox::mark_failed(&mut c, &msg.id, &e.to_string(), i64::MAX / 2).await?;
                }
            }
        }
        Ok(())
    }

    /// Periodic work every 15 minutes: expired sessions, scheduled reports, action reminders,
    /// event reminders and follow-ups, event personal-data clean-up. Runs until `shutdown` changes.
    pub async fn run_housekeeping(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            self.run_due_jobs().await;
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(15 * 60)) => {},
                _ = shutdown.changed() => return,
            }
        }
    }

    /// One round of the housekeeping work. Each job claims what it sends in the database, so
    /// running it on several instances, or again after a restart, sends nothing twice.
    pub async fn run_due_jobs(&self) {
        if let Ok(mut c) = self.db.acquire().await {
            if let Err(e) = lz_store::security::delete_expired_sessions(&mut c, self.now()).await {
                tracing::warn!(error = %e, "session clean-up failed");
            }
        }
        if let Err(e) = self.send_scheduled_reports().await {
            tracing::warn!(error = %e, "scheduled reports failed");
        }
        if let Err(e) = self.send_action_reminders().await {
            tracing::warn!(error = %e, "action reminders failed");
        }
        if let Err(e) = self.send_event_mail().await {
            tracing::warn!(error = %e, "event reminders failed");
        }
        if let Err(e) = self.delete_event_personal_data().await {
            tracing::warn!(error = %e, "event personal-data clean-up failed");
        }
    }
}
