//! Getting an account: signing up, confirming the email address from a link (which also
//! joins the organisation whose verified domain matches), asking for a new link, and
//! accounts created from the command line.

use crate::context;
use lz_domain::{EmailAddress, Role};
use lz_store::security;
use lz_store::users::{self, NewUser};

use super::input::{direct_account, link_email, SignUp, ValidAccount};
use super::password::check_link;
use super::secrets::{hash_token, random_token};
use super::Accounts;
use crate::mail::{enqueue, Email};
use crate::network::join_by_domain;
use crate::{new_id, AppError, AppResult, Audit, OnConflict};

const VERIFY_TTL_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Verified {
    pub user_id: String,
    /// The organisation joined at once because the email's domain matched, if any.
    pub joined: Option<String>,
}

impl Accounts<'_> {
    /// Creates an unverified account and emails a verification link.
    pub async fn sign_up(&self, input: SignUp) -> AppResult<String> {
        let account = input.validate()?;
        let hash = self.app.hasher.hash(input.password).await?;
        let now = self.app.now();
        let id = new_id();
        let token = random_token("");
        let mut tx = self.app.db.begin().await?;
        let user = NewUser {
            id: &id,
            email: account.email.as_str(),
            name: &account.name,
            password_hash: &hash,
            role: Role::Member.code(),
            verified_at: None,
            now,
        };
        users::insert(&mut tx, &user).await.on_conflict("users.email", || {
            AppError::field(
                "email",
                "An account with this email address already exists: sign in, or reset your password",
            )
        })?;
        security::insert_email_token(
            &mut tx,
            &hash_token(&token),
            &id,
            "verify",
            now,
            now + VERIFY_TTL_MS,
        )
        .await?;
        let email = self.verification_email(&account.email, &account.name, &token)?;
        enqueue(&mut tx, now, &email).await?;
        Audit::new(Some(&id), "account.sign_up", ("user", &id), "")
            .commit(tx, now)
            .await?;
        self.app.wake_mailer();
        Ok(id)
    }

    fn verification_email(&self, to: &EmailAddress, name: &str, token: &str) -> AppResult<Email> {
        let config = &self.app.config;
        Email::render(
            &to.to_string(),
            "accounts/verify.txt",
            context! {
                site => &config.site_name,
                name,
                link => config.link(&format!("/verify?token={token}")),
                host => &config.host_name,
            },
        )
    }

    /// Sends a fresh verification link if the account exists and is unverified. Says nothing
    /// either way, so that it cannot be used to find out who has an account.
    pub async fn resend_verification(&self, email: &str) -> AppResult<()> {
        let email = link_email(email)?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        if let Some(user) = users::by_email(&mut tx, email.as_str()).await? {
            if user.email_verified_at.is_none() {
                let token = random_token("");
                security::void_email_tokens(&mut tx, &user.id, "verify", now).await?;
                security::insert_email_token(
                    &mut tx,
                    &hash_token(&token),
                    &user.id,
                    "verify",
                    now,
                    now + VERIFY_TTL_MS,
                )
                .await?;
                let message = self.verification_email(&email, &user.name, &token)?;
                enqueue(&mut tx, now, &message).await?;
            }
        }
        crate::commit(tx).await?;
        self.app.wake_mailer();
        Ok(())
    }

    /// Confirms an email address from a link, and joins the organisation whose verified
    /// domain matches it.
    pub async fn verify_email(&self, token: &str) -> AppResult<Verified> {
        let now = self.app.now();
        let hash = hash_token(token.trim());
        let mut tx = self.app.db.begin().await?;
        let row = security::email_token(&mut tx, &hash, "verify").await?;
        let row = check_link(row, now, "verification")?;
        if !security::use_email_token(&mut tx, &hash, now).await? {
            return Err(AppError::field(
                "token",
                "This verification link has already been used. Sign in, or ask for a new link",
            ));
        }
        users::mark_verified(&mut tx, &row.user_id, now).await?;
        let user = users::by_id(&mut tx, &row.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let joined = join_by_domain(&mut tx, &user, now).await?;
        let detail = joined.as_deref().unwrap_or("");
        Audit::new(
            Some(&user.id),
            "account.verify_email",
            ("user", &user.id),
            detail,
        )
        .commit(tx, now)
        .await?;
        Ok(Verified {
            user_id: user.id,
            joined,
        })
    }

    /// Creates a verified account from the command line (administrators, demo accounts).
    pub async fn create_user_direct(
        &self,
        email: &str,
        name: &str,
        password: &str,
        role: Role,
    ) -> AppResult<String> {
        let ValidAccount { email, name } = direct_account(email, name, password)?;
        let hash = self.app.hasher.hash(password.to_string()).await?;
        let now = self.app.now();
        let id = new_id();
        let mut tx = self.app.db.begin().await?;
        let user = NewUser {
            id: &id,
            email: email.as_str(),
            name: &name,
            password_hash: &hash,
            role: role.code(),
            verified_at: Some(now),
            now,
        };
        users::insert(&mut tx, &user)
            .await
            .on_conflict("users.email", || {
                AppError::field("email", "An account with this email address already exists")
            })?;
        let user = users::by_id(&mut tx, &id)
            .await?
            .ok_or(AppError::NotFound)?;
        join_by_domain(&mut tx, &user, now).await?;
        Audit::new(None, "account.create", ("user", &id), role.code())
            .commit(tx, now)
            .await?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use crate::mail::templates::render;

    #[test]
    fn the_verification_mail_reads_as_before() {
        let (name, site, link, host) = (
            "Ann Lee",
            "Learning Zone",
            "https://lz/verify?token=t",
            "lz.example",
        );
        let ctx = crate::context! { name, site, link, host };
        let (subject, body) = render("accounts/verify.txt", ctx).expect("renders");
        assert_eq!(subject, format!("Confirm your email address for {site}"));
        assert_eq!(body, format!(
            "Hello {name},\n\nConfirm your email address to finish signing up to {site}:\n\n{link}\n\n\
             The link works once and expires in 24 hours. If you did not sign up, ignore this email.\n\n{host}\n"
        ));
    }
}
