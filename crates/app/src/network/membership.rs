//! Belonging to an organisation: joining by verified email domain (on sign-up), asking to
//! join, and the decision on a request (organisation admins for their own organisations,
//! network admins for any), which is emailed to the person either way.

use crate::context;
use lz_domain::ids::MembershipId;
use lz_domain::{EmailAddress, MembershipStatus};
use lz_store::network as store;
use lz_store::users::{self, MembershipRow, NewMembership, UserRow};
use lz_store::Conn;

use super::record::records;
use super::{JoinedVia, MembershipRecord, Network, NetworkAccess};
use crate::mail::{enqueue, Email};
use crate::{new_id, Actor, AppError, AppResult, Audit};

/// An administrator's answer to a request to join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Decline,
}

impl Decision {
    fn status(self) -> MembershipStatus {
        match self {
            Decision::Approve => MembershipStatus::Active,
            Decision::Decline => MembershipStatus::Declined,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Decision::Approve => "membership.approve",
            Decision::Decline => "membership.decline",
        }
    }

    fn mail_template(self) -> &'static str {
        match self {
            Decision::Approve => "network/approved.txt",
            Decision::Decline => "network/declined.txt",
        }
    }
}

impl Network<'_> {
    /// Asks to join an organisation; its admins (or network admins) decide.
    pub async fn request_to_join(
        &self,
        actor: &Actor,
        organisation_id: &str,
        message: &str,
    ) -> AppResult<MembershipId> {
        if organisation_id.trim().is_empty() {
            return Err(AppError::field(
                "organisation_id",
                "Select the organisation you work for",
            ));
        }
        if message.chars().count() > 1000 {
            return Err(AppError::field(
                "message",
                "Message must be 1000 characters or fewer",
            ));
        }
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let org = store::organisation_by_id(&mut tx, organisation_id)
            .await?
            .ok_or_else(|| {
                AppError::field("organisation_id", "Select an organisation from the list")
            })?;
        let existing = users::memberships_of_user(&mut tx, actor.id()).await?;
        let previous = existing.iter().find(|m| m.organisation_id == org.id);
        let id = match previous {
            Some(m) => reopen(&mut tx, m, &org.name, message, now).await?,
            None => {
                let id = new_id();
                let membership = NewMembership {
                    id: &id,
                    user_id: actor.id(),
                    organisation_id: &org.id,
                    status: MembershipStatus::Pending.code(),
                    via: JoinedVia::Request.code(),
                    message: message.trim(),
                    now,
                };
                users::insert_membership(&mut tx, &membership).await?;
                id
            }
        };
        Audit::new(
            Some(actor.id()),
            "membership.request",
            ("membership", &id),
            &org.name,
        )
        .commit(tx, now)
        .await?;
        Ok(MembershipId::from(id))
    }

    /// Pending requests the actor may decide.
    pub async fn join_requests(&self, actor: &Actor) -> AppResult<Vec<MembershipRecord>> {
        let access = NetworkAccess::of(actor);
        access.require_decide()?;
        let mut c = self.app.db.acquire().await?;
        let decider = access.decides_only_own().then(|| actor.id());
        records(users::pending_requests(&mut c, decider).await?)
    }

    /// Approves or declines a request, and emails the person either way.
    pub async fn decide_join_request(
        &self,
        actor: &Actor,
        membership_id: &str,
        decision: Decision,
    ) -> AppResult<MembershipRecord> {
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        let request = users::membership_by_id(&mut tx, membership_id)
            .await?
            .ok_or(AppError::NotFound)?;
        NetworkAccess::of(actor).require_decide_for(actor, &request.organisation_id)?;
        let status = decision.status().code();
        if !users::decide_membership(&mut tx, membership_id, status, actor.id(), now).await? {
            return Err(AppError::Conflict(
                "This request has already been decided".into(),
            ));
        }
        let email = self.decision_email(actor, &request, decision)?;
        enqueue(&mut tx, now, &email).await?;
        let updated = users::membership_by_id(&mut tx, membership_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let subject = ("membership", membership_id);
        Audit::new(
            Some(actor.id()),
            decision.action(),
            subject,
            &request.organisation_name,
        )
        .commit(tx, now)
        .await?;
        self.app.wake_mailer();
        MembershipRecord::try_from(updated)
    }

    fn decision_email(
        &self,
        actor: &Actor,
        request: &MembershipRow,
        decision: Decision,
    ) -> AppResult<Email> {
        let config = &self.app.config;
        let link = match decision {
            Decision::Approve => config.link("/sign-in"),
            Decision::Decline => config.link("/account"),
        };
        Email::render(
            &request.user_email,
            decision.mail_template(),
            context! {
                site => &config.site_name,
                name => &request.user_name,
                decider => &actor.user.name,
                organisation => &request.organisation_name,
                link,
                host => &config.host_name,
            },
        )
    }
}

/// Asks again after a decline; a pending or active membership is a conflict.
async fn reopen(
    c: &mut Conn,
    previous: &MembershipRow,
    organisation_name: &str,
    message: &str,
    now: i64,
) -> AppResult<String> {
    match MembershipStatus::parse(&previous.status) {
        Some(MembershipStatus::Active) => Err(AppError::Conflict(format!(
            "You are already a member of {organisation_name}"
        ))),
        Some(MembershipStatus::Pending) => Err(AppError::Conflict(format!(
            "You have already asked to join {organisation_name}: an administrator will decide soon"
        ))),
        _ => {
            users::reopen_membership(c, &previous.id, message.trim(), now).await?;
            Ok(previous.id.clone())
        }
    }
}

/// Joins the organisation whose verified domain matches the user's email, if not a member
/// yet; returns the organisation's name.
pub(crate) async fn join_by_domain(
    c: &mut Conn,
    user: &UserRow,
    now: i64,
) -> AppResult<Option<String>> {
    let Ok(email) = EmailAddress::parse(&user.email) else {
        return Ok(None);
    };
    let Some(org) = store::organisation_by_domain(c, email.domain()).await? else {
        return Ok(None);
    };
    let existing = users::memberships_of_user(c, &user.id).await?;
    if existing.iter().any(|m| m.organisation_id == org.id) {
        return Ok(Some(org.name));
    }
    let membership = NewMembership {
        id: &new_id(),
        user_id: &user.id,
        organisation_id: &org.id,
        status: MembershipStatus::Active.code(),
        via: JoinedVia::Domain.code(),
        message: "",
        now,
    };
    users::insert_membership(c, &membership).await?;
    Ok(Some(org.name))
}

#[cfg(test)]
mod tests {
    use super::Decision;
    use crate::mail::templates::render;

    fn rendered(decision: Decision, link: &str) -> (String, String) {
        let ctx = crate::context! {
            site => "Learning Zone", name => "Ann Lee", decider => "Bo Admin",
            organisation => "Blackpool Council", link, host => "lz.example",
        };
        render(decision.mail_template(), ctx).expect("renders")
    }

    #[test]
    fn the_decision_mails_read_as_before() {
        let (subject, body) = rendered(Decision::Approve, "https://lz/sign-in");
        assert_eq!(
            subject,
            "You have joined Blackpool Council on Learning Zone"
        );
        assert_eq!(body, "Hello Ann Lee,\n\nBo Admin approved your request: you are now a member of Blackpool Council.\n\nSign in: https://lz/sign-in\n\nlz.example\n");
        let (subject, body) = rendered(Decision::Decline, "https://lz/account");
        assert_eq!(
            subject,
            "Your request to join Blackpool Council on Learning Zone"
        );
        assert_eq!(body, "Hello Ann Lee,\n\nBo Admin declined your request to join Blackpool Council. If you think this is a mistake, contact the organisation, or ask to join another organisation from your account page: https://lz/account\n\nlz.example\n");
    }
}
