//! The library's typed records: an item as it leaves the store, with its kind, status and
//! visibility as enums and its ids as newtypes. Bad data is an error, never a default.
//! Records serialise with the field names templates and JSON already use; enums as their
//! stored codes.

use lz_domain::citation::{Licence, PartialDate};
use lz_domain::ids::{AttachmentId, ItemId, OrgId, PlaceId, TermId, UserId};
use lz_domain::library::{ItemKind, ItemStatus, TextStatus, Visibility, Vocabulary};
use lz_files::FileKind;
use lz_store::library::{
    AttachmentRow, AuthorRow, ItemDetails, ItemRow, ItemTermRow, LinkRow, ReviewRow, TermRow,
    VersionRow,
};

use crate::AppError;

/// One learning item.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ItemRecord {
    pub id: ItemId,
    pub kind: ItemKind,
    pub title: String,
    pub summary: String,
    pub context: String,
    pub what_we_did: String,
    pub what_we_learned: String,
    pub do_differently: String,
    pub outcomes: String,
    pub contacts: String,
    pub body_md: String,
    pub organisation_id: OrgId,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub place_id: Option<PlaceId>,
    pub place_name: Option<String>,
    pub place_slug: Option<String>,
    pub visibility: Visibility,
    pub status: ItemStatus,
    pub featured: bool,
    pub version: i64,
    pub created_by: UserId,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub published_at: Option<i64>,
    /// When it was first published elsewhere, as precisely as known.
    pub original_date: Option<PartialDate>,
    pub licence: Option<Licence>,
    /// The authors as they should be cited (empty: cite the named authors).
    pub cite_as: Vec<String>,
}

impl ItemRecord {
    /// The text of one structured section by its field name (see `SECTIONS`).
    pub fn section(&self, field: &str) -> &str {
        match field {
            "context" => &self.context,
            "what_we_did" => &self.what_we_did,
            "what_we_learned" => &self.what_we_learned,
            "do_differently" => &self.do_differently,
            "outcomes" => &self.outcomes,
            "contacts" => &self.contacts,
            _ => "",
        }
    }
}

/// Reads a stored code into its enum, or says which record holds a bad one.
pub(crate) fn parse_code<T>(
    parse: fn(&str) -> Option<T>,
    what: &str,
    id: &str,
    code: &str,
) -> Result<T, AppError> {
    parse(code).ok_or_else(|| AppError::internal(format!("{what} {code:?} of item {id}")))
}

fn flag(what: &str, id: &str, value: i64) -> Result<bool, AppError> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(AppError::internal(format!("{what} {other} of item {id}"))),
    }
}

impl TryFrom<ItemRow> for ItemRecord {
    type Error = AppError;

    fn try_from(r: ItemRow) -> Result<Self, AppError> {
        Ok(Self {
            kind: parse_code(ItemKind::parse, "kind", &r.id, &r.kind)?,
            visibility: parse_code(Visibility::parse, "visibility", &r.id, &r.visibility)?,
            status: parse_code(ItemStatus::parse, "status", &r.id, &r.status)?,
            featured: flag("featured", &r.id, r.featured)?,
            original_date: match r.original_date.as_deref() {
                None | Some("") => None,
                Some(d) => Some(parse_code(PartialDate::parse, "original date", &r.id, d)?),
            },
            licence: match r.licence.as_str() {
                "" => None,
                code => Some(parse_code(Licence::parse, "licence", &r.id, code)?),
            },
            cite_as: r.cite_as.lines().map(str::to_string).collect(),
            id: r.id.into(),
            title: r.title,
            summary: r.summary,
            context: r.context,
            what_we_did: r.what_we_did,
            what_we_learned: r.what_we_learned,
            do_differently: r.do_differently,
            outcomes: r.outcomes,
            contacts: r.contacts,
            body_md: r.body_md,
            organisation_id: r.organisation_id.into(),
            organisation_name: r.organisation_name,
            organisation_slug: r.organisation_slug,
            place_id: r.place_id.map(PlaceId::from),
            place_name: r.place_name,
            place_slug: r.place_slug,
            version: r.version,
            created_by: r.created_by.into(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            submitted_at: r.submitted_at,
            published_at: r.published_at,
        })
    }
}

/// Rows to records, all or an error.
pub(crate) fn items(rows: Vec<ItemRow>) -> Result<Vec<ItemRecord>, AppError> {
    rows.into_iter().map(ItemRecord::try_from).collect()
}

/// A reviewer's decision on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    SentBack,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::SentBack => "sent_back",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Decision::Approved, Decision::SentBack]
            .into_iter()
            .find(|d| d.code() == s)
    }
}

/// One review decision, newest first on the item page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewRecord {
    pub decision: Decision,
    pub comment: String,
    pub decided_by_name: Option<String>,
    pub created_at: i64,
}

impl ReviewRecord {
    pub(crate) fn from_row(item_id: &str, r: ReviewRow) -> Result<Self, AppError> {
        Ok(Self {
            decision: parse_code(Decision::parse, "review decision", item_id, &r.decision)?,
            comment: r.comment,
            decided_by_name: r.decided_by_name,
            created_at: r.created_at,
        })
    }
}

/// A stored version's status, checked.
pub(crate) fn version_status(item_id: &str, r: &VersionRow) -> Result<ItemStatus, AppError> {
    parse_code(ItemStatus::parse, "version status", item_id, &r.status)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An item of `status` and `visibility`, created by `u1` (the access tests' actor).
    pub(crate) fn item(status: ItemStatus, visibility: Visibility) -> ItemRecord {
        ItemRecord::try_from(ItemRow {
            id: "i1".into(),
            kind: "case_study".into(),
            organisation_id: "o1".into(),
            visibility: visibility.code().into(),
            status: status.code().into(),
            created_by: "u1".into(),
            ..row()
        })
        .expect("a good row")
    }

    fn row() -> ItemRow {
        ItemRow {
            id: "i1".into(),
            kind: "case_study".into(),
            title: "T".into(),
            summary: String::new(),
            context: String::new(),
            what_we_did: String::new(),
            what_we_learned: String::new(),
            do_differently: String::new(),
            outcomes: String::new(),
            contacts: String::new(),
            body_md: String::new(),
            organisation_id: "o1".into(),
            organisation_name: String::new(),
            organisation_slug: String::new(),
            place_id: None,
            place_name: None,
            place_slug: None,
            visibility: "public".into(),
            status: "draft".into(),
            featured: 0,
            version: 1,
            created_by: "u1".into(),
            created_at: 0,
            updated_at: 0,
            submitted_at: None,
            published_at: None,
            original_date: None,
            licence: String::new(),
            cite_as: String::new(),
        }
    }

    #[test]
    fn bad_codes_are_errors_not_defaults() {
        for bad in [
            ItemRow {
                status: "lost".into(),
                ..row()
            },
            ItemRow {
                visibility: "everyone".into(),
                ..row()
            },
            ItemRow {
                kind: "poem".into(),
                ..row()
            },
            ItemRow {
                featured: 2,
                ..row()
            },
        ] {
            assert!(ItemRecord::try_from(bad).is_err());
        }
        let good = ItemRecord::try_from(ItemRow {
            featured: 1,
            ..row()
        })
        .expect("a good row");
        assert!(good.featured);
        assert_eq!(good.status, ItemStatus::Draft);
    }

    #[test]
    fn records_serialise_their_stored_codes() {
        let json = serde_json::to_value(item(ItemStatus::InReview, Visibility::Network))
            .expect("serialises");
        assert_eq!(json["status"], "in_review");
        assert_eq!(json["visibility"], "network");
        assert_eq!(json["kind"], "case_study");
        assert_eq!(json["id"], "i1");
    }
}

/// A term of the managed taxonomy. A merged term points to the one it became.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TermRecord {
    pub id: TermId,
    pub vocabulary: Vocabulary,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub merged_into: Option<TermId>,
}

impl TryFrom<TermRow> for TermRecord {
    type Error = AppError;

    fn try_from(r: TermRow) -> Result<Self, AppError> {
        Ok(Self {
            vocabulary: parse_code(Vocabulary::parse, "vocabulary", &r.id, &r.vocabulary)?,
            id: r.id.into(),
            slug: r.slug,
            name: r.name,
            description: r.description,
            merged_into: r.merged_into.map(TermId::from),
        })
    }
}

impl TermRecord {
    /// The term's page: `/themes/physical-activity`.
    pub fn path(&self) -> String {
        format!("/{}s/{}", self.vocabulary.code(), self.slug)
    }
}

/// A term an item is tagged with.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ItemTerm {
    pub item_id: ItemId,
    pub term_id: TermId,
    pub vocabulary: Vocabulary,
    pub slug: String,
    pub name: String,
}

impl TryFrom<ItemTermRow> for ItemTerm {
    type Error = AppError;

    fn try_from(r: ItemTermRow) -> Result<Self, AppError> {
        Ok(Self {
            vocabulary: parse_code(Vocabulary::parse, "vocabulary", &r.item_id, &r.vocabulary)?,
            item_id: r.item_id.into(),
            term_id: r.term_id.into(),
            slug: r.slug,
            name: r.name,
        })
    }
}

impl ItemTerm {
    /// The term's page: `/themes/physical-activity`.
    pub fn path(&self) -> String {
        format!("/{}s/{}", self.vocabulary.code(), self.slug)
    }
}

/// An author of an item: a member (with an account) or a name only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Author {
    pub user_id: Option<UserId>,
    pub name: String,
}

impl From<AuthorRow> for Author {
    fn from(r: AuthorRow) -> Self {
        Self {
            user_id: r.user_id.map(UserId::from),
            name: r.name,
        }
    }
}

/// A link an item points to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Link {
    pub url: String,
    pub title: String,
}

impl From<LinkRow> for Link {
    fn from(r: LinkRow) -> Self {
        Self {
            url: r.url,
            title: r.title,
        }
    }
}

/// A file attached to an item. Where it is stored is for the app only.
#[derive(Debug, Clone)]
pub struct AttachmentRecord {
    pub id: AttachmentId,
    pub item_id: ItemId,
    pub(crate) storage_key: String,
    pub file_name: String,
    pub kind: FileKind,
    pub size_bytes: i64,
    pub text_status: TextStatus,
    pub created_at: i64,
}

impl TryFrom<AttachmentRow> for AttachmentRecord {
    type Error = AppError;

    fn try_from(r: AttachmentRow) -> Result<Self, AppError> {
        Ok(Self {
            kind: parse_code(FileKind::parse, "attachment kind", &r.item_id, &r.kind)?,
            text_status: parse_code(TextStatus::parse, "text status", &r.item_id, &r.text_status)?,
            id: r.id.into(),
            item_id: r.item_id.into(),
            storage_key: r.storage_key,
            file_name: r.file_name,
            size_bytes: r.size_bytes,
            created_at: r.created_at,
        })
    }
}

/// Rows to records, all or an error.
pub(crate) fn all<R, T>(rows: Vec<R>) -> Result<Vec<T>, AppError>
where
    T: TryFrom<R, Error = AppError>,
{
    rows.into_iter().map(T::try_from).collect()
}

/// What an item page shows besides the item itself (cached with it, for every reader).
#[derive(Debug, Clone)]
pub(crate) struct Details {
    pub terms: Vec<ItemTerm>,
    pub authors: Vec<Author>,
    pub links: Vec<Link>,
    pub attachments: Vec<AttachmentRecord>,
    pub useful_count: i64,
}

impl TryFrom<ItemDetails> for Details {
    type Error = AppError;

    fn try_from(d: ItemDetails) -> Result<Self, AppError> {
        Ok(Self {
            terms: all(d.terms)?,
            authors: d.authors.into_iter().map(Author::from).collect(),
            links: d.links.into_iter().map(Link::from).collect(),
            attachments: all(d.attachments)?,
            useful_count: d.useful_count,
        })
    }
}
