//! Single-line text fields (names, titles): trimmed, bounded, free of control characters.
//! Markup is not stripped here: templates escape on output, so `<b>` stays literal text.
//!
//! One Unicode policy for all text people type (`unicode_problem`, `nfc`): text is
//! normalised to NFC (so "é" typed two ways is one name), bidirectional controls are refused
//! (a right-to-left override makes "gpj.exe" read "exe.jpg"), and so is text made only of
//! invisible characters (zero-width spaces and joiners, which pass for a name that is not
//! there).

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    #[error("Enter {0}")]
    Empty(&'static str),
    #[error("{0} must be {1} characters or fewer")]
    TooLong(&'static str, usize),
    #[error("{0} must not contain control characters")]
    ControlChars(&'static str),
    #[error("{0} must not contain characters that change the direction of text")]
    Bidi(&'static str),
    #[error("{0} must contain letters or numbers you can see")]
    Invisible(&'static str),
}

/// Characters that reorder text: the embeddings, overrides and isolates, and the marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that show nothing: spaces, zero-width spaces and joiners, the word joiner,
/// the byte-order mark, soft hyphens, variation selectors.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{FE00}'..='\u{FE0F}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
        )
}

/// What is wrong with `s` under the policy, if anything (empty text is the caller's to judge).
pub fn unicode_problem(s: &str) -> Option<UnicodeProblem> {
    if s.chars().any(is_bidi_control) {
        Some(UnicodeProblem::Bidi)
    } else if !s.is_empty() && s.chars().all(is_invisible) {
        Some(UnicodeProblem::Invisible)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnicodeProblem {
    Bidi,
    Invisible,
}

impl UnicodeProblem {
    /// The message for a field labelled `label` ("Title").
    pub fn message(self, label: &str) -> String {
        match self {
            UnicodeProblem::Bidi => {
                format!("{label} must not contain characters that change the direction of text")
            }
            UnicodeProblem::Invisible => {
                format!("{label} must contain letters or numbers you can see")
            }
        }
    }
}

/// `s` in Unicode normalisation form C.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Text taken from a document (its title, its words) made to follow the policy rather than
/// refused: normalised to NFC, with bidirectional controls, NUL and other control characters
/// (bar line breaks and tabs) left out.
pub fn tidy(s: &str) -> String {
    nfc(s)
        .chars()
        .filter(|&c| !is_bidi_control(c) && (!c.is_control() || c == '\n' || c == '\t'))
        .collect()
}

/// `what` names the field in messages, e.g. "your full name".
pub fn clean_line(raw: &str, what: &'static str, max: usize) -> Result<String, TextProblem> {
    let s = nfc(raw.trim());
    let s = s.as_str();
    match unicode_problem(s) {
        Some(UnicodeProblem::Bidi) => return Err(TextProblem::Bidi(capitalise(what))),
        Some(UnicodeProblem::Invisible) => return Err(TextProblem::Invisible(capitalise(what))),
        None => {}
    }
    if s.is_empty() {
        return Err(TextProblem::Empty(what));
    }
    if s.chars().count() > max {
        return Err(TextProblem::TooLong(capitalise(what), max));
    }
    if s.chars().any(char::is_control) {
        return Err(TextProblem::ControlChars(capitalise(what)));
    }
    Ok(s.to_string())
}

fn capitalise(what: &'static str) -> &'static str {
    // Messages read "Name must…"; the field names used here are short fixed phrases.
    match what {
        "your full name" => "Full name",
        "a name" => "Name",
        "a summary" => "Summary",
        _ => what,
    }
}

#[cfg(test)]
mod unicode_tests {
    use super::*;

    #[test]
    fn text_from_documents_is_tidied() {
        assert_eq!(tidy("Invoice\u{202E}fdp.exe"), "Invoicefdp.exe");
        assert_eq!(tidy("a\0b\u{7}c\nd\te"), "abc\nd\te");
        assert_eq!(tidy("Zoe\u{301}"), "Zoé");
    }

    #[test]
    fn one_unicode_policy_for_typed_text() {
        // NFC: "é" as e + combining acute becomes one character.
        assert_eq!(
            clean_line("Zoe\u{301}", "a name", 50),
            Ok("Zoé".to_string())
        );
        assert_eq!(
            clean_line("\u{200B}\u{200C}\u{FEFF}", "a name", 50),
            Err(TextProblem::Invisible("Name"))
        );
        assert_eq!(
            clean_line("invoice\u{202E}gpj.exe", "a name", 50),
            Err(TextProblem::Bidi("Name"))
        );
        for ok in ["Zoë Ó Briain", "مركز اللياقة", "Café ☕", "a\u{200D}b"] {
            assert!(clean_line(ok, "a name", 50).is_ok(), "{ok}");
        }
        assert_eq!(unicode_problem(""), None);
        assert_eq!(
            unicode_problem("\u{2066}x\u{2069}"),
            Some(UnicodeProblem::Bidi)
        );
    }
}
