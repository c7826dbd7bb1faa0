//! Accounts: sign-up with email verification, sign-in with throttling and lockout, sessions,
//! password reset and personal API tokens, reached through `app.accounts()`. Joining an
//! organisation (by verified domain or by request) belongs to the network (`crate::network`).

mod input;
mod password;
pub mod record;
pub mod secrets;
mod sessions;
mod sign_in;
mod sign_up;
mod tokens;

use lz_store::users::{self, UserRow};
use lz_store::Conn;

pub use input::SignUp;
pub use record::{AccountOverview, ApiTokenRecord, Profile, UserRecord};
pub(crate) use sessions::CachedSession;
pub use sessions::{NewSession, SessionActor, TokenActor};
pub use sign_up::Verified;
pub use tokens::NewApiToken;

use crate::{Actor, App, AppError, AppResult};

/// The accounts use cases: `app.accounts().sign_up(…)`.
pub struct Accounts<'a> {
    app: &'a App,
}

impl App {
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { app: self }
    }

    /// The person with `user_id`, as an actor (role and memberships loaded). Kept on `App`
    /// for the features that load actors themselves (the demo loader).
    pub async fn actor(&self, user_id: &str) -> AppResult<Actor> {
        self.accounts().actor(user_id).await
    }

    /// The person with this email, as an actor (the command line acts as someone this way).
    pub async fn actor_by_email(&self, email: &str) -> AppResult<Actor> {
        let user = {
            let mut c = self.db.acquire().await?;
            lz_store::users::by_email(&mut c, email).await?
        };
        let user = user.ok_or(AppError::NotFound)?;
        self.actor(&user.id).await
    }

    /// A verified account (the integration tests' harness calls this on `App`): see
    /// `Accounts::create_user_direct`.
    pub async fn create_user_direct(
        &self,
        email: &str,
        name: &str,
        password: &str,
        role: lz_domain::Role,
    ) -> AppResult<String> {
        self.accounts()
            .create_user_direct(email, name, password, role)
            .await
    }

    /// A token for an account by email (the integration tests' harness calls this on `App`).
    pub async fn create_api_token_for_email(&self, email: &str, name: &str) -> AppResult<String> {
        self.accounts()
            .create_api_token_for_email(email, name)
            .await
    }
}

impl Accounts<'_> {
    /// The person with `user_id`, as an actor (role and memberships loaded).
    pub async fn actor(&self, user_id: &str) -> AppResult<Actor> {
        let mut c = self.app.db.acquire().await?;
        load_actor(&mut c, user_id).await?.ok_or(AppError::NotFound)
    }

    /// Who the caller is and where they belong.
    pub fn profile(&self, actor: &Actor) -> AppResult<Profile> {
        Profile::of(actor)
    }

    /// What the account page shows: the person, their memberships and API tokens, and the
    /// organisations they could ask to join.
    pub async fn overview(&self, actor: &Actor) -> AppResult<AccountOverview> {
        let organisations = self.app.network().organisations().await?;
        let tokens = self.api_tokens(actor).await?;
        AccountOverview::of(actor, organisations, tokens)
    }
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
    let memberships = users::memberships_of_user(c, &user.id).await?;
    let user = UserRecord::try_from(user)?;
    Ok(Some(Actor {
        role: user.role,
        user,
        memberships: crate::network::record::records(memberships)?,
    }))
}
