//! A person's own lists: the items they write, their bookmarks, news from what they
//! follow; and the list rows shared with the review queue.

use axum::extract::{Query, State};
use lz_app::library::{ItemList, ItemRecord, LibraryAccess};
use minijinja::Value;

use lz_app::context;

use crate::error::PageResult;
use crate::pages::notice_text;
use crate::session::{page, SignedIn};
use crate::AppState;

/// Rows of an item list (my items, bookmarks, the review queue).
pub(super) fn list_ctx(rows: Vec<ItemRecord>) -> Vec<Value> {
    rows.into_iter()
        .map(|i| context! {
            id => i.id, title => i.title, summary => i.summary, kind => i.kind.label(),
            status => i.status.label(), status_code => i.status.code(),
            organisation => i.organisation_name, place => i.place_name, published_at => i.published_at, updated_at => i.updated_at,
        })
        .collect()
}

pub(super) async fn mine(
    State(s): State<AppState>,
    SignedIn(actor, v): SignedIn,
    Query(q): Query<crate::pages::NoticeQuery>,
) -> PageResult {
    let items = list_ctx(
        s.app
            .library()
            .list(Some(&actor), ItemList::Mine, 200)
            .await?,
    );
    let bookmarks = list_ctx(
        s.app
            .library()
            .list(Some(&actor), ItemList::Bookmarked, 100)
            .await?,
    );
    let following = list_ctx(
        s.app
            .library()
            .list(Some(&actor), ItemList::Following, 20)
            .await?,
    );
    let folders = s.app.transfer().my_folders(&actor).await?;
    let notice = match q.notice.as_deref() {
        Some("deleted") => Some("The item has been deleted."),
        other => notice_text(other),
    };
    Ok(page(
        &s,
        &v,
        "library/mine.html",
        context! { items, bookmarks, following, folders, notice, can_write => LibraryAccess::may_write(&actor) },
    ))
}
