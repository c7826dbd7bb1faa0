//! Places: the public list, and adding or changing one (network admins).

use lz_domain::ids::PlaceId;
use lz_store::network::{self as store, NewPlace};

use super::record::records;
use super::{Network, NetworkAccess, PlaceRecord};
use crate::{new_id, Actor, AppError, AppResult, Audit, OnConflict};

impl Network<'_> {
    /// Every place (public).
    pub async fn places(&self) -> AppResult<Vec<PlaceRecord>> {
        let mut c = self.app.db.acquire().await?;
        records(store::places(&mut c).await?)
    }

    /// The places, for the page that manages them (network admins).
    pub async fn places_to_manage(&self, actor: &Actor) -> AppResult<Vec<PlaceRecord>> {
        NetworkAccess::of(actor).require_administer()?;
        self.places().await
    }

    /// One place, to edit (network admins).
    pub async fn place_to_edit(&self, actor: &Actor, id: &str) -> AppResult<PlaceRecord> {
        NetworkAccess::of(actor).require_administer()?;
        let mut c = self.app.db.acquire().await?;
        let row = store::place_by_id(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        PlaceRecord::try_from(row)
    }

    /// A place by its web address name (the demo loader and the CLI).
    pub async fn place_by_slug(&self, slug: &str) -> AppResult<Option<PlaceRecord>> {
        let mut c = self.app.db.acquire().await?;
        store::place_by_slug(&mut c, slug)
            .await?
            .map(PlaceRecord::try_from)
            .transpose()
    }

    /// `id` is `None` to create a place, or the place to change.
    pub async fn save_place(
        &self,
        actor: &Actor,
        id: Option<&str>,
        input: &super::PlaceInput,
    ) -> AppResult<PlaceId> {
        NetworkAccess::of(actor).require_administer()?;
        let place = input.validate()?;
        let now = self.app.now();
        let place_id = PlaceId::from(id.map_or_else(new_id, str::to_string));
        let row = NewPlace {
            id: &place_id,
            slug: &place.slug,
            name: &place.name,
            kind: place.kind.code(),
            gss_code: place.gss_code.as_deref(),
            summary: &place.summary,
            now,
        };
        let mut tx = self.app.db.begin().await?;
        let saved = match id {
            None => store::insert_place(&mut tx, &row).await.map(|_| true),
            Some(_) => store::update_place(&mut tx, &row).await,
        };
        let found = saved.on_conflict("places.slug", || {
            AppError::field("slug", "Another place already uses this web address name")
        })?;
        if !found {
            return Err(AppError::NotFound);
        }
        let action = if id.is_none() {
            "place.create"
        } else {
            "place.update"
        };
        Audit::new(Some(actor.id()), action, ("place", &place_id), &place.name)
            .commit(tx, now)
            .await?;
        Ok(place_id)
    }
}
