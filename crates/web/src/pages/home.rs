//! The front page: the network's size, the newest and featured library items and the next
//! events, as the visitor may see them.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use lz_app::context;

use super::{notice_text, NoticeQuery};
use crate::error::PageResult;
use crate::session::{page, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(s): State<AppState>, v: Visitor, Query(q): Query<NoticeQuery>) -> PageResult {
    let (places, orgs) = {
        let p = s.app.network().places().await?;
        let o = s.app.network().organisations().await?;
        (p.len(), o.len())
    };
    let list = |rows: Vec<lz_app::library::ItemRecord>| -> Vec<minijinja::Value> {
        rows.into_iter()
            .map(|i| context! { id => i.id, title => i.title, summary => i.summary, organisation => i.organisation_name, published_at => i.published_at })
            .collect()
    };
    let actor = v.actor.as_ref();
    let newest = list(
        s.app
            .library()
            .list(actor, lz_app::library::ItemList::Newest, 6)
            .await?,
    );
    let featured = list(
        s.app
            .library()
            .list(actor, lz_app::library::ItemList::Featured, 3)
            .await?,
    );
    let events: Vec<minijinja::Value> = s
        .app
        .events()
        .upcoming(actor)
        .await?
        .into_iter()
        .filter(|e| e.status != lz_domain::events::EventStatus::Draft)
        .take(3)
        .map(|e| context! { id => e.id, title => e.title, when => lz_domain::events::display_range(e.starts_at, e.ends_at) })
        .collect();
    let mine = match actor {
        Some(a) => Some(mine(&s, a).await?),
        None => None,
    };
    Ok(page(
        &s,
        &v,
        "home.html",
        context! { places => places, organisations => orgs, notice => notice_text(q.notice.as_deref()), newest, featured, events, mine },
    ))
}

/// What is the signed-in person's own: to review, drafts, next events, actions, following.
async fn mine(s: &AppState, actor: &lz_app::Actor) -> Result<minijinja::Value, lz_app::AppError> {
    let home = s.app.home_for(actor).await?;
    let item = |i: &lz_app::library::ItemRecord| {
        context! { id => i.id, title => i.title, organisation => i.organisation_name, updated_at => i.updated_at }
    };
    let today = &home.today;
    Ok(context! {
        empty => home.is_empty(),
        to_review => home.to_review.iter().map(item).collect::<Vec<_>>(),
        to_review_total => home.to_review_total,
        drafts => home.drafts.iter().map(item).collect::<Vec<_>>(),
        following => home.following.iter().map(item).collect::<Vec<_>>(),
        events => home.events.iter().map(|(r, e)| context! {
            id => e.id, title => e.title,
            when => lz_domain::events::display_range(e.starts_at, e.ends_at),
            waiting => r.status == lz_domain::events::RegistrationStatus::Waiting,
        }).collect::<Vec<_>>(),
        actions => home.actions.iter().map(|a| context! {
            description => a.description, plan => a.plan_title, plan_id => a.plan_id,
            due => a.due_date, overdue => a.overdue_on(today),
        }).collect::<Vec<_>>(),
    })
}
