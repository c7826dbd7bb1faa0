//! Organisations: the public list (with the verified domains only for network admins), and
//! adding or changing one with its domains (network admins).

use lz_domain::ids::OrgId;
use lz_store::network::{self as store, NewOrganisation};
use lz_store::Conn;

use super::input::{OrganisationInput, ValidOrganisation};
use super::record::records;
use super::{Network, NetworkAccess, OrganisationRecord};
use crate::{new_id, Actor, AppError, AppResult, Audit, OnConflict};

/// The organisations as one caller sees them: ask `domains_for(list.access)` per record.
pub struct OrganisationList {
    pub access: NetworkAccess,
    pub organisations: Vec<OrganisationRecord>,
}

/// One organisation to edit, with what the caller may see of it.
pub struct OrganisationToEdit {
    pub access: NetworkAccess,
    pub organisation: OrganisationRecord,
}

impl Network<'_> {
    /// Every organisation (public: do not show their domains; see `organisations_seen_by`).
    pub async fn organisations(&self) -> AppResult<Vec<OrganisationRecord>> {
        let mut c = self.app.db.acquire().await?;
        records(store::organisations(&mut c).await?)
    }

    /// Every organisation, with what the caller may see of them.
    pub async fn organisations_seen_by(&self, actor: &Actor) -> AppResult<OrganisationList> {
        Ok(OrganisationList {
            access: NetworkAccess::of(actor),
            organisations: self.organisations().await?,
        })
    }

    /// The organisations, for the page that manages them (network admins).
    pub async fn organisations_to_manage(&self, actor: &Actor) -> AppResult<OrganisationList> {
        NetworkAccess::of(actor).require_administer()?;
        self.organisations_seen_by(actor).await
    }

    /// One organisation, to edit (network admins).
    pub async fn organisation_to_edit(
        &self,
        actor: &Actor,
        id: &str,
    ) -> AppResult<OrganisationToEdit> {
        let access = NetworkAccess::of(actor);
        access.require_administer()?;
        let mut c = self.app.db.acquire().await?;
        let row = store::organisation_by_id(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(OrganisationToEdit {
            access,
            organisation: OrganisationRecord::try_from(row)?,
        })
    }

    /// `id` is `None` to create an organisation, or the one to change; its verified email
    /// domains are replaced by those given.
    pub async fn save_organisation(
        &self,
        actor: &Actor,
        id: Option<&str>,
        input: &OrganisationInput,
    ) -> AppResult<OrgId> {
        NetworkAccess::of(actor).require_administer()?;
        let (organisation, place_id) = self.validate_organisation(input).await?;
        let now = self.app.now();
        let org_id = OrgId::from(id.map_or_else(new_id, str::to_string));
        let mut tx = self.app.db.begin().await?;
        write_organisation(&mut tx, &org_id, id.is_none(), &organisation, place_id, now).await?;
        store::set_domains(&mut tx, &org_id, &organisation.domains, now)
            .await
            .on_conflict("organisation_domains.domain", || {
                AppError::field(
                    "domains",
                    "One of these email domains already belongs to another organisation",
                )
            })?;
        let action = if id.is_none() {
            "organisation.create"
        } else {
            "organisation.update"
        };
        let detail = format!(
            "{} [{}]",
            organisation.name,
            organisation.domains.join(", ")
        );
        Audit::new(Some(actor.id()), action, ("organisation", &org_id), &detail)
            .commit(tx, now)
            .await?;
        Ok(org_id)
    }

    /// The fields, and the place (if one was chosen) looked up.
    async fn validate_organisation(
        &self,
        input: &OrganisationInput,
    ) -> AppResult<(ValidOrganisation, Option<String>)> {
        let place_id = input.place_id.trim();
        let place = if place_id.is_empty() {
            None
        } else {
            let mut c = self.app.db.acquire().await?;
            store::place_by_id(&mut c, place_id).await?
        };
        let place_known = place_id.is_empty() || place.is_some();
        let organisation = input.validate(place_known)?;
        Ok((organisation, place.map(|p| p.id)))
    }
}

/// Inserts or updates the organisation's own row.
async fn write_organisation(
    c: &mut Conn,
    org_id: &OrgId,
    is_new: bool,
    organisation: &ValidOrganisation,
    place_id: Option<String>,
    now: i64,
) -> AppResult<()> {
    let row = NewOrganisation {
        id: org_id,
        slug: &organisation.slug,
        name: &organisation.name,
        sector: organisation.sector.code(),
        place_id: place_id.as_deref(),
        now,
    };
    let saved = if is_new {
        store::insert_organisation(c, &row).await.map(|_| true)
    } else {
        store::update_organisation(c, &row).await
    };
    let found = saved.on_conflict("organisations.slug", || {
        AppError::field(
            "slug",
            "Another organisation already uses this web address name",
        )
    })?;
    if found {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
