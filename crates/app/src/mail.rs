//! Email: messages are written to the outbox in the same transaction as the change that
//! caused them; the mail job (`jobs`) delivers them. Without `LZ_SMTP_URL` they stay in the
//! outbox, readable by network admins, and are logged.

use lettre::message::Mailbox;
use lettre::Message;
use lz_store::{outbox, Conn};

use crate::{new_id, Actor, App, AppError, AppResult};

pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Adds a message to the outbox inside the caller's transaction.
pub async fn enqueue(c: &mut Conn, now: i64, email: &Email) -> AppResult<()> {
    outbox::insert(c, &new_id(), &email.to, &email.subject, &email.body, now).await?;
    Ok(())
}

/// A text attachment: a calendar file, say.
pub struct Attachment {
    pub file_name: String,
    pub media_type: String,
    pub text: String,
}

/// Adds a message with one attachment to the outbox inside the caller's transaction.
pub async fn enqueue_with(
    c: &mut Conn,
    now: i64,
    email: &Email,
    attachment: &Attachment,
) -> AppResult<()> {
    outbox::insert_with_attachment(
        c,
        &new_id(),
        &email.to,
        &email.subject,
        &email.body,
        (
            &attachment.file_name,
            &attachment.media_type,
            &attachment.text,
        ),
        now,
    )
    .await?;
    Ok(())
}

impl App {
    /// Tells the mail job that new messages are waiting (call after commit).
    pub fn wake_mailer(&self) {
        self.mail_wake.notify_one();
        if self.config.smtp_url.is_none() {
            tracing::info!("mail kept in the outbox (no LZ_SMTP_URL): see /admin/outbox");
        }
    }

    /// The outbox, newest first: for network admins only.
    pub async fn outbox(&self, actor: &Actor, limit: i64) -> AppResult<Vec<outbox::OutboxRow>> {
        actor.require_network_admin()?;
        let mut c = self.db.acquire().await?;
        Ok(outbox::recent(&mut c, limit).await?)
    }

    pub(crate) fn build_message(&self, msg: &outbox::OutboxRow) -> AppResult<Message> {
        let from: Mailbox = self
            .config
            .mail_from
            .parse()
            .map_err(|e| AppError::Internal(format!("mail_from: {e}")))?;
        let to: Mailbox = msg
            .to_addr
            .parse()
            .map_err(|e| AppError::Internal(format!("recipient: {e}")))?;
        let builder = Message::builder()
            .from(from)
            .to(to)
            .subject(&msg.subject)
            .message_id(Some(format!("<{}@learning-zone>", msg.id)));
        let text = lettre::message::SinglePart::plain(msg.body_text.clone());
        let built = match (&msg.attachment_name, &msg.attachment_body) {
            (Some(name), Some(body)) => {
                let media = msg
                    .attachment_type
                    .as_deref()
                    .unwrap_or("application/octet-stream")
                    .parse::<lettre::message::header::ContentType>()
                    .map_err(|e| AppError::Internal(format!("attachment type: {e}")))?;
                let file = lettre::message::Attachment::new(name.clone()).body(body.clone(), media);
                builder.multipart(
                    lettre::message::MultiPart::mixed()
                        .singlepart(text)
                        .singlepart(file),
                )
            }
            _ => builder.singlepart(text),
        };
        built.map_err(|e| AppError::Internal(format!("building message: {e}")))
    }
}
