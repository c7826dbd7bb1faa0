//! Who is signed in: browser sessions (a cookie whose hash is stored, an idle timeout that
//! slides, a short in-process cache) and personal API tokens presented as `Bearer`.

use lz_domain::ids::{ApiTokenId, UserId};
use lz_store::security;

use super::input::sign_in_fields;
use super::secrets::{hash_token, random_token};
use super::{load_actor, Accounts, UserRecord};
use crate::{fresh, Actor, AppResult};

pub struct NewSession {
    /// Goes in the cookie; only its hash is stored.
    pub token: String,
    pub csrf_token: String,
}

/// A session's person, CSRF token and expiry, as kept in `App::sessions`.
#[derive(Clone)]
pub(crate) struct CachedSession {
    pub actor: Actor,
    pub csrf: String,
    pub expires_at: i64,
}

/// A signed-in browser: the person and the session's CSRF token.
pub struct SessionActor {
    pub actor: Actor,
    pub csrf_token: String,
}

/// A caller with a personal API token: the person and the token's id.
pub struct TokenActor {
    pub actor: Actor,
    pub token_id: ApiTokenId,
}

/// Sessions are extended at most once a minute: each extension is a write.
const TOUCH_AFTER_MS: i64 = 60_000;

impl Accounts<'_> {
    /// Starts a session. A new id every time: a session id seen before sign-in is never reused.
    pub async fn create_session(&self, user_id: &UserId) -> AppResult<NewSession> {
        let now = self.app.now();
        let token = random_token("");
        let csrf_token = random_token("");
        let mut c = self.app.db.acquire().await?;
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

    /// Signs in from the sign-in form and starts a fresh session; the visitor's old session
    /// (if any) ends, so a session id seen before sign-in is never reused.
    pub async fn sign_in_with_session(
        &self,
        email: &str,
        password: &str,
        client: &str,
        old_session: Option<&str>,
    ) -> AppResult<NewSession> {
        sign_in_fields(email, password)?;
        let user = self.sign_in(email, password, client).await?;
        if let Some(old) = old_session {
            self.sign_out(old).await?;
        }
        self.create_session(&user.id).await
    }

    fn session_ttl_ms(&self) -> i64 {
        self.app.config.session_idle_minutes * 60_000
    }

    /// Resolves a session cookie to the signed-in person and the session's CSRF token.
    pub async fn session_actor(&self, token: &str) -> AppResult<Option<SessionActor>> {
        let now = self.app.now();
        let hash = hash_token(token);
        let ticket = match self.app.sessions.get(&hash, now) {
            Ok(cached) if cached.expires_at > now => {
                return Ok(Some(SessionActor {
                    actor: cached.actor,
                    csrf_token: cached.csrf,
                }))
            }
            Ok(_) => return Ok(None),
            Err(ticket) => ticket,
        };
        let mut c = self.app.db.acquire().await?;
        let Some(session) = security::session_with_user(&mut c, &hash, now).await? else {
            return Ok(None);
        };
        let mut expires_at = session.expires_at;
        if now - session.last_seen_at > TOUCH_AFTER_MS {
            // Bookkeeping: a read must not fail because it could not be written (a full
            // disk); the session then keeps its old expiry.
            let until = now + self.session_ttl_ms();
            match security::touch_session(&mut c, &hash, now, until).await {
                Ok(()) => expires_at = until,
                Err(e) => tracing::warn!(error = %e, "could not record a session's use"),
            }
        }
        if session.user.disabled_at.is_some() {
            return Ok(None);
        }
        let user = UserRecord::try_from(session.user)?;
        let actor = Actor {
            role: user.role,
            user,
            memberships: crate::network::record::records(session.memberships)?,
        };
        let cached = CachedSession {
            actor: actor.clone(),
            csrf: session.csrf_token.clone(),
            expires_at,
        };
        self.app.sessions.put(ticket, hash, cached, now);
        Ok(Some(SessionActor {
            actor,
            csrf_token: session.csrf_token,
        }))
    }

    pub async fn sign_out(&self, token: &str) -> AppResult<()> {
        let mut c = self.app.db.acquire().await?;
        let hash = hash_token(token);
        security::delete_session(&mut c, &hash).await?;
        self.app.sessions.forget(&hash);
        fresh::note_write();
        Ok(())
    }

    /// Resolves `Authorization: Bearer` tokens.
    pub async fn token_actor(&self, token: &str) -> AppResult<Option<TokenActor>> {
        let mut c = self.app.db.acquire().await?;
        let Some(t) = security::api_token_by_hash(&mut c, &hash_token(token)).await? else {
            return Ok(None);
        };
        let now = self.app.now();
        if t.last_used_at.is_none_or(|at| now - at > TOUCH_AFTER_MS) {
            // Bookkeeping, as for sessions: the call goes ahead if it cannot be written.
            if let Err(e) = security::touch_api_token(&mut c, &t.id, now).await {
                tracing::warn!(error = %e, "could not record an API token's use");
            }
        }
        let actor = load_actor(&mut c, &t.user_id).await?;
        Ok(actor.map(|actor| TokenActor {
            actor,
            token_id: ApiTokenId::from(t.id),
        }))
    }
}
