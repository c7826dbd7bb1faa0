//! What an upload really is, decided from its bytes alone (magic numbers, the ZIP
//! directory of Office files, strict UTF-8 for CSV); the file name is never trusted.

use std::collections::HashSet;
use std::fmt;
use std::io::Cursor;

use crate::error::FileError;

/// What kind of file an upload really is, decided from its bytes (never from its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Pdf,
    Docx,
    Pptx,
    Xlsx,
    Csv,
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl FileKind {
    /// Every kind, in the order they are listed to people.
    pub const ALL: [FileKind; 9] = [
        FileKind::Pdf,
        FileKind::Docx,
        FileKind::Pptx,
        FileKind::Xlsx,
        FileKind::Csv,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
        FileKind::Webp,
    ];

    /// Stable short code, for the database and URLs. Never change a published code.
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Pptx => "pptx",
            FileKind::Xlsx => "xlsx",
            FileKind::Csv => "csv",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
        }
    }

    /// Inverse of [`FileKind::code`]; also accepts "jpg" and any letter case.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase();
        if code == "jpg" {
            return Some(FileKind::Jpeg);
        }
        FileKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The media type to serve the bytes with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            // sniff() only accepts UTF-8, so the charset is always right.
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
        }
    }

    /// The usual file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            other => other.code(),
        }
    }

    /// Extensions people commonly use for this kind (lowercase, no dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            FileKind::Csv => &["csv", "txt", "tsv"],
            FileKind::Pdf => &["pdf"],
            FileKind::Docx => &["docx"],
            FileKind::Pptx => &["pptx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Png => &["png"],
            FileKind::Gif => &["gif"],
            FileKind::Webp => &["webp"],
        }
    }

    /// A name for people: "PDF document".
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF document",
            FileKind::Docx => "Word document",
            FileKind::Pptx => "PowerPoint presentation",
            FileKind::Xlsx => "Excel spreadsheet",
            FileKind::Csv => "CSV table",
            FileKind::Png => "PNG image",
            FileKind::Jpeg => "JPEG image",
            FileKind::Gif => "GIF image",
            FileKind::Webp => "WebP image",
        }
    }

    /// Whether [`crate::extract_text`] returns text for this kind (others give "").
    pub fn has_text(self) -> bool {
        matches!(
            self,
            FileKind::Pdf | FileKind::Docx | FileKind::Pptx | FileKind::Csv
        )
    }

    /// Whether browsers can show it inline as an image.
    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp
        )
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Decides the type from the content. The size limit is checked first, so a huge
/// upload is refused before any parsing.
///
/// * ZIP containers are accepted only when their directory holds the main part of a
///   Word, PowerPoint or Excel file (plus `[Content_Types].xml`); macro-enabled Office
///   files and other ZIPs are refused.
/// * PDF and the four image formats are recognised by their magic bytes (`infer`).
/// * CSV is strict UTF-8 text (a BOM is allowed) without NUL or other control
///   characters, that is not markup (HTML/XML/SVG) or a script.
/// * Everything else is [`FileError::NotAllowed`], saying what it looks like.
pub fn sniff(bytes: &[u8], max_bytes: u64) -> Result<FileKind, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() as u64 > max_bytes {
        return Err(FileError::TooLarge { limit: max_bytes });
    }
    // "PK\3\4" starts a ZIP with entries, "PK\5\6" an empty one. infer's own Office
    // detection only guesses from the first local headers, so decide from the
    // central directory instead.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes);
    }
    if let Some(found) = infer::get(bytes) {
        match found.mime_type() {
            "application/pdf" => return Ok(FileKind::Pdf),
            "image/png" => return Ok(FileKind::Png),
            "image/jpeg" => return Ok(FileKind::Jpeg),
            "image/gif" => return Ok(FileKind::Gif),
            "image/webp" => return Ok(FileKind::Webp),
            _ => {}
        }
        let refuse = || {
            Err(FileError::NotAllowed {
                detected: describe(&found),
            })
        };
        match found.matcher_type() {
            // Executables and text formats (HTML, XML, scripts) are refused outright.
            infer::MatcherType::App | infer::MatcherType::Text => return refuse(),
            // Some magic numbers are short enough to start ordinary text ("BM" of
            // BMP starts a CSV header "BMI,..."); a real file of those kinds always
            // has binary bytes, so only pure text falls through to the CSV check.
            _ if text_problem(bytes).is_none() => {}
            _ => return refuse(),
        }
    }
    match text_problem(bytes) {
        None => Ok(FileKind::Csv),
        Some(detected) => Err(FileError::NotAllowed { detected }),
    }
}

/// Why these bytes are not acceptable CSV text, as a description of what they are;
/// `None` when they are fine.
fn text_problem(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // Excel's "Unicode text" export; people can fix it by saving as CSV UTF-8.
        return Some("a UTF-16 text file (save it as \"CSV UTF-8\" and upload that)".into());
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(body) else {
        return Some(if body.contains(&0) {
            "not a document we recognise (it contains binary data)".into()
        } else {
            "a text file that is not UTF-8 (save it as \"CSV UTF-8\" and upload that)".into()
        });
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Some("not a document we recognise (it contains binary data)".into());
    }
    let start = text.trim_start();
    if start.is_empty() {
        return Some("empty apart from blank space".into());
    }
    // Markup and scripts could run in a browser or shell; infer catches most, these
    // catch the rest (an SVG without an XML declaration, a script without "#!" at 0).
    if start.starts_with('<') {
        return Some("a web page or markup file (HTML, XML or SVG)".into());
    }
    if start.starts_with("#!") {
        return Some("a script (a program)".into());
    }
    if start.starts_with("{\\rtf") {
        return Some("a Rich Text document (save it as Word or PDF and upload that)".into());
    }
    if start.starts_with("%!") {
        return Some("a PostScript file (save it as PDF and upload that)".into());
    }
    None
}

/// Decides between DOCX, PPTX and XLSX from the ZIP's central directory.
fn sniff_zip(bytes: &[u8]) -> Result<FileKind, FileError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        tracing::debug!(error = %e, "upload starts like a ZIP but its directory is unreadable");
        FileError::Unreadable("its ZIP structure is damaged".into())
    })?;
    let names: HashSet<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|name| name.into_owned())
        .collect();
    let macros = names.iter().any(|n| n.ends_with("vbaProject.bin"));
    let office = names.contains("[Content_Types].xml");
    let kind = if !office {
        None
    } else if names.contains("word/document.xml") {
        Some(FileKind::Docx)
    } else if names.contains("ppt/presentation.xml") {
        Some(FileKind::Pptx)
    } else if names.contains("xl/workbook.xml") {
        Some(FileKind::Xlsx)
    } else {
        None
    };
    match kind {
        // Macros are code; the macro-free formats hold the same content.
        Some(kind) if macros => Err(FileError::NotAllowed {
            detected: match kind {
                FileKind::Docx => "a Word document with macros (save it as .docx and upload that)",
                FileKind::Pptx => {
                    "a PowerPoint presentation with macros (save it as .pptx and upload that)"
                }
                _ => "an Excel workbook with macros (save it as .xlsx and upload that)",
            }
            .into(),
        }),
        Some(kind) => Ok(kind),
        None => Err(FileError::NotAllowed {
            detected: describe_zip(&names).into(),
        }),
    }
}

fn describe_zip(names: &HashSet<String>) -> &'static str {
    if names.contains("META-INF/MANIFEST.MF") || names.contains("classes.dex") {
        "a Java or Android program (an executable archive)"
    } else if names.contains("mimetype") && names.contains("META-INF/container.xml") {
        "an e-book (EPUB)"
    } else if names.contains("mimetype") {
        "an OpenDocument file (save it as Word, PowerPoint or Excel and upload that)"
    } else {
        "a ZIP archive (upload the files inside it one by one)"
    }
}

/// What a refused file looks like, phrased to follow "This file is ".
fn describe(found: &infer::Type) -> String {
    let ext = found.extension();
    match found.mime_type() {
        "application/vnd.microsoft.portable-executable" => {
            return "an executable program (Windows .exe or .dll)".into()
        }
        "application/x-executable" => return "an executable program (ELF binary)".into(),
        "application/x-mach-binary" => return "an executable program (macOS binary)".into(),
        "text/html" => return "a web page (HTML)".into(),
        "text/xml" => return "an XML or SVG file".into(),
        "text/x-shellscript" => return "a script (a program)".into(),
        "application/rtf" => {
            return "a Rich Text document (save it as Word or PDF and upload that)".into()
        }
        "application/postscript" => {
            return "a PostScript file (save it as PDF and upload that)".into()
        }
        "application/msword" | "application/vnd.ms-excel" | "application/vnd.ms-powerpoint" => {
            return format!(
                "an old-format Office file (.{ext}); save it as .docx, .pptx or .xlsx and upload that"
            )
        }
        "application/x-ole-storage" => {
            return "an old-format Office file or installer; save documents as .docx, .pptx or .xlsx"
                .into()
        }
        _ => {}
    }
    match found.matcher_type() {
        infer::MatcherType::App => format!("an executable program (.{ext})"),
        infer::MatcherType::Archive => format!("an archive or unsupported document (.{ext})"),
        infer::MatcherType::Audio => format!("an audio file (.{ext})"),
        infer::MatcherType::Video => format!("a video (.{ext})"),
        infer::MatcherType::Image => {
            format!("an image in a format we don't accept (.{ext}); save it as PNG or JPEG")
        }
        infer::MatcherType::Font => format!("a font (.{ext})"),
        infer::MatcherType::Book => format!("an e-book (.{ext})"),
        infer::MatcherType::Doc => format!("a document format we don't accept (.{ext})"),
        infer::MatcherType::Text => format!("a text format we don't accept (.{ext})"),
        infer::MatcherType::Custom => format!("a file type we don't accept (.{ext})"),
    }
}
