//! Reading the library: one item with what the reader may do with it (from the
//! few-seconds caches in `crate::fresh`, the reader's right checked on every use), the
//! reader's marks on it, and lists of items (home page, my items, review queue, feeds).

use std::sync::Arc;

use lz_domain::library::Mark;
use lz_store::library::{self as store, ItemList};

use super::record::{self, parse_code, Details, ItemRecord, ReviewRecord};
use super::{reader, ItemAccess, ItemView, Library};
use crate::{Actor, AppError, AppResult, CachedItem};

impl Library<'_> {
    /// An item with what the reader may do with it; NotFound when they may not see it.
    pub async fn item(&self, actor: Option<&Actor>, id: &str) -> AppResult<ItemView> {
        let now = self.app.now();
        let cached = self.cached_item(id, now).await?;
        let (item, details) = &*cached;
        let access = ItemAccess::of(actor, item, &details.authors);
        access.require_view()?;
        let my_marks = match actor {
            Some(a) => self.my_marks(a.id(), id, now).await?,
            None => vec![],
        };
        let reviews = if access.sees_reviews() {
            self.reviews(id, now).await?
        } else {
            vec![]
        };
        let Details {
            terms,
            authors,
            links,
            attachments,
            useful_count,
        } = details.clone();
        Ok(ItemView {
            item: item.clone(),
            terms,
            authors,
            links,
            attachments,
            reviews,
            useful_count,
            my_marks,
            access,
        })
    }

    /// The item and its details, read unchecked (once for every reader).
    async fn cached_item(&self, id: &str, now: i64) -> AppResult<CachedItem> {
        match self.app.items.get(id, now) {
            Ok(found) => Ok(found),
            Err(ticket) => {
                let mut c = self.app.db.acquire().await?;
                let row = store::item_unchecked(&mut c, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                // No reader: their own marks come from `my_marks`.
                let details = store::item_details(&mut c, id, "").await?;
                let found = Arc::new((ItemRecord::try_from(row)?, Details::try_from(details)?));
                self.app
                    .items
                    .put(ticket, id.to_string(), found.clone(), now);
                Ok(found)
            }
        }
    }

    /// An item's review decisions, newest first.
    async fn reviews(&self, id: &str, now: i64) -> AppResult<Vec<ReviewRecord>> {
        match self.app.reviews.get(id, now) {
            Ok(found) => Ok(found.to_vec()),
            Err(ticket) => {
                let rows = store::reviews(&mut *self.app.db.acquire().await?, id).await?;
                let found = rows
                    .into_iter()
                    .map(|r| ReviewRecord::from_row(id, r))
                    .collect::<AppResult<Vec<_>>>()?;
                self.app
                    .reviews
                    .put(ticket, id.to_string(), Arc::new(found.clone()), now);
                Ok(found)
            }
        }
    }

    /// The marks a person has put on one item (their marks are read once for all items).
    async fn my_marks(&self, user_id: &str, item_id: &str, now: i64) -> AppResult<Vec<Mark>> {
        let all = match self.app.marks.get(user_id, now) {
            Ok(found) => found,
            Err(ticket) => {
                let mut c = self.app.db.acquire().await?;
                let found = Arc::new(store::marks_of_user(&mut c, user_id).await?);
                self.app
                    .marks
                    .put(ticket, user_id.to_string(), found.clone(), now);
                found
            }
        };
        all.iter()
            .filter(|(item, _)| item == item_id)
            .map(|(_, mark)| parse_code(Mark::parse, "mark", item_id, mark))
            .collect()
    }

    /// A list of items for the reader (home page, my items, review queue, bookmarks, feeds).
    pub async fn list(
        &self,
        actor: Option<&Actor>,
        list: ItemList<'_>,
        limit: i64,
    ) -> AppResult<Vec<ItemRecord>> {
        let mut c = self.app.db.acquire().await?;
        let rows = store::items(&mut c, &reader(actor), list, limit.clamp(1, 500)).await?;
        record::items(rows)
    }
}

impl Library<'_> {
    /// Items in review that the person may decide on: reviewers only.
    pub async fn review_queue(&self, actor: &Actor, limit: i64) -> AppResult<Vec<ItemRecord>> {
        super::LibraryAccess::require_review_queue(actor)?;
        self.list(Some(actor), ItemList::ReviewQueue, limit).await
    }
}
