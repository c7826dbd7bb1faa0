//! Personal API tokens: created (the secret is shown once, only its hash is kept), listed
//! and revoked by their owner; created from the command line for an account by email.

use lz_domain::ids::ApiTokenId;
use lz_store::security;
use lz_store::users;

use super::input::token_name;
use super::secrets::{hash_token, random_token};
use super::{load_actor, Accounts, ApiTokenRecord};
use crate::{new_id, Actor, AppError, AppResult, Audit};

/// A token just created: its id and the secret, which is never shown again.
pub struct NewApiToken {
    pub id: ApiTokenId,
    pub token: String,
}

impl Accounts<'_> {
    /// Creates a personal API token; the secret is returned once and only its hash is kept.
    pub async fn create_api_token(&self, actor: &Actor, name: &str) -> AppResult<NewApiToken> {
        let name = token_name(name)?;
        let now = self.app.now();
        let id = new_id();
        let token = random_token("lzt_");
        let mut tx = self.app.db.begin().await?;
        security::insert_api_token(&mut tx, &id, actor.id(), &name, &hash_token(&token), now)
            .await?;
        Audit::new(Some(actor.id()), "token.create", ("api_token", &id), &name)
            .commit(tx, now)
            .await?;
        Ok(NewApiToken {
            id: ApiTokenId::from(id),
            token,
        })
    }

    /// Signs in with email and password and creates a token named `name` (the API's sign-in).
    pub async fn sign_in_with_token(
        &self,
        email: &str,
        password: &str,
        client: &str,
        name: &str,
    ) -> AppResult<NewApiToken> {
        let user = self.sign_in(email, password, client).await?;
        let actor = self.actor(&user.id).await?;
        self.create_api_token(&actor, name).await
    }

    /// The actor's own tokens, revoked ones included.
    pub async fn api_tokens(&self, actor: &Actor) -> AppResult<Vec<ApiTokenRecord>> {
        let mut c = self.app.db.acquire().await?;
        let rows = security::api_tokens_of_user(&mut c, actor.id()).await?;
        Ok(rows.into_iter().map(ApiTokenRecord::from).collect())
    }

    /// Revokes one of the actor's own tokens; anyone else's looks missing.
    pub async fn revoke_api_token(&self, actor: &Actor, id: &str) -> AppResult<()> {
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        if !security::revoke_api_token(&mut tx, id, actor.id(), now).await? {
            return Err(AppError::NotFound);
        }
        Audit::new(Some(actor.id()), "token.revoke", ("api_token", id), "")
            .commit(tx, now)
            .await
    }

    /// A token for the account with `email` (the command line); returns the secret.
    pub async fn create_api_token_for_email(&self, email: &str, name: &str) -> AppResult<String> {
        let actor = {
            let mut c = self.app.db.acquire().await?;
            let email = email.trim().to_lowercase();
            let user = users::by_email(&mut c, &email)
                .await?
                .ok_or(AppError::NotFound)?;
            load_actor(&mut c, &user.id)
                .await?
                .ok_or(AppError::NotFound)?
        };
        Ok(self.create_api_token(&actor, name).await?.token)
    }
}
