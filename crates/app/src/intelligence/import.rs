//! Importing indicator data: a Fingertips CSV, the tidy CSV template or the IoD summary sheet
//! (XLSX) is read row by row (`lz_domain::intelligence::TableReader`), checked against the
//! areas we know, and shown for review with its flags. Nothing is saved until a person
//! confirms: the upload is staged (the file in storage, a row saying it waits) and saving is
//! one transaction in which an observation already held with the same values is left alone
//! (re-importing a file changes nothing) and one with other values is replaced, the old
//! values kept in history.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use lz_domain::intelligence::{
    FlagKind, Format, IndicatorDef, Parsed, ParsedObservation, Polarity, RowFlag, TableReader,
};
use lz_store::intelligence::{self as store, NewObservation};

use super::{Intelligence, IntelligenceAccess};
use crate::{new_id, Actor, AppError, AppResult, Audit, Context};

/// Where an import's rows come from.
pub enum ImportSource<'a> {
    /// An upload (already bounded by the upload limit).
    Bytes { name: &'a str, bytes: &'a [u8] },
    /// A file on disk (the command line): a CSV is streamed, never read whole.
    File(&'a Path),
}

/// The largest an XLSX may grow when unzipped: a small file that expands to gigabytes (a
/// "zip bomb") is refused before it is read.
const MAX_XLSX_UNZIPPED: u64 = 100 * 1024 * 1024;

/// Flags of one kind, for the review screen: a heading, how many, and the first few.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PreviewFlagGroup {
    pub kind: FlagKind,
    pub heading: &'static str,
    pub count: usize,
    pub flags: Vec<RowFlag>,
}

/// What a file holds, for review (the page, the API's dry run, `--dry-run`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportPreview {
    pub import_id: Option<String>,
    pub file_name: String,
    pub format: Format,
    pub format_label: &'static str,
    pub rows_read: u64,
    pub rows_skipped: u64,
    pub indicators: Vec<IndicatorDef>,
    /// (code, name as in the file, known to us)
    pub areas: Vec<(String, String, bool)>,
    pub periods: Vec<String>,
    pub observations: usize,
    pub missing_values: usize,
    pub flags: Vec<RowFlag>,
    pub flag_groups: Vec<PreviewFlagGroup>,
    #[serde(skip)]
    pub(crate) parsed: Parsed,
}

impl ImportPreview {
    pub fn flagged(&self) -> bool {
        !self.flags.is_empty()
    }

    /// The command line's and the API's JSON: indicators, observations and flags, numbers
    /// as JSON numbers and missing values as null.
    pub fn to_json(&self) -> serde_json::Value {
        let indicators: Vec<serde_json::Value> = self
            .indicators
            .iter()
            .map(|i| {
                serde_json::json!({
                    "source": i.source, "source_id": i.source_id, "name": i.name, "unit": i.unit,
                    "polarity": i.polarity.map(Polarity::code), "age": i.age,
                })
            })
            .collect();
        let observations: Vec<serde_json::Value> = self
            .parsed
            .observations
            .iter()
            .map(|o| {
                serde_json::json!({
                    "row": o.row, "indicator": o.indicator, "area_code": o.area_code.as_str(),
                    "area_name": o.area_name, "period": o.period.label, "sex": o.sex, "age": o.age,
                    "value": o.value, "lower_ci95": o.lower_ci95, "upper_ci95": o.upper_ci95,
                    "count": o.count, "denominator": o.denominator, "note": o.note,
                })
            })
            .collect();
        let flags: Vec<serde_json::Value> = self
            .flags
            .iter()
            .map(|f| serde_json::json!({ "row": f.row, "kind": f.kind, "message": f.message }))
            .collect();
        serde_json::json!({
            "format": self.format, "rows_read": self.rows_read, "rows_skipped": self.rows_skipped,
            "indicators": indicators, "observations": observations, "flags": flags,
        })
    }
}

/// What saving changed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportSaved {
    pub import_id: String,
    pub added: u64,
    pub replaced: u64,
    pub unchanged: u64,
    pub areas_added: u64,
    /// (id, name)
    pub indicators: Vec<(String, String)>,
}

fn file_error(message: impl Into<String>) -> AppError {
    AppError::field("file", message)
}

/// A reader that notes where each line ends, so that a record's line number can be told from
/// its byte offset: the csv crate skips blank lines without counting them, and a flag must
/// name the line a person sees in their editor. Offsets are dropped as records pass them, so
/// only the parser's read-ahead is held.
struct LineEnds<R> {
    inner: R,
    offset: u64,
    /// Each line's terminator: where it starts ("\r\n" from its "\r") and where its "\n" is.
    ends: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<(u64, u64)>>>,
    last_was_cr: bool,
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut ends = self.ends.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            if *b == b'\n' {
                ends.push_back((if self.last_was_cr { at - 1 } else { at }, at));
            }
            self.last_was_cr = *b == b'\r';
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Reads every row of a CSV through the table reader. A quoted value that runs over lines
/// means a quote was never closed (no indicator file has line breaks inside a value).
fn read_csv<R: Read>(reader: R) -> AppResult<Parsed> {
    let ends = std::rc::Rc::new(std::cell::RefCell::new(std::collections::VecDeque::<(
        u64,
        u64,
    )>::new()));
    let mut line_of_last = 1u64;
    // The csv crate may give a record the offset of the blank lines before it: a line
    // terminator right where a record starts is a blank line, passed over too.
    let mut line_at = |mut byte: u64| {
        let mut ends = ends.borrow_mut();
        while let Some((start, newline)) = ends.front().copied().filter(|e| e.0 <= byte) {
            ends.pop_front();
            line_of_last += 1;
            if start == byte {
                byte = newline + 1;
            }
        }
        line_of_last
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineEnds {
            inner: reader,
            offset: 0,
            ends: ends.clone(),
            last_was_cr: false,
        });
    let mut record = csv::StringRecord::new();
    let mut table: Option<TableReader> = None;
    loop {
        let more = csv.read_record(&mut record).map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            match e.kind() {
                csv::ErrorKind::Utf8 { .. } => file_error(format!(
                    "Line {line} is not text we can read: save the file as “CSV UTF-8” and upload it again"
                )),
                _ => file_error(format!("Line {line} of the CSV cannot be read: {e}")),
            }
        })?;
        if !more {
            break;
        }
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        if record.iter().any(|c| c.contains(['\n', '\r'])) {
            return Err(file_error(format!(
                "Line {line}: a quoted value runs over several lines, so a quote is probably not closed. Check the quotes on that line"
            )));
        }
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        match table.as_mut() {
            None => {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                table = Some(TableReader::new(&cells).map_err(|e| file_error(e.to_string()))?);
            }
            Some(t) => {
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                t.push(line, &cells)
                    .map_err(|e| file_error(e.to_string()))?;
            }
        }
    }
    table
        .map(TableReader::finish)
        .ok_or_else(|| file_error("The file is empty"))
}

/// Reads the IoD summary sheet (the sheet named "IMD", else the first). The archive is
/// measured before it is opened, and formulas are refused: a figure must be a value someone
/// can check, not a calculation that may point anywhere.
fn read_xlsx(bytes: &[u8]) -> AppResult<Parsed> {
    use calamine::Reader;
    let bad = |why: &str| file_error(format!("The spreadsheet cannot be read: {why}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad("it is not an XLSX file"))?;
    let mut unzipped: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| bad("it is damaged"))?;
        unzipped = unzipped.saturating_add(entry.size());
    }
    if unzipped > MAX_XLSX_UNZIPPED {
        return Err(file_error(
            "The spreadsheet is too large once unpacked (over 100 MB): upload the one sheet of figures",
        ));
    }
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e.to_string()))?;
    let names = book.sheet_names().to_vec();
    let name = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case("IMD"))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| bad("it has no sheets"))?;
    let formulas = book
        .worksheet_formula(&name)
        .map_err(|e| bad(&e.to_string()))?;
    if let Some((row, col, _)) = formulas.used_cells().find(|(_, _, f)| !f.trim().is_empty()) {
        let (r, c) = (
            formulas.start().map(|s| s.0).unwrap_or(0) as usize + row,
            col,
        );
        return Err(file_error(format!(
            "The sheet “{name}” has formulas (the first in cell {}{}): copy the sheet and paste values only, then upload it again",
            column_letters(c + formulas.start().map(|s| s.1 as usize).unwrap_or(0)),
            r + 1
        )));
    }
    let sheet = book
        .worksheet_range(&name)
        .map_err(|e| bad(&e.to_string()))?;
    let first_row = sheet.start().map(|s| s.0 as u64).unwrap_or(0);
    let mut table: Option<TableReader> = None;
    for (i, row) in sheet.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = first_row + i as u64 + 1;
        match table.as_mut() {
            None => match TableReader::new(&cells) {
                Ok(t) => table = Some(t),
                // Title rows above the headings are skipped, as far as the tenth row.
                Err(e) if i >= 10 => return Err(file_error(e.to_string())),
                Err(_) => continue,
            },
            Some(t) => t
                .push(line, &cells)
                .map_err(|e| file_error(e.to_string()))?,
        }
    }
    table
        .map(TableReader::finish)
        .ok_or_else(|| file_error("The sheet has no row of headings we recognise"))
}

fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads an upload on a blocking thread (a large CSV takes a while to read).
async fn read_bytes_apart(bytes: Vec<u8>) -> AppResult<Parsed> {
    tokio::task::spawn_blocking(move || {
        read_source(&ImportSource::Bytes {
            name: "",
            bytes: &bytes,
        })
    })
    .await
    .context("reading the upload")?
}

/// Reads an upload or a file into rows, whatever its format.
pub(crate) fn read_source(source: &ImportSource<'_>) -> AppResult<Parsed> {
    match source {
        ImportSource::Bytes { bytes, .. } => {
            if bytes.starts_with(b"PK\x03\x04") {
                return read_xlsx(bytes);
            }
            not_binary(&bytes[..bytes.len().min(4096)])?;
            read_csv(*bytes)
        }
        ImportSource::File(path) => {
            let mut file = std::fs::File::open(path)
                .map_err(|e| file_error(format!("{} cannot be opened: {e}", path.display())))?;
            let mut head = [0u8; 4096];
            let n = read_head(&mut file, &mut head)?;
            if head[..n].starts_with(b"PK\x03\x04") {
                let bytes = std::fs::read(path)
                    .map_err(|e| file_error(format!("{} cannot be read: {e}", path.display())))?;
                return read_xlsx(&bytes);
            }
            not_binary(&head[..n])?;
            let rest = std::io::BufReader::new(file);
            read_csv(std::io::Cursor::new(head[..n].to_vec()).chain(rest))
        }
    }
}

fn read_head(file: &mut std::fs::File, buf: &mut [u8]) -> AppResult<usize> {
    let mut n = 0;
    while n < buf.len() {
        let got = file.read(&mut buf[n..]).context("reading the file")?;
        if got == 0 {
            break;
        }
        n += got;
    }
    Ok(n)
}

/// A PDF, an image or a Word file is not a CSV: say so rather than report odd headings.
fn not_binary(head: &[u8]) -> AppResult<()> {
    if head.contains(&0) || head.starts_with(b"%PDF") || head.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(file_error(
            "The file is not a CSV or an XLSX spreadsheet: upload a Fingertips CSV export, the template filled in, or the IoD summary sheet",
        ));
    }
    Ok(())
}

impl Intelligence<'_> {
    /// Reads a file and checks it against the areas we know, saving nothing.
    pub async fn preview(
        &self,
        actor: Option<&Actor>,
        source: &ImportSource<'_>,
    ) -> AppResult<ImportPreview> {
        if let Some(a) = actor {
            IntelligenceAccess::require_import(Some(a))?;
        }
        let name = match source {
            ImportSource::Bytes { name, .. } => (*name).to_string(),
            ImportSource::File(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        // Reading a large file is slow work: keep it off the async threads.
        let parsed = match source {
            ImportSource::Bytes { bytes, .. } => read_bytes_apart(bytes.to_vec()).await?,
            ImportSource::File(p) => {
                let path = p.to_path_buf();
                tokio::task::spawn_blocking(move || read_source(&ImportSource::File(&path)))
                    .await
                    .context("reading the file")??
            }
        };
        self.review(name, parsed).await
    }

    /// Adds the flags only the database can raise (areas unknown or ended), and the summary.
    async fn review(&self, file_name: String, mut parsed: Parsed) -> AppResult<ImportPreview> {
        let known: HashMap<String, super::AreaRecord> = self
            .areas()
            .await?
            .into_iter()
            .map(|a| (a.code.as_str().to_string(), a))
            .collect();
        let mut areas: BTreeMap<String, (String, bool)> = BTreeMap::new();
        let mut periods: Vec<(String, String)> = Vec::new();
        let mut seen_periods = BTreeSet::new();
        let mut missing = 0;
        let mut extra = Vec::new();
        let mut unknown_told = BTreeSet::new();
        for o in &parsed.observations {
            let code = o.area_code.as_str();
            let is_known = known.contains_key(code);
            areas
                .entry(code.to_string())
                .or_insert_with(|| (o.area_name.clone(), is_known));
            if seen_periods.insert(o.period.label.clone()) {
                periods.push((o.period.start.to_string(), o.period.label.clone()));
            }
            if o.value.is_none() {
                missing += 1;
            }
            match known.get(code) {
                None => {
                    if unknown_told.insert(code.to_string()) {
                        extra.push(RowFlag {
                            row: o.row,
                            kind: FlagKind::UnknownArea,
                            message: format!(
                                "{code} ({}) is not an area we know yet: saving adds it with this name",
                                o.area_name
                            ),
                        });
                    }
                }
                Some(area) => {
                    let start = o.period.start.to_string();
                    let end = o.period.end.to_string();
                    let ended = area.valid_to.as_deref().is_some_and(|t| t < start.as_str());
                    let not_yet = area.valid_from.as_deref().is_some_and(|f| f > end.as_str());
                    if ended || not_yet {
                        extra.push(RowFlag {
                            row: o.row,
                            kind: FlagKind::EndedArea,
                            message: format!(
                                "{} ({code}) {} but the row gives a value for {}",
                                area.name,
                                if ended {
                                    format!("ended on {}", area.valid_to.as_deref().unwrap_or(""))
                                } else {
                                    format!("began on {}", area.valid_from.as_deref().unwrap_or(""))
                                },
                                o.period.label
                            ),
                        });
                    }
                }
            }
        }
        parsed.flags.extend(extra);
        parsed.flags.sort_by_key(|f| f.row);
        periods.sort();
        let mut groups: Vec<PreviewFlagGroup> = Vec::new();
        for f in &parsed.flags {
            match groups.iter_mut().find(|g| g.kind == f.kind) {
                Some(g) => {
                    g.count += 1;
                    if g.flags.len() < 20 {
                        g.flags.push(f.clone());
                    }
                }
                None => groups.push(PreviewFlagGroup {
                    kind: f.kind,
                    heading: f.kind.heading(),
                    count: 1,
                    flags: vec![f.clone()],
                }),
            }
        }
        Ok(ImportPreview {
            import_id: None,
            file_name,
            format: parsed.format,
            format_label: parsed.format.label(),
            rows_read: parsed.rows_read,
            rows_skipped: parsed.rows_skipped,
            indicators: parsed.indicators.clone(),
            areas: areas.into_iter().map(|(c, (n, k))| (c, n, k)).collect(),
            periods: periods.into_iter().map(|(_, l)| l).collect(),
            observations: parsed.observations.len(),
            missing_values: missing,
            flags: parsed.flags.clone(),
            flag_groups: groups,
            parsed,
        })
    }

    /// Reads an upload and stages it for review: the file is kept, nothing else is saved.
    pub async fn stage(&self, actor: &Actor, name: &str, bytes: &[u8]) -> AppResult<ImportPreview> {
        IntelligenceAccess::require_import(Some(actor))?;
        let file_name = clean_file_name(name);
        let mut preview = self
            .preview(
                Some(actor),
                &ImportSource::Bytes {
                    name: &file_name,
                    bytes,
                },
            )
            .await?;
        if preview.observations == 0 {
            return Err(file_error(
                "The file has headings we recognise but no rows we could read: check the flags below each heading and upload it again",
            ));
        }
        let key = self
            .app
            .files
            .put(bytes)
            .await
            .context("keeping the upload")?;
        let id = new_id();
        let mut c = self.app.db.acquire().await?;
        store::insert_import(
            &mut c,
            &store::NewImport {
                id: &id,
                file_name: &preview.file_name,
                storage_key: &key,
                format: format_code(preview.format),
                rows_read: preview.rows_read as i64,
                observations: preview.observations as i64,
                flags: preview.flags.len() as i64,
                created_by: Some(actor.id()),
            },
            self.app.now(),
        )
        .await?;
        preview.import_id = Some(id);
        Ok(preview)
    }

    /// A staged import, read again for its review page. Only the person who uploaded it (or
    /// a network admin) sees it.
    pub async fn staged(&self, actor: &Actor, id: &str) -> AppResult<ImportPreview> {
        let row = self.staged_row(actor, id).await?;
        let bytes = self
            .app
            .files
            .get(&row.storage_key)
            .await
            .context("reading the staged upload")?;
        let parsed = read_bytes_apart(bytes).await?;
        let mut preview = self.review(row.file_name, parsed).await?;
        preview.import_id = Some(row.id);
        Ok(preview)
    }

    async fn staged_row(&self, actor: &Actor, id: &str) -> AppResult<store::ImportRow> {
        IntelligenceAccess::require_import(Some(actor))?;
        let mut c = self.app.db.acquire().await?;
        let row = store::import(&mut c, id).await?.ok_or(AppError::NotFound)?;
        if row.created_by.as_deref() != Some(actor.id()) && !actor.administers_network() {
            return Err(AppError::NotFound);
        }
        if row.status != "staged" {
            return Err(AppError::Conflict(format!(
                "This upload was already {}: upload the file again to import it",
                row.status
            )));
        }
        Ok(row)
    }

    /// Saves a staged import: flagged rows need `confirmed`.
    pub async fn save_staged(
        &self,
        actor: &Actor,
        id: &str,
        confirmed: bool,
    ) -> AppResult<ImportSaved> {
        let preview = self.staged(actor, id).await?;
        if preview.flagged() && !confirmed {
            return Err(AppError::field(
                "confirmed",
                "Check the flagged rows, then confirm that the figures may be saved as read",
            ));
        }
        self.save(Some(actor), id, &preview, false).await
    }

    pub async fn discard_staged(&self, actor: &Actor, id: &str) -> AppResult<()> {
        self.staged_row(actor, id).await?;
        let mut tx = self.app.db.begin().await?;
        store::discard_import(&mut tx, id, self.app.now()).await?;
        Audit::new(
            Some(actor.id()),
            "indicators.discard",
            ("indicator_import", id),
            "",
        )
        .commit(tx, self.app.now())
        .await
    }

    /// Saves what `preview` read from a file on disk (the command line, which has printed
    /// it), so that the file is read once; flags need `confirmed`.
    pub async fn save_preview(
        &self,
        preview: &ImportPreview,
        confirmed: bool,
    ) -> AppResult<ImportSaved> {
        if preview.flagged() && !confirmed {
            return Err(AppError::field(
                "confirmed",
                "The file has flags: read them with --dry-run, then import with --accept-flags",
            ));
        }
        self.save_unstaged(preview, "", false).await
    }

    /// The demo's figures, saved at once through the same reader; `illustrative` marks every
    /// value saved as not official.
    pub(crate) async fn import_bytes_now(
        &self,
        name: &str,
        bytes: &[u8],
        illustrative: bool,
    ) -> AppResult<ImportSaved> {
        let preview = self
            .preview(None, &ImportSource::Bytes { name, bytes })
            .await?;
        let key = self
            .app
            .files
            .put(bytes)
            .await
            .context("keeping the demo file")?;
        self.save_unstaged(&preview, &key, illustrative).await
    }

    async fn save_unstaged(
        &self,
        preview: &ImportPreview,
        storage_key: &str,
        illustrative: bool,
    ) -> AppResult<ImportSaved> {
        let id = new_id();
        let mut c = self.app.db.acquire().await?;
        store::insert_import(
            &mut c,
            &store::NewImport {
                id: &id,
                file_name: &preview.file_name,
                storage_key,
                format: format_code(preview.format),
                rows_read: preview.rows_read as i64,
                observations: preview.observations as i64,
                flags: preview.flags.len() as i64,
                created_by: None,
            },
            self.app.now(),
        )
        .await?;
        drop(c);
        self.save(None, &id, preview, illustrative).await
    }

    /// One transaction: indicators, new areas, observations (added, replaced with history,
    /// or left alone when unchanged), the import marked saved, the audit entry.
    async fn save(
        &self,
        actor: Option<&Actor>,
        import_id: &str,
        preview: &ImportPreview,
        illustrative: bool,
    ) -> AppResult<ImportSaved> {
        let now = self.app.now();
        let parsed = &preview.parsed;
        let mut tx = self.app.db.begin().await?;
        // Indicators first: their ids key the observations.
        let mut ids: HashMap<String, String> = HashMap::new();
        let mut indicators = Vec::new();
        for def in &parsed.indicators {
            let new_id = new_id();
            let id = store::upsert_indicator(
                &mut tx,
                &store::NewIndicator {
                    id: &new_id,
                    source: &def.source,
                    source_id: &def.source_id,
                    name: &def.name,
                    unit: &def.unit,
                    polarity: def.polarity.unwrap_or(Polarity::NoJudgement).code(),
                    age: &def.age,
                    licence: &def.licence,
                    attribution: &def.attribution,
                    definition_url: &def.definition_url,
                    key_indicator: false,
                },
                now,
            )
            .await?;
            indicators.push((id.clone(), def.name.clone()));
            ids.insert(def.source_id.clone(), id);
        }
        let areas_added = add_new_areas(&mut tx, &parsed.observations, now).await?;
        let (mut added, mut replaced, mut unchanged) = (0u64, 0u64, 0u64);
        let mut inserts: Vec<NewObservation> = Vec::new();
        for (source_id, indicator_id) in &ids {
            let stored: HashMap<(String, String, String, String), store::StoredValue> =
                store::stored_values(&mut tx, indicator_id)
                    .await?
                    .into_iter()
                    .map(|s| {
                        (
                            (
                                s.area_code.clone(),
                                s.period.clone(),
                                s.sex.clone(),
                                s.age.clone(),
                            ),
                            s,
                        )
                    })
                    .collect();
            for o in parsed
                .observations
                .iter()
                .filter(|o| &o.indicator == source_id)
            {
                let mut new = new_observation(o, indicator_id, &preview.file_name, import_id, now);
                new.illustrative = illustrative;
                let key = (
                    new.area_code.clone(),
                    new.period.clone(),
                    new.sex.clone(),
                    new.age.clone(),
                );
                match stored.get(&key) {
                    None => {
                        added += 1;
                        inserts.push(new);
                    }
                    Some(s) if same_values(s, &new) => unchanged += 1,
                    Some(s) => {
                        replaced += 1;
                        store::replace_observation(&mut tx, &s.id, &new_id(), &new, now).await?;
                    }
                }
            }
        }
        store::insert_observations(&mut tx, &inserts, now).await?;
        for indicator_id in ids.values() {
            store::refresh_indicator_summary(&mut tx, indicator_id).await?;
        }
        if !store::mark_import_saved(
            &mut tx,
            import_id,
            added as i64,
            replaced as i64,
            unchanged as i64,
            now,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "This upload was saved or discarded meanwhile: nothing more was saved".into(),
            ));
        }
        let detail = format!(
            "{}: {added} added, {replaced} replaced, {unchanged} unchanged",
            preview.file_name
        );
        Audit::new(
            actor.map(Actor::id),
            "indicators.import",
            ("indicator_import", import_id),
            &detail,
        )
        .commit(tx, now)
        .await?;
        Ok(ImportSaved {
            import_id: import_id.to_string(),
            added,
            replaced,
            unchanged,
            areas_added,
            indicators,
        })
    }
}

/// An uploaded file's name as shown and stored: no path, no control or direction characters,
/// at most 120 characters.
fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let name: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .take(120)
        .collect();
    if name.trim().is_empty() {
        "upload.csv".into()
    } else {
        name.trim().to_string()
    }
}

pub(crate) fn format_code(f: Format) -> &'static str {
    match f {
        Format::Fingertips => "fingertips",
        Format::Tidy => "tidy",
        Format::ImdSummary => "imd_summary",
    }
}

fn new_observation(
    o: &ParsedObservation,
    indicator_id: &str,
    file_name: &str,
    import_id: &str,
    now: i64,
) -> NewObservation {
    NewObservation {
        id: new_id(),
        indicator_id: indicator_id.to_string(),
        area_code: o.area_code.as_str().to_string(),
        period: o.period.label.clone(),
        period_start: o.period.start.to_string(),
        period_end: o.period.end.to_string(),
        sex: o.sex.clone(),
        age: o.age.clone(),
        value: o.value,
        lower_ci95: o.lower_ci95,
        upper_ci95: o.upper_ci95,
        count: o.count,
        denominator: o.denominator,
        note: o.note.clone(),
        compared_to_england: o.compared_to_england.map(|c| c.code().to_string()),
        illustrative: false,
        source_file: file_name.to_string(),
        source_row: o.row as i64,
        retrieved_at: now,
        import_id: Some(import_id.to_string()),
    }
}

/// Equal when every figure and the note are the same (a value read twice from the same text
/// parses to the same number, so exact comparison is right here).
fn same_values(s: &store::StoredValue, n: &NewObservation) -> bool {
    s.value == n.value
        && s.lower_ci95 == n.lower_ci95
        && s.upper_ci95 == n.upper_ci95
        && s.count == n.count
        && s.denominator == n.denominator
        && s.note.as_deref().unwrap_or("") == n.note.as_deref().unwrap_or("")
}

/// Adds the areas (and their parents) a file names that we do not know yet, with the names
/// the file gives; parents are set once every new area exists.
async fn add_new_areas(
    tx: &mut lz_store::Tx<'_>,
    observations: &[ParsedObservation],
    now: i64,
) -> AppResult<u64> {
    let mut wanted: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    for o in observations {
        if let Some(p) = &o.parent_code {
            wanted
                .entry(p.as_str().to_string())
                .or_insert_with(|| (o.parent_name.clone(), None));
        }
        let entry = wanted
            .entry(o.area_code.as_str().to_string())
            .or_insert_with(|| (o.area_name.clone(), None));
        if entry.1.is_none() {
            entry.1 = o.parent_code.as_ref().map(|p| p.as_str().to_string());
        }
        if entry.0.is_empty() {
            entry.0 = o.area_name.clone();
        }
    }
    let mut added = Vec::new();
    for (code, (name, _)) in &wanted {
        let Ok(gss) = lz_domain::intelligence::GssCode::parse(code) else {
            continue;
        };
        let name = if name.trim().is_empty() {
            code.as_str()
        } else {
            name.as_str()
        };
        let new = store::insert_area_if_new(
            tx,
            &store::NewArea {
                code,
                name,
                area_type: lz_domain::intelligence::AreaType::from_gss(&gss).code(),
                parent_code: None,
                valid_from: None,
                valid_to: None,
            },
            now,
        )
        .await?;
        if new {
            added.push(code.clone());
        }
    }
    for code in &added {
        if let Some((_, Some(parent))) = wanted.get(code) {
            if parent != code {
                store::set_area_parent(tx, code, parent).await?;
            }
        }
    }
    Ok(added.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Indicator ID,Indicator Name,Area Code,Area Name,Time period,Value";

    #[test]
    fn a_csv_is_read_with_line_numbers_and_a_broken_quote_is_named() {
        let csv = format!("{HEADER}\n93015,Inactive,E06000009,Blackpool,2018/19,26.8\n\n93015,Inactive,E07000117,Burnley,2018/19,29.5\n");
        let parsed = read_csv(csv.as_bytes()).expect("read");
        let rows: Vec<u64> = parsed.observations.iter().map(|o| o.row).collect();
        assert_eq!(
            rows,
            vec![2, 4],
            "blank lines are skipped, line numbers kept"
        );

        let broken = format!("{HEADER}\n93015,\"Inactive,E06000009,Blackpool,2018/19,26.8\n93015,Inactive,E07000117,Burnley,2018/19,29.5\n");
        let err = read_csv(broken.as_bytes()).expect_err("broken quote");
        assert!(
            format!("{err:?}").contains("Line 2: a quoted value runs over several lines"),
            "{err:?}"
        );

        assert!(read_csv("".as_bytes()).is_err(), "an empty file");
        let latin1 = [
            HEADER.as_bytes(),
            b"\n93015,Caf\xe9,E06000009,Blackpool,2018/19,26.8\n",
        ]
        .concat();
        let err = read_csv(&latin1[..]).expect_err("not UTF-8");
        assert!(format!("{err:?}").contains("CSV UTF-8"), "{err:?}");
    }

    #[test]
    fn binary_files_are_not_csv() {
        assert!(not_binary(b"%PDF-1.7").is_err());
        assert!(not_binary(b"\xD0\xCF\x11\xE0legacy excel").is_err());
        assert!(not_binary(b"a,b\0,c").is_err());
        assert!(not_binary(HEADER.as_bytes()).is_ok());
    }

    #[test]
    fn file_names_lose_paths_and_direction_characters() {
        assert_eq!(clean_file_name("C:\\Users\\ana\\93015.csv"), "93015.csv");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("exe.\u{202E}vsc.csv"), "exe.vsc.csv");
        assert_eq!(
            clean_file_name("\u{200B}"),
            "\u{200B}",
            "a zero-width space alone is kept visible-ish"
        );
        assert_eq!(clean_file_name("  "), "upload.csv");
        assert_eq!(clean_file_name(&"a".repeat(500)).chars().count(), 120);
    }

    #[test]
    fn spreadsheet_columns_are_lettered() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
