//! Typed account records: a person (`UserRecord`), a personal API token, and what the account
//! page shows. Store rows become these when they leave `lz_store`; bad data is an error.

use lz_domain::ids::{ApiTokenId, UserId};
use lz_domain::Role;
use lz_store::security::ApiTokenRow;
use lz_store::users::UserRow;
use serde::Serialize;

use crate::network::{MembershipRecord, OrganisationRecord};
use crate::{Actor, AppError, AppResult};

/// The stored role, read strictly: an unknown code is bad data, not a member.
pub(crate) fn role_of(user: &UserRow) -> AppResult<Role> {
    user.role
        .parse::<Role>()
        .map_err(|e| AppError::internal(format!("user {}: {e}", user.id)))
}

/// A person's account, without its password hash.
#[derive(Debug, Clone, Serialize)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub name: String,
    /// Serialised as its code (`network_admin`).
    pub role: Role,
    pub verified: bool,
    pub verified_at: Option<i64>,
    pub created_at: i64,
    pub disabled: bool,
    /// May import indicator data (granted by a network admin).
    pub analyst: bool,
}

impl UserRecord {
    pub fn role_label(&self) -> &'static str {
        self.role.label()
    }

    pub fn role_code(&self) -> &'static str {
        self.role.code()
    }
}

impl TryFrom<UserRow> for UserRecord {
    type Error = AppError;
    fn try_from(row: UserRow) -> AppResult<Self> {
        let role = role_of(&row)?;
        Ok(Self {
            id: UserId::from(row.id),
            email: row.email,
            name: row.name,
            role,
            verified: row.email_verified_at.is_some(),
            verified_at: row.email_verified_at,
            created_at: row.created_at,
            disabled: row.disabled_at.is_some(),
            analyst: row.analyst != 0,
        })
    }
}

/// A personal API token (never its secret, which is shown once and stored only as a hash).
#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenRecord {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

impl From<ApiTokenRow> for ApiTokenRecord {
    fn from(row: ApiTokenRow) -> Self {
        Self {
            id: ApiTokenId::from(row.id),
            user_id: UserId::from(row.user_id),
            name: row.name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked: row.revoked_at.is_some(),
        }
    }
}

/// Who the caller is and where they belong (the API's `me`).
#[derive(Debug, Clone)]
pub struct Profile {
    pub user: UserRecord,
    pub memberships: Vec<MembershipRecord>,
}

impl Profile {
    pub(crate) fn of(actor: &Actor) -> AppResult<Self> {
        Ok(Self {
            user: actor.user.clone(),
            memberships: MembershipRecord::of_actor(actor)?,
        })
    }
}

/// The account page: who the person is, where they belong, their tokens, and the
/// organisations they could ask to join.
#[derive(Debug, Clone)]
pub struct AccountOverview {
    pub user: UserRecord,
    pub memberships: Vec<MembershipRecord>,
    pub tokens: Vec<ApiTokenRecord>,
    pub organisations: Vec<OrganisationRecord>,
}

impl AccountOverview {
    pub(crate) fn of(
        actor: &Actor,
        organisations: Vec<OrganisationRecord>,
        tokens: Vec<ApiTokenRecord>,
    ) -> AppResult<Self> {
        let Profile { user, memberships } = Profile::of(actor)?;
        Ok(Self {
            user,
            memberships,
            tokens,
            organisations,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_role_is_bad_data_not_a_member() {
        let row = UserRow {
            id: "u1".into(),
            role: "superuser".into(),
            ..UserRow::default()
        };
        assert!(UserRecord::try_from(row).is_err());
    }

    #[test]
    fn a_user_record_keeps_role_and_verified_flag() {
        let row = UserRow {
            id: "u1".into(),
            role: "org_admin".into(),
            email_verified_at: Some(5),
            ..UserRow::default()
        };
        let user = UserRecord::try_from(row).expect("valid row");
        assert_eq!(user.role, Role::OrgAdmin);
        assert!(user.verified);
        assert!(!user.disabled);
    }
}
