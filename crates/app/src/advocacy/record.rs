//! Typed collections made from store rows: a bad stored value is an error, never a default.

use lz_domain::advocacy::{CollectionKind, CollectionStatus};
use lz_domain::ids::CollectionId;
use lz_domain::library::Visibility;
use lz_store::advocacy::CollectionRow;

use crate::{AppError, AppResult};

/// Something a collection is linked to: its place, work area or organisation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Linked {
    pub id: String,
    pub name: String,
    /// The place's slug, or the work area's plan id: what its link needs.
    pub key: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Collection {
    pub id: CollectionId,
    pub kind: CollectionKind,
    pub title: String,
    pub summary: String,
    pub ask: String,
    pub audience: Visibility,
    pub organisation: Option<Linked>,
    /// A narrative's place (none: the region's).
    pub place: Option<Linked>,
    pub work_area: Option<Linked>,
    pub status: CollectionStatus,
    pub version: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

fn bad(id: &str, what: &str, value: &str) -> AppError {
    AppError::internal(format!("collection {id}: bad stored {what} \"{value}\""))
}

impl TryFrom<CollectionRow> for Collection {
    type Error = AppError;
    fn try_from(r: CollectionRow) -> AppResult<Self> {
        let linked = |id: Option<String>, name: Option<String>, key: Option<String>| {
            id.map(|id| Linked {
                id,
                name: name.unwrap_or_default(),
                key: key.unwrap_or_default(),
            })
        };
        Ok(Self {
            kind: CollectionKind::parse(&r.kind).ok_or_else(|| bad(&r.id, "kind", &r.kind))?,
            audience: Visibility::parse(&r.audience)
                .ok_or_else(|| bad(&r.id, "audience", &r.audience))?,
            status: CollectionStatus::parse(&r.status)
                .ok_or_else(|| bad(&r.id, "status", &r.status))?,
            organisation: linked(r.organisation_id, r.organisation_name, None),
            place: linked(r.place_id, r.place_name, r.place_slug),
            work_area: linked(r.work_area_id, r.work_area_title, r.plan_id),
            title: r.title,
            summary: r.summary,
            ask: r.ask,
            version: r.version,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            published_at: r.published_at,
            id: CollectionId::from(r.id),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A draft public pack, for the access rule's unit tests.
    pub(crate) fn collection(audience: Visibility, status: CollectionStatus) -> Collection {
        Collection {
            id: CollectionId::from("c1"),
            kind: CollectionKind::Pack,
            title: "Manifesto".into(),
            summary: String::new(),
            ask: String::new(),
            audience,
            organisation: None,
            place: None,
            work_area: None,
            status,
            version: 1,
            created_by: "u1".into(),
            created_at: 0,
            updated_at: 0,
            published_at: None,
        }
    }
}
