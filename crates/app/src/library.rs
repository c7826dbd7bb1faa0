//! The learning library's use cases: writing items, the review workflow, versions, the
//! managed taxonomy, attachments, marks and follows; with the permission checks inside.

use crate::Context;
use std::collections::BTreeMap;
use std::sync::Arc;

use lz_domain::library::{
    next_status, ItemKind, ItemStatus, Mark, Transition, Visibility, Vocabulary,
};
use lz_domain::{clean_line, Role, Slug};
use lz_store::library::{
    self as store, AttachmentRow, AuthorRow, ItemContent, ItemList, ItemRow, ItemTermRow, LinkRow,
    Reader, ReviewRow, TermRow,
};

use crate::{commit, new_id, record, Actor, App, AppError, AppResult, Problems};

/// What a person typed into the item form (or sent to the API).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub what_we_did: String,
    #[serde(default)]
    pub what_we_learned: String,
    #[serde(default)]
    pub do_differently: String,
    #[serde(default)]
    pub outcomes: String,
    #[serde(default)]
    pub contacts: String,
    #[serde(default)]
    pub body_md: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub place_id: String,
    #[serde(default)]
    pub visibility: String,
    /// Term ids from any vocabulary.
    #[serde(default)]
    pub terms: Vec<String>,
    /// One author's name per line (or separated by commas).
    #[serde(default)]
    pub authors: String,
    /// One link per line: the address, then optionally a space and its title.
    #[serde(default)]
    pub links: String,
}

/// The structured sections of an item, in the order they are shown: (field, heading).
pub const SECTIONS: &[(&str, &str)] = &[
    ("context", "Context"),
    ("what_we_did", "What we did"),
    ("what_we_learned", "What we learned"),
    ("do_differently", "What we would do differently"),
    ("outcomes", "Outcomes and impact"),
    ("contacts", "Contacts"),
];

const MAX_SECTION: usize = 20_000;
const MAX_BODY: usize = 100_000;
const MAX_SUMMARY: usize = 1_000;
const MAX_AUTHORS: usize = 20;
const MAX_LINKS: usize = 20;

/// An item with everything its page shows and what the reader may do with it.
pub struct ItemView {
    pub item: ItemRow,
    pub terms: Vec<ItemTermRow>,
    pub authors: Vec<AuthorRow>,
    pub links: Vec<LinkRow>,
    pub attachments: Vec<AttachmentRow>,
    pub reviews: Vec<ReviewRow>,
    pub useful_count: i64,
    pub my_marks: Vec<String>,
    pub can_edit: bool,
    pub can_review: bool,
    pub can_submit: bool,
    pub can_withdraw: bool,
}

/// One version on the history page, with what changed since the one before.
pub struct VersionView {
    pub version: i64,
    pub status: String,
    pub changed_by: Option<String>,
    pub created_at: i64,
    /// (field heading, diff parts) for each field that changed.
    pub changes: Vec<(String, Vec<lz_domain::library::DiffPart>)>,
}

pub(crate) fn reader(actor: Option<&Actor>) -> Reader<'_> {
    Reader {
        user_id: actor.map(|a| a.id()),
        sees_everything: actor.is_some_and(sees_everything),
        place_lead: actor.is_some_and(|a| a.role == Role::PlaceLead),
    }
}

fn sees_everything(a: &Actor) -> bool {
    a.sees_all_content()
}

/// The search index's access tokens for a reader: the same rule as `PUBLISHED_VISIBLE`.
pub fn access_for(actor: Option<&Actor>) -> lz_search::Access {
    match actor {
        Some(a) if sees_everything(a) => lz_search::Access::Everything,
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

fn may_contribute(a: &Actor) -> bool {
    a.contributes()
}

fn is_editor(a: &Actor, item: &ItemRow, authors: &[AuthorRow]) -> bool {
    sees_everything(a)
        || item.created_by == a.id()
        || authors.iter().any(|x| x.user_id.as_deref() == Some(a.id()))
}

/// Whether a reader may open an item in its current state: the rule of the store's `MAY_VIEW`
/// (kept in step with it), applied here to an item read once for every reader. Published
/// items by visibility; their own items (as creator or author) for anyone signed in; every
/// item for moderators and admins; items in review in their places for place leads.
fn may_view(actor: Option<&Actor>, item: &ItemRow, authors: &[AuthorRow]) -> bool {
    let Some(a) = actor else {
        return item.status == "published" && item.visibility == "public";
    };
    let in_my_place = || {
        item.place_id.as_deref().is_some_and(|p| {
            a.active_memberships()
                .any(|m| m.place_id.as_deref() == Some(p))
        })
    };
    sees_everything(a)
        || (item.status == "published"
            && match item.visibility.as_str() {
                "public" | "network" => true,
                "organisation" => a
                    .active_memberships()
                    .any(|m| m.organisation_id == item.organisation_id),
                "place" => in_my_place(),
                _ => false,
            })
        || item.created_by == a.id()
        || authors.iter().any(|x| x.user_id.as_deref() == Some(a.id()))
        || (a.role == Role::PlaceLead && item.status == "in_review" && in_my_place())
}

/// Moderators and network admins review any item, place leads those of their places;
/// nobody but a network admin approves their own.
fn is_reviewer(a: &Actor, item: &ItemRow) -> bool {
    if a.role == Role::NetworkAdmin {
        return true;
    }
    if item.created_by == a.id() {
        return false;
    }
    match a.role {
        Role::Moderator => true,
        Role::PlaceLead => item.place_id.as_deref().is_some_and(|p| {
            a.active_memberships()
                .any(|m| m.place_id.as_deref() == Some(p))
        }),
        _ => false,
    }
}

fn bounded(p: &mut Problems, field: &'static str, label: &str, raw: &str, max: usize) -> String {
    let s = raw.trim().replace("\r\n", "\n");
    if s.chars().count() > max {
        p.add(field, format!("{label} must be {max} characters or fewer"));
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        p.add(
            field,
            format!("{label} must not contain control characters"),
        );
    }
    s
}

impl App {
    /// Checks an item's input and resolves it into content to save.
    async fn item_content(&self, actor: &Actor, input: &ItemInput) -> AppResult<ItemContent> {
        let mut p = Problems::default();
        let kind = ItemKind::parse(&input.kind);
        if kind.is_none() {
            p.add("kind", "Choose what kind of item this is");
        }
        let title = p
            .check("title", clean_line(&input.title, "a title", 200))
            .unwrap_or_default();
        let summary = bounded(
            &mut p,
            "summary",
            "The summary",
            &input.summary,
            MAX_SUMMARY,
        );
        if summary.is_empty() {
            p.add("summary", "Enter a summary of one or two sentences");
        }
        let mut sections: BTreeMap<&str, String> = BTreeMap::new();
        for (field, heading) in SECTIONS {
            let raw = match *field {
                "context" => &input.context,
                "what_we_did" => &input.what_we_did,
                "what_we_learned" => &input.what_we_learned,
                "do_differently" => &input.do_differently,
                "outcomes" => &input.outcomes,
                _ => &input.contacts,
            };
            sections.insert(field, bounded(&mut p, field, heading, raw, MAX_SECTION));
        }
        let body_md = bounded(&mut p, "body_md", "The text", &input.body_md, MAX_BODY);
        let visibility = Visibility::parse(&input.visibility);
        if visibility.is_none() {
            p.add("visibility", "Choose who can see the item");
        }
        let mut authors = Vec::new();
        for name in input
            .authors
            .split(['\n', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match clean_line(name, "an author's name", 120) {
                Ok(n) => authors.push(n),
                Err(e) => p.add("authors", e),
            }
        }
        if authors.len() > MAX_AUTHORS {
            p.add("authors", format!("Name at most {MAX_AUTHORS} authors"));
        }
        let mut links = Vec::new();
        for line in input.links.lines().map(str::trim).filter(|s| !s.is_empty()) {
            let (url, title) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            match lz_domain::library::parse_link(url) {
                Ok(u) => {
                    let t = title.trim();
                    let t = if t.is_empty() {
                        u.clone()
                    } else {
                        t.chars().take(200).collect()
                    };
                    links.push((u, t));
                }
                Err(e) => p.add("links", e),
            }
        }
        if links.len() > MAX_LINKS {
            p.add("links", format!("Add at most {MAX_LINKS} links"));
        }
        let mut c = self.db.acquire().await?;
        let org = match input.organisation_id.trim() {
            "" => None,
            id => lz_store::network::organisation_by_id(&mut c, id).await?,
        };
        match &org {
            None => p.add(
                "organisation_id",
                "Choose the organisation the item belongs to",
            ),
            Some(o)
                if !sees_everything(actor)
                    && !actor
                        .active_memberships()
                        .any(|m| m.organisation_id == o.id) =>
            {
                p.add("organisation_id", "Choose one of your own organisations")
            }
            _ => {}
        }
        let place_id = match input.place_id.trim() {
            "" => org.as_ref().and_then(|o| o.place_id.clone()),
            id => match lz_store::network::place_by_id(&mut c, id).await? {
                Some(pl) => Some(pl.id),
                None => {
                    p.add("place_id", "Choose a place from the list");
                    None
                }
            },
        };
        if visibility == Some(Visibility::Place) && place_id.is_none() {
            p.add(
                "place_id",
                "Choose the place whose members may see the item",
            );
        }
        let mut term_ids = Vec::new();
        for t in input
            .terms
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match store::term_by_id(&mut c, t).await? {
                Some(term) => {
                    // A merged term's items belong to the term it was merged into.
                    term_ids.push(term.merged_into.unwrap_or(term.id));
                }
                None => {
                    p.add(
                        "terms",
                        "Choose themes, agendas and audiences from the lists",
                    );
                    break;
                }
            }
        }
        term_ids.sort();
        term_ids.dedup();
        p.into_result()?;
        Ok(ItemContent {
            kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
            title,
            summary,
            context: sections.remove("context").unwrap_or_default(),
            what_we_did: sections.remove("what_we_did").unwrap_or_default(),
            what_we_learned: sections.remove("what_we_learned").unwrap_or_default(),
            do_differently: sections.remove("do_differently").unwrap_or_default(),
            outcomes: sections.remove("outcomes").unwrap_or_default(),
            contacts: sections.remove("contacts").unwrap_or_default(),
            body_md,
            organisation_id: org.map(|o| o.id).unwrap_or_default(),
            place_id,
            visibility: visibility.map(|v| v.code().to_string()).unwrap_or_default(),
            term_ids,
            authors: authors.into_iter().map(|n| (None, n)).collect(),
            links,
        })
    }

    /// Writes a new item as a draft; the person becomes its first author when none is named.
    pub async fn create_item(&self, actor: &Actor, input: &ItemInput) -> AppResult<String> {
        if !may_contribute(actor) {
            return Err(AppError::Forbidden);
        }
        let mut content = self.item_content(actor, input).await?;
        if content.authors.is_empty() {
            content
                .authors
                .push((Some(actor.id().to_string()), actor.user.name.clone()));
        } else {
            link_author_accounts(&mut content, actor);
        }
        let id = new_id();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::insert_item(
            &mut tx,
            &id,
            &content,
            ItemStatus::Draft.code(),
            actor.id(),
            now,
        )
        .await?;
        keep_version(
            &mut tx,
            &id,
            1,
            ItemStatus::Draft.code(),
            &content,
            Some(actor.id()),
            now,
        )
        .await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "item.create",
            ("item", &id),
            &content.title,
        )
        .await?;
        store::log_change(&mut tx, &id, now).await?;
        commit(tx).await?;
        self.wake_indexer();
        Ok(id)
    }

    /// Saves a changed item (by its editors) as a new version.
    pub async fn update_item(&self, actor: &Actor, id: &str, input: &ItemInput) -> AppResult<()> {
        let view = self.item(Some(actor), id).await?;
        if !view.can_edit {
            return Err(AppError::Forbidden);
        }
        let mut content = self.item_content(actor, input).await?;
        if content.authors.is_empty() {
            content.authors = view
                .authors
                .iter()
                .map(|a| (a.user_id.clone(), a.name.clone()))
                .collect();
        } else {
            // Keep account links for names that were already linked.
            for (user, name) in content.authors.iter_mut() {
                if let Some(prev) = view.authors.iter().find(|a| &a.name == name) {
                    *user = prev.user_id.clone();
                }
            }
            link_author_accounts(&mut content, actor);
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let version = store::update_item(&mut tx, id, &content, now).await?;
        keep_version(
            &mut tx,
            id,
            version,
            &view.item.status,
            &content,
            Some(actor.id()),
            now,
        )
        .await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "item.update",
            ("item", id),
            &format!("version {version}"),
        )
        .await?;
        store::log_change(&mut tx, id, now).await?;
        commit(tx).await?;
        self.wake_indexer();
        Ok(())
    }

    /// An item with what the reader may do with it; NotFound when they may not see it.
    pub async fn item(&self, actor: Option<&Actor>, id: &str) -> AppResult<ItemView> {
        let now = self.now();
        let cached = match self.items.get(id, now) {
            Ok(found) => found,
            Err(ticket) => {
                let mut c = self.db.acquire().await?;
                let item = store::item_unchecked(&mut c, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                // No reader: their own marks come from `my_marks`.
                let details = store::item_details(&mut c, id, "").await?;
                let found = Arc::new((item, details));
                self.items.put(ticket, id.to_string(), found.clone(), now);
                found
            }
        };
        let (item, details) = &*cached;
        if !may_view(actor, item, &details.authors) {
            return Err(AppError::NotFound);
        }
        let my_marks = match actor {
            Some(a) => self.my_marks(a.id(), id, now).await?,
            None => vec![],
        };
        let item = item.clone();
        let store::ItemDetails {
            terms,
            authors,
            links,
            attachments,
            useful_count,
            my_marks: _,
        } = details.clone();
        let status = ItemStatus::parse(&item.status).unwrap_or(ItemStatus::Draft);
        let can_edit = actor.is_some_and(|a| is_editor(a, &item, &authors));
        let can_review =
            actor.is_some_and(|a| is_reviewer(a, &item)) && status == ItemStatus::InReview;
        let reviews = if can_edit || actor.is_some_and(|a| is_reviewer(a, &item)) {
            match self.reviews.get(id, now) {
                Ok(found) => found.to_vec(),
                Err(ticket) => {
                    let found = store::reviews(&mut *self.db.acquire().await?, id).await?;
                    self.reviews
                        .put(ticket, id.to_string(), Arc::new(found.clone()), now);
                    found
                }
            }
        } else {
            vec![]
        };
        Ok(ItemView {
            can_submit: can_edit && status == ItemStatus::Draft,
            can_withdraw: can_edit
                && matches!(status, ItemStatus::Published | ItemStatus::InReview),
            can_edit,
            can_review,
            item,
            terms,
            authors,
            links,
            attachments,
            reviews,
            useful_count,
            my_marks,
        })
    }

    /// The marks a person has put on one item (their marks are read once for all items).
    async fn my_marks(&self, user_id: &str, item_id: &str, now: i64) -> AppResult<Vec<String>> {
        let all = match self.marks.get(user_id, now) {
            Ok(found) => found,
            Err(ticket) => {
                let mut c = self.db.acquire().await?;
                let found = Arc::new(store::marks_of_user(&mut c, user_id).await?);
                self.marks
                    .put(ticket, user_id.to_string(), found.clone(), now);
                found
            }
        };
        Ok(all
            .iter()
            .filter(|(item, _)| item == item_id)
            .map(|(_, mark)| mark.clone())
            .collect())
    }

    /// Moves an item through the workflow. Sending back needs a comment for the author.
    pub async fn transition(
        &self,
        actor: &Actor,
        id: &str,
        t: Transition,
        comment: &str,
    ) -> AppResult<ItemStatus> {
        let view = self.item(Some(actor), id).await?;
        let from = ItemStatus::parse(&view.item.status).ok_or(AppError::NotFound)?;
        let allowed = if t.needs_reviewer() {
            is_reviewer(actor, &view.item)
        } else {
            view.can_edit
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let to = next_status(from, t).map_err(|e| AppError::Conflict(e.to_string()))?;
        let comment = comment.trim();
        if comment.chars().count() > 5_000 {
            return Err(AppError::field(
                "comment",
                "The comment must be 5,000 characters or fewer",
            ));
        }
        if t == Transition::SendBack && comment.is_empty() {
            return Err(AppError::field(
                "comment",
                "Say what the author should change",
            ));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if !store::set_status(&mut tx, id, from.code(), to.code(), now).await? {
            return Err(AppError::Conflict(
                "Someone else changed this item first: reload the page".into(),
            ));
        }
        if t.needs_reviewer() {
            let decision = if t == Transition::Approve {
                "approved"
            } else {
                "sent_back"
            };
            store::insert_review(&mut tx, &new_id(), id, decision, comment, actor.id(), now)
                .await?;
        }
        let action = match t {
            Transition::Submit => "item.submit",
            Transition::Approve => "item.approve",
            Transition::SendBack => "item.send_back",
            Transition::Withdraw => "item.withdraw",
            Transition::Reopen => "item.reopen",
        };
        record(
            &mut tx,
            now,
            Some(actor.id()),
            action,
            ("item", id),
            comment,
        )
        .await?;
        if t == Transition::SendBack || t == Transition::Approve {
            self.tell_author(&mut tx, &view.item, t, comment, now)
                .await?;
        }
        store::log_change(&mut tx, id, now).await?;
        commit(tx).await?;
        self.wake_indexer();
        Ok(to)
    }

    async fn tell_author(
        &self,
        tx: &mut lz_store::Conn,
        item: &ItemRow,
        t: Transition,
        comment: &str,
        now: i64,
    ) -> AppResult<()> {
        let Some(author) = lz_store::users::by_id(tx, &item.created_by).await? else {
            return Ok(());
        };
        let link = format!("{}library/{}", self.config.base_url, item.id);
        let (subject, body) = if t == Transition::Approve {
            (
                format!("Published: {}", item.title),
                format!(
                    "Hello {},\n\n\"{}\" has been approved and is now published in {}.\n\n{}\n\n{}",
                    author.name, item.title, self.config.site_name, comment, link
                ),
            )
        } else {
            (
                format!("Changes requested: {}", item.title),
                format!("Hello {},\n\nA reviewer has sent \"{}\" back to you with this comment:\n\n{}\n\nEdit it and submit it again: {}", author.name, item.title, comment, link),
            )
        };
        crate::mail::enqueue(
            tx,
            now,
            &crate::mail::Email {
                to: author.email.clone(),
                subject,
                body,
            },
        )
        .await
    }

    /// Every version of an item with what changed, for those who may see the item.
    pub async fn history(
        &self,
        actor: Option<&Actor>,
        id: &str,
    ) -> AppResult<(ItemView, Vec<VersionView>)> {
        let view = self.item(actor, id).await?;
        let mut c = self.db.acquire().await?;
        let rows = store::versions(&mut c, id).await?;
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for t in store::terms(&mut c).await? {
            names.insert(t.id.clone(), t.name.clone());
        }
        let mut out = Vec::new();
        let mut previous = ItemContent::default();
        for r in rows {
            let content: ItemContent = serde_json::from_str(&r.snapshot).map_err(|e| {
                AppError::internal(format!("version {} of item {id}: {e}", r.version))
            })?;
            out.push(VersionView {
                version: r.version,
                status: r.status,
                changed_by: r.changed_by_name,
                created_at: r.created_at,
                changes: content_changes(&previous, &content, &names),
            });
            previous = content;
        }
        out.reverse();
        Ok((view, out))
    }

    pub async fn set_mark(
        &self,
        actor: &Actor,
        item_id: &str,
        mark: Mark,
        on: bool,
    ) -> AppResult<()> {
        let view = self.item(Some(actor), item_id).await?;
        if view.item.status != ItemStatus::Published.code() {
            return Err(AppError::Conflict(
                "Only published items can be marked".into(),
            ));
        }
        let mut c = self.db.acquire().await?;
        store::set_mark(&mut c, actor.id(), item_id, mark.code(), on, self.now()).await?;
        crate::fresh::note_write();
        Ok(())
    }

    /// Follows a theme (or other term), a place or an organisation.
    pub async fn set_follow(
        &self,
        actor: &Actor,
        subject_type: &str,
        subject_id: &str,
        on: bool,
    ) -> AppResult<()> {
        let mut c = self.db.acquire().await?;
        let exists = match subject_type {
            "term" => store::term_by_id(&mut c, subject_id)
                .await?
                .is_some_and(|t| t.merged_into.is_none()),
            "place" => lz_store::network::place_by_id(&mut c, subject_id)
                .await?
                .is_some(),
            "organisation" => lz_store::network::organisation_by_id(&mut c, subject_id)
                .await?
                .is_some(),
            _ => false,
        };
        if !exists {
            return Err(AppError::NotFound);
        }
        store::set_follow(&mut c, actor.id(), subject_type, subject_id, on, self.now()).await?;
        Ok(())
    }

    pub async fn follows(&self, actor: &Actor) -> AppResult<Vec<(String, String)>> {
        let mut c = self.db.acquire().await?;
        Ok(store::follows(&mut c, actor.id()).await?)
    }

    /// A list of items for the reader (home page, my items, review queue, bookmarks, feeds).
    pub async fn item_list(
        &self,
        actor: Option<&Actor>,
        list: ItemList<'_>,
        limit: i64,
    ) -> AppResult<Vec<ItemRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::items(&mut c, &reader(actor), list, limit.clamp(1, 500)).await?)
    }

    pub async fn set_featured(&self, actor: &Actor, id: &str, featured: bool) -> AppResult<()> {
        if !sees_everything(actor) {
            return Err(AppError::Forbidden);
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::item_unchecked(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        store::set_featured(&mut tx, id, featured, now).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "item.feature",
            ("item", id),
            if featured { "on" } else { "off" },
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }

    /// Soft-deletes an item (editors, moderators): it leaves every list, the index and feeds,
    /// while its rows and versions stay for the audit trail.
    pub async fn delete_item(&self, actor: &Actor, id: &str) -> AppResult<()> {
        let view = self.item(Some(actor), id).await?;
        if !view.can_edit {
            return Err(AppError::Forbidden);
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::soft_delete_item(&mut tx, id, now).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "item.delete",
            ("item", id),
            &view.item.title,
        )
        .await?;
        store::log_change(&mut tx, id, now).await?;
        commit(tx).await?;
        self.wake_indexer();
        Ok(())
    }

    // ---------- taxonomy ----------

    pub async fn terms(&self) -> AppResult<Vec<TermRow>> {
        let mut c = self.db.acquire().await?;
        Ok(store::terms(&mut c).await?)
    }

    /// A term by its vocabulary and slug, following merges (the caller redirects).
    pub async fn term_by_slug(&self, vocabulary: Vocabulary, slug: &str) -> AppResult<TermRow> {
        let mut c = self.db.acquire().await?;
        let t = store::term_by_slug(&mut c, vocabulary.code(), slug)
            .await?
            .ok_or(AppError::NotFound)?;
        match &t.merged_into {
            Some(into) => store::term_by_id(&mut c, into)
                .await?
                .ok_or(AppError::NotFound),
            None => Ok(t),
        }
    }

    pub async fn create_term(
        &self,
        actor: Option<&Actor>,
        vocabulary: &str,
        name: &str,
        description: &str,
    ) -> AppResult<String> {
        if let Some(a) = actor {
            a.require_network_admin()?;
        }
        let mut p = Problems::default();
        let vocab = Vocabulary::parse(vocabulary);
        if vocab.is_none() {
            p.add("vocabulary", "Choose theme, agenda or audience");
        }
        let name = p
            .check("name", clean_line(name, "a name", 120))
            .unwrap_or_default();
        let slug = Slug::from_name(&name);
        if slug.is_none() && !name.is_empty() {
            p.add("name", "Use letters or numbers in the name");
        }
        let description = bounded(&mut p, "description", "The description", description, 1_000);
        p.into_result()?;
        let (vocab, slug) = match (vocab, slug) {
            (Some(v), Some(s)) => (v, s),
            _ => return Err(AppError::field("name", "Enter a name")),
        };
        let id = new_id();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        store::insert_term(
            &mut tx,
            &id,
            vocab.code(),
            slug.as_str(),
            &name,
            &description,
            now,
        )
        .await
        .map_err(|e| match e {
            lz_store::StoreError::Conflict(_) => AppError::field(
                "name",
                format!(
                    "There is already a {} with this name",
                    vocab.label().to_lowercase()
                ),
            ),
            other => other.into(),
        })?;
        record(
            &mut tx,
            now,
            actor.map(|a| a.id()),
            "term.create",
            ("term", &id),
            &name,
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    /// Renames a term; its address stays, so links keep working. Items are re-indexed.
    pub async fn rename_term(
        &self,
        actor: &Actor,
        id: &str,
        name: &str,
        description: &str,
    ) -> AppResult<()> {
        actor.require_network_admin()?;
        let mut p = Problems::default();
        let name = p
            .check("name", clean_line(name, "a name", 120))
            .unwrap_or_default();
        let description = bounded(&mut p, "description", "The description", description, 1_000);
        p.into_result()?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let term = store::term_by_id(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if term.merged_into.is_some() {
            return Err(AppError::Conflict(
                "This term was merged into another".into(),
            ));
        }
        store::rename_term(&mut tx, id, &name, &description, now).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "term.rename",
            ("term", id),
            &format!("{} → {}", term.name, name),
        )
        .await?;
        commit(tx).await?;
        Ok(())
    }

    /// Merges `from` into `into` (same vocabulary): items and followers move, old links redirect.
    pub async fn merge_term(&self, actor: &Actor, from: &str, into: &str) -> AppResult<()> {
        actor.require_network_admin()?;
        if from == into {
            return Err(AppError::field(
                "into",
                "Choose a different term to merge into",
            ));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let a = store::term_by_id(&mut tx, from)
            .await?
            .ok_or(AppError::NotFound)?;
        let b = store::term_by_id(&mut tx, into)
            .await?
            .filter(|b| b.merged_into.is_none())
            .ok_or_else(|| AppError::field("into", "Choose a term from the list"))?;
        if a.vocabulary != b.vocabulary {
            return Err(AppError::field(
                "into",
                "Merge into a term of the same kind",
            ));
        }
        if a.merged_into.is_some() {
            return Err(AppError::Conflict("This term was merged already".into()));
        }
        let items = store::merge_term(&mut tx, from, into, now).await?;
        record(
            &mut tx,
            now,
            Some(actor.id()),
            "term.merge",
            ("term", from),
            &format!("{} → {}", a.name, b.name),
        )
        .await?;
        for item in &items {
            store::log_change(&mut tx, item, now).await?;
        }
        commit(tx).await?;
        self.wake_indexer();
        Ok(())
    }
}

/// The names written as authors that match the writer become linked to their account.
fn link_author_accounts(content: &mut ItemContent, actor: &Actor) {
    for (user, name) in content.authors.iter_mut() {
        if user.is_none() && name.eq_ignore_ascii_case(&actor.user.name) {
            *user = Some(actor.id().to_string());
        }
    }
}

async fn keep_version(
    c: &mut lz_store::Conn,
    item_id: &str,
    version: i64,
    status: &str,
    content: &ItemContent,
    by: Option<&str>,
    now: i64,
) -> AppResult<()> {
    let snapshot = serde_json::to_string(content).context("version snapshot")?;
    store::insert_version(c, &new_id(), item_id, version, status, &snapshot, by, now).await?;
    Ok(())
}

fn content_changes(
    old: &ItemContent,
    new: &ItemContent,
    term_names: &BTreeMap<String, String>,
) -> Vec<(String, Vec<lz_domain::library::DiffPart>)> {
    let names = |ids: &[String]| {
        ids.iter()
            .map(|i| {
                term_names
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| "(removed term)".into())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let authors = |a: &[(Option<String>, String)]| {
        a.iter()
            .map(|(_, n)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let links = |l: &[(String, String)]| {
        l.iter()
            .map(|(u, t)| format!("{t} ({u})"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let fields: Vec<(&str, String, String)> = vec![
        ("Kind", kind_label(&old.kind), kind_label(&new.kind)),
        ("Title", old.title.clone(), new.title.clone()),
        ("Summary", old.summary.clone(), new.summary.clone()),
        ("Context", old.context.clone(), new.context.clone()),
        (
            "What we did",
            old.what_we_did.clone(),
            new.what_we_did.clone(),
        ),
        (
            "What we learned",
            old.what_we_learned.clone(),
            new.what_we_learned.clone(),
        ),
        (
            "What we would do differently",
            old.do_differently.clone(),
            new.do_differently.clone(),
        ),
        (
            "Outcomes and impact",
            old.outcomes.clone(),
            new.outcomes.clone(),
        ),
        ("Contacts", old.contacts.clone(), new.contacts.clone()),
        ("Text", old.body_md.clone(), new.body_md.clone()),
        ("Visibility", old.visibility.clone(), new.visibility.clone()),
        ("Tags", names(&old.term_ids), names(&new.term_ids)),
        ("Authors", authors(&old.authors), authors(&new.authors)),
        ("Links", links(&old.links), links(&new.links)),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(label, a, b)| (label.to_string(), lz_domain::library::diff_words(&a, &b)))
        .collect()
}

fn kind_label(code: &str) -> String {
    ItemKind::parse(code)
        .map(|k| k.label().to_string())
        .unwrap_or_default()
}
