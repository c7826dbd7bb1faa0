//! A collection's history: every saved version of the outline with what changed since the
//! one before, field by field and word by word, as items' history shows it.

use lz_domain::library::{diff_words, DiffPart};
use lz_store::advocacy::{self as store, CollectionContent};

use super::{Advocacy, CollectionView};
use crate::{Actor, AppError, AppResult};

pub struct CollectionVersion {
    pub version: i64,
    pub changed_by: Option<String>,
    pub note: String,
    pub created_at: i64,
    /// (field heading, diff parts) for each field that changed.
    pub changes: Vec<(String, Vec<DiffPart>)>,
}

/// Each field as the history shows it: the details, then each section (heading, text and
/// the records chosen, by id, since a record's claim may not be readable by everyone).
fn fields(c: &CollectionContent) -> Vec<(String, String)> {
    let mut out = vec![
        ("Title".to_string(), c.title.clone()),
        ("Summary".to_string(), c.summary.clone()),
        ("The ask".to_string(), c.ask.clone()),
        ("Who it is for".to_string(), c.audience.clone()),
        (
            "Sections".to_string(),
            c.sections
                .iter()
                .map(|s| s.heading.as_str())
                .collect::<Vec<_>>()
                .join(" · "),
        ),
    ];
    for s in &c.sections {
        out.push((format!("“{}”: text", s.heading), s.body.clone()));
        out.push((
            format!("“{}”: evidence", s.heading),
            format!(
                "{} records: {}",
                s.evidence_ids.len(),
                s.evidence_ids.join(" ")
            ),
        ));
    }
    out
}

fn changes(old: &CollectionContent, new: &CollectionContent) -> Vec<(String, Vec<DiffPart>)> {
    let before = fields(old);
    fields(new)
        .into_iter()
        .filter_map(|(label, text)| {
            let was = before
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, t)| t.as_str())
                .unwrap_or("");
            (was != text).then(|| (label, diff_words(was, &text)))
        })
        .collect()
}

impl Advocacy<'_> {
    /// Every version, newest first, for those who oversee the collection.
    pub async fn history(
        &self,
        actor: &Actor,
        id: &str,
    ) -> AppResult<(CollectionView, Vec<CollectionVersion>)> {
        let view = self.collection(Some(actor), id).await?;
        view.access.require_oversee()?;
        let mut c = self.app.db.acquire().await?;
        let rows = store::collection_versions(&mut c, id).await?;
        let mut previous = CollectionContent::default();
        let mut out = Vec::new();
        for r in rows {
            let content: CollectionContent = serde_json::from_str(&r.snapshot).map_err(|e| {
                AppError::internal(format!("version {} of collection {id}: {e}", r.version))
            })?;
            out.push(CollectionVersion {
                version: r.version,
                changed_by: r.changed_by_name,
                note: r.note,
                created_at: r.created_at,
                changes: changes(&previous, &content),
            });
            previous = content;
        }
        out.reverse();
        Ok((view, out))
    }
}
