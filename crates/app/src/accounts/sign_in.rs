//! Signing in: email and password checked against the argon2 hash, with throttling per
//! account and per client address (a lockout for the window once either is exceeded).

use lz_store::security::{self, ThrottleRow};
use lz_store::users::{self, UserRow};
use lz_store::Conn;

use super::record::UserRecord;
use super::secrets::random_token;
use super::Accounts;
use crate::{AppError, AppResult};

/// Failed sign-ins for one account within the window before it is locked for the window.
pub(super) const ACCOUNT_FAILURES: i64 = 10;
/// Failed sign-ins (or reset requests) from one address within the window.
pub(super) const ADDRESS_FAILURES: i64 = 30;
const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;

impl Accounts<'_> {
    /// Checks email and password, with throttling per account and per client address.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &str,
    ) -> AppResult<UserRecord> {
        let now = self.app.now();
        let email_norm = email.trim().to_lowercase();
        let account_key = format!("signin:account:{email_norm}");
        let address_key = format!("signin:address:{client}");
        // Each attempt is counted before the password is checked, in one statement, so that
        // parallel attempts (on one server or several) cannot all get past the limit.
        {
            let mut c = self.app.db.acquire().await?;
            reserve(&mut c, &account_key, now, ACCOUNT_FAILURES).await?;
            if let Err(e) = reserve(&mut c, &address_key, now, ADDRESS_FAILURES).await {
                security::release_attempt(&mut c, &account_key).await?;
                return Err(e);
            }
        }
        let found = {
            let mut c = self.app.db.acquire().await?;
            users::by_email(&mut c, &email_norm).await?
        };
        let ok = self.password_matches(found.as_ref(), password).await?;
        let mut c = self.app.db.acquire().await?;
        if !ok {
            lock_at_limit(&mut c, &account_key, now, ACCOUNT_FAILURES).await?;
            lock_at_limit(&mut c, &address_key, now, ADDRESS_FAILURES).await?;
            return Err(AppError::field(
                "email",
                "Enter the email address and password of your account (they did not match)",
            ));
        }
        // Not a failure: the address gets its attempt back, the account starts afresh.
        security::release_attempt(&mut c, &address_key).await?;
        security::clear_throttle(&mut c, &account_key).await?;
        let user = found.ok_or(AppError::Unauthenticated)?;
        if user.email_verified_at.is_none() {
            return Err(AppError::field("email", "Confirm your email address first: follow the link we emailed you, or ask for a new one"));
        }
        UserRecord::try_from(user)
    }

    /// Whether `password` is the account's; a missing or disabled account costs the same
    /// work as a real check, so response time does not reveal who has an account.
    async fn password_matches(&self, user: Option<&UserRow>, password: &str) -> AppResult<bool> {
        let hasher = &self.app.hasher;
        match user {
            // An account with no password (loaded from an export made without secrets)
            // signs in only after a password reset.
            Some(u) if u.disabled_at.is_none() && !u.password_hash.is_empty() => {
                hasher
                    .verify(password.to_string(), u.password_hash.clone())
                    .await
            }
            _ => {
                let dummy = self.dummy_hash().await?;
                let _ = hasher.verify(password.to_string(), dummy).await?;
                Ok(false)
            }
        }
    }

    async fn dummy_hash(&self) -> AppResult<String> {
        self.app
            .dummy_hash
            .get_or_try_init(|| self.app.hasher.hash(random_token("")))
            .await
            .cloned()
    }
}

/// Reserves an attempt against `key`: refused (and still counted) while locked or past
/// `limit` attempts in the window.
async fn reserve(c: &mut Conn, key: &str, now: i64, limit: i64) -> AppResult<()> {
    let t = security::reserve_attempt(c, key, now, THROTTLE_WINDOW_MS).await?;
    let locked = t.locked_until.filter(|until| *until > now);
    if locked.is_some() || t.failures > limit {
        let until = locked.unwrap_or(t.window_start + THROTTLE_WINDOW_MS);
        return Err(AppError::TooManyAttempts {
            retry_after_secs: (until - now + 999).max(1000) / 1000,
        });
    }
    Ok(())
}

/// After a failed attempt: the key locks for the window once its attempts reach `limit`.
async fn lock_at_limit(c: &mut Conn, key: &str, now: i64, limit: i64) -> AppResult<()> {
    if let Some(t) = security::throttle(c, key).await? {
        if t.failures >= limit {
            security::lock_throttle(c, key, now + THROTTLE_WINDOW_MS).await?;
        }
    }
    Ok(())
}

/// Refuses while `key` is locked out.
pub(super) async fn check_throttle(c: &mut Conn, key: &str, now: i64) -> AppResult<()> {
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

/// Counts one failure against `key`, locking it for the window at `limit`.
pub(super) async fn record_failure(c: &mut Conn, key: &str, now: i64, limit: i64) -> AppResult<()> {
    let current = security::throttle(c, key).await?;
    let row = next_throttle(current, now, limit);
    security::put_throttle(c, key, &row).await?;
    Ok(())
}

/// The throttle after one more failure: a new window once the old one has passed.
fn next_throttle(current: Option<ThrottleRow>, now: i64, limit: i64) -> ThrottleRow {
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
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_th_failure_in_a_window_locks_for_the_window() {
        let mut row = None;
        for _ in 0..2 {
            row = Some(next_throttle(row, 1_000, 3));
        }
        let row = next_throttle(row, 1_000, 3);
        assert_eq!(row.failures, 3);
        assert_eq!(row.locked_until, Some(1_000 + THROTTLE_WINDOW_MS));
    }

    #[test]
    fn a_failure_after_the_window_starts_a_new_one() {
        let old = ThrottleRow {
            window_start: 0,
            failures: 9,
            locked_until: None,
        };
        let row = next_throttle(Some(old), THROTTLE_WINDOW_MS, 10);
        assert_eq!(row.failures, 1);
        assert_eq!(row.locked_until, None);
    }
}
