//! What an item's author is told when a reviewer decides: the text is in
//! `templates/mail/library/{approved,sent_back}.txt`.

use lz_domain::library::Transition;

use super::{ItemRecord, Library};
use crate::mail::{enqueue, Email};
use crate::AppResult;

impl Library<'_> {
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
