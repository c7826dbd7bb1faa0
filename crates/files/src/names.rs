//! File names for display and download: user-supplied names are cleaned for showing and
//! for Content-Disposition headers; they never reach the file system (keys do).

use crate::kind::FileKind;

/// Longest display name, in characters, extension included.
pub const DISPLAY_NAME_MAX_CHARS: usize = 120;

/// A file name safe to show and to put in Content-Disposition.
///
/// Keeps only the part after the last `/` or `\`, drops control characters and the
/// invisible Unicode formatting characters that can disguise a name (bidirectional
/// overrides such as U+202E turn "exe.pdf" into "fdp.exe" on screen), turns `"` into
/// `'` and `;` into a space, collapses runs of blank space, trims blanks and dots at
/// both ends (no hidden ".name", never "." or ".."), appends the kind's extension when
/// the name does not already end with one of its extensions, and shortens the stem so
/// the whole stays within [`DISPLAY_NAME_MAX_CHARS`]. An empty result becomes
/// "attachment" plus the extension.
pub fn display_name(raw: &str, kind: FileKind) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let mut cleaned = String::with_capacity(base.len());
    let mut last_space = true; // true at the start, so leading blanks vanish
    for c in base.chars() {
        let c = match c {
            '"' => '\'',
            ';' => ' ',
            c if c.is_whitespace() => ' ',
            c if c.is_control() || is_invisible_format(c) => continue,
            c => c,
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        cleaned.push(c);
    }
    // Split off the extension before trimming leading dots, so ".pdf" is an
    // extension without a stem rather than a stem called "pdf".
    let trimmed = cleaned.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let (stem, name_ext) = match trimmed.rsplit_once('.') {
        Some((stem, e)) if kind.extensions().contains(&e.to_ascii_lowercase().as_str()) => {
            (trim_name(stem), e.to_string())
        }
        _ => (trim_name(trimmed), kind.extension().to_string()),
    };
    let stem = if stem.is_empty() { "attachment" } else { stem };
    let room = DISPLAY_NAME_MAX_CHARS.saturating_sub(name_ext.chars().count() + 1);
    let stem = if stem.chars().count() > room {
        let cut: String = stem.chars().take(room).collect();
        let cut = trim_name(&cut).to_string();
        if cut.is_empty() {
            "attachment".to_string()
        } else {
            cut
        }
    } else {
        stem.to_string()
    };
    format!("{stem}.{name_ext}")
}

/// Blank space and dots at either end: leading dots would hide the file on Unix,
/// trailing ones are dropped by Windows, and "." / ".." must never be a name.
fn trim_name(s: &str) -> &str {
    s.trim_matches(|c: char| c == '.' || c.is_whitespace())
}

/// Zero-width and bidirectional formatting characters, which change how a name looks
/// without being visible themselves.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                // soft hyphen
        | '\u{061C}'              // Arabic letter mark
        | '\u{180E}'              // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}' // word joiner, invisible operators, bidi isolates
        | '\u{FEFF}'              // BOM / zero-width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotations
    )
}

/// RFC 6266 `Content-Disposition` value for downloading a file called `name`:
/// `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded`.
///
/// The ASCII fallback (for old clients) replaces anything outside printable ASCII, and
/// `"`, `\` and `%`, with `_`; the RFC 8187 form percent-encodes every byte that is not
/// an `attr-char`, so no input can break out of the header.
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| match c {
            '"' | '\\' | '%' => '_',
            ' '..='~' => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        // attr-char from RFC 8187 section 3.2.1.
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            )
        {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_paths() {
        assert_eq!(
            display_name("../../etc/passwd", FileKind::Pdf),
            "passwd.pdf"
        );
        assert_eq!(
            display_name("C:\\Users\\ana\\Report.PDF", FileKind::Pdf),
            "Report.PDF"
        );
        assert_eq!(display_name("/abs/dir/", FileKind::Csv), "attachment.csv");
    }

    #[test]
    fn keeps_a_matching_extension_and_appends_a_missing_one() {
        assert_eq!(display_name("notes.docx", FileKind::Docx), "notes.docx");
        assert_eq!(display_name("photo.jpeg", FileKind::Jpeg), "photo.jpeg");
        assert_eq!(display_name("notes", FileKind::Docx), "notes.docx");
        // The name lies about the kind: the real kind's extension is added.
        assert_eq!(
            display_name("invoice.exe", FileKind::Pdf),
            "invoice.exe.pdf"
        );
    }

    #[test]
    fn strips_control_and_bidi_characters() {
        assert_eq!(
            display_name("a\r\nb\tc\0d.pdf", FileKind::Pdf),
            "a b cd.pdf",
            "whitespace controls become one space, others vanish"
        );
        // "invoice\u{202E}fdp.exe" displays as "invoiceexe.pdf".
        assert_eq!(
            display_name("invoice\u{202E}fdp.exe", FileKind::Pdf),
            "invoicefdp.exe.pdf"
        );
        assert_eq!(display_name("a\u{200B}b.png", FileKind::Png), "ab.png");
        assert_eq!(display_name("\u{7f}\u{9b}x.gif", FileKind::Gif), "x.gif");
    }

    #[test]
    fn strips_quotes_and_semicolons() {
        let n = display_name("my \"best\"; plan.pdf", FileKind::Pdf);
        assert_eq!(n, "my 'best' plan.pdf");
        assert!(!n.contains('"') && !n.contains(';'));
    }

    #[test]
    fn never_empty_or_dots() {
        assert_eq!(display_name("", FileKind::Pdf), "attachment.pdf");
        assert_eq!(display_name("   ", FileKind::Png), "attachment.png");
        assert_eq!(display_name(".", FileKind::Csv), "attachment.csv");
        assert_eq!(display_name("..", FileKind::Csv), "attachment.csv");
        assert_eq!(display_name("../..", FileKind::Csv), "attachment.csv");
        assert_eq!(display_name(".pdf", FileKind::Pdf), "attachment.pdf");
        assert_eq!(display_name(".bashrc", FileKind::Csv), "bashrc.csv");
        assert_eq!(display_name("\u{202E}", FileKind::Webp), "attachment.webp");
    }

    #[test]
    fn long_names_are_cut_but_keep_the_extension() {
        let long = format!("{}.pptx", "ü".repeat(500));
        let n = display_name(&long, FileKind::Pptx);
        assert_eq!(n.chars().count(), DISPLAY_NAME_MAX_CHARS);
        assert!(n.ends_with(".pptx"));
        let long = "x".repeat(300);
        let n = display_name(&long, FileKind::Xlsx);
        assert_eq!(n.chars().count(), DISPLAY_NAME_MAX_CHARS);
        assert!(n.ends_with("x.xlsx"));
    }

    #[test]
    fn content_disposition_escapes() {
        assert_eq!(
            content_disposition("plan.pdf"),
            "attachment; filename=\"plan.pdf\"; filename*=UTF-8''plan.pdf"
        );
        let v = content_disposition("a \"b\"\\c%.pdf");
        assert_eq!(
            v,
            "attachment; filename=\"a _b__c_.pdf\"; filename*=UTF-8''a%20%22b%22%5Cc%25.pdf"
        );
        let v = content_disposition("Übung – café.docx");
        assert_eq!(
            v,
            "attachment; filename=\"_bung _ caf_.docx\"; \
             filename*=UTF-8''%C3%9Cbung%20%E2%80%93%20caf%C3%A9.docx"
        );
        // Header injection is impossible: no CR/LF or quote survives in the value.
        let v = content_disposition("x\r\nSet-Cookie: a=b\".pdf");
        assert!(!v.contains('\r') && !v.contains('\n'));
        assert_eq!(v.matches('"').count(), 2);
    }
}
