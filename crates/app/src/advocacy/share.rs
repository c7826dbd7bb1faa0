//! Share links: a curator of a public collection makes an expiring, revocable link for
//! decision makers without an account. The token is shown once and kept only as its
//! SHA-256; the link opens that one pack, read-only, and nothing else; each view adds one to
//! a count and keeps nothing about the viewer. Revoked, expired, unpublished-to-the-public or
//! deleted, the link answers 410 and says only that it no longer works.

use lz_domain::advocacy::{share_state, ShareState};
use lz_domain::library::Visibility;
use lz_store::advocacy::{self as store, ShareLinkRow};

use super::{Advocacy, CollectionView, ShareInput};
use crate::accounts::secrets::{hash_token, random_token};
use crate::{new_id, Actor, AppError, AppResult, Audit, Problems};

const DAY_MS: i64 = 86_400_000;

/// A link just made: the token is in `url`, shown once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewShareLink {
    pub id: String,
    pub url: String,
    pub expires_at: i64,
}

/// What a share link's holder reads.
pub struct SharedPack {
    pub view: CollectionView,
    pub expires_at: i64,
}

fn gone() -> AppError {
    AppError::Gone(
        "This link to an advocacy pack has been withdrawn or has expired. Ask the person who \
         sent it for a new one."
            .into(),
    )
}

impl Advocacy<'_> {
    /// The collection's share links, for those who oversee it.
    pub async fn share_links(&self, actor: &Actor, id: &str) -> AppResult<Vec<ShareLinkRow>> {
        let view = self.collection(Some(actor), id).await?;
        view.access.require_oversee()?;
        let mut c = self.app.db.acquire().await?;
        Ok(store::share_links(&mut c, id).await?)
    }

    /// Makes a link (curators of a public collection only).
    pub async fn share(
        &self,
        actor: &Actor,
        id: &str,
        input: &ShareInput,
    ) -> AppResult<NewShareLink> {
        let view = self.collection(Some(actor), id).await?;
        view.access.require_edit()?;
        if view.collection.audience != Visibility::Public {
            return Err(AppError::field(
                "days",
                "Only a pack for anyone can be shared by link: change who it is for first",
            ));
        }
        let mut problems = Problems::default();
        let (days, label) = input.check(&mut problems);
        problems.into_result()?;
        let token = random_token("lzs_");
        let link_id = new_id();
        let now = self.app.now();
        let expires_at = now + days * DAY_MS;
        let mut tx = self.app.db.begin().await?;
        store::insert_share_link(
            &mut tx,
            &link_id,
            id,
            &hash_token(&token),
            &label,
            actor.id(),
            now,
            expires_at,
        )
        .await?;
        Audit::new(
            Some(actor.id()),
            "collection.share",
            ("collection", id),
            &label,
        )
        .commit(tx, now)
        .await?;
        let url = self
            .app
            .config
            .base_url
            .join(&format!("/shared/{token}"))
            .map_err(|e| AppError::internal(format!("share link URL: {e}")))?;
        Ok(NewShareLink {
            id: link_id,
            url: url.to_string(),
            expires_at,
        })
    }

    /// Revokes a link (curators).
    pub async fn revoke_share(&self, actor: &Actor, id: &str, link_id: &str) -> AppResult<()> {
        let view = self.collection(Some(actor), id).await?;
        view.access.require_edit()?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        if !store::revoke_share_link(&mut tx, id, link_id, actor.id(), now).await? {
            return Err(AppError::NotFound);
        }
        Audit::new(
            Some(actor.id()),
            "collection.share.revoke",
            ("collection", id),
            link_id,
        )
        .commit(tx, now)
        .await
    }

    /// Opens a link: the pack as anyone may read it, and one more view counted. Unknown
    /// tokens are NotFound; withdrawn ones Gone.
    pub async fn open_share(&self, token: &str, count: bool) -> AppResult<SharedPack> {
        if token.len() > 100 {
            return Err(AppError::NotFound);
        }
        let now = self.app.now();
        let link = {
            let mut c = self.app.db.acquire().await?;
            store::share_link_by_hash(&mut c, &hash_token(token))
                .await?
                .ok_or(AppError::NotFound)?
        };
        if share_state(link.revoked_at, link.expires_at, now) != ShareState::Open {
            return Err(gone());
        }
        let view = match self.collection_for_share(&link.collection_id).await {
            Ok(v) if v.collection.audience == Visibility::Public => v,
            Ok(_) | Err(AppError::NotFound) => return Err(gone()),
            Err(e) => return Err(e),
        };
        if count {
            let mut c = self.app.db.acquire().await?;
            store::count_share_view(&mut c, &link.id, now).await?;
        }
        Ok(SharedPack {
            view,
            expires_at: link.expires_at,
        })
    }
}
