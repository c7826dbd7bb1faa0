//! Roles and what each may do. One role per account; organisation admins and place leads act
//! within the organisations they are active members of.

use std::fmt;
use std::str::FromStr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Contributor,
    PlaceLead,
    OrgAdmin,
    Moderator,
    NetworkAdmin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Member,
        Role::Contributor,
        Role::PlaceLead,
        Role::OrgAdmin,
        Role::Moderator,
        Role::NetworkAdmin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Contributor => "contributor",
            Role::PlaceLead => "place_lead",
            Role::OrgAdmin => "org_admin",
            Role::Moderator => "moderator",
            Role::NetworkAdmin => "network_admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Member => "Member",
            Role::Contributor => "Contributor",
            Role::PlaceLead => "Place lead",
            Role::OrgAdmin => "Organisation admin",
            Role::Moderator => "Moderator",
            Role::NetworkAdmin => "Network admin",
        }
    }

    /// Manage places, organisations, roles, and read the outbox.
    pub fn can_administer_network(self) -> bool {
        self == Role::NetworkAdmin
    }

    /// Approve or decline requests to join an organisation. Organisation admins may do so only
    /// for organisations they belong to: the caller checks that scope.
    pub fn can_decide_join_requests(self) -> bool {
        matches!(self, Role::OrgAdmin | Role::NetworkAdmin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: expected one of member, contributor, place_lead, org_admin, moderator, network_admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| r.code() == norm)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_with_hyphens_or_underscores() {
        assert_eq!("network-admin".parse::<Role>().unwrap(), Role::NetworkAdmin);
        assert_eq!("org_admin".parse::<Role>().unwrap(), Role::OrgAdmin);
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_network_admins_administer_the_network() {
        for r in Role::ALL {
            assert_eq!(r.can_administer_network(), r == Role::NetworkAdmin);
        }
    }
}
