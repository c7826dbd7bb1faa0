//! People and roles (network admins): the list, one person with their memberships, and
//! changing a role, which never leaves the network without an admin.

use lz_domain::Role;
use lz_store::users;

use super::record::records;
use super::{access, MembershipRecord, Network, NetworkAccess};
use crate::accounts::UserRecord;
use crate::{Actor, AppError, AppResult, Audit};

/// One person, for the page where a network admin changes their role.
pub struct Person {
    pub user: UserRecord,
    pub memberships: Vec<MembershipRecord>,
}

/// The most people a list shows.
const PEOPLE_SHOWN: i64 = 200;

impl Network<'_> {
    /// People, newest first, optionally filtered by part of a name or email.
    pub async fn people(&self, actor: &Actor, filter: &str) -> AppResult<Vec<UserRecord>> {
        NetworkAccess::of(actor).require_administer()?;
        let mut c = self.app.db.acquire().await?;
        records(users::list(&mut c, filter.trim(), PEOPLE_SHOWN).await?)
    }

    pub async fn person(&self, actor: &Actor, id: &str) -> AppResult<Person> {
        NetworkAccess::of(actor).require_administer()?;
        let mut c = self.app.db.acquire().await?;
        let user = users::by_id(&mut c, id).await?.ok_or(AppError::NotFound)?;
        let memberships = users::memberships_of_user(&mut c, id).await?;
        Ok(Person {
            user: UserRecord::try_from(user)?,
            memberships: records(memberships)?,
        })
    }

    /// Changes a person's role. The last network admin cannot be demoted, so someone can
    /// always administer the network.
    pub async fn set_role(&self, actor: &Actor, user_id: &str, role: &str) -> AppResult<()> {
        NetworkAccess::of(actor).require_administer()?;
        let role: Role = role
            .parse()
            .map_err(|_| AppError::field("role", "Select a role from the list"))?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let target = users::by_id(&mut tx, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let target = UserRecord::try_from(target)?;
        let admins = users::count_with_role(&mut tx, access::ADMIN_ROLE.code()).await?;
        if access::leaves_no_admin(target.role, role, admins) {
            return Err(AppError::field(
                "role",
                "This is the only network admin: make someone else a network admin first",
            ));
        }
        users::set_role(&mut tx, user_id, role.code(), now).await?;
        let detail = format!("{} -> {}", target.role_code(), role.code());
        Audit::new(
            Some(actor.id()),
            "user.set_role",
            ("user", user_id),
            &detail,
        )
        .commit(tx, now)
        .await
    }
}
