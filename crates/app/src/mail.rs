//! Email: messages are written to the outbox in the same transaction as the change that
//! caused them; the mail job (`jobs`) delivers them. Without `LZ_SMTP_URL` they stay in the
//! outbox, readable by network admins, and are logged.

use crate::Context;
use lettre::message::Mailbox;
use lettre::Message;
use lz_store::{outbox, Conn};

use crate::{new_id, App, AppResult};

pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Email {
    /// A message from a template in `templates/mail/` (see `templates`): its first line is
    /// `Subject: …`, then a blank line, then the body.
    pub fn render(to: &str, template: &str, ctx: minijinja::Value) -> AppResult<Email> {
        let (subject, body) = templates::render(template, ctx)?;
        Ok(Email {
            to: to.to_string(),
            subject,
            body,
        })
    }
}

/// Mail text lives in `crates/app/templates/mail/*.txt`, rendered by minijinja (the engine
/// of the web pages) and embedded in the binary, so wording is edited in one place per
/// message and never inside a use case.
pub mod templates {
    use std::sync::LazyLock;

    use minijinja::Environment;

    use crate::{AppError, AppResult, Context};

    macro_rules! embed {
        ($env:expr, $($name:literal),* $(,)?) => {
            $( $env.add_template($name, include_str!(concat!("../templates/mail/", $name)))
                .expect(concat!("mail template ", $name, " must parse")); )*
        };
    }

    static MAIL: LazyLock<Environment<'static>> = LazyLock::new(|| {
        let mut env = Environment::new();
        // Plain text: nothing is HTML-escaped; lines are kept as written.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        let mut syntax = minijinja::syntax::SyntaxConfig::builder();
        syntax.keep_trailing_newline(true);
        // The default delimiters always build.
        if let Ok(syntax) = syntax.build() {
            env.set_syntax(syntax);
        }
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        embed!(
            env,
            "library/approved.txt",
            "library/sent_back.txt",
            "library/submitted.txt"
        );
        embed!(
            env,
            "events/changed.txt",
            "events/cancelled.txt",
            "events/place_cancelled.txt",
            "events/registered.txt",
            "events/waiting.txt",
            "events/promoted.txt",
            "events/confirm_guest.txt",
            "events/message.txt",
            "events/follow_up.txt",
            "events/reminder.txt",
        );
        embed!(
            env,
            "plans/action_due.txt",
            "plans/action_overdue.txt",
            "plans/report.txt"
        );
        embed!(
            env,
            "accounts/verify.txt",
            "accounts/reset.txt",
            "accounts/existing.txt"
        );
        embed!(env, "network/approved.txt", "network/declined.txt");
        env
    });

    /// Renders a mail template into its subject and body.
    pub fn render(name: &str, ctx: minijinja::Value) -> AppResult<(String, String)> {
        let text = MAIL
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .context(format!("rendering mail template {name}"))?;
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let subject = first
            .strip_prefix("Subject: ")
            .ok_or_else(|| AppError::internal(format!("mail template {name}: no Subject line")))?;
        Ok((
            subject.trim().to_string(),
            rest.trim_start_matches('\n').to_string(),
        ))
    }
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

/// Whether a calendar attachment asks a calendar to act ("text/calendar; method=REQUEST" or
/// CANCEL, iTIP); PUBLISH is a plain file.
fn is_itip(media_type: &str) -> bool {
    let lower = media_type.to_ascii_lowercase();
    lower.starts_with("text/calendar")
        && (lower.contains("method=request") || lower.contains("method=cancel"))
}

impl App {
    /// Tells the mail job that new messages are waiting (call after commit).
    pub fn wake_mailer(&self) {
        self.mail_wake.notify_one();
        if self.config.smtp_url.is_none() {
            tracing::info!("mail kept in the outbox (no LZ_SMTP_URL): see /admin/outbox");
        }
    }

    pub(crate) fn build_message(&self, msg: &outbox::OutboxRow) -> AppResult<Message> {
        let from: Mailbox = self.config.mail_from.parse().context("mail_from")?;
        let to: Mailbox = msg.to_addr.parse().context("recipient")?;
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
                    .context("attachment type")?;
                match msg.attachment_type.as_deref().is_some_and(is_itip) {
                    // An invitation or cancellation as Outlook and Google send one: the text and
                    // the calendar as alternatives (so the client shows Accept/Add buttons and
                    // updates the calendar), and the same file attached for other clients.
                    true => {
                        let file = lettre::message::Attachment::new(name.clone()).body(
                            body.clone(),
                            lettre::message::header::ContentType::parse("application/ics")
                                .context("ics type")?,
                        );
                        let calendar = lettre::message::SinglePart::builder()
                            .header(media)
                            .body(body.clone());
                        builder.multipart(
                            lettre::message::MultiPart::mixed()
                                .multipart(
                                    lettre::message::MultiPart::alternative()
                                        .singlepart(text)
                                        .singlepart(calendar),
                                )
                                .singlepart(file),
                        )
                    }
                    false => {
                        let file = lettre::message::Attachment::new(name.clone())
                            .body(body.clone(), media);
                        builder.multipart(
                            lettre::message::MultiPart::mixed()
                                .singlepart(text)
                                .singlepart(file),
                        )
                    }
                }
            }
            _ => builder.singlepart(text),
        };
        built.context("building message")
    }
}
