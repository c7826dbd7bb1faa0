//! The network: places and organisations (managed by network admins), requests to join an
//! organisation (decided by its organisation admins or a network admin), and roles.

use lz_domain::{clean_line, email::is_domain, PlaceKind, Role, Sector, Slug};
use lz_store::network::{self as store, NewOrganisation, NewPlace, OrganisationRow, PlaceRow};
use lz_store::ops::{recent_audit, AuditRow};
use lz_store::users::{self, MembershipRow, NewMembership, UserRow};

use crate::mail::{enqueue, Email};
use crate::{commit, new_id, record, Actor, App, AppError, AppResult, Problems};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlaceInput {
    pub name: String,
    #[serde(default)]
    pub slug: String,
    pub kind: String,
    #[serde(default)]
    pub gss_code: String,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OrganisationInput {
    pub name: String,
    #[serde(default)]
    pub slug: String,
    pub sector: String,
    #[serde(default)]
    pub place_id: String,
    /// Email domains, separated by commas, spaces or new lines.
    #[serde(default)]
    pub domains: String,
}

struct ValidPlace {
    name: String,
    slug: String,
    kind: PlaceKind,
    gss_code: Option<String>,
    summary: String,
}

fn validate_place(input: &PlaceInput) -> AppResult<ValidPlace> {
    let mut p = Problems::default();
    let name = p.check("name", clean_line(&input.name, "a name", 120));
    let slug_src = if input.slug.trim().is_empty() {
        name.clone().unwrap_or_default()
    } else {
        input.slug.clone()
    };
    let slug = if input.slug.trim().is_empty() {
        Slug::from_name(&slug_src)
    } else {
        Slug::parse(&slug_src)
    };
    if slug.is_none() && name.is_some() {
        p.add(
            "slug",
            "Web address name must use only lower-case letters, numbers and single hyphens",
        );
    }
    let kind = PlaceKind::parse(&input.kind);
    if kind.is_none() {
        p.add("kind", "Select the kind of place");
    }
    let gss = input.gss_code.trim();
    let gss_ok = gss.is_empty()
        || (gss.len() == 9 && gss.starts_with('E') && gss[1..].chars().all(|c| c.is_ascii_digit()));
    if !gss_ok {
        p.add(
            "gss_code",
            "GSS code must look like E06000008 (or be left empty)",
        );
    }
    if input.summary.chars().count() > 2000 {
        p.add("summary", "Summary must be 2000 characters or fewer");
    }
    p.into_result()?;
    match (name, slug, kind) {
        (Some(name), Some(slug), Some(kind)) => Ok(ValidPlace {
            name,
            slug: slug.to_string(),
            kind,
            gss_code: (!gss.is_empty()).then(|| gss.to_string()),
            summary: input.summary.trim().to_string(),
        }),
        _ => Err(AppError::internal("validated place missing fields")),
    }
}

struct ValidOrganisation {
    name: String,
    slug: String,
    sector: Sector,
    place_id: Option<String>,
    domains: Vec<String>,
}

pub fn parse_domains(raw: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for d in raw
        .split([',', ' ', '\n', '\r', '\t', ';'])
        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
    {
        if d.is_empty() {
            continue;
        }
        if !is_domain(&d) {
            return Err(format!("{d:?} is not an email domain like council.gov.uk"));
        }
        if matches!(
            d.as_str(),
            "gmail.com"
                | "outlook.com"
                | "hotmail.com"
                | "yahoo.com"
                | "yahoo.co.uk"
                | "icloud.com"
                | "nhs.net"
                | "gov.uk"
                | "nhs.uk"
        ) {
            return Err(format!(
                "{d} is shared by many organisations, so it cannot join people to one"
            ));
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.len() > 20 {
        return Err("List at most 20 email domains".into());
    }
    Ok(out)
}

impl App {
    pub async fn places(&self) -> AppResult<Vec<PlaceRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::places(&mut c).await?)
    }

    pub async fn place(&self, id: &str) -> AppResult<PlaceRow> {
        let mut c = self.db.acquire().await?;
        store::place_by_id(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn organisations(&self) -> AppResult<Vec<OrganisationRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::organisations(&mut c).await?)
    }

    pub async fn organisation(&self, id: &str) -> AppResult<OrganisationRow> {
        let mut c = self.db.acquire().await?;
        store::organisation_by_id(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// `id` is `None` to create a place, or the place to change.
    pub async fn save_place(
        &self,
        actor: &Actor,
        id: Option<&str>,
        input: &PlaceInput,
    ) -> AppResult<String> {
        actor.require_network_admin()?;
        let v = validate_place(input)?;
        let now = self.now();
        let new_id_value = new_id();
        let place_id = id.unwrap_or(&new_id_value);
        let row = NewPlace {
            id: place_id,
            slug: &v.slug,
            name: &v.name,
            kind: v.kind.code(),
            gss_code: v.gss_code.as_deref(),
            summary: &v.summary,
            now,
        };
        let mut tx = self.db.begin().await?;
        let result = match id {
            None => store::insert_place(&mut tx, &row).await.map(|_| true),
            Some(_) => store::update_place(&mut tx, &row).await,
        };
        match result {
            Ok(true) => {}
            Ok(false) => return Err(AppError::NotFound),
            Err(lz_store::StoreError::Conflict(_)) => {
                return Err(AppError::field(
                    "slug",
                    "Another place already uses this web address name",
                ))
            }
            Err(e) => return Err(e.into()),
        }
        let action = if id.is_none() {
            "place.create"
        } else {
            "place.update"
        };
        crate::Audit::new(Some(actor.id()), action, ("place", place_id), &v.name)
            .commit(tx, now)
            .await?;
        Ok(place_id.to_string())
    }

    pub async fn save_organisation(
        &self,
        actor: &Actor,
        id: Option<&str>,
        input: &OrganisationInput,
    ) -> AppResult<String> {
        actor.require_network_admin()?;
        let v = self.validate_organisation(input).await?;
        let now = self.now();
        let new_id_value = new_id();
        let org_id = id.unwrap_or(&new_id_value);
        let row = NewOrganisation {
            id: org_id,
            slug: &v.slug,
            name: &v.name,
            sector: v.sector.code(),
            place_id: v.place_id.as_deref(),
            now,
        };
        let mut tx = self.db.begin().await?;
        let result = match id {
            None => store::insert_organisation(&mut tx, &row)
                .await
                .map(|_| true),
            Some(_) => store::update_organisation(&mut tx, &row).await,
        };
        match result {
            Ok(true) => {}
            Ok(false) => return Err(AppError::NotFound),
            Err(lz_store::StoreError::Conflict(_)) => {
                return Err(AppError::field(
                    "slug",
                    "Another organisation already uses this web address name",
                ))
            }
            Err(e) => return Err(e.into()),
        }
        match store::set_domains(&mut tx, org_id, &v.domains, now).await {
            Ok(()) => {}
            Err(lz_store::StoreError::Conflict(_)) => {
                return Err(AppError::field(
                    "domains",
                    "One of these email domains already belongs to another organisation",
                ))
            }
            Err(e) => return Err(e.into()),
        }
        let action = if id.is_none() {
            "organisation.create"
        } else {
            "organisation.update"
        };
        let detail = format!("{} [{}]", v.name, v.domains.join(", "));
        record(
            &mut tx,
            now,
            Some(actor.id()),
            action,
            ("organisation", org_id),
            &detail,
        )
        .await?;
        commit(tx).await?;
        Ok(org_id.to_string())
    }

    async fn validate_organisation(
        &self,
        input: &OrganisationInput,
    ) -> AppResult<ValidOrganisation> {
        let mut p = Problems::default();
        let name = p.check("name", clean_line(&input.name, "a name", 160));
        let slug = if input.slug.trim().is_empty() {
            name.as_deref().and_then(Slug::from_name)
        } else {
            Slug::parse(&input.slug)
        };
        if slug.is_none() && name.is_some() {
            p.add(
                "slug",
                "Web address name must use only lower-case letters, numbers and single hyphens",
            );
        }
        let sector = Sector::parse(&input.sector);
        if sector.is_none() {
            p.add("sector", "Select the organisation's sector");
        }
        let place_id = input.place_id.trim();
        let place_id = if place_id.is_empty() {
            None
        } else {
            let mut c = self.db.acquire().await?;
            match store::place_by_id(&mut c, place_id).await? {
                Some(pl) => Some(pl.id),
                None => {
                    p.add("place_id", "Select a place from the list");
                    None
                }
            }
        };
        let domains = p.check("domains", parse_domains(&input.domains));
        p.into_result()?;
        match (name, slug, sector, domains) {
            (Some(name), Some(slug), Some(sector), Some(domains)) => Ok(ValidOrganisation {
                name,
                slug: slug.to_string(),
                sector,
                place_id,
                domains,
            }),
            _ => Err(AppError::internal("validated organisation missing fields")),
        }
    }

    /// Asks to join an organisation; its admins (or network admins) decide.
    pub async fn request_to_join(
        &self,
        actor: &Actor,
        organisation_id: &str,
        message: &str,
    ) -> AppResult<String> {
        if message.chars().count() > 1000 {
            return Err(AppError::field(
                "message",
                "Message must be 1000 characters or fewer",
            ));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let org = store::organisation_by_id(&mut tx, organisation_id)
            .await?
            .ok_or_else(|| {
                AppError::field("organisation_id", "Select an organisation from the list")
            })?;
        let existing = users::memberships_of_user(&mut tx, actor.id()).await?;
        let id = match existing.iter().find(|m| m.organisation_id == org.id) {
            Some(m) if m.status == "active" => {
                return Err(AppError::Conflict(format!(
                    "You are already a member of {}",
                    org.name
                )))
            }
            Some(m) if m.status == "pending" => {
                return Err(AppError::Conflict(format!(
                    "You have already asked to join {}: an administrator will decide soon",
                    org.name
                )))
            }
            Some(m) => {
                users::reopen_membership(&mut tx, &m.id, message.trim(), now).await?;
                m.id.clone()
            }
            None => {
                let id = new_id();
                users::insert_membership(
                    &mut tx,
                    &NewMembership {
                        id: &id,
                        user_id: actor.id(),
                        organisation_id: &org.id,
                        status: "pending",
                        via: "request",
                        message: message.trim(),
                        now,
                    },
                )
                .await?;
                id
            }
        };
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "membership.request",
            ("membership", &id),
            &org.name,
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Pending requests the actor may decide.
    pub async fn join_requests(&self, actor: &Actor) -> AppResult<Vec<MembershipRow>> {
        if !actor.decides_join_requests() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.db.acquire().await?;
        let decider = (actor.role != Role::NetworkAdmin).then(|| actor.id());
        Ok(users::pending_requests(&mut c, decider).await?)
    }

    /// Approves or declines a request, and emails the person either way.
    pub async fn decide_join_request(
        &self,
        actor: &Actor,
        membership_id: &str,
        approve: bool,
    ) -> AppResult<MembershipRow> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let m = users::membership_by_id(&mut tx, membership_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.may_decide_for(&m.organisation_id) {
            // Someone else's organisation looks the same as a missing request: ids reveal nothing.
            return Err(if actor.decides_join_requests() {
                AppError::NotFound
            } else {
                AppError::Forbidden
            });
        }
        let status = if approve { "active" } else { "declined" };
        if !users::decide_membership(&mut tx, membership_id, status, actor.id(), now).await? {
            return Err(AppError::Conflict(
                "This request has already been decided".into(),
            ));
        }
        let site = &self.config.site_name;
        let (subject, text) = if approve {
            (
                format!("You have joined {} on {site}", m.organisation_name),
                format!(
                    "{} approved your request: you are now a member of {}.\n\nSign in: {}",
                    actor.user.name,
                    m.organisation_name,
                    self.config.link("/sign-in")
                ),
            )
        } else {
            (format!("Your request to join {} on {site}", m.organisation_name), format!("{} declined your request to join {}. If you think this is a mistake, contact the organisation, or ask to join another organisation from your account page: {}", actor.user.name, m.organisation_name, self.config.link("/account")))
        };
        enqueue(
            &mut tx,
            now,
            &Email {
                to: m.user_email.clone(),
                subject,
                body: format!(
                    "Hello {},\n\n{text}\n\n{}\n",
                    m.user_name, self.config.host_name
                ),
            },
        )
        .await?;
        let action = if approve {
            "membership.approve"
        } else {
            "membership.decline"
        };
        record(
            &mut tx,
            now,
            Some(actor.id()),
            action,
            ("membership", membership_id),
            &m.organisation_name,
        )
        .await?;
        let updated = users::membership_by_id(&mut tx, membership_id)
            .await?
            .ok_or(AppError::NotFound)?;
        commit(tx).await?;
        self.wake_mailer();
        Ok(updated)
    }

    pub async fn users(&self, actor: &Actor, filter: &str) -> AppResult<Vec<UserRow>> {
        actor.require_network_admin()?;
        let mut c = self.db.acquire().await?;
        Ok(users::list(&mut c, filter.trim(), 200).await?)
    }

    pub async fn user(&self, actor: &Actor, id: &str) -> AppResult<(UserRow, Vec<MembershipRow>)> {
        actor.require_network_admin()?;
        let mut c = self.db.acquire().await?;
        let u = users::by_id(&mut c, id).await?.ok_or(AppError::NotFound)?;
        let m = users::memberships_of_user(&mut c, id).await?;
        Ok((u, m))
    }

    /// Changes a person's role. The last network admin cannot be demoted, so someone can
    /// always administer the network.
    pub async fn set_role(&self, actor: &Actor, user_id: &str, role: &str) -> AppResult<()> {
        actor.require_network_admin()?;
        let role: Role = role
            .parse()
            .map_err(|_| AppError::field("role", "Select a role from the list"))?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let target = users::by_id(&mut tx, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if target.role == Role::NetworkAdmin.code()
            && role != Role::NetworkAdmin
            && users::count_with_role(&mut tx, Role::NetworkAdmin.code()).await? <= 1
        {
            return Err(AppError::field(
                "role",
                "This is the only network admin: make someone else a network admin first",
            ));
        }
        users::set_role(&mut tx, user_id, role.code(), now).await?;
        let detail = format!("{} -> {}", target.role, role.code());
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "user.set_role",
            ("user", user_id),
            &detail,
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }

    pub async fn audit_log(&self, actor: &Actor, limit: i64) -> AppResult<Vec<AuditRow>> {
        actor.require_network_admin()?;
        let mut c = self.db.acquire().await?;
        Ok(recent_audit(&mut c, limit).await?)
    }

    /// Used by the demo loader and the CLI: a place or organisation by its slug.
    pub async fn place_by_slug(&self, slug: &str) -> AppResult<Option<PlaceRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::place_by_slug(&mut c, slug).await?)
    }
}
