//! The library's one access rule: what a reader may do with one item ([`ItemAccess`],
//! computed once from the actor and the item), what a person may do in the library as a
//! whole ([`LibraryAccess`]), and the same visibility rule in the two other shapes it takes:
//! the store's `Reader` (for SQL's `MAY_VIEW`) and the search index's access tokens.
//! Nothing else in the library reads `Role`.

use lz_domain::library::{ItemStatus, Visibility};
use lz_domain::Role;
use lz_store::library::Reader;

use super::record::Author;

use super::ItemRecord;
use crate::{Actor, AppError, AppResult};

/// What one reader may do with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemAccess {
    view: bool,
    edit: bool,
    review: bool,
    feature: bool,
    status: Option<ItemStatus>,
}

impl ItemAccess {
    /// Computes the reader's rights on `item` (with its named `authors`) once.
    pub fn of(actor: Option<&Actor>, item: &ItemRecord, authors: &[Author]) -> Self {
        let Some(a) = actor else {
            return Self {
                view: may_view(None, item, authors),
                status: Some(item.status),
                ..Self::default()
            };
        };
        Self {
            view: may_view(Some(a), item, authors),
            edit: is_editor(a, item, authors),
            review: is_reviewer(a, item),
            feature: LibraryAccess::may_feature(a),
            status: Some(item.status),
        }
    }

    /// NotFound (not Forbidden) when the reader may not see the item: its existence is
    /// not given away.
    pub fn require_view(self) -> AppResult<()> {
        if self.view {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub fn require_edit(self) -> AppResult<()> {
        if self.edit {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn require_review(self) -> AppResult<()> {
        if self.review {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Its creator, its named authors, moderators and network admins change it.
    pub fn may_edit(self) -> bool {
        self.edit
    }

    /// May decide on the item (in any state; see `may_decide_now`).
    pub fn may_review(self) -> bool {
        self.review
    }

    /// Approve or send back now: a reviewer, while the item is in review.
    pub fn may_decide_now(self) -> bool {
        self.review && self.status == Some(ItemStatus::InReview)
    }

    pub fn may_submit(self) -> bool {
        self.edit && self.status == Some(ItemStatus::Draft)
    }

    pub fn may_withdraw(self) -> bool {
        self.edit
            && matches!(
                self.status,
                Some(ItemStatus::Published | ItemStatus::InReview)
            )
    }

    pub fn may_reopen(self) -> bool {
        self.edit && self.status == Some(ItemStatus::Withdrawn)
    }

    /// Reviews (decisions and comments) are shown to editors and reviewers.
    pub fn sees_reviews(self) -> bool {
        self.edit || self.review
    }

    /// Moderators and network admins feature items on the front page.
    pub fn may_feature(self) -> bool {
        self.feature
    }
}

/// What a person may do in the library, apart from any one item.
pub struct LibraryAccess;

impl LibraryAccess {
    /// Contributors and above write items.
    pub fn may_write(actor: &Actor) -> bool {
        actor.contributes()
    }

    pub fn require_write(actor: &Actor) -> AppResult<()> {
        if Self::may_write(actor) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Network admins, moderators and place leads have a review queue.
    pub fn may_review_queue(actor: &Actor) -> bool {
        matches!(
            actor.role,
            Role::NetworkAdmin | Role::Moderator | Role::PlaceLead
        )
    }

    pub fn require_review_queue(actor: &Actor) -> AppResult<()> {
        if Self::may_review_queue(actor) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Items may belong to any organisation when written by those who see everything;
    /// others write for their own organisations.
    pub fn may_write_for(actor: &Actor, organisation_id: &str) -> bool {
        actor.sees_all_content() || actor.belongs_to(organisation_id)
    }

    /// Moderators and network admins feature items on the front page.
    pub fn may_feature(actor: &Actor) -> bool {
        actor.sees_all_content()
    }

    pub fn require_feature(actor: &Actor) -> AppResult<()> {
        if Self::may_feature(actor) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Network admins curate the taxonomy and read the search gaps.
    pub fn require_curate(actor: &Actor) -> AppResult<()> {
        actor.require_network_admin()
    }
}

pub(crate) fn reader(actor: Option<&Actor>) -> Reader<'_> {
    Reader {
        user_id: actor.map(|a| a.id()),
        sees_everything: actor.is_some_and(Actor::sees_all_content),
        place_lead: actor.is_some_and(|a| a.role == Role::PlaceLead),
    }
}

/// The search index's access tokens for a reader: the same rule as `PUBLISHED_VISIBLE`.
pub fn access_for(actor: Option<&Actor>) -> lz_search::Access {
    match actor {
        Some(a) if a.sees_all_content() => lz_search::Access::Everything,
        Some(a) => {
            let mut tokens = vec!["public".to_string(), "network".to_string()];
            for m in a.active_memberships() {
                tokens.push(format!("org:{}", m.organisation_id));
                if let Some(p) = &m.place_id {
                    tokens.push(format!("place:{p}"));
                }
            }
            tokens.sort();
            tokens.dedup();
            lz_search::Access::Tokens(tokens)
        }
        None => lz_search::Access::Tokens(vec!["public".into()]),
    }
}

/// The access tokens an item carries in the index.
pub(crate) fn item_tokens(
    visibility: &str,
    organisation_id: &str,
    place_id: Option<&str>,
) -> Vec<String> {
    match Visibility::parse(visibility) {
        Some(Visibility::Public) => vec!["public".into()],
        Some(Visibility::Network) => vec!["network".into()],
        Some(Visibility::Place) => place_id
            .map(|p| vec![format!("place:{p}")])
            .unwrap_or_default(),
        Some(Visibility::Organisation) => vec![format!("org:{organisation_id}")],
        // An unknown level is shown to no one but those who see everything.
        None => vec![],
    }
}

fn is_author(a: &Actor, item: &ItemRecord, authors: &[Author]) -> bool {
    item.created_by == a.id() || authors.iter().any(|x| x.user_id.as_deref() == Some(a.id()))
}

fn is_editor(a: &Actor, item: &ItemRecord, authors: &[Author]) -> bool {
    a.sees_all_content() || is_author(a, item, authors)
}

fn in_my_place(a: &Actor, item: &ItemRecord) -> bool {
    item.place_id.as_deref().is_some_and(|p| {
        a.active_memberships()
            .any(|m| m.place_id.as_deref() == Some(p))
    })
}

/// Whether a reader may open an item in its current state: the rule of the store's `MAY_VIEW`
/// (kept in step with it), applied here to an item read once for every reader. Published
/// items by visibility; their own items (as creator or author) for anyone signed in; every
/// item for moderators and admins; items in review in their places for place leads.
fn may_view(actor: Option<&Actor>, item: &ItemRecord, authors: &[Author]) -> bool {
    let published = item.status == ItemStatus::Published;
    let Some(a) = actor else {
        return published && item.visibility == Visibility::Public;
    };
    a.sees_all_content()
        || (published
            && match item.visibility {
                Visibility::Public | Visibility::Network => true,
                Visibility::Organisation => a.belongs_to(&item.organisation_id),
                Visibility::Place => in_my_place(a, item),
            })
        || is_author(a, item, authors)
        || (a.role == Role::PlaceLead
            && item.status == ItemStatus::InReview
            && in_my_place(a, item))
}

/// Moderators and network admins review any item, place leads those of their places;
/// nobody but a network admin approves their own.
fn is_reviewer(a: &Actor, item: &ItemRecord) -> bool {
    if a.role == Role::NetworkAdmin {
        return true;
    }
    if item.created_by == a.id() {
        return false;
    }
    match a.role {
        Role::Moderator => true,
        Role::PlaceLead => in_my_place(a, item),
        _ => false,
    }
}

/// Who is told that an item waits for review (role codes): moderators, or network admins
/// where the network has no moderator.
pub(super) fn reviewer_roles() -> (&'static str, &'static str) {
    (Role::Moderator.code(), Role::NetworkAdmin.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::tests::actor;
    use crate::library::record::tests::item;

    fn in_place(role: Role, org: &str, place: &str) -> Actor {
        let mut a = actor(role, &[org]);
        for m in a.memberships.iter_mut() {
            m.place_id = Some(place.into());
        }
        a
    }

    fn access(a: Option<&Actor>, status: ItemStatus, visibility: Visibility) -> ItemAccess {
        let mut i = item(status, visibility);
        i.created_by = "someone-else".into();
        ItemAccess::of(a, &i, &[])
    }

    #[test]
    fn anonymous_readers_see_public_published_items_only_and_do_nothing_else() {
        for v in Visibility::ALL {
            for s in ItemStatus::ALL {
                let got = access(None, *s, *v);
                let expect = *s == ItemStatus::Published && *v == Visibility::Public;
                assert_eq!(got.require_view().is_ok(), expect, "{s:?} {v:?}");
                assert!(!got.may_edit() && !got.may_review() && !got.may_feature());
            }
        }
    }

    #[test]
    fn members_see_published_items_by_visibility() {
        let a = in_place(Role::Member, "o1", "p1");
        let mut i = item(ItemStatus::Published, Visibility::Organisation);
        i.created_by = "someone-else".into();
        i.organisation_id = "o1".into();
        assert!(ItemAccess::of(Some(&a), &i, &[]).require_view().is_ok());
        i.organisation_id = "o2".into();
        assert!(ItemAccess::of(Some(&a), &i, &[]).require_view().is_err());
        i.visibility = Visibility::Place;
        i.place_id = Some("p1".into());
        assert!(ItemAccess::of(Some(&a), &i, &[]).require_view().is_ok());
        i.status = ItemStatus::Draft;
        let got = ItemAccess::of(Some(&a), &i, &[]);
        assert!(got.require_view().is_err());
        assert!(!got.may_edit() && !got.may_review());
    }

    #[test]
    fn creators_and_named_authors_edit_and_never_approve_their_own() {
        let a = actor(Role::Contributor, &[]);
        let mut i = item(ItemStatus::Draft, Visibility::Organisation);
        let own = ItemAccess::of(Some(&a), &i, &[]);
        assert!(own.may_edit() && own.may_submit() && !own.may_review());
        i.created_by = "someone-else".into();
        let named = [Author {
            user_id: Some("u1".into()),
            name: "Me".into(),
        }];
        assert!(ItemAccess::of(Some(&a), &i, &named).may_edit());
        assert!(!ItemAccess::of(Some(&a), &i, &[]).may_edit());
        let m = actor(Role::Moderator, &[]);
        i.created_by = "u1".into();
        let own_as_moderator = ItemAccess::of(Some(&m), &i, &[]);
        assert!(own_as_moderator.may_edit() && !own_as_moderator.may_review());
        let admin = actor(Role::NetworkAdmin, &[]);
        assert!(ItemAccess::of(Some(&admin), &i, &[]).may_review());
    }

    #[test]
    fn reviewers_by_role() {
        for role in Role::ALL {
            let a = in_place(role, "o1", "p1");
            let got = access(Some(&a), ItemStatus::InReview, Visibility::Place);
            let mut i = item(ItemStatus::InReview, Visibility::Place);
            i.created_by = "someone-else".into();
            i.place_id = Some("p1".into());
            let in_place = ItemAccess::of(Some(&a), &i, &[]);
            let all = matches!(role, Role::NetworkAdmin | Role::Moderator);
            assert_eq!(got.may_review(), all, "{role:?}");
            assert_eq!(got.may_decide_now(), all, "{role:?}");
            assert_eq!(got.may_feature(), all, "{role:?}");
            assert_eq!(got.may_edit(), all, "{role:?}");
            assert_eq!(
                in_place.may_review(),
                all || role == Role::PlaceLead,
                "{role:?}"
            );
            assert_eq!(
                in_place.require_view().is_ok(),
                all || role == Role::PlaceLead,
                "{role:?}"
            );
        }
    }

    #[test]
    fn workflow_buttons_follow_the_status() {
        let a = actor(Role::Contributor, &[]);
        let at = |s| ItemAccess::of(Some(&a), &item(s, Visibility::Network), &[]);
        assert!(at(ItemStatus::Draft).may_submit());
        assert!(!at(ItemStatus::Draft).may_withdraw());
        assert!(at(ItemStatus::InReview).may_withdraw());
        assert!(at(ItemStatus::Published).may_withdraw());
        assert!(at(ItemStatus::Withdrawn).may_reopen());
        assert!(!at(ItemStatus::Published).may_reopen());
    }

    #[test]
    fn library_rights_by_role() {
        for role in Role::ALL {
            let a = actor(role, &["o1"]);
            assert_eq!(LibraryAccess::may_write(&a), role != Role::Member);
            assert_eq!(
                LibraryAccess::may_review_queue(&a),
                matches!(role, Role::NetworkAdmin | Role::Moderator | Role::PlaceLead)
            );
            assert_eq!(
                LibraryAccess::require_curate(&a).is_ok(),
                role == Role::NetworkAdmin
            );
            assert!(LibraryAccess::may_write_for(&a, "o1"));
            assert_eq!(
                LibraryAccess::may_write_for(&a, "o2"),
                matches!(role, Role::NetworkAdmin | Role::Moderator)
            );
        }
    }

    #[test]
    fn index_tokens_match_the_reader() {
        assert!(matches!(access_for(None), lz_search::Access::Tokens(t) if t == ["public"]));
        let m = in_place(Role::Member, "o1", "p1");
        assert!(matches!(access_for(Some(&m)),
            lz_search::Access::Tokens(t) if t == ["network", "org:o1", "place:p1", "public"]));
        let moderator = actor(Role::Moderator, &[]);
        assert!(matches!(
            access_for(Some(&moderator)),
            lz_search::Access::Everything
        ));
        assert_eq!(item_tokens("place", "o1", Some("p1")), ["place:p1"]);
        assert!(item_tokens("unknown", "o1", None).is_empty());
    }
}
