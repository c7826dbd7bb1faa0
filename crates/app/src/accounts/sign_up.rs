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

/// Sign-ups (each sends an email) to one address in an hour.
pub const SIGN_UPS_PER_ADDRESS: i64 = 3;
/// Sign-ups from one client in an hour.
pub const SIGN_UPS_PER_CLIENT: i64 = 20;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Verified {
    pub user_id: String,
    /// The organisation joined at once because the email's domain matched, if any.
    pub joined: Option<String>,
}

impl Accounts<'_> {
    /// Creates an unverified account and emails a verification link. The answer is the same
    /// whether or not the address already has an account, so that the form cannot be used to
    /// find out who has one: the email says which ("you already have an account", with the
    /// links to sign in and to reset the password; or a fresh confirmation link for an account
    /// not confirmed yet). At most `SIGN_UPS_PER_ADDRESS` an hour to one address and
    /// `SIGN_UPS_PER_CLIENT` from one client, past which 429 and no email. Returns the new
    /// account's id, or None when the address had one.
    pub async fn sign_up(&self, input: SignUp, client: &str) -> AppResult<Option<String>> {
        let account = input.validate()?;
        let now = self.app.now();
        self.limit_sign_ups(account.email.as_str(), client, now)
            .await?;
        // Hashed whichever way it goes, so that both answers take the same time.
        let hash = self.app.hasher.hash(input.password).await?;
        let mut tx = self.app.db.begin().await?;
        if let Some(existing) = users::by_email(&mut tx, account.email.as_str()).await? {
            let email = if existing.email_verified_at.is_some() {
                self.existing_account_email(&account.email, &existing.name)?
            } else {
                let token = random_token("");
                security::void_email_tokens(&mut tx, &existing.id, "verify", now).await?;
                security::insert_email_token(
                    &mut tx,
                    &hash_token(&token),
                    &existing.id,
                    "verify",
                    now,
                    now + VERIFY_TTL_MS,
                )
                .await?;
                self.verification_email(&account.email, &existing.name, &token)?
            };
            enqueue(&mut tx, now, &email).await?;
            Audit::new(None, "account.sign_up_existing", ("user", &existing.id), "")
                .commit(tx, now)
                .await?;
            self.app.wake_mailer();
            return Ok(None);
        }
        let id = new_id();
        let token = random_token("");
        let user = NewUser {
            id: &id,
            email: account.email.as_str(),
            name: &account.name,
            password_hash: &hash,
            role: Role::Member.code(),
            verified_at: None,
            now,
        };
        // Two sign-ups for one address at the same moment: the second is told as if it were
        // the first (the email goes to the address's owner either way).
        let inserted = users::insert(&mut tx, &user).await;
        if let Err(lz_store::StoreError::Conflict(_)) = inserted {
            return Ok(None);
        }
        inserted?;
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
        Ok(Some(id))
    }

    /// The sign-up form sends email to whatever address is typed: limited per address and
    /// per client, counted whether or not the address has an account.
    async fn limit_sign_ups(&self, email: &str, client: &str, now: i64) -> AppResult<()> {
        const HOUR_MS: i64 = 3_600_000;
        let mut c = self.app.db.acquire().await?;
        for (key, limit) in [
            (format!("signup:from:{client}"), SIGN_UPS_PER_CLIENT),
            (format!("signup:to:{email}"), SIGN_UPS_PER_ADDRESS),
        ] {
            let t = security::reserve_attempt(&mut c, &key, now, HOUR_MS).await?;
            if t.failures > limit {
                return Err(AppError::TooManyAttempts {
                    retry_after_secs: (t.window_start + HOUR_MS - now + 999).max(1000) / 1000,
                });
            }
        }
        Ok(())
    }

    fn existing_account_email(&self, to: &EmailAddress, name: &str) -> AppResult<Email> {
        let config = &self.app.config;
        Email::render(
            &to.to_string(),
            "accounts/existing.txt",
            context! {
                site => &config.site_name,
                name,
                sign_in => config.link("/sign-in"),
                reset => config.link("/password/forgot"),
                host => &config.host_name,
            },
        )
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
