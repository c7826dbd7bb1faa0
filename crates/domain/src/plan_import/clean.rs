//! Text clean-up shared by the plan and minutes readers.

use super::{ImportError, MAX_IMPORT_BYTES};

/// Checks the size, normalises line endings and odd characters, and rejects empty or binary
/// input. Tabs and newlines are kept: they are the structure.
pub(crate) fn prepare(raw: &str) -> Result<String, ImportError> {
    if raw.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge);
    }
    let (text, looks_binary) = normalise(raw);
    if looks_binary {
        return Err(ImportError::NotATable(
            "it looks like binary data, not text exported from a document".to_string(),
        ));
    }
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(text)
}

/// CRLF and CR become LF; the BOM, zero-width and soft-hyphen characters go; every other kind
/// of space (non-breaking, thin, …) becomes a plain space; control characters are dropped and
/// counted. Curly quotes and dashes are kept (they are the author's text); the readers treat
/// every dash alike.
pub(crate) fn normalise(raw: &str) -> (String, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut suspicious = 0usize;
    let mut total = 0usize;
    let mut nul = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        total += 1;
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}' => {}
            '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}' | '\u{85}' => out.push('\n'),
            '\0' => {
                nul = true;
                suspicious += 1;
            }
            '\u{fffd}' => suspicious += 1,
            c if c.is_whitespace() => out.push(' '),
            c if c.is_control() => suspicious += 1,
            c => out.push(c),
        }
    }
    let looks_binary = nul || (total > 0 && suspicious * 20 > total);
    (out, looks_binary)
}

/// Every run of whitespace becomes one space; the ends are trimmed.
pub(crate) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell's text: each line's spaces collapsed, runs of blank lines reduced to one, blank
/// lines at either end removed. Paragraphs stay separated by a blank line.
pub(crate) fn clean_block(s: &str) -> String {
    paragraphs(s).join("\n\n")
}

/// The paragraphs of a cell (separated by blank lines); lines inside one are kept, collapsed.
pub(crate) fn paragraphs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in s.split('\n') {
        let line = collapse_ws(line);
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

/// Items of a list-like cell such as outcomes: one per paragraph, or one per bullet when a
/// paragraph is a bulleted or numbered list. Lines of a plain paragraph are joined by spaces.
pub(crate) fn items(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in paragraphs(s) {
        let lines: Vec<&str> = para.split('\n').collect();
        if lines.len() > 1 && lines.iter().any(|l| strip_bullet(l).is_some()) {
            let mut current = String::new();
            for line in lines {
                match strip_bullet(line) {
                    Some(rest) => {
                        if !current.is_empty() {
                            out.push(std::mem::take(&mut current));
                        }
                        current.push_str(rest);
                    }
                    None => {
                        if !current.is_empty() {
                            current.push(' ');
                        }
                        current.push_str(line);
                    }
                }
            }
            if !current.is_empty() {
                out.push(current);
            }
        } else {
            let joined = lines.join(" ");
            let item = strip_bullet(&joined).unwrap_or(&joined).to_string();
            if !item.is_empty() {
                out.push(item);
            }
        }
    }
    out.into_iter()
        .map(|s| collapse_ws(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The text after a leading bullet ("•", "-", "*", "·", …) or list number ("1.", "2)", "(3)").
pub(crate) fn strip_bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let mut chars = t.char_indices();
    let (_, first) = chars.next()?;
    if matches!(
        first,
        '•' | '·' | '▪' | '◦' | '‣' | '⁃' | '●' | '○' | '■' | '*' | '\u{f0b7}' | '\u{f0a7}'
    ) || (is_dash(first) && t[first.len_utf8()..].starts_with(' '))
    {
        return Some(t[first.len_utf8()..].trim_start());
    }
    let (_, rest) = list_number(t)?;
    Some(rest)
}

/// "1. text", "1) text", "(1) text" → (1, "text"). Needs whitespace after the marker, so
/// "1.5m" or "2026." are not list numbers.
pub(crate) fn list_number(line: &str) -> Option<(u32, &str)> {
    let t = line.trim_start();
    let (open, body) = match t.strip_prefix('(') {
        Some(b) => (true, b),
        None => (false, t),
    };
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let n: u32 = body[..digits].parse().ok()?;
    let after = &body[digits..];
    let rest = if open {
        after.strip_prefix(')')?
    } else {
        after
            .strip_prefix('.')
            .or_else(|| after.strip_prefix(')'))?
    };
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    Some((n, rest))
}

/// Hyphen, en and em dashes, minus and their relatives.
pub(crate) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−')
}

/// Removes "( … )" spans (nesting allowed).
pub(crate) fn without_parens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Trailing full stops, commas, semicolons, colons and dashes go from the end of a title.
pub(crate) fn trim_trailing_punct(s: &str) -> String {
    s.trim_end_matches(|c: char| {
        matches!(c, '.' | ',' | ';' | ':') || is_dash(c) || c.is_whitespace()
    })
    .trim_start()
    .to_string()
}

/// Upper-cases the first letter.
pub(crate) fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Finds `needle` (ASCII, lower case) in `hay` (already lower case) as whole words: the
/// characters either side are not letters or digits. Returns the byte offset of the first one.
pub(crate) fn find_word(hay: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let at = from + pos;
        let end = at + needle.len();
        let before_ok = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = hay[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + hay[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// "seven" → 7, "12" → 12 (for "the seven mandates are:").
pub(crate) fn number_word(w: &str) -> Option<usize> {
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let w = w.to_lowercase();
    if let Some(i) = WORDS.iter().position(|x| *x == w) {
        return Some(i);
    }
    if w.len() <= 3 {
        return w.parse().ok();
    }
    None
}
