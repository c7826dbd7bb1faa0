//! A signed-in person's home: what is theirs to do or to read, gathered from the features
//! (each read through its own use case, so each feature's access rule applies): items
//! waiting for their review, their drafts (including those sent back), their next events,
//! the actions due to them and new learning in what they follow.

use lz_domain::events::RegistrationStatus;
use lz_domain::library::ItemStatus;

use crate::events::{EventRecord, RegistrationRecord};
use crate::library::{ItemList, ItemRecord, LibraryAccess};
use crate::plans::{ActionRecord, ActionStatus};
use crate::{Actor, App, AppResult};

/// How many of each list the home shows (each links to the whole list).
const SHOWN: usize = 5;

/// What is the person's own, for their home page.
pub struct Home {
    /// Items in review they may decide on (reviewers only), and how many there are.
    pub to_review: Vec<ItemRecord>,
    pub to_review_total: usize,
    /// Their items still in draft, sent back or not.
    pub drafts: Vec<ItemRecord>,
    /// Events they are registered for or waiting on, soonest first, not yet over.
    pub events: Vec<(RegistrationRecord, EventRecord)>,
    /// Their open actions, soonest due first (no date last).
    pub actions: Vec<ActionRecord>,
    /// The newest published learning in what they follow.
    pub following: Vec<ItemRecord>,
    /// Today's date (YYYY-MM-DD), for "overdue".
    pub today: String,
}

impl Home {
    /// Nothing to show: the page then says how to make it their own.
    pub fn is_empty(&self) -> bool {
        self.to_review.is_empty()
            && self.drafts.is_empty()
            && self.events.is_empty()
            && self.actions.is_empty()
            && self.following.is_empty()
    }
}

impl App {
    pub async fn home_for(&self, actor: &Actor) -> AppResult<Home> {
        let library = self.library();
        let (to_review, to_review_total) = if LibraryAccess::may_review_queue(actor) {
            let all = library.review_queue(actor, 100).await?;
            let total = all.len();
            (all.into_iter().take(SHOWN).collect(), total)
        } else {
            (Vec::new(), 0)
        };
        let drafts = library
            .list(Some(actor), ItemList::Mine, 100)
            .await?
            .into_iter()
            .filter(|i| i.status == ItemStatus::Draft)
            .take(SHOWN)
            .collect();
        let now = self.now();
        let events = self
            .events()
            .my_registrations(actor)
            .await?
            .into_iter()
            .filter(|(r, e)| {
                e.ends_at > now
                    && matches!(
                        r.status,
                        RegistrationStatus::Registered | RegistrationStatus::Waiting
                    )
            })
            .take(SHOWN)
            .collect();
        let mut actions: Vec<ActionRecord> = self
            .plans()
            .my_actions(actor)
            .await?
            .into_iter()
            .filter(|a| a.status == ActionStatus::Open)
            .collect();
        // Soonest due first; undated ones after every dated one.
        actions.sort_by(|a, b| match (&a.due_date, &b.due_date) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        actions.truncate(SHOWN);
        let following = library
            .list(Some(actor), ItemList::Following, SHOWN as i64)
            .await?;
        Ok(Home {
            today: crate::plans::input::today(now),
            to_review,
            to_review_total,
            drafts,
            events,
            actions,
            following,
        })
    }
}
