//! Passwords: asking for a reset link (throttled, and silent about whether the account
//! exists) and choosing a new password from it, which ends every session; and changing it
//! while signed in, which ends the other sessions.

use crate::context;
use lz_store::security::{self, EmailTokenRow};
use lz_store::users;

use super::input::{link_email, new_password};
use super::secrets::{hash_token, random_token};
use super::sign_in::{check_throttle, record_failure, ACCOUNT_FAILURES, ADDRESS_FAILURES};
use super::Accounts;
use crate::mail::{enqueue, Email};
use crate::{Actor, AppError, AppResult, Audit};

const RESET_TTL_MS: i64 = 3600 * 1000;
/// Reset requests for one account within the throttle window.
const RESET_REQUESTS: i64 = 5;

impl Accounts<'_> {
    /// Emails a reset link if the account exists; the answer is the same either way.
    pub async fn request_password_reset(&self, email: &str, client: &str) -> AppResult<()> {
        let now = self.app.now();
        let email = link_email(email)?;
        let mut tx = self.app.db.begin().await?;
        let address_key = format!("reset:address:{client}");
        let account_key = format!("reset:account:{}", email.as_str());
        check_throttle(&mut tx, &address_key, now).await?;
        check_throttle(&mut tx, &account_key, now).await?;
        // Every request counts, successful or not: reset mail must not be a spam cannon.
        record_failure(&mut tx, &address_key, now, ADDRESS_FAILURES).await?;
        record_failure(&mut tx, &account_key, now, RESET_REQUESTS).await?;
        if let Some(user) = users::by_email(&mut tx, email.as_str()).await? {
            if user.disabled_at.is_none() {
                let token = random_token("");
                security::void_email_tokens(&mut tx, &user.id, "reset", now).await?;
                security::insert_email_token(
                    &mut tx,
                    &hash_token(&token),
                    &user.id,
                    "reset",
                    now,
                    now + RESET_TTL_MS,
                )
                .await?;
                let message = self.reset_email(&email.to_string(), &user.name, &token)?;
                enqueue(&mut tx, now, &message).await?;
            }
        }
        crate::commit(tx).await?;
        self.app.wake_mailer();
        Ok(())
    }

    fn reset_email(&self, to: &str, name: &str, token: &str) -> AppResult<Email> {
        let config = &self.app.config;
        Email::render(
            to,
            "accounts/reset.txt",
            context! {
                site => &config.site_name,
                name,
                link => config.link(&format!("/password/reset?token={token}")),
                host => &config.host_name,
            },
        )
    }

    /// Sets a new password from a reset link and ends every session of the account.
    pub async fn reset_password(&self, token: &str, password: &str) -> AppResult<()> {
        let now = self.app.now();
        let hash = hash_token(token.trim());
        let user = {
            let mut c = self.app.db.acquire().await?;
            let row = security::email_token(&mut c, &hash, "reset").await?;
            let row = check_link(row, now, "password reset")?;
            users::by_id(&mut c, &row.user_id)
                .await?
                .ok_or(AppError::NotFound)?
        };
        new_password(password, &user.email, &user.name)?;
        let new_hash = self.app.hasher.hash(password.to_string()).await?;
        let mut tx = self.app.db.begin().await?;
        if !security::use_email_token(&mut tx, &hash, now).await? {
            return Err(AppError::field(
                "token",
                "This reset link has already been used. Ask for a new one",
            ));
        }
        users::set_password(&mut tx, &user.id, &new_hash, now).await?;
        // The link proves control of the mailbox, so it also confirms the address.
        users::mark_verified(&mut tx, &user.id, now).await?;
        security::delete_sessions_of_user(&mut tx, &user.id).await?;
        // Personal API tokens too: one made with a stolen password must stop answering.
        let revoked = security::revoke_api_tokens_of_user(&mut tx, &user.id, now).await?;
        security::clear_throttle(&mut tx, &format!("signin:account:{}", user.email)).await?;
        Audit::new(
            Some(&user.id),
            "account.reset_password",
            ("user", &user.id),
            &format!("{revoked} API tokens revoked"),
        )
        .commit(tx, now)
        .await
    }
}

impl Accounts<'_> {
    /// Changes the password of a signed-in person who types their current one (throttled
    /// like signing in). Their other sessions end; the one they use (`session`, the raw
    /// cookie value) stays.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        session: Option<&str>,
    ) -> AppResult<()> {
        let now = self.app.now();
        let user = {
            let mut c = self.app.db.acquire().await?;
            users::by_id(&mut c, actor.id())
                .await?
                .ok_or(AppError::Unauthenticated)?
        };
        let account_key = format!("signin:account:{}", user.email);
        {
            let mut c = self.app.db.acquire().await?;
            check_throttle(&mut c, &account_key, now).await?;
        }
        if current.is_empty() {
            return Err(AppError::field(
                "current_password",
                "Enter your current password",
            ));
        }
        let hasher = &self.app.hasher;
        let matches = !user.password_hash.is_empty()
            && hasher
                .verify(current.to_string(), user.password_hash.clone())
                .await?;
        if !matches {
            let mut c = self.app.db.acquire().await?;
            record_failure(&mut c, &account_key, now, ACCOUNT_FAILURES).await?;
            return Err(AppError::field(
                "current_password",
                "Your current password is not right: type it again",
            ));
        }
        new_password(new, &user.email, &user.name)
            .map_err(|e| rename_field(e, "password", "new_password"))?;
        let new_hash = hasher.hash(new.to_string()).await?;
        let mut tx = self.app.db.begin().await?;
        users::set_password(&mut tx, &user.id, &new_hash, now).await?;
        match session {
            Some(raw) => {
                security::delete_other_sessions(&mut tx, &user.id, &hash_token(raw)).await?
            }
            None => security::delete_sessions_of_user(&mut tx, &user.id).await?,
        }
        security::clear_throttle(&mut tx, &account_key).await?;
        Audit::new(
            Some(&user.id),
            "account.change_password",
            ("user", &user.id),
            "",
        )
        .commit(tx, now)
        .await?;
        crate::fresh::note_write();
        Ok(())
    }
}

/// The same problem reported against the form's own name for the field.
fn rename_field(e: AppError, from: &str, to: &'static str) -> AppError {
    match e {
        AppError::Invalid(errs) => AppError::Invalid(
            errs.into_iter()
                .map(|mut f| {
                    if f.field == from {
                        f.field = to;
                    }
                    f
                })
                .collect(),
        ),
        other => other,
    }
}

/// A link's token row, if it can still be used: known, unused and not expired.
pub(super) fn check_link(
    row: Option<EmailTokenRow>,
    now: i64,
    what: &str,
) -> AppResult<EmailTokenRow> {
    let Some(row) = row else {
        return Err(AppError::field("token", format!("This {what} link is not valid. Check you copied the whole link, or ask for a new one")));
    };
    if row.used_at.is_some() {
        return Err(AppError::field(
            "token",
            format!("This {what} link has already been used. Ask for a new one if you need to"),
        ));
    }
    if row.expires_at <= now {
        return Err(AppError::field(
            "token",
            format!("This {what} link has expired. Ask for a new one"),
        ));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires_at: i64, used_at: Option<i64>) -> Option<EmailTokenRow> {
        Some(EmailTokenRow {
            user_id: "u1".into(),
            expires_at,
            used_at,
        })
    }

    #[test]
    fn a_link_works_once_and_until_it_expires() {
        assert!(check_link(token(10, None), 5, "reset").is_ok());
        assert!(check_link(token(10, Some(3)), 5, "reset").is_err());
        assert!(check_link(token(10, None), 10, "reset").is_err());
        assert!(check_link(None, 5, "reset").is_err());
    }
}

#[cfg(test)]
mod mail_tests {
    use crate::mail::templates::render;

    #[test]
    fn the_reset_mail_reads_as_before() {
        let (name, site, link, host) = (
            "Ann <Lee>",
            "Learning Zone",
            "https://lz/password/reset?token=t",
            "lz.example",
        );
        let ctx = crate::context! { name, site, link, host };
        let (subject, body) = render("accounts/reset.txt", ctx).expect("renders");
        assert_eq!(subject, format!("Reset your {site} password"));
        assert_eq!(body, format!(
            "Hello {name},\n\nSomeone asked to reset the password of your {site} account. To choose a new password, open:\n\n{link}\n\n\
             The link works once and expires in 1 hour. If it was not you, ignore this email: your password has not changed.\n\n{host}\n"
        ));
    }
}
