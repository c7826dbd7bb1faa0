//! Who may read which item: `PUBLISHED_VISIBLE` (lists) and `MAY_VIEW` (one item in any
//! state) for a visitor, a signed-in partner, members (active, pending, of another
//! organisation in the same place), authors, place leads and moderators.

use lz_store::library::{self, ItemList, Reader};
use lz_store::{Conn, Db};

use crate::common::{exec, membership, organisation, place, user, Bind, NOW};
use crate::on_both_databases;

on_both_databases!(
    published_items_by_visibility_and_membership,
    items_in_any_state_for_authors_leads_and_moderators
);

/// Places `north` and `south`; organisation `a` and `a2` in north, `b` in south; people:
/// `outsider` (no organisation), `member` (active in a), `pending` (asked to join a),
/// `neighbour` (active in a2, same place as a), `author` and `coauthor` (in b), `lead` (active
/// in a, reads as a place lead), `southlead` (active in b, a place lead). Items belong to a
/// (place north) unless said otherwise.
async fn network(c: &mut Conn) {
    place(c, "north").await;
    place(c, "south").await;
    organisation(c, "a", Some("north")).await;
    organisation(c, "a2", Some("north")).await;
    organisation(c, "b", Some("south")).await;
    for u in [
        "outsider",
        "member",
        "pending",
        "neighbour",
        "author",
        "coauthor",
        "lead",
        "southlead",
    ] {
        user(c, u).await;
    }
    membership(c, "member", "a", "active").await;
    membership(c, "pending", "a", "pending").await;
    membership(c, "neighbour", "a2", "active").await;
    membership(c, "author", "b", "active").await;
    membership(c, "coauthor", "b", "active").await;
    membership(c, "lead", "a", "active").await;
    membership(c, "southlead", "b", "active").await;
}

/// An item of organisation `org` in `place`, created by `author`, published at `published`.
async fn item(c: &mut Conn, id: &str, org: &str, visibility: &str, status: &str, n: i64) {
    let place = if org == "b" { "south" } else { "north" };
    let published = (status == "published").then_some(NOW + n);
    exec(
        c,
        "INSERT INTO items (id, kind, title, organisation_id, place_id, visibility, status,
             created_by, created_at, updated_at, submitted_at, published_at)
         VALUES ($1, 'case_study', $1, $2, $3, $4, $5, 'author', $6, $6, $6, $7)",
        &[
            Bind::Text(id),
            Bind::Text(org),
            Bind::Text(place),
            Bind::Text(visibility),
            Bind::Text(status),
            Bind::Int(NOW + n),
            published.map_or(Bind::NullInt, Bind::Int),
        ],
    )
    .await;
}

fn reader(user: Option<&str>) -> Reader<'_> {
    Reader {
        user_id: user,
        sees_everything: false,
        place_lead: false,
    }
}

/// The ids of the newest published items `reader` may read, newest first.
async fn newest(db: &Db, reader: &Reader<'_>) -> Vec<String> {
    let mut c = db.acquire().await.expect("connection");
    library::items(&mut c, reader, ItemList::Newest, 50)
        .await
        .expect("newest items")
        .into_iter()
        .map(|i| i.id)
        .collect()
}

async fn opens(db: &Db, reader: &Reader<'_>, id: &str) -> bool {
    let mut c = db.acquire().await.expect("connection");
    library::item(&mut c, reader, id)
        .await
        .expect("one item")
        .is_some()
}

async fn published_items_by_visibility_and_membership(db: Db) {
    {
        let mut c = db.acquire().await.expect("connection");
        network(&mut c).await;
        item(&mut c, "public", "a", "public", "published", 1).await;
        item(&mut c, "network", "a", "network", "published", 2).await;
        item(&mut c, "organisation", "a", "organisation", "published", 3).await;
        item(&mut c, "place", "a", "place", "published", 4).await;
        item(&mut c, "draft", "a", "public", "draft", 5).await;
        item(&mut c, "withdrawn", "a", "public", "withdrawn", 6).await;
        item(&mut c, "deleted", "a", "public", "published", 7).await;
        exec(
            &mut c,
            "UPDATE items SET deleted_at = $1 WHERE id = 'deleted'",
            &[Bind::Int(NOW)],
        )
        .await;
    }
    let cases: &[(Option<&str>, &[&str])] = &[
        (None, &["public"]),
        (Some("outsider"), &["network", "public"]),
        (Some("pending"), &["network", "public"]),
        (Some("neighbour"), &["place", "network", "public"]),
        (
            Some("member"),
            &["place", "organisation", "network", "public"],
        ),
    ];
    for (who, expected) in cases {
        let r = reader(*who);
        assert_eq!(newest(&db, &r).await, *expected, "newest for {who:?}");
        // One item by id follows the same rule for published items.
        for id in ["public", "network", "organisation", "place"] {
            assert_eq!(
                opens(&db, &r, id).await,
                expected.contains(&id),
                "{who:?} opens {id}"
            );
        }
        // Nobody but the author and moderators opens a draft or a withdrawn item; nobody at
        // all a deleted one.
        for id in ["draft", "withdrawn", "deleted"] {
            assert!(!opens(&db, &r, id).await, "{who:?} opens {id}");
        }
    }
    let all = Reader {
        user_id: Some("outsider"),
        sees_everything: true,
        place_lead: false,
    };
    assert_eq!(
        newest(&db, &all).await,
        ["place", "organisation", "network", "public"],
        "moderators list every published item, not drafts or deleted ones"
    );
    assert!(opens(&db, &all, "draft").await && opens(&db, &all, "withdrawn").await);
    assert!(!opens(&db, &all, "deleted").await);
    // The public feed ignores who reads: public items only.
    let mut c = db.acquire().await.expect("connection");
    let feed = library::items(&mut c, &all, ItemList::PublicFeed { term_id: None }, 50)
        .await
        .expect("feed");
    assert_eq!(
        feed.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["public"]
    );
}

async fn items_in_any_state_for_authors_leads_and_moderators(db: Db) {
    {
        let mut c = db.acquire().await.expect("connection");
        network(&mut c).await;
        item(&mut c, "draft", "a", "organisation", "draft", 1).await;
        item(&mut c, "review-north", "a", "organisation", "in_review", 2).await;
        item(&mut c, "review-south", "b", "organisation", "in_review", 3).await;
        exec(
            &mut c,
            "INSERT INTO item_authors (item_id, position, user_id, name) VALUES ('draft', 1, 'coauthor', 'Co Author')",
            &[],
        )
        .await;
    }
    // The creator and a named author open their draft; a member of its organisation does not.
    assert!(opens(&db, &reader(Some("author")), "draft").await);
    assert!(opens(&db, &reader(Some("coauthor")), "draft").await);
    assert!(!opens(&db, &reader(Some("member")), "draft").await);
    assert!(!opens(&db, &reader(None), "draft").await);
    // A place lead opens items in review in their own place only, and only as a lead.
    let lead = Reader {
        user_id: Some("lead"),
        sees_everything: false,
        place_lead: true,
    };
    assert!(opens(&db, &lead, "review-north").await);
    assert!(!opens(&db, &lead, "review-south").await);
    assert!(!opens(&db, &lead, "draft").await);
    assert!(!opens(&db, &reader(Some("lead")), "review-north").await);
    let mut c = db.acquire().await.expect("connection");
    let db = &db;
    let queue = |r: Reader<'static>| async move {
        let mut c = db.acquire().await.expect("connection");
        library::items(&mut c, &r, ItemList::ReviewQueue, 50)
            .await
            .expect("review queue")
            .into_iter()
            .map(|i| i.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(queue(lead.clone()).await, ["review-north"]);
    assert_eq!(
        queue(Reader {
            user_id: Some("southlead"),
            sees_everything: false,
            place_lead: true,
        })
        .await,
        ["review-south"]
    );
    // Moderators review everything but their own.
    assert_eq!(
        queue(Reader {
            user_id: Some("outsider"),
            sees_everything: true,
            place_lead: false,
        })
        .await,
        ["review-north", "review-south"]
    );
    assert!(queue(Reader {
        user_id: Some("author"),
        sees_everything: true,
        place_lead: false,
    })
    .await
    .is_empty());
    // "Mine": created or named as an author, any state.
    let mine = library::items(&mut c, &reader(Some("coauthor")), ItemList::Mine, 50)
        .await
        .expect("mine");
    assert_eq!(
        mine.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["draft"]
    );
}
