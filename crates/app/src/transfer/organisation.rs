//! An organisation's own library items as a ZIP, for its admins to take away: the rows in
//! the site export's format (so that the data reads the same), each item as Markdown, and
//! the attachments' files.

use std::io::{Seek, Write};

use lz_store::transfer::{self as store, Cell, Filter};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{access, Manifest, TableEntry, Transfer};
use crate::{Actor, AppError, AppResult};

/// The organisation's items that go: not deleted; published ones, and for network admins
/// ($3 = 'all') every state, for an organisation admin ($2) also those they made, as the
/// library shows them (others' drafts are their authors' own until submitted).
const ITEMS: &str = "SELECT id FROM items WHERE organisation_id = $1 AND deleted_at IS NULL AND (status = 'published' OR created_by = $2 OR $3 = 'all')";

/// The tables an organisation export holds, each with the rows that belong to it (`$1` the
/// organisation; the item rule binds `$2` and `$3` too, when the clause names them).
fn filters() -> Vec<(&'static str, String)> {
    vec![
        ("organisations", "id = $1".into()),
        (
            "places",
            format!("id IN (SELECT place_id FROM organisations WHERE id = $1) OR id IN (SELECT place_id FROM items WHERE id IN ({ITEMS}))"),
        ),
        (
            "terms",
            format!("id IN (SELECT term_id FROM item_terms WHERE item_id IN ({ITEMS}))"),
        ),
        ("items", format!("id IN ({ITEMS})")),
        ("item_authors", format!("item_id IN ({ITEMS})")),
        ("item_terms", format!("item_id IN ({ITEMS})")),
        ("item_links", format!("item_id IN ({ITEMS})")),
        ("item_versions", format!("item_id IN ({ITEMS})")),
        (
            "attachments",
            format!("deleted_at IS NULL AND item_id IN ({ITEMS})"),
        ),
    ]
}

/// A finished export: a ZIP in a file that is already unlinked (it goes when the handle is
/// dropped), with its size and a file name to offer.
pub struct OrganisationExport {
    pub file: std::fs::File,
    pub size: u64,
    pub file_name: String,
}

impl Transfer<'_> {
    pub async fn export_organisation(
        &self,
        actor: &Actor,
        organisation_id: &str,
    ) -> AppResult<OrganisationExport> {
        // Who may, before anything is looked up: an id reveals nothing to others.
        access::require_export_organisation(actor, organisation_id)?;
        let mut c = self.app.db.begin_snapshot().await?;
        let organisation = lz_store::network::organisation_by_id(&mut c, organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let every_state = if actor.administers_network() {
            "all"
        } else {
            ""
        };
        let backend = self.app.db.backend();
        let schema_version = store::schema_version(&mut c).await?;
        // Rows are gathered first (an organisation's items, text only), files streamed after.
        let mut tables: Vec<(TableEntry, Vec<u8>)> = Vec::new();
        let mut keys = std::collections::BTreeSet::new();
        let mut items: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
        for (name, clause) in filters() {
            let columns = store::columns(&mut c, backend, name).await?;
            let key_at = columns.iter().position(|c| c.name == "storage_key");
            let mut out = Vec::new();
            let mut rows = 0u64;
            let params: Vec<&str> = if clause.contains("$2") {
                vec![&organisation.id, actor.id(), every_state]
            } else {
                vec![&organisation.id]
            };
            let filter = Filter {
                clause: &clause,
                params: &params,
            };
            let blanked = vec![None; columns.len()];
            let written =
                store::for_each_row(&mut c, backend, name, &columns, Some(filter), |cells| {
                    if let Some(Cell::Text(key)) = key_at.and_then(|i| cells.get(i)) {
                        keys.insert(key.clone());
                    }
                    let row = super::site::row_json(&columns, cells, &blanked);
                    if name == "items" {
                        items.push(row.clone());
                    }
                    rows += 1;
                    serde_json::to_writer(&mut out, &row)?;
                    out.push(b'\n');
                    Ok::<_, serde_json::Error>(())
                })
                .await?;
            written.map_err(|e| AppError::internal(format!("{name}: {e}")))?;
            tables.push((
                TableEntry {
                    name: name.to_string(),
                    file: format!("tables/{name}.jsonl"),
                    rows,
                },
                out,
            ));
        }
        let attachments = attachment_names(&tables);
        c.rollback().await.map_err(lz_store::StoreError::from)?;
        let manifest = Manifest {
            files: keys.iter().cloned().collect(),
            ..Manifest::new(
                format!("organisation:{}", organisation.slug),
                schema_version,
                false,
                self.app.now(),
            )
        };
        let dir = self.app.config.data_dir.join("tmp");
        std::fs::create_dir_all(&dir)
            .map_err(|e| AppError::internal(format!("{}: {e}", dir.display())))?;
        let path = dir.join(format!("export-{}.zip", uuid::Uuid::now_v7().simple()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| AppError::internal(format!("{}: {e}", path.display())))?;
        // Unlinked at once: the export lives only as long as the download that reads it.
        std::fs::remove_file(&path)
            .map_err(|e| AppError::internal(format!("{}: {e}", path.display())))?;
        let files = self.app.files.clone();
        let file_name = format!("{}-learning-zone-items.zip", organisation.slug);
        let (file, size) = tokio::task::spawn_blocking(move || {
            write_zip(file, manifest, tables, items, attachments, &files)
        })
        .await
        .map_err(|e| AppError::internal(format!("export task: {e}")))??;
        Ok(OrganisationExport {
            file,
            size,
            file_name,
        })
    }
}

/// Each item's attachments (file name, storage key), for its Markdown page.
fn attachment_names(tables: &[(TableEntry, Vec<u8>)]) -> Vec<(String, String, String)> {
    let Some((_, bytes)) = tables.iter().find(|(t, _)| t.name == "attachments") else {
        return Vec::new();
    };
    bytes
        .split(|b| *b == b'\n')
        .filter_map(|line| serde_json::from_slice::<serde_json::Value>(line).ok())
        .filter_map(|row| {
            Some((
                row.get("item_id")?.as_str()?.to_string(),
                row.get("file_name")?.as_str()?.to_string(),
                row.get("storage_key")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

fn write_zip(
    file: std::fs::File,
    mut manifest: Manifest,
    tables: Vec<(TableEntry, Vec<u8>)>,
    items: Vec<serde_json::Map<String, serde_json::Value>>,
    attachments: Vec<(String, String, String)>,
    files: &lz_files::Storage,
) -> AppResult<(std::fs::File, u64)> {
    let failed = |e: &dyn std::fmt::Display| AppError::internal(format!("writing the export: {e}"));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut zip = ZipWriter::new(file);
    for (entry, bytes) in tables {
        zip.start_file(entry.file.as_str(), deflated)
            .map_err(|e| failed(&e))?;
        zip.write_all(&bytes).map_err(|e| failed(&e))?;
        manifest.tables.push(entry);
    }
    for item in &items {
        let id = item.get("id").and_then(|v| v.as_str()).unwrap_or_default();
        zip.start_file(format!("items/{id}.md"), deflated)
            .map_err(|e| failed(&e))?;
        zip.write_all(item_markdown(item, &attachments).as_bytes())
            .map_err(|e| failed(&e))?;
    }
    let mut present = Vec::new();
    for key in &manifest.files {
        if !lz_files::is_valid_key(key) {
            manifest.missing_files.push(key.clone());
            continue;
        }
        match files.get_blocking(key) {
            Ok(bytes) => {
                // Documents are mostly compressed already (PDF, DOCX, PPTX).
                zip.start_file(format!("files/{key}"), stored)
                    .map_err(|e| failed(&e))?;
                zip.write_all(&bytes).map_err(|e| failed(&e))?;
                present.push(key.clone());
            }
            Err(lz_files::FileError::NotFound) => manifest.missing_files.push(key.clone()),
            Err(e) => return Err(failed(&e)),
        }
    }
    manifest.files = present;
    zip.start_file("manifest.json", deflated)
        .map_err(|e| failed(&e))?;
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| failed(&e))?;
    zip.write_all(&json).map_err(|e| failed(&e))?;
    zip.start_file("README.txt", deflated)
        .map_err(|e| failed(&e))?;
    zip.write_all(super::README.as_bytes())
        .map_err(|e| failed(&e))?;
    let mut file = zip.finish().map_err(|e| failed(&e))?;
    let size = file.stream_position().map_err(|e| failed(&e))?;
    file.rewind().map_err(|e| failed(&e))?;
    Ok((file, size))
}

/// One item as Markdown a person can read without Learning Zone.
fn item_markdown(
    item: &serde_json::Map<String, serde_json::Value>,
    attachments: &[(String, String, String)],
) -> String {
    let text = |k: &str| item.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    let mut md = format!("# {}\n\n", text("title"));
    let kind = lz_domain::library::ItemKind::parse(text("kind"))
        .map(|k| k.cited_as())
        .unwrap_or_else(|| text("kind"));
    md.push_str(&format!(
        "- Kind: {kind}\n- Status: {}\n- Visibility: {}\n",
        text("status"),
        text("visibility")
    ));
    if !text("original_date").is_empty() {
        md.push_str(&format!("- First published: {}\n", text("original_date")));
    }
    if !text("licence").is_empty() {
        md.push_str(&format!("- Licence: {}\n", text("licence")));
    }
    md.push('\n');
    if !text("summary").is_empty() {
        md.push_str(&format!("{}\n\n", text("summary")));
    }
    for (key, heading) in [
        ("context", "Context"),
        ("what_we_did", "What we did"),
        ("what_we_learned", "What we learned"),
        ("do_differently", "What we would do differently"),
        ("outcomes", "Outcomes"),
        ("contacts", "Contacts"),
    ] {
        if !text(key).is_empty() {
            md.push_str(&format!("## {heading}\n\n{}\n\n", text(key)));
        }
    }
    if !text("body_md").is_empty() {
        md.push_str(&format!("{}\n\n", text("body_md")));
    }
    let id = text("id");
    let mine: Vec<_> = attachments.iter().filter(|(i, _, _)| i == id).collect();
    if !mine.is_empty() {
        md.push_str("## Attachments\n\n");
        for (_, name, key) in mine {
            md.push_str(&format!("- {name}: `files/{key}`\n"));
        }
    }
    md
}
