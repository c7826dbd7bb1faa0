//! Typed network records: places, organisations and memberships as they leave the store,
//! with kinds, sectors and statuses as enums and ids as newtypes. Bad data is an error.

use lz_domain::ids::{MembershipId, OrgId, PlaceId, UserId};
use lz_domain::{MembershipStatus, PlaceKind, Sector};
use lz_store::network::{OrganisationRow, PlaceRow};
use lz_store::users::MembershipRow;
use serde::Serialize;

use super::NetworkAccess;
use crate::{Actor, AppError, AppResult};

fn bad(what: &str, id: &str, value: &str) -> AppError {
    AppError::internal(format!("{what} {id}: unknown code {value:?}"))
}

#[derive(Debug, Clone)]
pub struct PlaceRecord {
    pub id: PlaceId,
    pub slug: String,
    pub name: String,
    pub kind: PlaceKind,
    pub gss_code: Option<String>,
    pub summary: String,
}

impl TryFrom<PlaceRow> for PlaceRecord {
    type Error = AppError;
    fn try_from(row: PlaceRow) -> AppResult<Self> {
        let kind = PlaceKind::parse(&row.kind).ok_or_else(|| bad("place", &row.id, &row.kind))?;
        Ok(Self {
            id: PlaceId::from(row.id),
            slug: row.slug,
            name: row.name,
            kind,
            gss_code: row.gss_code,
            summary: row.summary,
        })
    }
}

#[derive(Debug, Clone)]
pub struct OrganisationRecord {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub sector: Sector,
    pub place_id: Option<PlaceId>,
    pub place_name: Option<String>,
    /// Verified email domains, sorted: see `domains_for`.
    domains: Vec<String>,
}

impl OrganisationRecord {
    /// The verified email domains, for network admins only (they join people by address).
    pub fn domains_for(&self, access: NetworkAccess) -> Option<&[String]> {
        access.may_administer().then_some(self.domains.as_slice())
    }
}

impl TryFrom<OrganisationRow> for OrganisationRecord {
    type Error = AppError;
    fn try_from(row: OrganisationRow) -> AppResult<Self> {
        let sector =
            Sector::parse(&row.sector).ok_or_else(|| bad("organisation", &row.id, &row.sector))?;
        let domains = row.domain_list();
        Ok(Self {
            id: OrgId::from(row.id),
            slug: row.slug,
            name: row.name,
            sector,
            place_id: row.place_id.map(PlaceId::from),
            place_name: row.place_name,
            domains,
        })
    }
}

/// How a person came to belong to an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinedVia {
    /// Their verified email address is on one of the organisation's domains.
    Domain,
    /// They asked, and an administrator approved.
    Request,
    /// An administrator added them.
    Admin,
}

impl JoinedVia {
    pub fn code(self) -> &'static str {
        match self {
            JoinedVia::Domain => "domain",
            JoinedVia::Request => "request",
            JoinedVia::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [JoinedVia::Domain, JoinedVia::Request, JoinedVia::Admin]
            .into_iter()
            .find(|v| v.code() == code)
    }
}

/// A person's membership of an organisation, or their request to join it.
#[derive(Debug, Clone)]
pub struct MembershipRecord {
    pub id: MembershipId,
    pub user_id: UserId,
    pub user_name: String,
    pub user_email: String,
    pub organisation_id: OrgId,
    pub organisation_name: String,
    pub place_id: Option<PlaceId>,
    pub place_name: Option<String>,
    pub status: MembershipStatus,
    pub via: JoinedVia,
    pub message: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl MembershipRecord {
    /// The actor's own memberships.
    pub(crate) fn of_actor(actor: &Actor) -> AppResult<Vec<Self>> {
        Ok(actor.memberships.clone())
    }
}

impl TryFrom<MembershipRow> for MembershipRecord {
    type Error = AppError;
    fn try_from(row: MembershipRow) -> AppResult<Self> {
        let status = MembershipStatus::parse(&row.status)
            .ok_or_else(|| bad("membership", &row.id, &row.status))?;
        let via = JoinedVia::parse(&row.via).ok_or_else(|| bad("membership", &row.id, &row.via))?;
        Ok(Self {
            id: MembershipId::from(row.id),
            user_id: UserId::from(row.user_id),
            user_name: row.user_name,
            user_email: row.user_email,
            organisation_id: OrgId::from(row.organisation_id),
            organisation_name: row.organisation_name,
            place_id: row.place_id.map(PlaceId::from),
            place_name: row.place_name,
            status,
            via,
            message: row.message,
            created_at: row.created_at,
            decided_at: row.decided_at,
        })
    }
}

/// Several rows at once: the first bad one is the error.
pub(crate) fn records<R, T: TryFrom<R, Error = AppError>>(rows: Vec<R>) -> AppResult<Vec<T>> {
    rows.into_iter().map(T::try_from).collect()
}

#[cfg(test)]
mod tests {
    use lz_domain::Role;

    use super::*;
    use crate::access::tests::actor;

    fn org_row(sector: &str) -> OrganisationRow {
        OrganisationRow {
            id: "o1".into(),
            slug: "blackpool".into(),
            name: "Blackpool Council".into(),
            sector: sector.into(),
            place_id: None,
            place_name: None,
            domains: Some("b.gov.uk,a.gov.uk".into()),
        }
    }

    #[test]
    fn an_unknown_sector_or_kind_is_bad_data() {
        assert!(OrganisationRecord::try_from(org_row("bank")).is_err());
        let place = PlaceRow {
            id: "p1".into(),
            slug: "fylde".into(),
            name: "Fylde".into(),
            kind: "county".into(),
            gss_code: None,
            summary: String::new(),
        };
        assert!(PlaceRecord::try_from(place).is_err());
    }

    #[test]
    fn only_network_admins_see_an_organisations_domains() {
        let org = OrganisationRecord::try_from(org_row("nhs")).expect("valid");
        for role in Role::ALL {
            let access = NetworkAccess::of(&actor(role, &["o1"]));
            let seen = org.domains_for(access).map(<[String]>::to_vec);
            if role == Role::NetworkAdmin {
                assert_eq!(
                    seen,
                    Some(vec!["a.gov.uk".to_string(), "b.gov.uk".to_string()])
                );
            } else {
                assert_eq!(seen, None, "{role:?}");
            }
        }
    }

    #[test]
    fn a_membership_with_an_unknown_status_is_bad_data() {
        let row = MembershipRow {
            id: "m1".into(),
            status: "maybe".into(),
            via: "request".into(),
            ..MembershipRow::default()
        };
        assert!(MembershipRecord::try_from(row).is_err());
    }
}
