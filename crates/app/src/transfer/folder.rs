//! A folder of documents (one ZIP of PDF, Word, PowerPoint and Excel files, as a shared drive
//! holds them) brought in as drafts, one per file: titled and dated from each document's own
//! properties where it has them (else from the file name), its text read for search, and the
//! lot listed together so that its uploader sets kind, themes, place and organisation for many
//! at once and submits them for review.
//!
//! Whole-folder problems (not a ZIP, a name pointing outside the folder, a link, a bomb, too
//! many entries) refuse everything; a file that is empty, protected, damaged or of another
//! kind is listed with its reason and the rest come in. The drafts are written in **one
//! transaction**, after every file was read: nothing is half imported. The files of a folder
//! are read one at a time from the ZIP (a blocking task) and each is read (text, title, date)
//! in the extraction child, as many at once as the machine has cores.

use std::collections::HashSet;
use std::io::{Read, Seek};

use lz_domain::library::{ItemKind, ItemStatus};
use lz_files::{ExtractLimits, FileError, FileKind, FolderEntry, FolderLimits};
use lz_store::library::{self as store, ItemContent, NewAttachment};

use super::{access, Transfer};
use crate::library::ItemView;
use crate::{new_id, Actor, App, AppError, AppResult, Audit};

/// Text kept per document: enough for search to find it by any passage a person remembers.
pub const MAX_TEXT_CHARS: usize = 200_000;
/// Text one import holds before its transaction. Past it, the rest of the folder's documents
/// are saved with their text waiting, and the server's extractor reads it afterwards, so that a
/// folder of small files full of text cannot hold gigabytes.
const TEXT_BUDGET_BYTES: usize = 64 << 20;
/// How a folder's drafts are keyed: `folder:<batch>:<position>`.
const KEY_PREFIX: &str = "folder:";

/// The bounds of one folder under this configuration.
pub fn limits(config: &crate::Config) -> FolderLimits {
    FolderLimits {
        max_file_bytes: config.max_upload_bytes as u64,
        max_unpacked_bytes: config.max_folder_unpacked_bytes,
        ..FolderLimits::default()
    }
}

/// What the uploader chose before sending the folder.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct FolderChoices {
    /// The organisation the drafts belong to; empty for the uploader's first.
    #[serde(default)]
    pub organisation_id: String,
}

/// A file of the folder that did not become a draft, and why (said for its uploader).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RefusedFile {
    pub path: String,
    pub reason: String,
}

/// One draft made from a file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FolderDraft {
    pub id: String,
    pub title: String,
    pub path: String,
    /// The title and date came from the document's properties (not its file name).
    pub titled_from_properties: bool,
    pub original_date: Option<String>,
}

/// What one import did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FolderImported {
    pub batch: String,
    pub drafts: Vec<FolderDraft>,
    pub refused: Vec<RefusedFile>,
    /// Leftovers of a computer (`.DS_Store`, `__MACOSX/`, `Thumbs.db`) passed over.
    pub passed_over: usize,
    /// The same ZIP was brought in before by the same person and its drafts are still here:
    /// nothing new was made, and `drafts` are those (`refused` is not known again).
    pub already_here: bool,
}

/// The drafts of one folder, as their uploader sees them now.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FolderBatch {
    pub batch: String,
    pub items: Vec<FolderBatchItem>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FolderBatchItem {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub status: String,
    pub status_label: &'static str,
    pub original_date: Option<String>,
    pub organisation_name: String,
    pub place_name: Option<String>,
    pub file_name: Option<String>,
    /// "done", "failed", "none" or "pending".
    pub text_status: Option<String>,
}

/// One folder a person brought in, for their own list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FolderSummary {
    pub batch: String,
    pub items: usize,
    pub drafts: usize,
    pub brought_in_on: String,
    pub brought_in_at: i64,
}

/// What to do with the chosen drafts of a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FolderAction {
    /// Set what was chosen (kind, themes added, place, organisation).
    Apply,
    /// The same, then submit each for review.
    Submit,
    /// Delete the drafts (soft: they stay in the audit trail).
    Discard,
}

/// A change to many drafts at once; empty fields leave each draft's own value.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FolderChange {
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub kind: String,
    /// Term ids added to each draft's own.
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub place_id: String,
    #[serde(default)]
    pub organisation_id: String,
    pub action: Option<FolderAction>,
    /// Discarding needs this said (the page asks first).
    #[serde(default)]
    pub confirmed: bool,
}

/// A file read and stored, ready to become a draft.
struct Ready {
    /// The text was left for the server's extractor (the import's text budget was spent).
    text_waiting: bool,
    path: String,
    name: String,
    kind: FileKind,
    size: u64,
    key: String,
    doc: lz_files::DocumentText,
}

enum Outcome {
    Ready(Box<Ready>),
    Refused(RefusedFile),
}

impl Transfer<'_> {
    /// Brings a folder (a ZIP, read from `reader`) in as drafts of `actor`'s.
    pub async fn import_folder<R>(
        &self,
        actor: &Actor,
        reader: R,
        choices: &FolderChoices,
    ) -> AppResult<FolderImported>
    where
        R: Read + Seek + Send + 'static,
    {
        access::require_import_folder(actor)?;
        let actor_key = actor.id().to_string();
        let (organisation_id, place_id) =
            self.folder_owner(actor, &choices.organisation_id).await?;
        // The same ZIP from the same person is the same folder: sent again (a reload of the
        // result page, a second click), it shows the drafts already made instead of a copy.
        let (reader, batch) = tokio::task::spawn_blocking(move || batch_of(actor_key, reader))
            .await
            .map_err(|e| AppError::internal(format!("reading the folder: {e}")))?
            .map_err(|e| {
                AppError::fault(anyhow::Error::new(e).context("reading the uploaded folder"))
            })?;
        let here = {
            let mut c = self.app.db.acquire().await?;
            store::folder_items(&mut c, &format!("{KEY_PREFIX}{batch}:"), actor.id()).await?
        };
        if !here.is_empty() {
            return Ok(FolderImported {
                batch,
                drafts: here
                    .into_iter()
                    .map(|r| FolderDraft {
                        id: r.id,
                        title: r.title,
                        path: r.file_name.unwrap_or_default(),
                        titled_from_properties: false,
                        original_date: r.original_date,
                    })
                    .collect(),
                refused: Vec::new(),
                passed_over: 0,
                already_here: true,
            });
        }
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let limits = limits(&self.app.config);
        let (tx, mut rx) =
            tokio::sync::mpsc::channel::<(FolderEntry, Result<Vec<u8>, FileError>)>(workers);
        // The ZIP is read in order on one blocking thread; its files go to the readers as
        // they come, so that only a few are in memory at once.
        let unpack = tokio::task::spawn_blocking(move || -> Result<usize, FileError> {
            let mut folder = lz_files::Folder::open(reader, limits)?;
            for entry in std::mem::take(&mut folder.files) {
                let bytes = folder.read(&entry);
                if let Err(e @ FileError::ArchiveTooLarge { .. }) = bytes {
                    return Err(e);
                }
                if tx.blocking_send((entry, bytes)).is_err() {
                    break;
                }
            }
            Ok(folder.passed_over.len())
        });
        let mut reading = tokio::task::JoinSet::new();
        let mut ready = Vec::new();
        let mut refused = Vec::new();
        let mut text_bytes = 0usize;
        let mut collect = |outcome: Outcome| match outcome {
            Outcome::Ready(mut r) => {
                text_bytes += r.doc.text.len();
                if text_bytes > TEXT_BUDGET_BYTES && r.kind.has_text() {
                    r.doc.text = String::new();
                    r.text_waiting = true;
                }
                ready.push(*r)
            }
            Outcome::Refused(r) => refused.push(r),
        };
        let mut fault: Option<AppError> = None;
        while let Some((entry, bytes)) = rx.recv().await {
            while reading.len() >= workers {
                match reading.join_next().await {
                    Some(Ok(Ok(outcome))) => collect(outcome),
                    Some(Ok(Err(e))) => fault = fault.or(Some(e)),
                    Some(Err(e)) => {
                        fault =
                            fault.or(Some(AppError::internal(format!("reading a document: {e}"))))
                    }
                    None => break,
                }
            }
            if fault.is_some() {
                break;
            }
            let app = self.app.clone();
            reading.spawn(async move { prepare(&app, entry, bytes).await });
        }
        drop(rx);
        while let Some(done) = reading.join_next().await {
            match done {
                Ok(Ok(outcome)) => collect(outcome),
                Ok(Err(e)) => fault = fault.or(Some(e)),
                Err(e) => {
                    fault = fault.or(Some(AppError::internal(format!("reading a document: {e}"))))
                }
            }
        }
        let passed_over = unpack
            .await
            .map_err(|e| AppError::internal(format!("unpacking the folder: {e}")))?
            .map_err(folder_error)?;
        if let Some(e) = fault {
            return Err(e);
        }
        refused.sort_by(|a, b| a.path.cmp(&b.path));
        if ready.is_empty() {
            let why = if refused.is_empty() {
                "The ZIP file holds no documents. Put the PDF, Word, PowerPoint and Excel files in a folder, make a ZIP of it and upload that.".to_string()
            } else {
                let listed: Vec<String> = refused
                    .iter()
                    .take(5)
                    .map(|r| format!("“{}”: {}", r.path, r.reason))
                    .collect();
                format!(
                    "None of the {} files could be brought in, so nothing was imported. {}",
                    refused.len(),
                    listed.join(" ")
                )
            };
            return Err(AppError::field("file", why));
        }
        ready.sort_by(|a, b| a.path.cmp(&b.path));
        let drafts = self
            .save_folder(
                actor,
                &batch,
                ready,
                &organisation_id,
                place_id.as_deref(),
                refused.len(),
            )
            .await?;
        Ok(FolderImported {
            batch,
            drafts,
            refused,
            passed_over,
            already_here: false,
        })
    }

    /// The organisation the drafts belong to (one the uploader may write for) and its place.
    async fn folder_owner(
        &self,
        actor: &Actor,
        chosen: &str,
    ) -> AppResult<(String, Option<String>)> {
        let chosen = match chosen.trim() {
            "" => actor
                .active_organisation_ids()
                .into_iter()
                .next()
                .ok_or_else(|| {
                    AppError::field(
                        "organisation_id",
                        "Choose the organisation the documents belong to",
                    )
                })?,
            id => id.to_string(),
        };
        let mut c = self.app.db.acquire().await?;
        match lz_store::network::organisation_by_id(&mut c, &chosen).await? {
            Some(o) if crate::library::LibraryAccess::may_write_for(actor, &o.id) => {
                Ok((o.id, o.place_id))
            }
            _ => Err(AppError::field(
                "organisation_id",
                "Choose one of your own organisations",
            )),
        }
    }

    /// Writes every draft, with its version and its file, in one transaction.
    async fn save_folder(
        &self,
        actor: &Actor,
        batch: &str,
        ready: Vec<Ready>,
        organisation_id: &str,
        place_id: Option<&str>,
        refused: usize,
    ) -> AppResult<Vec<FolderDraft>> {
        let now = self.app.now();
        let draft = ItemStatus::Draft.code();
        let mut drafts = Vec::with_capacity(ready.len());
        let mut tx = self.app.db.begin().await?;
        for (n, r) in ready.into_iter().enumerate() {
            let id = new_id();
            // The library's own rule for a title, whatever the document said.
            let (title, from_properties) = match r
                .doc
                .title
                .as_deref()
                .and_then(|t| lz_domain::text::clean_line(t, "a title", 200).ok())
            {
                Some(t) => (t, true),
                None => (title_from_name(&r.name), false),
            };
            let content = ItemContent {
                kind: default_kind(r.kind).code().to_string(),
                title: title.clone(),
                summary: summary_of(&r.doc.text, r.kind, &r.path),
                organisation_id: organisation_id.to_string(),
                place_id: place_id.map(str::to_string),
                visibility: "network".into(),
                authors: vec![(Some(actor.id().to_string()), actor.user.name.clone())],
                original_date: r.doc.date.clone(),
                ..ItemContent::default()
            };
            store::insert_item(&mut tx, &id, &content, draft, actor.id(), now).await?;
            store::set_import_key(&mut tx, &id, &format!("{KEY_PREFIX}{batch}:{n:05}")).await?;
            let snapshot = serde_json::to_string(&content)
                .map_err(|e| AppError::internal(format!("version snapshot: {e}")))?;
            store::insert_version(
                &mut tx,
                &new_id(),
                &id,
                1,
                draft,
                &snapshot,
                Some(actor.id()),
                now,
            )
            .await?;
            let attachment = new_id();
            let file_name = lz_files::display_name(&r.name, r.kind);
            let text_status = match (r.kind.has_text(), r.text_waiting) {
                (false, _) => "none",
                (true, false) => "done",
                (true, true) => "pending",
            };
            store::insert_attachment(
                &mut tx,
                &NewAttachment {
                    id: &attachment,
                    item_id: &id,
                    storage_key: &r.key,
                    file_name: &file_name,
                    kind: r.kind.code(),
                    size_bytes: r.size as i64,
                    text_status,
                    uploaded_by: Some(actor.id()),
                    now,
                },
            )
            .await?;
            if text_status == "done" {
                store::set_extracted_text(&mut tx, &attachment, text_status, &r.doc.text).await?;
            }
            store::log_change(&mut tx, &id, now).await?;
            drafts.push(FolderDraft {
                id,
                title,
                path: r.path,
                titled_from_properties: from_properties,
                original_date: r.doc.date,
            });
        }
        let detail = format!(
            "{} drafts from a folder of documents ({refused} files not brought in)",
            drafts.len()
        );
        Audit::new(
            Some(actor.id()),
            "folder.import",
            ("import", batch),
            &detail,
        )
        .commit(tx, now)
        .await?;
        self.app.wake_indexer();
        self.app.extract_wake.notify_one();
        Ok(drafts)
    }

    /// The drafts (and what became of them) of one folder the actor brought in.
    pub async fn folder_batch(&self, actor: &Actor, batch: &str) -> AppResult<FolderBatch> {
        access::require_import_folder(actor)?;
        let rows = self.folder_rows(actor, batch).await?;
        let items = rows
            .into_iter()
            .map(|r| {
                let kind = ItemKind::parse(&r.kind);
                let status = ItemStatus::parse(&r.status);
                FolderBatchItem {
                    id: r.id,
                    title: r.title,
                    kind_label: kind.map_or("", ItemKind::label),
                    kind: r.kind,
                    status_label: status.map_or("", ItemStatus::label),
                    status: r.status,
                    original_date: r.original_date,
                    organisation_name: r.organisation_name,
                    place_name: r.place_name,
                    file_name: r.file_name,
                    text_status: r.text_status,
                }
            })
            .collect();
        Ok(FolderBatch {
            batch: batch.to_string(),
            items,
        })
    }

    /// The folders this person brought in, newest first, with how many of each are drafts.
    pub async fn my_folders(&self, actor: &Actor) -> AppResult<Vec<FolderSummary>> {
        if !access::may_import_folder(Some(actor)) {
            return Ok(Vec::new());
        }
        let mut c = self.app.db.acquire().await?;
        let rows = store::folder_keys_of(&mut c, actor.id()).await?;
        let mut out: Vec<FolderSummary> = Vec::new();
        for (key, status, created_at) in rows {
            let Some((batch, _)) = key
                .strip_prefix(KEY_PREFIX)
                .and_then(|k| k.rsplit_once(':'))
            else {
                continue;
            };
            let draft = status == ItemStatus::Draft.code();
            match out.last_mut() {
                Some(f) if f.batch == batch => {
                    f.items += 1;
                    f.drafts += usize::from(draft);
                }
                _ => out.push(FolderSummary {
                    batch: batch.to_string(),
                    items: 1,
                    drafts: usize::from(draft),
                    brought_in_on: lz_domain::dates::utc_date(created_at / 1000)
                        .map(|d| d.strftime("%-d %B %Y").to_string())
                        .unwrap_or_default(),
                    brought_in_at: created_at,
                }),
            }
        }
        out.sort_by_key(|f| std::cmp::Reverse(f.brought_in_at));
        Ok(out)
    }

    async fn folder_rows(
        &self,
        actor: &Actor,
        batch: &str,
    ) -> AppResult<Vec<store::FolderItemRow>> {
        // Ids are ours (hex and hyphens): anything else, such as a LIKE wildcard, is no batch.
        if batch.is_empty()
            || batch.len() > 64
            || !batch
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(AppError::NotFound);
        }
        let mut c = self.app.db.acquire().await?;
        let rows =
            store::folder_items(&mut c, &format!("{KEY_PREFIX}{batch}:"), actor.id()).await?;
        // Another person's folder, or one whose drafts were all discarded: nothing to show.
        if rows.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok(rows)
    }

    /// Applies one change to the chosen drafts of a folder: checked in full first, so that a
    /// bad choice changes none of them. Gives how many were changed.
    pub async fn change_folder(
        &self,
        actor: &Actor,
        batch: &str,
        change: &FolderChange,
    ) -> AppResult<usize> {
        access::require_import_folder(actor)?;
        let rows = self.folder_rows(actor, batch).await?;
        let Some(action) = change.action else {
            return Err(AppError::field(
                "action",
                "Choose what to do with the chosen drafts",
            ));
        };
        let in_batch: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let mut ids: Vec<&str> = change
            .ids
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(AppError::field("ids", "Choose at least one draft"));
        }
        if ids.iter().any(|id| !in_batch.contains(id)) {
            return Err(AppError::field(
                "ids",
                "Choose drafts from this folder's list",
            ));
        }
        let library = self.app.library();
        if action == FolderAction::Discard {
            // Only drafts: what was submitted or published is withdrawn or deleted from its
            // own page, where the reviewers' part is seen.
            if let Some(r) = rows
                .iter()
                .find(|r| ids.contains(&r.id.as_str()) && r.status != ItemStatus::Draft.code())
            {
                return Err(AppError::field(
                    "ids",
                    format!(
                        "“{}” is no longer a draft: choose only drafts to discard",
                        r.title
                    ),
                ));
            }
            if !change.confirmed {
                return Err(AppError::field(
                    "confirmed",
                    "Confirm that the chosen drafts should be discarded",
                ));
            }
            for id in &ids {
                library.delete(actor, id).await?;
            }
            return Ok(ids.len());
        }
        let mut problems = Vec::new();
        let kind = change.kind.trim();
        if !kind.is_empty() && ItemKind::parse(kind).is_none() {
            problems.push(crate::FieldError {
                field: "kind",
                message: "Choose a kind from the list".into(),
            });
        }
        let mut views: Vec<ItemView> = Vec::with_capacity(ids.len());
        for id in &ids {
            let view = library.item(Some(actor), id).await?;
            view.access.require_edit()?;
            views.push(view);
        }
        if action == FolderAction::Submit {
            if let Some(v) = views.iter().find(|v| v.item.status != ItemStatus::Draft) {
                problems.push(crate::FieldError {
                    field: "ids",
                    message: format!(
                        "“{}” is no longer a draft: choose only drafts to submit",
                        v.item.title
                    ),
                });
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        // Each draft as it would be saved, checked before any is.
        let mut inputs = Vec::with_capacity(views.len());
        for view in &views {
            let mut input = view.input();
            if !kind.is_empty() {
                input.kind = kind.to_string();
            }
            input.terms.extend(
                change
                    .terms
                    .iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty()),
            );
            if !change.organisation_id.trim().is_empty() {
                input.organisation_id = change.organisation_id.trim().to_string();
                // The new organisation's place, unless a place is chosen too.
                input.place_id.clear();
            }
            if !change.place_id.trim().is_empty() {
                input.place_id = change.place_id.trim().to_string();
            }
            library.check(actor, &input).await?;
            inputs.push(input);
        }
        for (view, input) in views.iter().zip(&inputs) {
            let id = view.item.id.as_str();
            library.update(actor, id, input).await?;
            if action == FolderAction::Submit {
                library
                    .transition(actor, id, lz_domain::library::Transition::Submit, "")
                    .await?;
            }
        }
        Ok(views.len())
    }
}

/// Reads one file of the folder: what it is, its text and properties; stores its bytes.
async fn prepare(
    app: &App,
    entry: FolderEntry,
    bytes: Result<Vec<u8>, FileError>,
) -> AppResult<Outcome> {
    let refuse = |reason: String| {
        Ok(Outcome::Refused(RefusedFile {
            path: entry.path.clone(),
            reason,
        }))
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return refuse(e.to_string()),
    };
    let kind = match lz_files::sniff(&bytes, app.config.max_upload_bytes as u64) {
        Ok(k @ (FileKind::Pdf | FileKind::Docx | FileKind::Pptx | FileKind::Xlsx)) => k,
        Ok(other) => {
            return refuse(format!(
                "This file is a {}: a folder brings in PDF, Word, PowerPoint and Excel documents (add other files to an item yourself).",
                other.label()
            ))
        }
        Err(FileError::NotAllowed { detected }) => {
            return refuse(format!(
                "This file is {detected}: a folder brings in PDF, Word, PowerPoint and Excel documents."
            ))
        }
        Err(e) => return refuse(e.to_string()),
    };
    let limits = ExtractLimits {
        max_text_chars: MAX_TEXT_CHARS,
        ..ExtractLimits::default()
    };
    let size = bytes.len() as u64;
    // Stored after reading, so that a refused file is not stored; shared with the reader.
    let bytes = std::sync::Arc::new(bytes);
    let doc = match app
        .read_document(kind, std::sync::Arc::clone(&bytes), limits)
        .await
    {
        Ok(doc) => doc,
        Err(why) => return refuse(why),
    };
    let key = app.files.put(bytes.as_slice()).await.map_err(|e| {
        if e.is_user_error() {
            AppError::field("file", e.to_string())
        } else {
            AppError::fault(anyhow::Error::new(e).context("storing a file of a folder"))
        }
    })?;
    Ok(Outcome::Ready(Box::new(Ready {
        text_waiting: false,
        name: entry.name().to_string(),
        path: entry.path,
        kind,
        size,
        key,
        doc,
    })))
}

/// The folder's batch id: the first 128 bits of SHA-256 over the person and the ZIP's bytes,
/// in hex. Reads the whole ZIP once and gives the reader back at its start.
fn batch_of<R: Read + Seek>(person: String, mut reader: R) -> std::io::Result<(R, String)> {
    use sha2::{Digest, Sha256};
    let start = reader.stream_position()?;
    let mut hash = Sha256::new();
    hash.update(person.as_bytes());
    hash.update(b"\n");
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    reader.seek(std::io::SeekFrom::Start(start))?;
    Ok((reader, hex::encode(&hash.finalize()[..16])))
}

/// A whole-folder problem, said on the file field.
fn folder_error(e: FileError) -> AppError {
    if let FileError::ArchiveTooLarge { limit } = e {
        return AppError::field(
            "file",
            format!(
                "The folder unpacks to more than {} MB, more than one import takes. Nothing was imported: split it into smaller folders.",
                limit >> 20
            ),
        );
    }
    if e.is_user_error() {
        AppError::field("file", e.to_string())
    } else {
        AppError::fault(anyhow::Error::new(e).context("reading the folder"))
    }
}

/// What a document most likely is, until its uploader says: slides were shown at an event,
/// a spreadsheet is a tool, the rest are reports.
fn default_kind(kind: FileKind) -> ItemKind {
    match kind {
        FileKind::Pptx => ItemKind::EventMaterial,
        FileKind::Xlsx => ItemKind::Tool,
        _ => ItemKind::Evaluation,
    }
}

/// "walking_for_health-evaluation v2.pdf" → "Walking for health evaluation v2".
fn title_from_name(name: &str) -> String {
    let name = lz_domain::text::tidy(name);
    let name = name.as_str();
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let words: Vec<&str> = stem
        .split(|c: char| c == '_' || c == '-' || c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    let title: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).take(200).collect(),
        None => String::new(),
    };
    if title.chars().count() < 2 {
        "Untitled document".into()
    } else {
        title
    }
}

/// The draft's summary: the start of its text, cut at a word, or where it came from.
fn summary_of(text: &str, kind: FileKind, path: &str) -> String {
    const LENGTH: usize = 300;
    let flat: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if flat.chars().count() < 20 {
        return format!(
            "{} brought in from “{}”.",
            kind.label(),
            path.chars().take(300).collect::<String>()
        );
    }
    if flat.chars().count() <= LENGTH {
        return flat;
    }
    let cut: String = flat.chars().take(LENGTH).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            title_from_name("walking_for_health-evaluation v2.pdf"),
            "Walking for health evaluation v2"
        );
        assert_eq!(title_from_name(".pdf"), "Untitled document");
        assert_eq!(title_from_name("élan.docx"), "Élan");
    }

    #[test]
    fn summaries_cut_at_a_word() {
        let long = "word ".repeat(200);
        let s = summary_of(&long, FileKind::Pdf, "a.pdf");
        assert!(s.ends_with('…') && s.chars().count() <= 301, "{s}");
        assert_eq!(
            summary_of("", FileKind::Xlsx, "x/a.xlsx"),
            "Excel spreadsheet brought in from “x/a.xlsx”."
        );
    }
}
