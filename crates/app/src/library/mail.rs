//! What an item's author is told when a reviewer decides, and what the reviewers are told
//! when an item is submitted: the text is in `templates/mail/library/*.txt`.

use lz_domain::library::Transition;

use super::access::reviewer_roles;
use super::{ItemRecord, Library};
use crate::mail::{enqueue, Email};
use crate::{Actor, AppResult};

impl Library<'_> {
    /// Tells the reviewers that an item waits for them, in the caller's transaction: the
    /// moderators, or the network admins where there is no moderator; never the submitter.
    pub(super) async fn tell_reviewers(
        &self,
        tx: &mut lz_store::Conn,
        item: &ItemRecord,
        submitter: &Actor,
        now: i64,
    ) -> AppResult<()> {
        let (first, otherwise) = reviewer_roles();
        let mut reviewers = lz_store::users::with_roles(tx, &[first]).await?;
        if reviewers.is_empty() {
            reviewers = lz_store::users::with_roles(tx, &[otherwise]).await?;
        }
        let config = &self.app.config;
        for reviewer in reviewers.iter().filter(|r| r.id != submitter.id()) {
            let email = Email::render(
                &reviewer.email,
                "library/submitted.txt",
                crate::context! {
                    name => reviewer.name,
                    author => submitter.user.name,
                    title => item.title,
                    site_name => config.site_name,
                    link => format!("{}library/{}", config.base_url, item.id),
                    queue => format!("{}library/review", config.base_url),
                },
            )?;
            enqueue(tx, now, &email).await?;
        }
        Ok(())
    }

    /// Queues the author's message about an approval or a send-back, in the caller's
    /// transaction; nothing for other transitions or when the creator's account is gone.
    pub(super) async fn tell_author(
        &self,
        tx: &mut lz_store::Conn,
        item: &ItemRecord,
        t: Transition,
        comment: &str,
        now: i64,
    ) -> AppResult<()> {
        let template = match t {
            Transition::Approve => "library/approved.txt",
            Transition::SendBack => "library/sent_back.txt",
            _ => return Ok(()),
        };
        let Some(author) = lz_store::users::by_id(tx, &item.created_by).await? else {
            return Ok(());
        };
        let config = &self.app.config;
        let email = Email::render(
            &author.email,
            template,
            crate::context! {
                name => author.name,
                title => item.title,
                site_name => config.site_name,
                comment => comment,
                link => format!("{}library/{}", config.base_url, item.id),
            },
        )?;
        enqueue(tx, now, &email).await
    }
}
