//! Accounts: sign-up with email verification, joining an organisation by verified domain,
//! sign-in with throttling and lockout, sessions, password reset and personal API tokens.

use lz_domain::{check_password, clean_line, EmailAddress, Role};
use lz_store::security::{self, ThrottleRow};
use lz_store::users::{self, NewMembership, NewUser, UserRow};
use lz_store::{network, Conn};

use crate::mail::{enqueue, Email};
use crate::secrets::{hash_token, random_token};
use crate::{commit, fresh, new_id, record, Actor, App, AppError, AppResult, Problems};

const VERIFY_TTL_MS: i64 = 24 * 3600 * 1000;
const RESET_TTL_MS: i64 = 3600 * 1000;
/// Failed sign-ins for one account within the window before it is locked for the window.
const ACCOUNT_FAILURES: i64 = 10;
/// Failed sign-ins (or reset requests) from one address within the window.
const ADDRESS_FAILURES: i64 = 30;
const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;

pub struct SignUp {
    pub email: String,
    pub name: String,
    pub password: String,
}

pub struct NewSession {
    /// Goes in the cookie; only its hash is stored.
    pub token: String,
    pub csrf_token: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Verified {
    pub user_id: String,
    /// The organisation joined at once because the email's domain matched, if any.
    pub joined: Option<String>,
}

impl App {
    /// Creates an unverified account and emails a verification link.
    pub async fn sign_up(&self, input: SignUp) -> AppResult<String> {
        let mut p = Problems::default();
        let email = p.check("email", EmailAddress::parse(&input.email));
        let name = p.check("name", clean_line(&input.name, "your full name", 120));
        let mut context: Vec<&str> = vec![];
        if let Some(e) = &email {
            context.extend(e.as_str().split(['@', '.']));
        }
        context.extend(input.name.split_whitespace());
        p.check("password", check_password(&input.password, &context));
        p.into_result()?;
        let (email, name) = match (email, name) {
            (Some(e), Some(n)) => (e, n),
            _ => return Err(AppError::internal("validated fields missing")),
        };

        let hash = self.hasher.hash(input.password).await?;
        let now = self.now();
        let id = new_id();
        let token = random_token("");
        let mut tx = self.db.begin().await?;
        let inserted = users::insert(
            &mut tx,
            &NewUser {
                id: &id,
                email: email.as_str(),
                name: &name,
                password_hash: &hash,
                role: Role::Member.code(),
                verified_at: None,
                now,
            },
        )
        .await;
        if let Err(lz_store::StoreError::Conflict(_)) = inserted {
            return Err(AppError::field(
                "email",
                "An account with this email address already exists: sign in, or reset your password",
            ));
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
        enqueue(
            &mut tx,
            now,
            &self.verification_email(&email, &name, &token),
        )
        .await?;
        record(
            &mut tx,
            now,
            Some(&id),
            "account.sign_up",
            ("user", &id),
            "",
        )
        .await?;
        commit(tx).await?;
        self.wake_mailer();
        Ok(id)
    }

    fn verification_email(&self, email: &EmailAddress, name: &str, token: &str) -> Email {
        let site = &self.config.site_name;
        Email {
            to: email.to_string(),
            subject: format!("Confirm your email address for {site}"),
            body: format!(
                "Hello {name},\n\nConfirm your email address to finish signing up to {site}:\n\n{}\n\n\
                 The link works once and expires in 24 hours. If you did not sign up, ignore this email.\n\n{}\n",
                self.config.link(&format!("/verify?token={token}")),
                self.config.host_name
            ),
        }
    }

    /// Sends a fresh verification link if the account exists and is unverified. Says nothing
    /// either way, so that it cannot be used to find out who has an account.
    pub async fn resend_verification(&self, email: &str) -> AppResult<()> {
        let Ok(email) = EmailAddress::parse(email) else {
            return Err(AppError::field(
                "email",
                "Enter an email address in the correct format, like name@example.org",
            ));
        };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if let Some(u) = users::by_email(&mut tx, email.as_str()).await? {
            if u.email_verified_at.is_none() {
                let token = random_token("");
                security::void_email_tokens(&mut tx, &u.id, "verify", now).await?;
                security::insert_email_token(
                    &mut tx,
                    &hash_token(&token),
                    &u.id,
                    "verify",
                    now,
                    now + VERIFY_TTL_MS,
                )
                .await?;
                enqueue(
                    &mut tx,
                    now,
                    &self.verification_email(&email, &u.name, &token),
                )
                .await?;
            }
        }
        commit(tx).await?;
        self.wake_mailer();
        Ok(())
    }

    /// Confirms an email address from a link, and joins the organisation whose verified
    /// domain matches it.
    pub async fn verify_email(&self, token: &str) -> AppResult<Verified> {
        let now = self.now();
        let hash = hash_token(token.trim());
        let mut tx = self.db.begin().await?;
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
        record(
            &mut tx,
            now,
            Some(&user.id),
            "account.verify_email",
            ("user", &user.id),
            joined.as_deref().unwrap_or(""),
        )
        .await?;
        commit(tx).await?;
        Ok(Verified {
            user_id: user.id,
            joined,
        })
    }

    /// Checks email and password, with throttling per account and per client address.
    pub async fn sign_in(&self, email: &str, password: &str, client: &str) -> AppResult<UserRow> {
        let now = self.now();
        let email_norm = email.trim().to_lowercase();
        let account_key = format!("signin:account:{email_norm}");
        let address_key = format!("signin:address:{client}");
        {
            let mut c = self.db.acquire().await?;
            check_throttle(&mut c, &account_key, now).await?;
            check_throttle(&mut c, &address_key, now).await?;
        }
        let found = {
            let mut c = self.db.acquire().await?;
            users::by_email(&mut c, &email_norm).await?
        };
        let ok = match &found {
            Some(u) if u.disabled_at.is_none() => {
                self.hasher
                    .verify(password.to_string(), u.password_hash.clone())
                    .await?
            }
            _ => {
                // Same work as a real check, so response time does not reveal who has an account.
                let dummy = self.dummy_hash().await?;
                let _ = self.hasher.verify(password.to_string(), dummy).await?;
                false
            }
        };
        let mut c = self.db.acquire().await?;
        if !ok {
            record_failure(&mut c, &account_key, now, ACCOUNT_FAILURES).await?;
            record_failure(&mut c, &address_key, now, ADDRESS_FAILURES).await?;
            return Err(AppError::field(
                "email",
                "Enter the email address and password of your account (they did not match)",
            ));
        }
        let user = found.ok_or(AppError::Unauthenticated)?;
        if user.email_verified_at.is_none() {
            return Err(AppError::field("email", "Confirm your email address first: follow the link we emailed you, or ask for a new one"));
        }
        security::clear_throttle(&mut c, &account_key).await?;
        Ok(user)
    }

    async fn dummy_hash(&self) -> AppResult<String> {
        self.dummy_hash
            .get_or_try_init(|| self.hasher.hash(random_token("")))
            .await
            .cloned()
    }

    /// Starts a session. A new id every time: a session id seen before sign-in is never reused.
    pub async fn create_session(&self, user_id: &str) -> AppResult<NewSession> {
        let now = self.now();
        let token = random_token("");
        let csrf_token = random_token("");
        let mut c = self.db.acquire().await?;
        security::insert_session(
            &mut c,
            &hash_token(&token),
            user_id,
            &csrf_token,
            now,
            now + self.session_ttl_ms(),
        )
        .await?;
        Ok(NewSession { token, csrf_token })
    }

    fn session_ttl_ms(&self) -> i64 {
        self.config.session_idle_minutes * 60_000
    }

    /// Resolves a session cookie to the signed-in person and the session's CSRF token.
    pub async fn session_actor(&self, token: &str) -> AppResult<Option<(Actor, String)>> {
        let now = self.now();
        let hash = hash_token(token);
        let ticket = match self.sessions.get(&hash, now) {
            Ok((actor, csrf, expires_at)) if expires_at > now => return Ok(Some((actor, csrf))),
            Ok(_) => return Ok(None),
            Err(ticket) => ticket,
        };
        let mut c = self.db.acquire().await?;
        let Some(s) = security::session_with_user(&mut c, &hash, now).await? else {
            return Ok(None);
        };
        let mut expires_at = s.expires_at;
        if now - s.last_seen_at > 60_000 {
            expires_at = now + self.session_ttl_ms();
            security::touch_session(&mut c, &hash, now, expires_at).await?;
        }
        if s.user.disabled_at.is_some() {
            return Ok(None);
        }
        let role = s.user.role.parse::<Role>().unwrap_or(Role::Member);
        let actor = Actor {
            user: s.user,
            role,
            memberships: s.memberships,
        };
        self.sessions.put(
            ticket,
            hash,
            (actor.clone(), s.csrf_token.clone(), expires_at),
            now,
        );
        Ok(Some((actor, s.csrf_token)))
    }

    pub async fn sign_out(&self, token: &str) -> AppResult<()> {
        let mut c = self.db.acquire().await?;
        let hash = hash_token(token);
        security::delete_session(&mut c, &hash).await?;
        self.sessions.forget(&hash);
        fresh::note_write();
        Ok(())
    }

    /// Emails a reset link if the account exists; the answer is the same either way.
    pub async fn request_password_reset(&self, email: &str, client: &str) -> AppResult<()> {
        let now = self.now();
        let Ok(email) = EmailAddress::parse(email) else {
            return Err(AppError::field(
                "email",
                "Enter an email address in the correct format, like name@example.org",
            ));
        };
        let mut tx = self.db.begin().await?;
        let address_key = format!("reset:address:{client}");
        let account_key = format!("reset:account:{}", email.as_str());
        check_throttle(&mut tx, &address_key, now).await?;
        check_throttle(&mut tx, &account_key, now).await?;
        // Every request counts, successful or not: reset mail must not be a spam cannon.
        record_failure(&mut tx, &address_key, now, ADDRESS_FAILURES).await?;
        record_failure(&mut tx, &account_key, now, 5).await?;
        if let Some(u) = users::by_email(&mut tx, email.as_str()).await? {
            if u.disabled_at.is_none() {
                let token = random_token("");
                security::void_email_tokens(&mut tx, &u.id, "reset", now).await?;
                security::insert_email_token(
                    &mut tx,
                    &hash_token(&token),
                    &u.id,
                    "reset",
                    now,
                    now + RESET_TTL_MS,
                )
                .await?;
                let site = &self.config.site_name;
                enqueue(&mut tx, now, &Email {
                    to: email.to_string(),
                    subject: format!("Reset your {site} password"),
                    body: format!(
                        "Hello {},\n\nSomeone asked to reset the password of your {site} account. To choose a new password, open:\n\n{}\n\n\
                         The link works once and expires in 1 hour. If it was not you, ignore this email: your password has not changed.\n\n{}\n",
                        u.name,
                        self.config.link(&format!("/password/reset?token={token}")),
                        self.config.host_name
                    ),
                })
                .await?;
            }
        }
        commit(tx).await?;
        self.wake_mailer();
        Ok(())
    }

    /// Sets a new password from a reset link and ends every session of the account.
    pub async fn reset_password(&self, token: &str, password: &str) -> AppResult<()> {
        let now = self.now();
        let hash = hash_token(token.trim());
        let user = {
            let mut c = self.db.acquire().await?;
            let row = security::email_token(&mut c, &hash, "reset").await?;
            let row = check_link(row, now, "password reset")?;
            users::by_id(&mut c, &row.user_id)
                .await?
                .ok_or(AppError::NotFound)?
        };
        let mut context: Vec<&str> = user.email.split(['@', '.']).collect();
        context.extend(user.name.split_whitespace());
        check_password(password, &context)
            .map_err(|e| AppError::field("password", e.to_string()))?;
        let new_hash = self.hasher.hash(password.to_string()).await?;
        let mut tx = self.db.begin().await?;
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
        security::clear_throttle(&mut tx, &format!("signin:account:{}", user.email)).await?;
        record(
            &mut tx,
            now,
            Some(&user.id),
            "account.reset_password",
            ("user", &user.id),
            "",
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }

    /// Creates a personal API token; the secret is returned once and only its hash is kept.
    pub async fn create_api_token(&self, actor: &Actor, name: &str) -> AppResult<(String, String)> {
        let name =
            clean_line(name, "a name", 80).map_err(|e| AppError::field("name", e.to_string()))?;
        let now = self.now();
        let id = new_id();
        let token = random_token("lzt_");
        let mut tx = self.db.begin().await?;
        security::insert_api_token(&mut tx, &id, actor.id(), &name, &hash_token(&token), now)
            .await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "token.create",
            ("api_token", &id),
            &name,
        )
        .await?;
        commit(tx).await?;
        Ok((id, token))
    }

    pub async fn api_tokens(&self, actor: &Actor) -> AppResult<Vec<security::ApiTokenRow>> {
        let mut c = self.db.acquire().await?;
        Ok(security::api_tokens_of_user(&mut c, actor.id()).await?)
    }

    pub async fn revoke_api_token(&self, actor: &Actor, id: &str) -> AppResult<()> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if !security::revoke_api_token(&mut tx, id, actor.id(), now).await? {
            return Err(AppError::NotFound);
        }
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "token.revoke",
            ("api_token", id),
            "",
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }

    /// Resolves `Authorization: Bearer` tokens.
    pub async fn token_actor(&self, token: &str) -> AppResult<Option<(Actor, String)>> {
        let mut c = self.db.acquire().await?;
        let Some(t) = security::api_token_by_hash(&mut c, &hash_token(token)).await? else {
            return Ok(None);
        };
        let now = self.now();
        if t.last_used_at.is_none_or(|at| now - at > 60_000) {
            security::touch_api_token(&mut c, &t.id, now).await?;
        }
        Ok(load_actor(&mut c, &t.user_id).await?.map(|a| (a, t.id)))
    }

    /// Creates a verified account from the command line (administrators, demo accounts).
    pub async fn create_user_direct(
        &self,
        email: &str,
        name: &str,
        password: &str,
        role: Role,
    ) -> AppResult<String> {
        let mut p = Problems::default();
        let email = p.check("email", EmailAddress::parse(email));
        let name = p.check("name", clean_line(name, "your full name", 120));
        p.check("password", check_password(password, &[]));
        p.into_result()?;
        let (Some(email), Some(name)) = (email, name) else {
            return Err(AppError::internal("validated fields missing"));
        };
        let hash = self.hasher.hash(password.to_string()).await?;
        let now = self.now();
        let id = new_id();
        let mut tx = self.db.begin().await?;
        users::insert(
            &mut tx,
            &NewUser {
                id: &id,
                email: email.as_str(),
                name: &name,
                password_hash: &hash,
                role: role.code(),
                verified_at: Some(now),
                now,
            },
        )
        .await
        .map_err(|e| match e {
            lz_store::StoreError::Conflict(_) => {
                AppError::field("email", "An account with this email address already exists")
            }
            other => other.into(),
        })?;
        let user = users::by_id(&mut tx, &id)
            .await?
            .ok_or(AppError::NotFound)?;
        join_by_domain(&mut tx, &user, now).await?;
        record(
            &mut tx,
            now,
            None,
            "account.create",
            ("user", &id),
            role.code(),
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    pub async fn create_api_token_for_email(&self, email: &str, name: &str) -> AppResult<String> {
        let actor = {
            let mut c = self.db.acquire().await?;
            let email = email.trim().to_lowercase();
            let u = users::by_email(&mut c, &email)
                .await?
                .ok_or(AppError::NotFound)?;
            load_actor(&mut c, &u.id).await?.ok_or(AppError::NotFound)?
        };
        Ok(self.create_api_token(&actor, name).await?.1)
    }
}

fn check_link(
    row: Option<security::EmailTokenRow>,
    now: i64,
    what: &str,
) -> AppResult<security::EmailTokenRow> {
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

/// Joins the organisation whose verified domain matches the user's email, if not a member yet.
async fn join_by_domain(c: &mut Conn, user: &UserRow, now: i64) -> AppResult<Option<String>> {
    let Ok(email) = EmailAddress::parse(&user.email) else {
        return Ok(None);
    };
    let Some(org) = network::organisation_by_domain(c, email.domain()).await? else {
        return Ok(None);
    };
    let existing = users::memberships_of_user(c, &user.id).await?;
    if existing.iter().any(|m| m.organisation_id == org.id) {
        return Ok(Some(org.name));
    }
    users::insert_membership(
        c,
        &NewMembership {
            id: &new_id(),
            user_id: &user.id,
            organisation_id: &org.id,
            status: "active",
            via: "domain",
            message: "",
            now,
        },
    )
    .await?;
    Ok(Some(org.name))
}

pub(crate) async fn load_actor(c: &mut Conn, user_id: &str) -> AppResult<Option<Actor>> {
    let Some(user) = users::by_id(c, user_id).await? else {
        return Ok(None);
    };
    actor_of(c, user).await
}

/// The person as an actor with their memberships; none when the account is disabled.
async fn actor_of(c: &mut Conn, user: UserRow) -> AppResult<Option<Actor>> {
    if user.disabled_at.is_some() {
        return Ok(None);
    }
    let role = user.role.parse::<Role>().unwrap_or(Role::Member);
    let memberships = users::memberships_of_user(c, &user.id).await?;
    Ok(Some(Actor {
        user,
        role,
        memberships,
    }))
}

async fn check_throttle(c: &mut Conn, key: &str, now: i64) -> AppResult<()> {
    if let Some(t) = security::throttle(c, key).await? {
        if let Some(until) = t.locked_until {
            if until > now {
                return Err(AppError::TooManyAttempts {
                    retry_after_secs: (until - now + 999) / 1000,
                });
            }
        }
    }
    Ok(())
}

async fn record_failure(c: &mut Conn, key: &str, now: i64, limit: i64) -> AppResult<()> {
    let current = security::throttle(c, key).await?;
    let mut row = match current {
        Some(t) if now - t.window_start < THROTTLE_WINDOW_MS => t,
        _ => ThrottleRow {
            window_start: now,
            failures: 0,
            locked_until: None,
        },
    };
    row.failures += 1;
    if row.failures >= limit {
        row.locked_until = Some(now + THROTTLE_WINDOW_MS);
    }
    security::put_throttle(c, key, &row).await?;
    Ok(())
}

impl App {
    /// The person with `user_id`, as an actor (role and memberships loaded).
    pub async fn actor(&self, user_id: &str) -> AppResult<Actor> {
        let mut c = self.db.acquire().await?;
        load_actor(&mut c, user_id).await?.ok_or(AppError::NotFound)
    }
}
