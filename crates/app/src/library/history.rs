//! An item's history: every version with what changed since the one before, word by word.

use std::collections::BTreeMap;

use lz_domain::library::{diff_words, DiffPart, ItemKind, ItemStatus};
use lz_store::library::{self as store, ItemContent};

use super::record::version_status;
use super::{ItemView, Library};
use crate::{Actor, AppError, AppResult};

/// One version on the history page, with what changed since the one before.
pub struct VersionView {
    pub version: i64,
    pub status: ItemStatus,
    pub changed_by: Option<String>,
    pub created_at: i64,
    /// (field heading, diff parts) for each field that changed.
    pub changes: Vec<(String, Vec<DiffPart>)>,
}

impl Library<'_> {
    /// Every version of an item with what changed, for those who may see the item.
    pub async fn history(
        &self,
        actor: Option<&Actor>,
        id: &str,
    ) -> AppResult<(ItemView, Vec<VersionView>)> {
        let view = self.item(actor, id).await?;
        let mut c = self.app.db.acquire().await?;
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
                status: version_status(id, &r)?,
                changed_by: r.changed_by_name,
                created_at: r.created_at,
                changes: content_changes(&previous, &content, &names),
            });
            previous = content;
        }
        out.reverse();
        Ok((view, out))
    }
}

/// Each field as the history page shows it: (heading, text), in the form's order.
fn fields(c: &ItemContent, term_names: &BTreeMap<String, String>) -> Vec<(&'static str, String)> {
    let names = c
        .term_ids
        .iter()
        .map(|i| {
            term_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| "(removed term)".into())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let authors = c
        .authors
        .iter()
        .map(|(_, n)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let links = c
        .links
        .iter()
        .map(|(u, t)| format!("{t} ({u})"))
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        ("Kind", kind_label(&c.kind)),
        ("Title", c.title.clone()),
        ("Summary", c.summary.clone()),
        ("Context", c.context.clone()),
        ("What we did", c.what_we_did.clone()),
        ("What we learned", c.what_we_learned.clone()),
        ("What we would do differently", c.do_differently.clone()),
        ("Outcomes and impact", c.outcomes.clone()),
        ("Contacts", c.contacts.clone()),
        ("Text", c.body_md.clone()),
        ("Visibility", c.visibility.clone()),
        ("Tags", names),
        ("Authors", authors),
        ("Links", links),
        (
            "Original publication date",
            c.original_date.clone().unwrap_or_default(),
        ),
        (
            "Licence",
            lz_domain::citation::Licence::parse(&c.licence)
                .map(|l| l.label().to_string())
                .unwrap_or_default(),
        ),
        ("Cite the authors as", c.cite_as.replace('\n', "; ")),
    ]
}

fn content_changes(
    old: &ItemContent,
    new: &ItemContent,
    term_names: &BTreeMap<String, String>,
) -> Vec<(String, Vec<DiffPart>)> {
    fields(old, term_names)
        .into_iter()
        .zip(fields(new, term_names))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((label, a), (_, b))| (label.to_string(), diff_words(&a, &b)))
        .collect()
}

/// An old snapshot may hold a kind no longer offered: it shows as nothing, not an error.
fn kind_label(code: &str) -> String {
    ItemKind::parse(code)
        .map(|k| k.label().to_string())
        .unwrap_or_default()
}
