//! The whole site as a folder of JSON Lines files plus the stored files, and back
//! (`learning-zone export PATH`, `learning-zone import PATH`). The format is documented in
//! `docs/EXPORT.md`.

use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use lz_store::transfer::{self as store, Cell, Column, Kind};

use super::tables::{Blank, TableSpec, FILE_COLUMNS, TABLES};
use super::{Manifest, TableEntry, Transfer, FORMAT, FORMAT_VERSION};
use crate::{AppError, AppResult};

/// What an export wrote.
#[derive(Debug)]
pub struct ExportSummary {
    pub tables: usize,
    pub rows: u64,
    pub files: usize,
    /// Stored files that rows name but storage does not have (already missing before).
    pub missing_files: Vec<String>,
}

/// What an import loaded.
#[derive(Debug)]
pub struct ImportSummary {
    pub rows: u64,
    pub files: usize,
}

fn io(path: &Path, e: std::io::Error) -> AppError {
    AppError::internal(format!("{}: {e}", path.display()))
}

/// A problem with the export being read: said with the file and line.
fn bad(message: impl Into<String>) -> AppError {
    AppError::field("export", message)
}

impl Transfer<'_> {
    /// Writes the whole site into `dir`, which must be new or empty.
    pub async fn export_site(&self, dir: &Path, with_secrets: bool) -> AppResult<ExportSummary> {
        if dir.exists()
            && std::fs::read_dir(dir)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true)
        {
            return Err(AppError::Conflict(format!(
                "{} already exists and is not empty: choose a new directory",
                dir.display()
            )));
        }
        let tables_dir = dir.join("tables");
        std::fs::create_dir_all(&tables_dir).map_err(|e| io(&tables_dir, e))?;
        let backend = self.app.db.backend();
        // One moment of the site, though the server writes on while the tables are read.
        let mut c = self.app.db.begin_snapshot().await?;
        let schema_version = store::schema_version(&mut c).await?;
        let mut entries = Vec::new();
        let mut keys = BTreeSet::new();
        let mut total = 0;
        for spec in TABLES.iter().filter(|t| with_secrets || !t.secret) {
            let columns = store::columns(&mut c, backend, spec.name).await?;
            if columns.is_empty() {
                return Err(AppError::internal(format!(
                    "table {} is not in the database",
                    spec.name
                )));
            }
            let file = format!("tables/{}.jsonl", spec.name);
            let path = dir.join(&file);
            let mut out = BufWriter::new(std::fs::File::create(&path).map_err(|e| io(&path, e))?);
            let blanked: Vec<Option<Blank>> = columns
                .iter()
                .map(|col| {
                    spec.blanked
                        .iter()
                        .find(|(name, _)| !with_secrets && *name == col.name)
                        .map(|(_, b)| *b)
                })
                .collect();
            let file_column = FILE_COLUMNS
                .iter()
                .find(|(t, _)| *t == spec.name)
                .and_then(|(_, col)| columns.iter().position(|c| c.name == *col));
            let mut rows = 0u64;
            let written =
                store::for_each_row(&mut c, backend, spec.name, &columns, None, |cells| {
                    if let Some(Cell::Text(key)) = file_column.and_then(|i| cells.get(i)) {
                        keys.insert(key.clone());
                    }
                    let line = row_json(&columns, cells, &blanked);
                    rows += 1;
                    serde_json::to_writer(&mut out, &line)?;
                    out.write_all(b"\n").map_err(serde_json::Error::io)
                })
                .await?;
            written.map_err(|e| AppError::internal(format!("{}: {e}", path.display())))?;
            out.flush().map_err(|e| io(&path, e))?;
            total += rows;
            entries.push(TableEntry {
                name: spec.name.to_string(),
                file,
                rows,
            });
        }
        c.rollback().await.map_err(lz_store::StoreError::from)?;
        let files_dir = dir.join("files");
        std::fs::create_dir_all(&files_dir).map_err(|e| io(&files_dir, e))?;
        let mut files = Vec::new();
        let mut missing_files = Vec::new();
        for key in keys {
            if !lz_files::is_valid_key(&key) {
                missing_files.push(key);
                continue;
            }
            match self.app.files.get(&key).await {
                Ok(bytes) => {
                    let path = files_dir.join(&key);
                    std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
                    files.push(key);
                }
                Err(lz_files::FileError::NotFound) => missing_files.push(key),
                Err(e) => {
                    return Err(AppError::internal(format!(
                        "reading stored file {key}: {e}"
                    )))
                }
            }
        }
        let summary = ExportSummary {
            tables: entries.len(),
            rows: total,
            files: files.len(),
            missing_files: missing_files.clone(),
        };
        let manifest = Manifest {
            tables: entries,
            files,
            missing_files,
            ..Manifest::new("site".into(), schema_version, with_secrets, self.app.now())
        };
        let path = dir.join("manifest.json");
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| AppError::internal(format!("manifest: {e}")))?;
        std::fs::write(&path, json).map_err(|e| io(&path, e))?;
        let readme = dir.join("README.txt");
        std::fs::write(&readme, super::README).map_err(|e| io(&readme, e))?;
        Ok(summary)
    }

    /// Loads an export from `dir` into this instance, which must hold no content yet: every
    /// row in one transaction (all or nothing), stored files first.
    pub async fn import_site(&self, dir: &Path) -> AppResult<ImportSummary> {
        let manifest = read_manifest(dir)?;
        if manifest.scope != "site" {
            return Err(bad(format!(
                "this is an export of {}, not of a whole site",
                manifest.scope
            )));
        }
        let backend = self.app.db.backend();
        let mut c = self.app.db.acquire().await?;
        let ours = store::schema_version(&mut c).await?;
        if manifest.schema_version > ours {
            return Err(bad(format!(
                "the export was made by a newer Learning Zone (schema {}, this one has {ours}): upgrade this one first",
                manifest.schema_version
            )));
        }
        for spec in TABLES.iter().filter(|t| !t.seeded) {
            if store::count(&mut c, spec.name).await? > 0 {
                return Err(AppError::Conflict(format!(
                    "this instance already holds content ({}): import only into an empty database",
                    spec.name
                )));
            }
        }
        let mut known = HashSet::new();
        for entry in &manifest.tables {
            if super::tables::spec(&entry.name).is_none() {
                return Err(bad(format!(
                    "manifest.json: `{}` is not a table this version knows",
                    entry.name
                )));
            }
            if entry.file != format!("tables/{}.jsonl", entry.name) {
                return Err(bad(format!(
                    "manifest.json: table `{}` should be in tables/{}.jsonl",
                    entry.name, entry.name
                )));
            }
            known.insert(entry.name.as_str());
        }
        // Stored files first, each checked against its name (the hash of its bytes): rows
        // committed below never name a file that is not there.
        for key in &manifest.files {
            if !lz_files::is_valid_key(key) {
                return Err(bad(format!(
                    "manifest.json: `{key}` is not a stored file's name"
                )));
            }
            let path = dir.join("files").join(key);
            let bytes = std::fs::read(&path)
                .map_err(|e| bad(format!("files/{key}: cannot be read ({e})")))?;
            if lz_files::key_for(&bytes) != *key {
                return Err(bad(format!(
                    "files/{key}: its content does not match its name (changed or damaged)"
                )));
            }
            self.app
                .files
                .put(&bytes)
                .await
                .map_err(|e| AppError::internal(format!("storing files/{key}: {e}")))?;
        }
        drop(c);
        let mut tx = self.app.db.begin().await?;
        let mut rows = 0;
        for spec in TABLES.iter().filter(|t| known.contains(t.name)) {
            let columns = store::columns(&mut tx, backend, spec.name).await?;
            if spec.seeded {
                store::delete_all(&mut tx, spec.name).await?;
            }
            let file = dir.join("tables").join(format!("{}.jsonl", spec.name));
            let said = manifest
                .tables
                .iter()
                .find(|t| t.name == spec.name)
                .map_or(0, |t| t.rows);
            let loaded = load_table(&mut tx, spec, &columns, &file).await?;
            if loaded != said {
                return Err(bad(format!(
                    "tables/{}.jsonl has {loaded} rows where manifest.json says {said}: the export is incomplete or changed",
                    spec.name
                )));
            }
            rows += loaded;
        }
        crate::commit(tx).await?;
        Ok(ImportSummary {
            rows,
            files: manifest.files.len(),
        })
    }
}

/// The database's own words for a failed insert (a missing parent, a clash), without the
/// rows' values.
fn describe(e: &lz_store::StoreError) -> String {
    match e {
        lz_store::StoreError::Db(sqlx_error) => match sqlx_error.as_database_error() {
            Some(db) => db.message().to_string(),
            None => sqlx_error.to_string(),
        },
        other => other.to_string(),
    }
}

/// One row as a JSON object, keys in alphabetical order so that the same row reads the
/// same from either database.
pub(super) fn row_json(
    columns: &[Column],
    cells: Vec<Cell>,
    blanked: &[Option<Blank>],
) -> serde_json::Map<String, serde_json::Value> {
    let mut pairs: Vec<(&str, serde_json::Value)> = columns
        .iter()
        .zip(cells)
        .zip(blanked)
        .map(|((col, cell), blank)| {
            let value = match (blank, cell) {
                (Some(Blank::Empty), _) => serde_json::Value::String(String::new()),
                (Some(Blank::Null), _) | (None, Cell::Null) => serde_json::Value::Null,
                (None, Cell::Int(v)) => v.into(),
                (None, Cell::Real(v)) => serde_json::Number::from_f64(v)
                    .map(serde_json::Value::Number)
                    .unwrap_or(serde_json::Value::Null),
                (None, Cell::Text(v)) => v.into(),
            };
            (col.name.as_str(), value)
        })
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

pub(super) fn read_manifest(dir: &Path) -> AppResult<Manifest> {
    let path = dir.join("manifest.json");
    let text = std::fs::read(&path).map_err(|e| {
        bad(format!(
            "{} is not a Learning Zone export: no manifest.json ({e})",
            dir.display()
        ))
    })?;
    let manifest: Manifest = serde_json::from_slice(&text)
        .map_err(|e| bad(format!("manifest.json cannot be read: {e}")))?;
    if manifest.format != FORMAT {
        return Err(bad("manifest.json: not a Learning Zone export"));
    }
    if manifest.format_version != FORMAT_VERSION {
        return Err(bad(format!(
            "manifest.json: export format {} is not one this version reads ({FORMAT_VERSION})",
            manifest.format_version
        )));
    }
    Ok(manifest)
}

type ParsedRow = (usize, Vec<Column>, Vec<Cell>);

/// Loads one table file, its rows checked against the table's columns, in batches of rows
/// with the same columns (streamed: a table's file is never held whole), or, for a table
/// whose rows refer to each other, all at once with parents first. Returns how many rows.
async fn load_table(
    c: &mut lz_store::Conn,
    spec: &TableSpec,
    columns: &[Column],
    path: &Path,
) -> AppResult<u64> {
    let shown = format!("tables/{}.jsonl", spec.name);
    let file =
        std::fs::File::open(path).map_err(|e| bad(format!("{shown}: cannot be read ({e})")))?;
    let failed = |first: usize, last: usize, e: &lz_store::StoreError| {
        let lines = if first == last {
            format!("line {first}")
        } else {
            format!("lines {first} to {last}")
        };
        bad(format!("{shown} {lines}: not loaded ({})", describe(e)))
    };
    let mut count = 0u64;
    let mut held: Vec<ParsedRow> = Vec::new();
    let mut batch: Vec<Vec<Cell>> = Vec::new();
    let mut batch_columns: Vec<Column> = Vec::new();
    let mut batch_first = 0;
    let mut last_line = 0;
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line_no = n + 1;
        let line =
            line.map_err(|e| bad(format!("{shown} line {line_no}: cannot be read ({e})")))?;
        let Some((cols, cells)) = parse_line(&shown, spec, columns, line_no, &line)? else {
            continue;
        };
        count += 1;
        if spec.parent.is_some() {
            held.push((line_no, cols, cells));
            continue;
        }
        let full = batch.len() >= lz_store::transfer::batch_size(batch_columns.len());
        if !batch.is_empty() && (cols != batch_columns || full) {
            let rows = std::mem::take(&mut batch);
            store::insert_rows(c, spec.name, &batch_columns, rows)
                .await
                .map_err(|e| failed(batch_first, last_line, &e))?;
        }
        if batch.is_empty() {
            batch_columns = cols;
            batch_first = line_no;
        }
        batch.push(cells);
        last_line = line_no;
    }
    if !batch.is_empty() {
        store::insert_rows(c, spec.name, &batch_columns, batch)
            .await
            .map_err(|e| failed(batch_first, last_line, &e))?;
    }
    for (line, cols, cells) in in_parent_order(spec, held) {
        store::insert_row(c, spec.name, &cols, cells)
            .await
            .map_err(|e| failed(line, line, &e))?;
    }
    Ok(count)
}

/// One line of a table file checked against the table's columns: a column this version
/// does not have, or a value of the wrong kind, is refused with its line. A column the line
/// leaves out takes the column's default (an export from an older version). `None` for a
/// blank line.
fn parse_line(
    shown: &str,
    spec: &TableSpec,
    columns: &[Column],
    line_no: usize,
    line: &str,
) -> AppResult<Option<(Vec<Column>, Vec<Cell>)>> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
        .map_err(|e| bad(format!("{shown} line {line_no}: not a JSON object ({e})")))?;
    let mut cols = Vec::with_capacity(object.len());
    let mut cells = Vec::with_capacity(object.len());
    for (key, value) in object {
        let Some(col) = columns.iter().find(|c| c.name == key) else {
            return Err(bad(format!(
                "{shown} line {line_no}: `{key}` is not a column of {}",
                spec.name
            )));
        };
        let cell = match (col.kind, value) {
            (_, serde_json::Value::Null) => Cell::Null,
            (Kind::Int, serde_json::Value::Number(n)) if n.is_i64() => {
                Cell::Int(n.as_i64().unwrap_or_default())
            }
            (Kind::Real, serde_json::Value::Number(n)) => match n.as_f64() {
                Some(v) => Cell::Real(v),
                None => Cell::Null,
            },
            (Kind::Text, serde_json::Value::String(s)) => Cell::Text(s),
            (kind, _) => {
                let wanted = match kind {
                    Kind::Int => "a whole number",
                    Kind::Real => "a number",
                    Kind::Text => "text",
                };
                return Err(bad(format!(
                    "{shown} line {line_no}: `{key}` should be {wanted} or null"
                )));
            }
        };
        cols.push(col.clone());
        cells.push(cell);
    }
    Ok(Some((cols, cells)))
}

/// Rows ordered so that a row's parent (same table) is inserted before it.
fn in_parent_order(spec: &TableSpec, rows: Vec<ParsedRow>) -> Vec<ParsedRow> {
    let Some(parent) = spec.parent else {
        return rows;
    };
    // The key a parent column refers to is the table's first column (`id`, `code`).
    let key_of = |(_, cols, cells): &ParsedRow, name: Option<&str>| -> Option<String> {
        let i = match name {
            Some(n) => cols.iter().position(|c| c.name == n)?,
            None => 0,
        };
        match cells.get(i) {
            Some(Cell::Text(s)) => Some(s.clone()),
            _ => None,
        }
    };
    let key_column = rows
        .first()
        .and_then(|(_, cols, _)| cols.iter().find(|c| c.name == "id" || c.name == "code"))
        .map(|c| c.name.clone());
    let all: HashSet<String> = rows
        .iter()
        .filter_map(|r| key_of(r, key_column.as_deref()))
        .collect();
    let mut done: HashSet<String> = HashSet::new();
    let mut ordered = Vec::with_capacity(rows.len());
    let mut waiting = rows;
    loop {
        let before = waiting.len();
        let (ready, rest): (Vec<_>, Vec<_>) = waiting.into_iter().partition(|r| {
            match key_of(r, Some(parent)) {
                // A parent outside the export is left for the database to refuse.
                Some(p) => done.contains(&p) || !all.contains(&p),
                None => true,
            }
        });
        for r in &ready {
            if let Some(k) = key_of(r, key_column.as_deref()) {
                done.insert(k);
            }
        }
        ordered.extend(ready);
        waiting = rest;
        if waiting.is_empty() || waiting.len() == before {
            // A cycle: the rest go as they are and the database says which fails.
            ordered.extend(waiting);
            return ordered;
        }
    }
}
