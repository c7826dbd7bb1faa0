//! Plain text out of attachments, for search and previews: PDF via pdf-extract, Word
//! and PowerPoint by streaming their XML parts, CSV as is.
//!
//! Uploads are hostile until proven otherwise: ZIP parts are read through hard byte
//! limits (declared sizes are checked first, then actual bytes while streaming, since
//! headers can lie), and pdf-extract runs under `catch_unwind` because it can panic.

use std::io::{BufReader, Cursor, Read};
use std::panic::{self, AssertUnwindSafe};

use quick_xml::events::Event;
use quick_xml::Reader;
use zip::ZipArchive;

use crate::error::FileError;
use crate::kind::FileKind;

/// Bounds on the work and memory one extraction may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtractLimits {
    /// Total uncompressed bytes of a ZIP container (all entries, as declared, and all
    /// bytes actually read).
    pub max_unpacked_bytes: u64,
    /// Uncompressed bytes of any single XML part we read.
    pub max_entry_bytes: u64,
    /// Longest text returned; longer text is cut (at a character boundary).
    pub max_text_chars: usize,
    /// Most entries a ZIP container may list.
    pub max_entries: usize,
}

impl Default for ExtractLimits {
    fn default() -> Self {
        ExtractLimits {
            max_unpacked_bytes: 100 * 1024 * 1024,
            max_entry_bytes: 50 * 1024 * 1024,
            max_text_chars: 1_000_000,
            max_entries: 10_000,
        }
    }
}

/// Extracts plain text, paragraphs separated by blank lines.
///
/// * PDF: pdf-extract's text, blank-line runs collapsed.
/// * DOCX: `word/document.xml`; `w:t` runs, `w:p` paragraphs, tabs and breaks.
/// * PPTX: `ppt/slides/slideN.xml` in slide-number order (`a:t` runs, `a:p`
///   paragraphs), each followed by its speaker notes.
/// * CSV: the text itself, without BOM, with `\n` line ends.
/// * Images and XLSX: `Ok("")` (see [`FileKind::has_text`]).
///
/// Never panics. Text past `max_text_chars` is cut off; a ZIP that would unpack past
/// its limits is [`FileError::ArchiveTooLarge`]; a damaged file is
/// [`FileError::Unreadable`]. This is CPU-bound: call it from `spawn_blocking`.
pub fn extract_text(
    kind: FileKind,
    bytes: &[u8],
    limits: &ExtractLimits,
) -> Result<String, FileError> {
    match kind {
        FileKind::Pdf => pdf_text(bytes, limits),
        FileKind::Docx => {
            let mut zip = OfficeZip::open(bytes, limits)?;
            let mut sink = TextSink::new(limits.max_text_chars);
            zip.read_xml("word/document.xml", &mut sink, Dialect::Word)?;
            Ok(sink.finish())
        }
        FileKind::Pptx => pptx_text(bytes, limits),
        FileKind::Csv => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let text = String::from_utf8_lossy(body).replace("\r\n", "\n");
            Ok(truncate_chars(text.trim(), limits.max_text_chars).to_string())
        }
        FileKind::Xlsx | FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp => {
            Ok(String::new())
        }
    }
}

/// A document's text with what its own properties say of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocumentText {
    pub text: String,
    /// The title its author gave it (PDF `/Title`, Office `dc:title`), when it is a real one
    /// (not "Microsoft Word - draft.docx" or "PowerPoint Presentation").
    pub title: Option<String>,
    /// When it was made, `YYYY-MM-DD` (PDF `/CreationDate`, Office `dcterms:created`).
    pub date: Option<String>,
}

/// [`extract_text`] plus the document's title and date from its properties. A PDF that
/// needs a password is [`FileError::Protected`] (one protected only against printing or
/// copying opens with the empty password, and is read).
pub fn read_document(
    kind: FileKind,
    bytes: &[u8],
    limits: &ExtractLimits,
) -> Result<DocumentText, FileError> {
    match kind {
        FileKind::Pdf => {
            let (raw, title, date) = pdf_parts(bytes)?;
            Ok(DocumentText {
                text: pdf_lines(&raw, limits),
                title,
                date,
            })
        }
        FileKind::Docx | FileKind::Pptx | FileKind::Xlsx => {
            let text = extract_text(kind, bytes, limits)?;
            let mut zip = OfficeZip::open(bytes, limits)?;
            let (title, date) = zip.core_properties()?;
            Ok(DocumentText { text, title, date })
        }
        _ => Ok(DocumentText {
            text: extract_text(kind, bytes, limits)?,
            ..DocumentText::default()
        }),
    }
}

/// The raw text, title and date of a PDF, read with one parse.
fn pdf_parts(bytes: &[u8]) -> Result<(String, Option<String>, Option<String>), FileError> {
    use pdf_extract::{Document, Object};
    // pdf-extract (and lopdf below it) panic on some malformed files; a panic must not
    // take down the request or the worker. The closure only reads `bytes`.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let doc = Document::load_mem(bytes).map_err(|e| {
            tracing::debug!(error = %e, "pdf parse failed");
            FileError::Unreadable("it is not a valid PDF".into())
        })?;
        // lopdf opens what the empty password opens; what stays encrypted needs a password.
        if doc.is_encrypted() {
            return Err(FileError::Protected);
        }
        let info = doc
            .trailer
            .get(b"Info")
            .and_then(|o| match o {
                Object::Reference(id) => doc.get_dictionary(*id),
                other => other.as_dict(),
            })
            .ok();
        let field = |key: &[u8]| match info.and_then(|d| d.get(key).ok()) {
            Some(Object::String(s, _)) => Some(pdf_string(s)),
            _ => None,
        };
        let title = field(b"Title").and_then(|t| real_title(&t));
        let date = field(b"CreationDate").and_then(|d| pdf_date(&d));
        let mut raw = String::new();
        pdf_extract::output_doc(&doc, &mut pdf_extract::PlainTextOutput::new(&mut raw)).map_err(
            |e| {
                tracing::debug!(error = %e, "pdf text extraction failed");
                FileError::Unreadable("it is not a valid PDF".into())
            },
        )?;
        Ok((raw, title, date))
    }));
    outcome.unwrap_or_else(|_| {
        tracing::warn!("pdf text extraction panicked on a malformed file");
        Err(FileError::Unreadable("it is not a valid PDF".into()))
    })
}

/// A PDF text string: UTF-16BE after its byte order mark, else PDFDocEncoding (Latin-1 for
/// the characters titles use).
fn pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

/// PDFDocEncoding: Latin-1, but for the punctuation at 0x80–0x9F (where Word's curly quotes
/// and dashes land) and a few others.
fn pdf_doc_char(b: u8) -> char {
    match b {
        0x80 => '•',
        0x81 => '†',
        0x82 => '‡',
        0x83 => '…',
        0x84 => '—',
        0x85 => '–',
        0x86 => 'ƒ',
        0x87 => '⁄',
        0x88 => '‹',
        0x89 => '›',
        0x8A => '−',
        0x8B => '‰',
        0x8C => '„',
        0x8D => '“',
        0x8E => '”',
        0x8F => '‘',
        0x90 => '’',
        0x91 => '‚',
        0x92 => '™',
        0x93 => 'ﬁ',
        0x94 => 'ﬂ',
        0x95 => 'Ł',
        0x96 => 'Œ',
        0x97 => 'Š',
        0x98 => 'Ÿ',
        0x99 => 'Ž',
        0x9A => 'ı',
        0x9B => 'ł',
        0x9C => 'œ',
        0x9D => 'š',
        0x9E => 'ž',
        0xA0 => '€',
        other => char::from(other),
    }
}

/// `D:20230514103000+01'00'` as `2023-05-14`.
fn pdf_date(s: &str) -> Option<String> {
    let digits = s.trim().strip_prefix("D:").unwrap_or(s.trim());
    let d = digits.get(..8)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    plausible_date(&format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]))
}

/// A calendar date between 1980 and 2100 (files from a shared drive, not 1601 or 9999).
fn plausible_date(iso: &str) -> Option<String> {
    let (y, rest) = iso.split_once('-')?;
    let (m, d) = rest.split_once('-')?;
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    ((1980..=2100).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The title a document's properties give, unless it is one a program wrote for it.
fn real_title(raw: &str) -> Option<String> {
    let mut t: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // Word's PDF printer names the document after the program and the file.
    for prefix in [
        "Microsoft Word - ",
        "Microsoft PowerPoint - ",
        "Microsoft Excel - ",
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_string();
        }
    }
    let lower = t.to_lowercase();
    for ext in [".docx", ".doc", ".pptx", ".ppt", ".xlsx", ".pdf"] {
        if lower.ends_with(ext) {
            return None;
        }
    }
    let generic = [
        "",
        "untitled",
        "title",
        "document",
        "presentation",
        "powerpoint presentation",
        "slide 1",
        "word document",
        "pdf",
    ];
    if generic.contains(&lower.as_str()) || t.chars().count() < 3 {
        return None;
    }
    Some(t.chars().take(200).collect())
}

fn pdf_text(bytes: &[u8], limits: &ExtractLimits) -> Result<String, FileError> {
    let (raw, _, _) = pdf_parts(bytes)?;
    Ok(pdf_lines(&raw, limits))
}

/// pdf-extract's lines as paragraphs: blank-line runs collapsed, cut at the limit.
fn pdf_lines(raw: &str, limits: &ExtractLimits) -> String {
    let mut sink = TextSink::new(limits.max_text_chars);
    for line in raw.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            sink.end_paragraph();
        } else {
            sink.line_break();
            sink.push(line);
        }
        if sink.is_full() {
            break;
        }
    }
    sink.finish()
}

fn pptx_text(bytes: &[u8], limits: &ExtractLimits) -> Result<String, FileError> {
    let mut zip = OfficeZip::open(bytes, limits)?;
    let mut slides: Vec<(u32, String)> = zip
        .archive
        .file_names()
        .filter_map(|name| {
            let name = name.ok()?;
            let n = name
                .strip_prefix("ppt/slides/slide")?
                .strip_suffix(".xml")?
                .parse::<u32>()
                .ok()?;
            Some((n, name.to_string()))
        })
        .collect();
    slides.sort();
    let mut sink = TextSink::new(limits.max_text_chars);
    for (n, slide) in slides {
        zip.read_xml(&slide, &mut sink, Dialect::Drawing)?;
        if let Some(notes) = zip.notes_for_slide(n)? {
            zip.read_xml(&notes, &mut sink, Dialect::Drawing)?;
        }
        if sink.is_full() {
            break;
        }
    }
    Ok(sink.finish())
}

/// Element names (local parts) that carry text in each XML vocabulary.
#[derive(Clone, Copy)]
enum Dialect {
    /// WordprocessingML: `w:p`, `w:t`, `w:tab`, `w:br`/`w:cr`.
    Word,
    /// DrawingML as used by slides: `a:p`, `a:t`, `a:br`; `a:fld` (slide numbers,
    /// dates) is skipped.
    Drawing,
}

/// A ZIP-based Office file opened with its declared sizes checked, plus a running total
/// of bytes actually read.
struct OfficeZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: ExtractLimits,
    read_so_far: u64,
}

impl<'a> OfficeZip<'a> {
    fn open(bytes: &'a [u8], limits: &ExtractLimits) -> Result<Self, FileError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            tracing::debug!(error = %e, "unreadable zip container");
            FileError::Unreadable("its ZIP structure is damaged".into())
        })?;
        if archive.len() > limits.max_entries {
            return Err(FileError::ArchiveTooLarge {
                limit: limits.max_unpacked_bytes,
            });
        }
        // Declared sizes first: cheap, and refuses honest bombs before any inflating.
        let mut declared: u64 = 0;
        for i in 0..archive.len() {
            let entry = archive.by_index_data(i).map_err(|e| {
                tracing::debug!(error = %e, "unreadable zip entry");
                FileError::Unreadable("its ZIP structure is damaged".into())
            })?;
            declared = declared.saturating_add(entry.size());
        }
        if declared > limits.max_unpacked_bytes {
            return Err(FileError::ArchiveTooLarge {
                limit: limits.max_unpacked_bytes,
            });
        }
        Ok(OfficeZip {
            archive,
            limits: *limits,
            read_so_far: 0,
        })
    }

    /// Streams one XML part into `sink`, never reading more than the per-entry limit
    /// or the remaining total, whatever the headers say.
    fn read_xml(
        &mut self,
        name: &str,
        sink: &mut TextSink,
        dialect: Dialect,
    ) -> Result<(), FileError> {
        let remaining = self
            .limits
            .max_unpacked_bytes
            .saturating_sub(self.read_so_far);
        let (budget, limit) = if self.limits.max_entry_bytes <= remaining {
            (self.limits.max_entry_bytes, self.limits.max_entry_bytes)
        } else {
            (remaining, self.limits.max_unpacked_bytes)
        };
        let file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => {
                return Err(FileError::Unreadable(format!("the part {name} is missing")))
            }
            Err(e) => {
                tracing::debug!(error = %e, part = name, "unreadable zip entry");
                return Err(FileError::Unreadable("its ZIP structure is damaged".into()));
            }
        };
        if file.size() > budget {
            return Err(FileError::ArchiveTooLarge { limit });
        }
        let (count, result) = parse_limited(file, budget, limit, sink, dialect);
        self.read_so_far = self.read_so_far.saturating_add(count);
        result.map_err(|e| match e {
            LimitedError::TooLarge(e) => e,
            LimitedError::Xml(e) => {
                tracing::debug!(error = %e, part = name, "unreadable xml part");
                FileError::Unreadable(format!("the part {name} is damaged"))
            }
        })
    }

    /// Title and creation date from `docProps/core.xml`, when the file has one.
    fn core_properties(&mut self) -> Result<(Option<String>, Option<String>), FileError> {
        const CORE: &str = "docProps/core.xml";
        // Properties are a few hundred bytes; a big part is not a real document's.
        const CORE_LIMIT: u64 = 256 * 1024;
        if self.archive.index_for_name(CORE).is_none() {
            return Ok((None, None));
        }
        let file = self.archive.by_name(CORE).map_err(|e| {
            tracing::debug!(error = %e, "unreadable core properties");
            FileError::Unreadable("its ZIP structure is damaged".into())
        })?;
        let mut reader = Reader::from_reader(BufReader::new(file.take(CORE_LIMIT)));
        let mut buf = Vec::new();
        let (mut title, mut created) = (String::new(), String::new());
        let mut inside: Option<&'static str> = None;
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) => {
                    inside = match e.local_name().as_ref() {
                        "title" => Some("title"),
                        "created" => Some("created"),
                        _ => None,
                    }
                }
                Ok(Event::End(_)) => inside = None,
                Ok(Event::Text(t)) => {
                    let text = t.xml10_content();
                    match inside {
                        Some("title") => title.push_str(&text),
                        Some("created") => created.push_str(&text),
                        _ => {}
                    }
                }
                Ok(Event::GeneralRef(r)) if inside == Some("title") => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        title.push(c);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                        title.push_str(s);
                    }
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                // Properties are a bonus: broken ones just mean none.
                Err(_) => return Ok((None, None)),
            }
            buf.clear();
        }
        let date = created.get(..10).and_then(plausible_date);
        Ok((real_title(&title), date))
    }

    /// The notes part of slide `n`, from the slide's relationships.
    fn notes_for_slide(&mut self, n: u32) -> Result<Option<String>, FileError> {
        let rels_name = format!("ppt/slides/_rels/slide{n}.xml.rels");
        if self.archive.index_for_name(&rels_name).is_none() {
            return Ok(None);
        }
        let mut sink = RelsSink::default();
        self.read_rels(&rels_name, &mut sink)?;
        Ok(sink.notes_target.and_then(|target| {
            // Targets are relative to ppt/slides/: "../notesSlides/notesSlide1.xml".
            let target = target.strip_prefix("../")?;
            let path = format!("ppt/{target}");
            self.archive.index_for_name(&path).map(|_| path)
        }))
    }

    fn read_rels(&mut self, name: &str, rels: &mut RelsSink) -> Result<(), FileError> {
        // Relationship parts are tiny; a big one is not a real presentation.
        const RELS_LIMIT: u64 = 1024 * 1024;
        let file = self.archive.by_name(name).map_err(|e| {
            tracing::debug!(error = %e, part = name, "unreadable zip entry");
            FileError::Unreadable("its ZIP structure is damaged".into())
        })?;
        let mut counted = Counted {
            inner: file.take(RELS_LIMIT + 1),
            count: 0,
        };
        let mut reader = Reader::from_reader(BufReader::new(&mut counted));
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    let attr = |key: &str| {
                        e.try_get_attribute(key)
                            .ok()
                            .flatten()
                            .map(|a| a.value.into_owned())
                    };
                    if attr("Type").is_some_and(|t| t.ends_with("/notesSlide")) {
                        rels.notes_target = attr("Target");
                    }
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                // Notes are a bonus: broken relationships just mean no notes.
                Err(_) => break,
            }
            buf.clear();
        }
        drop(reader);
        self.read_so_far = self.read_so_far.saturating_add(counted.count);
        if counted.count > RELS_LIMIT {
            return Err(FileError::ArchiveTooLarge {
                limit: self.limits.max_entry_bytes.min(RELS_LIMIT),
            });
        }
        Ok(())
    }
}

#[derive(Default)]
struct RelsSink {
    notes_target: Option<String>,
}

enum LimitedError {
    TooLarge(FileError),
    Xml(quick_xml::Error),
}

/// Parses XML from `source` reading at most `budget` bytes of it, whatever it claims
/// to hold; returns how many bytes were read. `limit` is the figure to report.
fn parse_limited<R: Read>(
    source: R,
    budget: u64,
    limit: u64,
    sink: &mut TextSink,
    dialect: Dialect,
) -> (u64, Result<(), LimitedError>) {
    // One byte more than the budget, so "exactly at the limit" and "past it" differ.
    let mut counted = Counted {
        inner: source.take(budget.saturating_add(1)),
        count: 0,
    };
    let parsed = parse_xml(&mut counted, sink, dialect);
    let count = counted.count;
    if count > budget {
        // Checked before the parse result: the cut-off XML is malformed, but the real
        // problem is the size.
        return (
            count,
            Err(LimitedError::TooLarge(FileError::ArchiveTooLarge { limit })),
        );
    }
    (count, parsed.map_err(LimitedError::Xml))
}

/// Counts the bytes that pass through, to learn how much a part really unpacked to.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Walks the XML events of one part, feeding text runs and paragraph ends to `sink`.
/// Stops early once the sink is full.
fn parse_xml<R: Read>(
    source: R,
    sink: &mut TextSink,
    dialect: Dialect,
) -> Result<(), quick_xml::Error> {
    let mut reader = Reader::from_reader(BufReader::new(source));
    let mut buf = Vec::new();
    // Depth inside a text element (w:t / a:t), so only run text is taken, not the
    // whitespace between tags.
    let mut in_text = 0usize;
    // Depth inside content we skip: mc:Fallback repeats mc:Choice (text boxes would
    // come out twice), a:fld is an automatic field, w:delText/w:instrText are not
    // text elements at all, so they are skipped by not being `t`.
    let mut skipping = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skipping > 0 || is_skipped(name, dialect) {
                    skipping += 1;
                } else if name == "t" {
                    in_text += 1;
                } else if name == "p" {
                    sink.end_paragraph();
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skipping > 0 {
                    skipping -= 1;
                } else if name == "t" {
                    in_text = in_text.saturating_sub(1);
                } else if name == "p" {
                    sink.end_paragraph();
                }
            }
            Event::Empty(e) if skipping == 0 => {
                let name = e.local_name();
                match (dialect, name.as_ref()) {
                    (Dialect::Word, "tab") => sink.push("\t"),
                    (Dialect::Word, "br" | "cr") | (Dialect::Drawing, "br") => sink.line_break(),
                    _ => {}
                }
            }
            Event::Text(t) if in_text > 0 && skipping == 0 => sink.push(&t.xml10_content()),
            Event::CData(t) if in_text > 0 && skipping == 0 => sink.push(&t.xml10_content()),
            Event::GeneralRef(r) if in_text > 0 && skipping == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    let mut tmp = [0u8; 4];
                    sink.push(c.encode_utf8(&mut tmp));
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    sink.push(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if sink.is_full() {
            break;
        }
        buf.clear();
    }
    sink.end_paragraph();
    Ok(())
}

fn is_skipped(local_name: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Word => local_name == "Fallback",
        Dialect::Drawing => matches!(local_name, "Fallback" | "fld"),
    }
}

/// Collects paragraphs: runs are appended to the current paragraph, which is added
/// to the output (after a blank line) when it ends and is not blank. Stops accepting
/// text at the character limit.
struct TextSink {
    out: String,
    paragraph: String,
    chars: usize,
    max_chars: usize,
    full: bool,
}

impl TextSink {
    fn new(max_chars: usize) -> Self {
        TextSink {
            out: String::new(),
            paragraph: String::new(),
            chars: 0,
            max_chars,
            full: false,
        }
    }

    fn push(&mut self, s: &str) {
        if self.full {
            return;
        }
        let room = self.max_chars.saturating_sub(self.chars);
        let n = s.chars().count();
        if n <= room {
            self.paragraph.push_str(s);
            self.chars += n;
        } else {
            self.paragraph.push_str(truncate_chars(s, room));
            self.chars = self.max_chars;
            self.full = true;
        }
    }

    fn line_break(&mut self) {
        if !self.paragraph.trim().is_empty() {
            self.push("\n");
        }
    }

    fn end_paragraph(&mut self) {
        let text = self.paragraph.trim();
        if !text.is_empty() {
            if !self.out.is_empty() {
                self.out.push_str("\n\n");
            }
            self.out.push_str(text);
        }
        self.paragraph.clear();
    }

    fn is_full(&self) -> bool {
        self.full
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.out
    }
}

/// The first `max` characters of `s`.
fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_strings_and_dates() {
        assert_eq!(
            pdf_string(b"Children\x90s sport \x85 a review"),
            "Children’s sport – a review"
        );
        assert_eq!(pdf_string(b"\xFE\xFF\x00H\x00i"), "Hi");
        assert_eq!(
            pdf_date("D:20230514103000+01'00'").as_deref(),
            Some("2023-05-14")
        );
        assert_eq!(pdf_date("D:16010101"), None);
        assert_eq!(
            real_title("Microsoft Word - Annual report 2023"),
            Some("Annual report 2023".into())
        );
        assert_eq!(real_title("Microsoft Word - draft.docx"), None);
        assert_eq!(real_title("  Untitled "), None);
    }

    /// Headers can lie (the zip crate stops at the declared size, but that is its
    /// choice, not ours): an endless part must still stop at the budget.
    #[test]
    fn endless_part_stops_at_the_budget() {
        let endless = Cursor::new(b"<w:document><w:body><w:p><w:r><w:t>x".to_vec())
            .chain(std::io::repeat(b' '));
        let mut sink = TextSink::new(1000);
        let (count, result) = parse_limited(endless, 64 * 1024, 7, &mut sink, Dialect::Word);
        assert_eq!(count, 64 * 1024 + 1);
        assert!(matches!(
            result,
            Err(LimitedError::TooLarge(FileError::ArchiveTooLarge {
                limit: 7
            }))
        ));
    }

    #[test]
    fn part_exactly_at_the_budget_is_fine() {
        let xml = b"<w:p><w:r><w:t>hi</w:t></w:r></w:p>";
        let mut sink = TextSink::new(1000);
        let (count, result) =
            parse_limited(&xml[..], xml.len() as u64, 1, &mut sink, Dialect::Word);
        assert_eq!(count, xml.len() as u64);
        assert!(result.is_ok());
        assert_eq!(sink.finish(), "hi");
    }

    #[test]
    fn entities_and_fallbacks() {
        let xml = "<w:body xmlns:mc=\"m\"><w:p><w:r><w:t>a &amp; b &#233;&#x4E2D;</w:t>\
                   <w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText></w:r>\
                   <mc:AlternateContent><mc:Choice><w:p><w:r><w:t>box</w:t></w:r></w:p></mc:Choice>\
                   <mc:Fallback><w:p><w:r><w:t>box</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>\
                   </w:p></w:body>";
        let mut sink = TextSink::new(1000);
        parse_xml(xml.as_bytes(), &mut sink, Dialect::Word).unwrap();
        assert_eq!(sink.finish(), "a & b é中\n\nbox");
    }
}
