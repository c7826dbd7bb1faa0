//! A collection's history: every saved version of the outline with what changed since the
//! one before, field by field and word by word, as items' history shows it.

use std::collections::BTreeMap;

use lz_domain::library::{diff_words, DiffPart, Visibility};
use lz_store::advocacy::{self as store, CollectionContent};
use lz_store::evidence as evidence_store;

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
/// the claims chosen, one a line; a record the reader may not open is named as such).
fn fields(c: &CollectionContent, claims: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let claim = |id: &String| {
        claims
            .get(id)
            .cloned()
            .unwrap_or_else(|| "A record you cannot open".to_string())
    };
    let mut out = vec![
        ("Title".to_string(), c.title.clone()),
        ("Summary".to_string(), c.summary.clone()),
        ("The ask".to_string(), c.ask.clone()),
        (
            "Who it is for".to_string(),
            Visibility::parse(&c.audience)
                .map(lz_domain::advocacy::audience_label)
                .unwrap_or_default()
                .to_string(),
        ),
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
            s.evidence_ids
                .iter()
                .map(claim)
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    out
}

fn changes(
    old: &CollectionContent,
    new: &CollectionContent,
    claims: &BTreeMap<String, String>,
) -> Vec<(String, Vec<DiffPart>)> {
    let before = fields(old, claims);
    fields(new, claims)
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
        let mut versions = Vec::new();
        for r in rows {
            let content: CollectionContent = serde_json::from_str(&r.snapshot).map_err(|e| {
                AppError::internal(format!("version {} of collection {id}: {e}", r.version))
            })?;
            versions.push((r, content));
        }
        // The claims of every record any version chose, as far as the reader may open them.
        let mut claims = BTreeMap::new();
        let reader = crate::library::reader(Some(actor));
        for (_, content) in &versions {
            for e in content.sections.iter().flat_map(|s| &s.evidence_ids) {
                if claims.contains_key(e) {
                    continue;
                }
                if let Some(row) = evidence_store::evidence(&mut c, &reader, e).await? {
                    claims.insert(e.clone(), row.claim);
                }
            }
        }
        let mut previous = CollectionContent::default();
        let mut out = Vec::new();
        for (r, content) in versions {
            out.push(CollectionVersion {
                version: r.version,
                changed_by: r.changed_by_name,
                note: r.note,
                created_at: r.created_at,
                changes: changes(&previous, &content, &claims),
            });
            previous = content;
        }
        out.reverse();
        Ok((view, out))
    }
}
