//! Attachments of learning items: uploads checked by their content (never their name),
//! stored by content hash, downloaded only by those who may see the item (checked every
//! time), and their text extracted in the background for search (`run_extractor`, on `App`:
//! it is a job of the server, not something a person does).

use std::time::Duration;

use lz_domain::library::TextStatus;
use lz_files::{ExtractLimits, FileKind};
use lz_store::library::{self as store, NewAttachment};

use super::AttachmentRecord;

use super::Library;
use crate::{commit, new_id, Actor, App, AppError, AppResult, Audit};

/// How long one extraction may take before it is abandoned (and marked failed).
const EXTRACT_TIMEOUT: Duration = Duration::from_secs(60);
/// Attachments per item.
const MAX_ATTACHMENTS: usize = 20;

/// The binary and the memory limit for extraction in a child process.
pub struct ExtractorProgram {
    pub program: std::path::PathBuf,
    pub memory_mib: u64,
}

impl ExtractorProgram {
    /// Runs `extract-text` (with `extra` arguments) on `bytes`, within the time limit.
    async fn run(
        &self,
        kind: FileKind,
        bytes: std::sync::Arc<Vec<u8>>,
        extra: &[&str],
    ) -> Result<std::process::Output, String> {
        use tokio::io::AsyncWriteExt;
        let mut child = tokio::process::Command::new(&self.program)
            .arg("extract-text")
            .args(extra)
            .args([
                "--kind",
                kind.code(),
                "--memory-mib",
                &self.memory_mib.to_string(),
                "--cpu-seconds",
                &EXTRACT_TIMEOUT.as_secs().to_string(),
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            // A child still running when we give up is killed, not left behind.
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", self.program.display()))?;
        let mut stdin = child.stdin.take().ok_or("no stdin for the extractor")?;
        // Written from a task so that a child that stops reading cannot block us.
        let writer = tokio::spawn(async move {
            let _ = stdin.write_all(bytes.as_slice()).await;
        });
        let out = tokio::time::timeout(EXTRACT_TIMEOUT, child.wait_with_output())
            .await
            .map_err(|_| "took too long".to_string())?
            .map_err(|e| format!("extractor: {e}"))?;
        writer.abort();
        Ok(out)
    }

    async fn extract(&self, kind: FileKind, bytes: Vec<u8>) -> Result<String, String> {
        let out = self.run(kind, std::sync::Arc::new(bytes), &[]).await?;
        if out.status.success() {
            String::from_utf8(out.stdout).map_err(|e| format!("extractor output: {e}"))
        } else {
            Err(ended(&out))
        }
    }

    /// Text, title and date of one document (`extract-text --properties`): `Ok(Err(why))`
    /// when the document itself is at fault (protected, damaged), said for its uploader.
    async fn read_document(
        &self,
        kind: FileKind,
        bytes: std::sync::Arc<Vec<u8>>,
        max_chars: usize,
    ) -> Result<Result<lz_files::DocumentText, String>, String> {
        let max_chars = max_chars.to_string();
        let out = self
            .run(kind, bytes, &["--properties", "--max-chars", &max_chars])
            .await?;
        match out.status.code() {
            Some(0) => serde_json::from_slice(&out.stdout)
                .map(Ok)
                .map_err(|e| format!("extractor output: {e}")),
            // The child's way of saying "this document is at fault", with the reason.
            Some(DOCUMENT_AT_FAULT) => Ok(Err(String::from_utf8_lossy(&out.stderr)
                .trim()
                .chars()
                .take(500)
                .collect())),
            _ => Err(ended(&out)),
        }
    }
}

/// How a child that failed ended, with the start of what it said.
fn ended(out: &std::process::Output) -> String {
    let why = String::from_utf8_lossy(&out.stderr);
    format!(
        "extractor ended with {}: {}",
        out.status,
        why.chars().take(300).collect::<String>()
    )
}

/// The exit status of `extract-text --properties` when the document is at fault (its
/// message, for the uploader, on standard error) rather than the extraction.
pub const DOCUMENT_AT_FAULT: i32 = 3;

/// A file to hand to the person who asked for it.
pub struct Download {
    pub file_name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

fn file_error(e: lz_files::FileError) -> AppError {
    if e.is_user_error() {
        AppError::field("file", e.to_string())
    } else {
        // The cause stays in the chain: a full disk is told apart from other trouble.
        AppError::fault(anyhow::Error::new(e).context("file storage"))
    }
}

impl Library<'_> {
    /// Adds a file to an item its editors may change. The type comes from the bytes.
    pub async fn attach(
        &self,
        actor: &Actor,
        item_id: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<String> {
        let view = self.item(Some(actor), item_id).await?;
        view.access.require_edit()?;
        if view.attachments.len() >= MAX_ATTACHMENTS {
            return Err(AppError::field(
                "file",
                format!("An item can have at most {MAX_ATTACHMENTS} files"),
            ));
        }
        let kind =
            lz_files::sniff(bytes, self.app.config.max_upload_bytes as u64).map_err(file_error)?;
        let name = lz_files::display_name(file_name, kind);
        // The bytes are stored first: a crash before the row is written leaves an orphan
        // file (harmless, same key next time), never a row without its file.
        let key = self.app.files.put(bytes).await.map_err(file_error)?;
        let id = new_id();
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::insert_attachment(
            &mut tx,
            &NewAttachment {
                id: &id,
                item_id,
                storage_key: &key,
                file_name: &name,
                kind: kind.code(),
                size_bytes: bytes.len() as i64,
                text_status: if kind.has_text() {
                    TextStatus::Pending.code()
                } else {
                    TextStatus::None.code()
                },
                uploaded_by: Some(actor.id()),
                now,
            },
        )
        .await?;
        Audit::new(Some(actor.id()), "attachment.add", ("item", item_id), &name)
            .commit(tx, now)
            .await?;
        self.app.extract_wake.notify_one();
        Ok(id)
    }

    /// Removes a file from an item its editors may change; gives the item's id.
    pub async fn remove_attachment(&self, actor: &Actor, attachment_id: &str) -> AppResult<String> {
        let a = self.attachment(attachment_id).await?;
        let view = self.item(Some(actor), &a.item_id).await?;
        view.access.require_edit()?;
        let now = self.app.now();
        let mut tx = self.app.db.begin().await?;
        store::soft_delete_attachment(&mut tx, attachment_id, now).await?;
        store::log_change(&mut tx, &a.item_id, now).await?;
        Audit::new(
            Some(actor.id()),
            "attachment.remove",
            ("item", a.item_id.as_str()),
            &a.file_name,
        )
        .commit(tx, now)
        .await?;
        self.app.wake_indexer();
        Ok(a.item_id.into_string())
    }

    async fn attachment(&self, id: &str) -> AppResult<AttachmentRecord> {
        let mut c = self.app.db.acquire().await?;
        let row = store::attachment(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        AttachmentRecord::try_from(row)
    }

    /// The file, if the reader may see its item now (the check runs on every download).
    pub async fn download(
        &self,
        actor: Option<&Actor>,
        attachment_id: &str,
    ) -> AppResult<Download> {
        let a = self.attachment(attachment_id).await?;
        // NotFound (not Forbidden) when the item is hidden, so ids reveal nothing.
        self.item(actor, &a.item_id).await?;
        let bytes = self
            .app
            .files
            .get(&a.storage_key)
            .await
            // A row whose bytes are missing (synthetic benchmark data) is "not found", not a fault.
            .map_err(|e| match e {
                lz_files::FileError::NotFound => AppError::NotFound,
                other => AppError::internal(format!("reading attachment {}: {other}", a.id)),
            })?;
        Ok(Download {
            file_name: a.file_name,
            mime: a.kind.mime(),
            bytes,
        })
    }
}

impl App {
    /// Extracts the text of one waiting attachment; false when none was waiting.
    pub async fn extract_next(&self) -> AppResult<bool> {
        let now = self.now();
        let mut c = self.db.acquire().await?;
        let until = now + EXTRACT_TIMEOUT.as_millis() as i64 * 2;
        let Some(a) = store::claim_extraction(&mut c, now, until).await? else {
            return Ok(false);
        };
        let a = AttachmentRecord::try_from(a)?;
        drop(c);
        // The attachment now shows as being read.
        crate::fresh::note_write();
        let (status, text) = match self.extract(&a).await {
            Ok(t) => (TextStatus::Done, t),
            Err(e) => {
                tracing::warn!(attachment = %a.id, error = %e, "text extraction failed");
                (TextStatus::Failed, String::new())
            }
        };
        let mut tx = self.db.begin().await?;
        store::set_extracted_text(&mut tx, &a.id, status.code(), &text).await?;
        store::log_change(&mut tx, &a.item_id, self.now()).await?;
        commit(tx).await?;
        self.wake_indexer();
        Ok(true)
    }

    /// Extracts text in a child process (`program extract-text`) from now on: a hostile
    /// document can then exhaust only the child's memory and CPU limits, not the server.
    pub fn use_extractor_program(&mut self, program: std::path::PathBuf, memory_mib: u64) {
        self.extractor = Some(std::sync::Arc::new(ExtractorProgram {
            program,
            memory_mib,
        }));
    }

    async fn extract(&self, a: &AttachmentRecord) -> Result<String, String> {
        let kind = a.kind;
        let bytes = self
            .files
            .get(&a.storage_key)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(x) = &self.extractor {
            return x.extract(kind, bytes).await;
        }
        let job = tokio::task::spawn_blocking(move || {
            lz_files::extract_text(kind, &bytes, &ExtractLimits::default())
        });
        match tokio::time::timeout(EXTRACT_TIMEOUT, job).await {
            Ok(Ok(Ok(text))) => Ok(text),
            Ok(Ok(Err(e))) => Err(e.to_string()),
            Ok(Err(e)) => Err(format!("extraction task: {e}")),
            // The blocking thread finishes on its own; its result is dropped.
            Err(_) => Err("took too long".into()),
        }
    }

    /// Text, title and date of one document, read in the extraction child when there is one
    /// (as for attachments). `Err` is a sentence for the person who sent the file: the
    /// document is protected or damaged, or reading it went past the child's time or memory.
    pub(crate) async fn read_document(
        &self,
        kind: FileKind,
        bytes: std::sync::Arc<Vec<u8>>,
        limits: ExtractLimits,
    ) -> Result<lz_files::DocumentText, String> {
        let failed = |e: String| {
            tracing::warn!(error = %e, kind = kind.code(), "reading a document failed");
            "The file could not be read in time, or it needs more memory than a document \
             should. Open it on your computer, save it again and add the new copy."
                .to_string()
        };
        let mut doc = if let Some(x) = &self.extractor {
            x.read_document(kind, bytes, limits.max_text_chars)
                .await
                .map_err(failed)??
        } else {
            let job =
                tokio::task::spawn_blocking(move || lz_files::read_document(kind, &bytes, &limits));
            match tokio::time::timeout(EXTRACT_TIMEOUT, job).await {
                Ok(Ok(Ok(doc))) => doc,
                Ok(Ok(Err(e))) if e.is_user_error() => return Err(e.to_string()),
                Ok(Ok(Err(e))) => return Err(failed(e.to_string())),
                Ok(Err(e)) => return Err(failed(format!("reading task: {e}"))),
                Err(_) => return Err(failed("took too long".into())),
            }
        };
        if let Some((cut, _)) = doc.text.char_indices().nth(limits.max_text_chars) {
            doc.text.truncate(cut);
        }
        // What a document says follows the text policy: PostgreSQL refuses NUL, which
        // pdf-extract writes for glyphs it cannot map, and titles must not turn text around.
        doc.text = lz_domain::text::tidy(&doc.text);
        doc.title = doc
            .title
            .map(|t| lz_domain::text::tidy(&t).trim().to_string())
            .filter(|t| !t.is_empty());
        Ok(doc)
    }

    /// Runs until `shutdown` changes: extracts text from new attachments.
    pub async fn run_extractor(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            loop {
                match self.extract_next().await {
                    Ok(true) => continue,
                    Ok(false) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "text extraction round failed");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = self.extract_wake.notified() => {},
                _ = tokio::time::sleep(Duration::from_secs(10)) => {},
                _ = shutdown.changed() => return,
            }
        }
    }
}
